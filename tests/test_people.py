"""People and publishers as a librarian meets them: partial names find the catalogued person,
an ambiguous one is asked about or refused with its candidates, and `biblio people` and
`biblio publishers` list, show and rename records with their other names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from biblio.cli import cli
from biblio.records import PersonRecord

from .conftest import invoke
from .test_librarian import catalogue_people


def people(db: str, *args: str) -> list[dict[str, Any]]:
    result = invoke(db, "people", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def added(db: str, *args: str, title: str = "Probe") -> dict[str, Any]:
    result = invoke(db, "add", "--title", title, "--year", "2001", *args)
    assert result.exit_code == 0, result.output
    shown = invoke(db, "show", result.stdout.strip(), "--format", "json")
    return json.loads(shown.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("role", "typed", "meant"),
    [
        ("--author", "Serge", "Victor Serge"),
        ("--author", "V. Serge", "Victor Serge"),
        ("--author", "Serge, V.", "Victor Serge"),
        ("--translator", "Greeman", "Richard Greeman"),
        ("--translator", "R. Greeman", "Richard Greeman"),
        ("--translator", "Manheim, R. F.", "Ralph Manheim"),  # a variant's initials
    ],
)
def test_a_family_name_or_initials_find_the_one_catalogued_person(
    seeded: str, role: str, typed: str, meant: str
) -> None:
    count = len(people(seeded))
    record = added(seeded, role, typed)
    assert record["authors" if role == "--author" else "translators"] == [meant]
    assert len(people(seeded)) == count


def test_another_given_name_is_another_person(seeded: str) -> None:
    count = len(people(seeded))
    record = added(seeded, "--author", "Jean Serge")
    assert record["authors"] == ["Jean Serge"]
    assert len(people(seeded)) == count + 1
    other = added(seeded, "--author", "W. Greeman", title="Other")  # no Greeman with a W
    assert other["authors"] == ["W. Greeman"]


def test_an_ambiguous_partial_name_is_refused_with_its_candidates(seeded: str) -> None:
    catalogue_people(seeded, PersonRecord("Smith, John"), PersonRecord("Smith, Jane"))
    count = len(people(seeded))
    result = invoke(seeded, "add", "--title", "Probe", "--year", "2001", "--translator", "Smith")
    assert result.exit_code == 1
    line = result.output.strip()
    assert line.startswith("Error: person name 'Smith' is ambiguous: #")
    assert "Smith, John" in line and "Smith, Jane" in line and "(give one as #ID)" in line
    assert len(people(seeded)) == count


def test_an_ambiguous_partial_name_is_asked_about_on_a_terminal(
    seeded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalogue_people(seeded, PersonRecord("Smith, John"), PersonRecord("Smith, Jane"))
    jane = next(p["id"] for p in people(seeded, "--search", "jane"))
    monkeypatch.setattr("biblio.cli._interactive", lambda: True)
    result = CliRunner().invoke(
        cli,
        ["--db", seeded, "add", "--title", "Probe", "--year", "2001", "--translator", "J. Smith"],
        input=f"{jane}\n",
    )
    assert result.exit_code == 0, result.output
    assert "'J. Smith' could be:" in result.output
    shown = json.loads(invoke(seeded, "show", result.stdout.strip().splitlines()[-1],
                              "--format", "json").stdout)  # fmt: skip
    assert shown["translators"] == ["Jane Smith"]


def test_people_lists_searches_and_shows_with_other_names(seeded: str) -> None:
    everyone = people(seeded)
    assert [p["name"] for p in everyone] == sorted(p["name"] for p in everyone)
    serge = people(seeded, "--search", "kibalchich")
    assert [p["name"] for p in serge] == ["Serge, Victor"]
    assert serge[0]["other_names"] == ["Kibalchich, Victor Lvovich", "Rétif, Le"]
    assert "as author" in serge[0]["credits"]
    shown = invoke(seeded, "people", "show", "V. Serge", "--format", "json")
    record = json.loads(shown.stdout)
    assert record["name"] == "Serge, Victor"
    credits = [{k: v for k, v in c.items() if k in ("role", "edition", "work")}
               for c in record["credits"]]  # fmt: skip
    assert {"role": "author", "edition": "serge1967birth"} not in credits  # the work's
    assert {"role": "author", "work": "serge1931naissance"} in credits
    [naissance] = [c for c in record["credits"] if c.get("work") == "serge1931naissance"]
    assert (naissance["title"], naissance["year"]) == ("Naissance de notre force", 1931)
    table = invoke(seeded, "people", "--search", "greeman")
    assert table.exit_code == 0 and "Greeman, Richard" in table.output
    missing = invoke(seeded, "people", "show", "Nobody Atall")
    assert missing.exit_code == 1 and missing.output.strip() == (
        "Error: no person named 'Nobody Atall'"
    )


def test_renaming_a_person_keeps_the_old_name_and_is_undone(seeded: str) -> None:
    result = invoke(seeded, "people", "rename", "Greeman", "Greeman, Richard M.")
    assert result.exit_code == 0, result.output
    [greeman] = people(seeded, "--search", "greeman")
    assert (greeman["name"], greeman["other_names"]) == ("Greeman, Richard M.",
                                                         ["Greeman, Richard"])  # fmt: skip
    birth = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    assert birth["translators"] == ["Richard M. Greeman"]
    count = len(people(seeded))
    credits = int(people(seeded, "--search", "greeman")[0]["credits"].split()[0])
    # The old name still finds them, and is credited as typed.
    assert added(seeded, "--translator", "Greeman, Richard")["translators"] == ["Richard Greeman"]
    assert len(people(seeded)) == count
    after = people(seeded, "--search", "greeman")[0]["credits"]
    assert after.startswith(f"{credits + 1} as translator")
    history = json.loads(invoke(seeded, "history", "--format", "json").stdout)
    rename = next(c for c in history if c["kind"] == "rename")
    # The later add credited the person but changed no row of theirs: the rename undoes.
    assert invoke(seeded, "undo", str(rename["id"])).exit_code == 0
    [back] = people(seeded, "--search", "greeman")
    assert (back["name"], back["other_names"]) == ("Greeman, Richard", [])
    assert back["credits"].startswith(f"{credits + 1} as translator")


def test_renaming_onto_another_person_is_refused(seeded: str) -> None:
    result = invoke(seeded, "people", "rename", "Greeman", "Manheim, Ralph")
    assert result.exit_code == 1
    assert "use 'biblio merge person' to make them one" in result.output


def test_publishers_list_show_and_rename(seeded: str) -> None:
    listed = json.loads(invoke(seeded, "publishers", "--format", "json").stdout)
    doubleday = next(p for p in listed if p["name"] == "Doubleday")
    assert doubleday["editions"] >= 1 and doubleday["other_names"] == []
    assert invoke(seeded, "publishers", "rename", "doubleday", "Doubleday & Co.").exit_code == 0
    shown = json.loads(invoke(seeded, "publishers", "show", "Doubleday", "--format", "json").stdout)
    assert (shown["name"], shown["other_names"]) == ("Doubleday & Co.", ["Doubleday"])
    assert shown["editions"] == doubleday["editions"]
    birth = json.loads(invoke(seeded, "show", "serge1967birth", "--format", "json").stdout)
    assert birth["publisher"] == "Doubleday & Co."
    clash = invoke(seeded, "publishers", "rename", "Doubleday & Co.", "City Lights")
    assert clash.exit_code == 1 and "use 'biblio merge publisher'" in clash.output
    searched = json.loads(invoke(seeded, "publishers", "--search", "city", "--format",
                                 "json").stdout)  # fmt: skip
    assert [p["name"] for p in searched] == ["City Lights"]
