"""A librarian's corrections: add, edit, remove and merge, as a user runs them.

Every command is run through the command line, on both backends where it writes. A refused
command must say why on one line (exit 1) or as a usage error (exit 2) and write nothing: the
catalogue, as ``biblio export``, ``biblio list --format json`` and ``biblio translators`` show
it, is compared before and after.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import biblio.cli
from biblio.catalogue import import_records
from biblio.cli import cli
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.records import PersonRecord

from .conftest import invoke

DATA = Path(__file__).parent / "data"

GREEMAN_KEYS = [
    "serge1967birth",
    "serge1969men",
    "serge1975conquered",
    "serge1982midnight",
    "serge2008unforgiving",
]

# A second translation of Ville conquise (catalogued with the 1975 Conquered City).
CONQUERED_2011 = (
    "--title",
    "Conquered City",
    "--year",
    "2011",
    "--author",
    "Victor Serge",
    "--translator",
    "Greeman, Richard",
    "--publisher",
    "new york review of books classics",
    "--place",
    "New York",
    "--orig-title",
    "Ville conquise",
    "--orig-year",
    "1932",
)

EDITABLE_FIELDS = (
    "key, title, subtitle, year, place, publisher, language, series, journal, volume, number, "
    "type, form, annotation, notes, authors, translators, editors, translator-status, "
    "also-published-as, orig-title, orig-year, orig-place, orig-publisher, orig-language, "
    "work-annotation, pages, doi, isbn, issn, url, abstract, keywords, edition, note, qid, "
    "work-qid"
)
BAD_DATE = "invalid date '19x9' (expected YYYY, YYYY-MM or YYYY-MM-DD)"
KLINGON = "unknown language 'martian' (use an ISO 639 code or its English name: fr, fre, French)"


# ----------------------------------------------------------------------------- helpers


def run_ok(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run a command that must succeed, and return its result."""
    result = invoke(db, *args, env=env)
    assert result.exit_code == 0, result.output
    return result


def add(db: str, *args: str) -> str:
    """``biblio add`` that must succeed: the new key, which is all it prints on stdout."""
    result = run_ok(db, "add", *args)
    assert result.stderr == ""
    assert re.fullmatch(r"\S+\n", result.stdout), result.stdout
    return result.stdout.strip()


def keys(db: str, *filters: str) -> list[str]:
    """The keys ``biblio list`` gives with these filters."""
    return [
        row["key"] for row in json.loads(run_ok(db, "list", "--format", "json", *filters).stdout)
    ]


def shown(db: str, key: str) -> dict[str, Any]:
    """``biblio show KEY --format json``."""
    return json.loads(run_ok(db, "show", key, "--format", "json").stdout)


def translator_counts(db: str) -> dict[str, int]:
    """``biblio translators``: catalogue name -> number of editions (one row per person)."""
    rows = json.loads(run_ok(db, "translators", "--format", "json").stdout)
    names = [row["sort_name"] for row in rows]
    assert len(names) == len(set(names)), names
    return {row["sort_name"]: row["editions"] for row in rows}


def snapshot(db: str) -> tuple[str, str, str]:
    """The whole catalogue as a user sees it: export, list and translators."""
    return (
        run_ok(db, "export").stdout,
        run_ok(db, "list", "--format", "json").stdout,
        run_ok(db, "translators", "--format", "json").stdout,
    )


def refused(db: str, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run a command that must fail and leave the catalogue exactly as it was."""
    before = snapshot(db)
    result = invoke(db, *args, env=env)
    assert result.exit_code != 0, result.output
    assert result.stdout == ""
    assert snapshot(db) == before
    return result


def assert_error(result: Result, message: str) -> None:
    """Exit 1 with ``message`` as the one line on stderr."""
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {message}\n"


def assert_usage_error(result: Result, message: str) -> None:
    """Exit 2 (a usage error) whose last line is ``message``."""
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[-1] == f"Error: {message}"


def catalogue_people(db: str, *people: PersonRecord) -> None:
    """Catalogue people with their variant names, through the import path the seed uses
    (the command line has no way to give a person several names)."""
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine) as session:
            import_records(session, list(people), [])
    finally:
        engine.dispose()


def two_smiths(db: str) -> tuple[int, int]:
    """John Smith and Jane Smith, both also known as "Smith, J."; their ids."""
    catalogue_people(
        db,
        PersonRecord("Smith, John", ["Smith, J."], note="A translator from Russian."),
        PersonRecord("Smith, Jane", ["Smith, J."], note="A translator from French."),
    )
    result = refused(db, "add", "--title", "Probe", "--year", "2001", "--translator", "J. Smith")
    john, jane = (int(i) for i in re.findall(r"#(\d+)", result.stderr))
    return john, jane


def editor(tmp_path: Path, script: str) -> dict[str, str]:
    """An environment whose $EDITOR is a shell script running ``script`` on the file ("$1");
    it first copies what it was given to ``tmp_path / "seen.txt"``."""
    path = tmp_path / "editor.sh"
    path.write_text(f'#!/bin/sh\ncp "$1" "{tmp_path / "seen.txt"}"\n{script}\n')
    path.chmod(0o755)
    return {"EDITOR": str(path), "VISUAL": ""}


def sed(field: str, value: str) -> str:
    """A sed command setting the ``field: value`` line of the file being edited."""
    return f'sed -i "s/^{field}: .*/{field}: {value}/" "$1"'


# ----------------------------------------------------------------------------- add


def test_add_records_every_option_and_prints_the_key(seeded: str) -> None:
    key = add(
        seeded,
        "--title", "The Dark Turning",
        "--subtitle", "A Novel",
        "--year", "2020-05",
        "--author", "Victor Serge",
        "--translator", "Jane Doe",
        "--translator", "Roe, Richard",
        "--editor", "Ann Editor",
        "--editor", "Bob Redactor",
        "--publisher", "Tiny Press",
        "--place", "Leeds",
        "--orig-title", "Le Tournant obscur",
        "--orig-year", "1951",
        "--orig-place", "Paris",
        "--orig-language", "French",
        "--form", "non-fiction",
        "--annotation", "Serge's last book.",
        "--key", "doe2020dark",
    )  # fmt: skip
    assert key == "doe2020dark"
    record = shown(seeded, key)
    del record["people"]
    assert record == {
        "key": "doe2020dark",
        "title": "The Dark Turning",
        "subtitle": "A Novel",
        "year": 2020,
        "authors": ["Victor Serge"],
        "translators": ["Jane Doe", "Richard Roe"],
        "translator_status": "named",
        "editors": ["Ann Editor", "Bob Redactor"],
        "publisher": "Tiny Press",
        "place": "Leeds",
        "language": None,
        "form": "non-fiction",
        "also_published_as": [],
        "annotation": None,
        "original": {
            "key": "serge1951tournant",
            "title": "Le Tournant obscur",
            "subtitle": None,
            "date": "1951",
            "year": 1951,
            "place": "Paris",
            "publisher": None,
            "language": "fr",
            "form": "non-fiction",
            "annotation": "Serge's last book.",
            "notes": None,
        },
        "entry_type": "book",
        "date": "2020-05",
        "series": None,
        "journal": None,
        "volume": None,
        "number": None,
        "section": None,
        "notes": None,
        "extra_fields": {},
        "pages": None,
        "doi": None,
        "isbn": None,
        "issn": None,
        "url": None,
        "abstract": None,
        "keywords": [],
        "edition": None,
        "note": None,
    }
    assert keys(seeded, "--translator", "Richard Roe") == ["doe2020dark"]
    assert keys(seeded, "--editor", "Redactor") == ["doe2020dark"]


def test_add_makes_the_key_from_family_year_and_title(seeded: str) -> None:
    assert add(seeded, *CONQUERED_2011) == "serge2011conquered"
    # No author: the key says so; a second edition with the same stem gets a letter.
    assert add(seeded, "--title", "The Lone Book", "--year", "2020") == "anon2020lone"
    assert add(seeded, "--title", "Lone, again", "--year", "2020") == "anon2020lonea"


def test_add_joins_the_catalogued_original_without_erasing_it(seeded: str) -> None:
    original_1975 = shown(seeded, "serge1975conquered")["original"]
    assert original_1975["key"] == "serge1932ville"
    assert original_1975["place"] == "Paris" and original_1975["annotation"]

    key = add(seeded, *CONQUERED_2011)

    added = shown(seeded, key)
    # The same work, its annotation, place and language untouched though not given again.
    assert added["original"] == original_1975
    assert shown(seeded, "serge1975conquered")["original"] == original_1975
    assert added["authors"] == ["Victor Serge"]
    assert (added["year"], added["place"], added["publisher"]) == (
        2011,
        "New York",
        "New York Review of Books Classics",
    )
    assert keys(seeded, "--search", "ville conquise") == ["serge1975conquered", key]


def test_add_reuses_catalogued_people_and_publishers(seeded: str) -> None:
    before = translator_counts(seeded)
    greeman_note = shown(seeded, "serge1967birth")["people"][1]

    key = add(
        seeded,
        "--title", "Essays",
        "--year", "2012",
        "--author", "Serge, Victor",
        "--translator", "Greeman, Richard",
        "--publisher", "DOUBLEDÂY",
    )  # fmt: skip

    after = translator_counts(seeded)
    assert after == {**before, "Greeman, Richard": before["Greeman, Richard"] + 1}
    record = shown(seeded, key)
    assert record["publisher"] == "Doubleday"  # the catalogue's spelling
    assert record["people"][1] == greeman_note  # the same person, note and all
    assert keys(seeded, "--translator", "Richard Greeman") == [*GREEMAN_KEYS, key]
    assert key in keys(seeded, "--publisher", "doubleday")


@pytest.mark.parametrize(
    "args",
    [
        CONQUERED_2011[:2] + ("--year", "1975") + CONQUERED_2011[4:],
        (
            "--title", "conquered  CITY",
            "--year", "1975",
            "--author", "Serge, Victor",
            "--orig-title", "VILLE CONQUISE",
            "--orig-year", "1932",
            "--key", "other1975conquered",
        ),
    ],
    ids=["same", "other-spelling-and-key"],
)  # fmt: skip
def test_add_refuses_an_edition_already_catalogued(seeded: str, args: tuple[str, ...]) -> None:
    result = refused(seeded, "add", *args)
    assert_error(result, "already catalogued as 'serge1975conquered': Conquered City")


def test_add_refuses_a_compilation_already_catalogued(seeded: str) -> None:
    result = refused(seeded, "add", "--title", "Revolution in Danger", "--year", "1997")
    assert_error(result, "already catalogued as 'serge1997revolution': Revolution in Danger")


def test_add_refuses_a_taken_key(seeded: str) -> None:
    result = refused(seeded, "add", "--title", "Other", "--year", "1975", "--key", "serge1967birth")
    assert_error(result, "key 'serge1967birth' is taken by: Birth of our Power")


def test_translator_not_named(seeded: str) -> None:
    key = add(seeded, "--title", "Anonymous Version", "--year", "1950", "--translator-not-named")
    record = shown(seeded, key)
    assert (record["translators"], record["translator_status"]) == ([], "not-named")
    result = refused(
        seeded, "add", "--title", "Other", "--translator-not-named", "--translator", "Jane Doe"
    )
    assert_usage_error(result, "--translator and --translator-not-named contradict each other")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "1975"), "--title is required"),
        (("--title", ""), "Invalid value for --title: empty title"),
        (("--title", "   "), "Invalid value for --title: empty title"),
        (("--title", "X", "--year", "19x9"), f"Invalid value for '--year': {BAD_DATE}"),
        (
            ("--title", "X", "--orig-title", "Y", "--orig-year", "19x9"),
            f"Invalid value for '--orig-year': {BAD_DATE}",
        ),
        (
            ("--title", "X", "--orig-year", "1932"),
            "--orig-title is needed with --orig-year, --orig-place or --orig-language",
        ),
    ],
    ids=["no-title", "empty-title", "blank-title", "bad-year", "bad-orig-year", "no-orig-title"],
)
def test_add_usage_errors(seeded: str, args: tuple[str, ...], message: str) -> None:
    assert_usage_error(refused(seeded, "add", *args), message)


@pytest.mark.parametrize("option", ["--orig-language", "--language"])
def test_add_refuses_an_unknown_language(seeded: str, option: str) -> None:
    result = refused(
        seeded,
        "add",
        "--title", "Qapla",
        "--year", "2001",
        "--author", "New Author",
        "--orig-title", "Qapla'",
        option, "martian",
    )  # fmt: skip
    assert_error(result, KLINGON)
    # Not even the author it would have created is left behind.
    assert_error(
        invoke(seeded, "remove", "--person", "New Author", "--yes"), "no person named 'New Author'"
    )


def test_an_ambiguous_name_is_refused_off_a_terminal_then_given_as_id(seeded: str) -> None:
    john, jane = two_smiths(seeded)
    assert john < jane
    result = refused(
        seeded, "add", "--title", "Some Book", "--year", "2001", "--translator", "J. Smith"
    )
    assert_error(
        result,
        f"person name 'J. Smith' is ambiguous: #{john} Smith, John; #{jane} Smith, Jane "
        "(give one as #ID)",
    )
    key = add(seeded, "--title", "Some Book", "--year", "2001", "--translator", f"#{jane}")
    record = shown(seeded, key)
    assert record["translators"] == ["Jane Smith"]
    assert record["people"][0]["note"] == "A translator from French."
    result = refused(seeded, "add", "--title", "Other", "--translator", "#999999")
    assert_error(result, "no person #999999")


def test_an_ambiguous_name_is_asked_about_on_a_terminal(
    seeded_sqlite: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    john, jane = two_smiths(seeded_sqlite)
    monkeypatch.setattr(biblio.cli, "_interactive", lambda: True)
    result = CliRunner().invoke(
        cli,
        ["--db", seeded_sqlite, "add", "--title", "Some Book", "--year", "2001",
         "--translator", "J. Smith"],
        input=f"{john}\n",
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout == "anon2001some\n"
    assert result.stderr == (
        "'J. Smith' could be:\n"
        f"  #{john}  Smith, John  (A translator from Russian.)\n"
        f"  #{jane}  Smith, Jane  (A translator from French.)\n"
        f"Which one ({john}, {jane}): {john}\n"
    )
    assert shown(seeded_sqlite, "anon2001some")["translators"] == ["John Smith"]


def test_add_with_the_same_translator_twice_is_not_a_database_error(seeded: str) -> None:
    result = invoke(
        seeded,
        "add",
        "--title", "Twice",
        "--year", "2001",
        "--translator", "Richard Greeman",
        "--translator", "Greeman, Richard",
    )  # fmt: skip
    assert "database error" not in result.stderr
    assert result.exit_code == 0, result.output
    # A list naming one person twice is kept as given, as an import keeps it.
    assert shown(seeded, "anon2001twice")["translators"] == ["Richard Greeman"] * 2


def test_add_refuses_a_key_that_cannot_be_exported(seeded: str) -> None:
    result = refused(seeded, "add", "--title", "Spacey", "--year", "2001", "--key", "bad key,x")
    assert result.exit_code == 1


# ----------------------------------------------------------------------------- edit


def _set(path: tuple[str, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to a ``show --format json`` record: set the value at ``path``."""

    def change(record: dict[str, Any]) -> None:
        for part in path[:-1]:
            record = record[part]
        record[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("assignments", "changes"),
    [
        (["place=London"], [_set(("place",), "London")]),
        (["publisher=Hamish Hamilton"], [_set(("publisher",), "Hamish Hamilton")]),
        (["year=1950-03"], [_set(("year",), 1950), _set(("date",), "1950-03")]),
        (["title=Comrade Tulayev"], [_set(("title",), "Comrade Tulayev")]),
        (
            ["translators=Trask, Willard R.; Jane Doe"],
            [_set(("translators",), ["Willard R. Trask", "Jane Doe"])],
        ),
        (["orig-title=L'Affaire Toulaév"], [_set(("original", "title"), "L'Affaire Toulaév")]),
        (["work-annotation=A new note."], [_set(("original", "annotation"), "A new note.")]),
        (
            ["place=London", "publisher=hamish  HAMILTON", "orig-year=1948"],
            [
                _set(("place",), "London"),
                _set(("publisher",), "hamish HAMILTON"),
                _set(("original", "date"), "1948"),
                _set(("original", "year"), 1948),
            ],
        ),
    ],
    ids=["place", "publisher", "year", "title", "translators", "orig-title", "work-annotation",
         "several"],
)  # fmt: skip
def test_edit_sets_fields(
    seeded: str, assignments: list[str], changes: list[Callable[[dict[str, Any]], None]]
) -> None:
    expected = shown(seeded, "serge1951case")
    del expected["people"]
    for change in changes:
        change(expected)
    args = [arg for assignment in assignments for arg in ("--set", assignment)]

    result = run_ok(seeded, "edit", "serge1951case", *args)

    fields = sorted(a.partition("=")[0] for a in assignments)
    assert result.stderr == f"updated serge1951case: {', '.join(fields)}\n"
    assert result.stdout == ""
    record = shown(seeded, "serge1951case")
    del record["people"]
    assert record == expected


def test_edit_changes_what_list_finds(seeded: str) -> None:
    run_ok(
        seeded,
        "edit", "serge1951case",
        "--set", "year=1950",
        "--set", "translators=Jane Doe",
        "--set", "publisher=Doubleday",
    )  # fmt: skip
    assert keys(seeded, "--year", "1950") == ["serge1951case"]
    assert keys(seeded, "--year", "1951") == []
    assert keys(seeded, "--translator", "Doe") == ["serge1951case"]
    assert keys(seeded, "--translator", "Trask") == []
    assert "serge1951case" in keys(seeded, "--publisher", "Doubleday")
    assert translator_counts(seeded)["Doe, Jane"] == 1


def test_edit_renames_the_key(seeded: str) -> None:
    title = shown(seeded, "serge1951case")["title"]
    result = run_ok(seeded, "edit", "serge1951case", "--set", "key=trask1951case")
    assert result.stderr == "updated trask1951case: key\n"
    assert shown(seeded, "trask1951case")["title"] == title
    assert_error(invoke(seeded, "show", "serge1951case"), "no edition with key 'serge1951case'")
    everything = keys(seeded)
    assert "trask1951case" in everything and "serge1951case" not in everything
    exported = run_ok(seeded, "export").stdout
    assert "@book{trask1951case," in exported and "serge1951case" not in exported


def test_edit_translator_status(seeded: str) -> None:
    run_ok(
        seeded,
        "edit",
        "serge1951case",
        "--set",
        "translators=",
        "--set",
        "translator-status=not-named",
    )
    record = shown(seeded, "serge1951case")
    assert (record["translators"], record["translator_status"]) == ([], "not-named")
    run_ok(seeded, "edit", "serge1994century", "--set", "translator-status=none")
    assert shown(seeded, "serge1994century")["translator_status"] == "none"


@pytest.mark.parametrize(
    ("key", "assignment", "message"),
    [
        ("serge1951case", "colour=red", f"unknown field 'colour' (one of {EDITABLE_FIELDS})"),
        ("serge1951case", "year=19x9", f"serge1951case: year: {BAD_DATE}"),
        ("serge1951case", "orig-year=19x9", f"serge1951case: orig-year: {BAD_DATE}"),
        ("serge1951case", "title= ", "serge1951case: empty title"),
        ("serge1951case", "form=opera",
         "serge1951case: unknown form 'opera' "
         "(one of novel, poetry, non-fiction, collection, pamphlet, other)"),
        ("serge1951case", "orig-language=martian", f"serge1951case: orig-language: {KLINGON}"),
        ("serge1951case", "translator-status=not-named",
         "serge1951case: translator_status 'not-named' but translators are given"),
        ("serge1951case", "translator-status=lost",
         "serge1951case: unknown translator_status 'lost' "
         "(one of named, not-named, none, unknown)"),
        ("serge1951case", "key=serge1967birth", "key 'serge1967birth' is taken"),
        ("serge1951case", "key= ", "empty key"),
        ("serge1994serge", "work-annotation=Papers.",
         "serge1994serge: orig-title is needed to record an original"),
        ("nosuch", "year=1999", "no edition with key 'nosuch'"),
    ],
    ids=["unknown-field", "bad-year", "bad-orig-year", "empty-title", "bad-form",
         "bad-language", "status-with-translators", "bad-status", "taken-key", "empty-key",
         "no-original", "unknown-key"],
)  # fmt: skip
def test_edit_refuses_and_writes_nothing(
    seeded: str, key: str, assignment: str, message: str
) -> None:
    # A valid change comes first: it must not be saved either.
    result = refused(seeded, "edit", key, "--set", "place=Moscow", "--set", assignment)
    assert_error(result, message)


def test_edit_needs_field_equals_value(seeded: str) -> None:
    result = refused(seeded, "edit", "serge1951case", "--set", "place")
    assert_usage_error(result, "Invalid value for --set: expected FIELD=VALUE, got 'place'")


def test_editing_an_imported_field_exports_the_new_value(db: str, tmp_path: Path) -> None:
    bib = tmp_path / "birth.bib"
    bib.write_text(
        "@book{greeman:birth,\n"
        "  title      = {Birth of {Our} Power},\n"
        "  year       = 1967,\n"
        "  month      = jan,\n"
        "  translator = {Greeman, Richard},\n"
        "  publisher  = {Doubleday},\n"
        "  address    = {New York},\n"
        "}\n",
        encoding="utf-8",
    )
    run_ok(db, "import", str(bib))
    assert "title      = {Birth of {Our} Power}," in run_ok(db, "export").stdout

    run_ok(db, "edit", "greeman:birth", "--set", "place=Garden City, NY")
    # The place is the new one; what was not edited keeps its .bib text (fields in
    # biblio's one order).
    assert run_ok(db, "export").stdout == (
        "@book{greeman:birth,\n"
        "  translator = {Greeman, Richard},\n"
        "  title      = {Birth of {Our} Power},\n"
        "  location   = {{Garden City, NY}},\n"
        "  publisher  = {Doubleday},\n"
        "  year       = 1967,\n"
        "  month      = jan\n"
        "}\n"
    )

    run_ok(
        db,
        "edit",
        "greeman:birth",
        "--set",
        "title=Birth of Our Power, Revised",
        "--set",
        "year=1968",
    )
    assert run_ok(db, "export").stdout == (
        "@book{greeman:birth,\n"
        "  translator = {Greeman, Richard},\n"
        "  title      = {Birth of Our Power, Revised},\n"
        "  location   = {{Garden City, NY}},\n"
        "  publisher  = {Doubleday},\n"
        "  date       = {1968}\n"
        "}\n"
    )


@pytest.mark.parametrize("date", ["2001-02-29", "2001-04-31", "1999-02-30", "1900-02-29"])
def test_edit_refuses_a_day_or_month_that_does_not_exist(seeded: str, date: str) -> None:
    """2001-02-29 was saved (from the CLI and the web form), and exported as CSL's
    [2001, 2, 29]; a leap day of a leap year is a date."""
    result = invoke(seeded, "edit", "serge1967birth", "--set", f"year={date}")
    assert result.exit_code == 1 and "no such month or day" in result.stderr, result.output
    assert run_ok(seeded, "edit", "serge1967birth", "--set", "year=2000-02-29")


def test_edit_help_names_every_field_edit_accepts() -> None:
    """``edit --help`` lists the fields; it lacked nine that ``--set`` accepts."""
    import re

    from biblio.cli import edit
    from biblio.edits import EDITABLE

    assert edit.help is not None
    listed = " ".join(edit.help.split()).split("Fields: ", 1)[1].split(" (")[0]
    assert set(re.split(r", | and ", listed)) == {"key", *EDITABLE}


def test_edit_to_the_values_a_field_has_changes_nothing(db: str, tmp_path: Path) -> None:
    """``edit --set`` with the value ``show`` prints (a title whose braces protect its case,
    two places) is no change: the entry keeps its .bib text, nothing enters the history. It
    dropped the braces and made the places one, and recorded it. A change says what it
    replaces ("a date's month and day are gone" is never silent)."""
    bib = tmp_path / "g.bib"
    bib.write_text(
        "@book{g, author = {Smith, John}, title = {A {TCP Reno} Model},\n"
        "  location = {Durham and London}, date = {2018-06-14}, publisher = {Duke}}\n",
        encoding="utf-8",
    )
    run_ok(db, "import", str(bib))
    before = run_ok(db, "export").stdout
    history = run_ok(db, "history").stdout
    result = run_ok(db, "edit", "g", "--set", "title=A TCP Reno  Model",
                    "--set", "place=Durham and London", "--set", "year=2018-06-14")  # fmt: skip
    assert "no changes" in result.stderr
    assert run_ok(db, "export").stdout == before and run_ok(db, "history").stdout == history
    result = run_ok(db, "edit", "g", "--set", "place=Durham and London", "--set", "year=2019")
    assert "changed: g: date: '2018-06-14' -> '2019' (the date's month or day is gone" in (
        result.stderr
    )
    assert "place" not in result.stderr  # left as it was: still two places
    assert "location  = {Durham and London}" in run_ok(db, "export").stdout


def test_edit_in_the_editor(seeded: str, tmp_path: Path) -> None:
    env = editor(tmp_path, sed("place", "Garden City, NY") + " && " + sed("year", "1968"))
    result = run_ok(seeded, "edit", "serge1967birth", env=env)
    assert result.stderr == "updated serge1967birth: place, year\n"
    record = shown(seeded, "serge1967birth")
    assert (record["place"], record["year"]) == ("Garden City, NY", 1968)
    seen = (tmp_path / "seen.txt").read_text().splitlines()
    for line in [
        "key: serge1967birth",
        "title: Birth of our Power",
        "authors: Serge, Victor",
        "translators: Greeman, Richard",
        "year: 1967",
        "place: New York",
        "orig-title: Naissance de notre force",
        "orig-language: fr",
    ]:
        assert line in seen


def test_edit_in_the_editor_without_a_change(seeded: str, tmp_path: Path) -> None:
    before = snapshot(seeded)
    result = run_ok(seeded, "edit", "serge1967birth", env=editor(tmp_path, 'echo "# hm" >> "$1"'))
    assert result.stderr == "no changes\n"
    assert snapshot(seeded) == before


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ('echo "colour: red" >> "$1"', "unknown field 'colour'"),
        (sed("year", "19x9"), f"serge1967birth: year: {BAD_DATE}"),
        ('echo "garbage" >> "$1"', "line 41: expected 'field: value', got 'garbage'"),
        (sed("translator-status", "lost"),
         "serge1967birth: unknown translator_status 'lost' "
         "(one of named, not-named, none, unknown)"),
    ],
    ids=["unknown-field", "bad-year", "no-colon", "bad-status"],
)  # fmt: skip
def test_edit_in_the_editor_refuses_and_writes_nothing(
    seeded: str, tmp_path: Path, script: str, message: str
) -> None:
    env = editor(tmp_path, sed("place", "Moscow") + " && " + script)
    assert_error(refused(seeded, "edit", "serge1967birth", env=env), message)


def test_a_failed_edit_after_a_rename_writes_nothing(seeded: str) -> None:
    john, jane = two_smiths(seeded)
    result = refused(
        seeded, "edit", "serge1951case", "--set", "key=smith1951case",
        "--set", "translators=J. Smith",
    )  # fmt: skip
    assert_error(
        result,
        f"person name 'J. Smith' is ambiguous: #{john} Smith, John; #{jane} Smith, Jane "
        "(give one as #ID)",
    )
    run_ok(seeded, "edit", "serge1951case", "--set", f"translators=#{john}")
    assert shown(seeded, "serge1951case")["translators"] == ["John Smith"]


def test_edit_keeps_a_contributor_chosen_by_id(seeded: str) -> None:
    catalogue_people(
        seeded,
        PersonRecord("Smith, John"),
        PersonRecord("Smith, Johnny", ["Smith, John"]),
    )
    result = refused(
        seeded, "add", "--title", "Book", "--year", "2001", "--translator", "John Smith"
    )
    john = re.findall(r"#(\d+)", result.stderr)[0]
    key = add(seeded, "--title", "Book", "--year", "2001", "--translator", f"#{john}")
    result = invoke(seeded, "edit", key, "--set", "place=Paris")
    assert result.exit_code == 0, result.output
    record = shown(seeded, key)
    assert (record["place"], record["translators"]) == ("Paris", ["John Smith"])


def test_renaming_a_referenced_key_leaves_no_dangling_reference(db: str) -> None:
    run_ok(db, "import", str(DATA / "translations.bib"))
    run_ok(db, "check", "--check", "dangling-reference")
    invoke(db, "edit", "serge:naissance", "--set", "key=serge1931naissance")
    result = invoke(db, "check", "--check", "dangling-reference")
    assert result.exit_code == 0, result.output


def test_edit_refuses_a_key_that_cannot_be_exported(seeded: str) -> None:
    result = refused(seeded, "edit", "serge1967birth", "--set", "key=has space")
    assert result.exit_code == 1


# ----------------------------------------------------------------------------- remove


def test_remove_an_edition_and_then_its_original(seeded: str) -> None:
    second = add(seeded, *CONQUERED_2011)

    result = run_ok(seeded, "remove", "serge1975conquered", "--yes")
    assert result.stderr == "removed serge1975conquered\n"
    assert_error(
        invoke(seeded, "show", "serge1975conquered"), "no edition with key 'serge1975conquered'"
    )
    original = shown(seeded, second)["original"]
    assert (original["key"], original["place"]) == ("serge1932ville", "Paris")
    assert original["annotation"].startswith("A novel by Serge first published in Paris")

    result = run_ok(seeded, "remove", second, "--yes")
    assert result.stderr == f"removed {second}, serge1932ville\n"
    assert keys(seeded, "--search", "ville conquise") == []
    assert_error(
        invoke(seeded, "merge", "work", "serge1932ville", "serge1931naissance"),
        "no original work with key 'serge1932ville'",
    )
    # People and publishers stay.
    assert translator_counts(seeded)["Greeman, Richard"] == 4
    assert_error(
        invoke(seeded, "remove", "--publisher", "Doubleday", "--yes"),
        "Doubleday is still referenced by serge1967birth, serge1969men, serge1973life",
    )


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("serge1975conquered",), "edition serge1975conquered"),
        (("--person", "Jane Doe"), "person 'Jane Doe'"),
        (("--publisher", "Tiny Press"), "publisher 'Tiny Press'"),
    ],
    ids=["edition", "person", "publisher"],
)
def test_remove_needs_yes_off_a_terminal(seeded: str, args: tuple[str, ...], what: str) -> None:
    add(
        seeded,
        "--title",
        "Lone",
        "--year",
        "2020",
        "--translator",
        "Jane Doe",
        "--publisher",
        "Tiny Press",
    )
    result = refused(seeded, "remove", *args)
    assert_usage_error(result, f"not removing {what} without --yes (no terminal to ask)")
    assert_error(
        invoke(seeded, "remove", "--person", "Jane Doe", "--yes"),
        "Doe, Jane is still referenced by anon2020lone",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nosuch", "--yes"), "no edition with key 'nosuch'"),
        (("--person", "Nobody Here", "--yes"), "no person named 'Nobody Here'"),
        (("--publisher", "Nobody Press", "--yes"), "no publisher named 'Nobody Press'"),
        (
            ("--person", "Richard Greeman", "--yes"),
            f"Greeman, Richard is still referenced by {', '.join(GREEMAN_KEYS)}",
        ),
        (("--publisher", "pluto", "--yes"), "Pluto is still referenced by serge1994serge"),
    ],
    ids=["unknown-key", "unknown-person", "unknown-publisher", "person-used", "publisher-used"],
)
def test_remove_refuses(seeded: str, args: tuple[str, ...], message: str) -> None:
    assert_error(refused(seeded, "remove", *args), message)


def test_remove_wants_exactly_one_thing(seeded: str) -> None:
    message = "give exactly one of KEY, --person or --publisher"
    assert_usage_error(refused(seeded, "remove", "--yes"), message)
    assert_usage_error(
        refused(seeded, "remove", "serge1967birth", "--person", "Greeman", "--yes"), message
    )


def test_remove_a_person_and_a_publisher_once_unreferenced(seeded: str) -> None:
    key = add(
        seeded,
        "--title",
        "Lone",
        "--year",
        "2020",
        "--translator",
        "Jane Doe",
        "--publisher",
        "Tiny Press",
    )
    assert_error(
        refused(seeded, "remove", "--person", "Doe, Jane", "--yes"),
        f"Doe, Jane is still referenced by {key}",
    )
    assert_error(
        refused(seeded, "remove", "--publisher", "TINY press", "--yes"),
        f"Tiny Press is still referenced by {key}",
    )

    assert run_ok(seeded, "remove", key, "--yes").stderr == f"removed {key}\n"
    assert run_ok(seeded, "remove", "--person", "Jane Doe", "--yes").stderr == (
        "removed Doe, Jane\n"
    )
    assert run_ok(seeded, "remove", "--publisher", "tiny press", "--yes").stderr == (
        "removed Tiny Press\n"
    )
    assert_error(
        invoke(seeded, "remove", "--person", "Jane Doe", "--yes"), "no person named 'Jane Doe'"
    )
    assert_error(
        invoke(seeded, "remove", "--publisher", "Tiny Press", "--yes"),
        "no publisher named 'Tiny Press'",
    )


# ----------------------------------------------------------------------------- merge


def test_merge_publishers(seeded: str) -> None:
    key = add(
        seeded,
        "--title",
        "More Papers",
        "--year",
        "2001",
        "--author",
        "Victor Serge",
        "--publisher",
        "Pluto Press",
        "--place",
        "London",
    )
    assert keys(seeded, "--publisher", "Pluto Press") == [key]

    result = run_ok(seeded, "merge", "publisher", "Pluto Press", "Pluto")
    assert result.stderr == "merged 1 into Pluto Press\n"

    both = ["serge1994serge", key]
    assert keys(seeded, "--publisher", "Pluto Press") == both
    assert keys(seeded, "--publisher", "Pluto") == both
    # Each edition keeps the spelling it gave: "Pluto" stays its publisher's name in every
    # export (the biblatex export kept it, RIS and CSL-JSON wrote "Pluto Press")
    assert shown(seeded, "serge1994serge")["publisher"] == "Pluto"
    assert "PB  - Pluto\n" in run_ok(seeded, "export", "--format", "ris").stdout
    # The dropped name is kept: given again, it means the kept publisher.
    again = add(seeded, "--title", "Yet More", "--year", "2002", "--publisher", "PLUTO")
    assert shown(seeded, again)["publisher"] == "Pluto Press"
    assert_error(
        refused(seeded, "remove", "--publisher", "Pluto", "--yes"),
        f"Pluto Press is still referenced by {', '.join(sorted([*both, again]))}",
    )


def test_merge_people(seeded: str) -> None:
    shared = add(seeded, *CONQUERED_2011, "--translator", "Rick Greeman")
    alone = add(
        seeded,
        "--title",
        "Essays",
        "--year",
        "2012",
        "--author",
        "Victor Serge",
        "--translator",
        "Rick Greeman",
    )
    assert shown(seeded, shared)["translators"] == ["Richard Greeman", "Rick Greeman"]
    before = translator_counts(seeded)
    assert (before["Greeman, Richard"], before["Greeman, Rick"]) == (6, 2)

    result = run_ok(seeded, "merge", "person", "Richard Greeman", "Rick Greeman")
    assert result.stderr == "merged 1 into Greeman, Richard\n"

    after = translator_counts(seeded)
    assert "Greeman, Rick" not in after and after["Greeman, Richard"] == 7
    everything = [*GREEMAN_KEYS, shared, alone]
    assert keys(seeded, "--translator", "Rick Greeman") == everything
    assert keys(seeded, "--translator", "Greeman, Rick") == everything
    record = shown(seeded, shared)
    assert record["translators"] == ["Richard Greeman"]  # once, not twice
    translator = [p for p in record["people"] if p["role"] == "translator"]
    assert len(translator) == 1 and translator[0]["variants"] == ["Rick Greeman"]
    assert translator[0]["note"].startswith("Translator of five of Serge's novels")
    # credited as "Rick Greeman", it still is, in every format: one person, its own spelling
    assert shown(seeded, alone)["translators"] == ["Rick Greeman"]
    csl = json.loads(run_ok(seeded, "export", "--format", "csl-json").stdout)
    assert [t["given"] for i in csl if i["id"] == alone for t in i["translator"]] == ["Rick"]


def test_merge_works(seeded: str) -> None:
    key = add(
        seeded,
        "--title",
        "The Conquered City",
        "--year",
        "2013",
        "--author",
        "Victor Serge",
        "--orig-title",
        "Ville Conquise!",
        "--orig-year",
        "1933",
    )
    assert shown(seeded, key)["original"]["key"] == "serge1933ville"
    kept = shown(seeded, "serge1975conquered")["original"]

    result = run_ok(seeded, "merge", "work", "serge1932ville", "serge1933ville")
    assert result.stderr == "merged 1 into serge1932ville\n"

    assert shown(seeded, key)["original"] == kept
    assert keys(seeded, "--search", "ville conquise") == ["serge1975conquered", key]
    assert_error(
        refused(seeded, "merge", "work", "serge1932ville", "serge1933ville"),
        "no original work with key 'serge1933ville'",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("publisher", "Pluto", "pluto"), "'Pluto' and 'pluto' are already one publisher"),
        (
            ("person", "Richard Greeman", "Greeman, Richard"),
            "'Richard Greeman' and 'Greeman, Richard' are already one person",
        ),
        (("work", "serge1932ville", "serge1932ville"), "a work cannot be merged with itself"),
        (("publisher", "Pluto", "Nobody Press"), "no publisher named 'Nobody Press'"),
        (("person", "Greeman", "Nobody Here"), "no person named 'Nobody Here'"),
    ],
    ids=["publisher-itself", "person-itself", "work-itself", "no-publisher", "no-person"],
)
def test_merge_refuses(seeded: str, args: tuple[str, ...], message: str) -> None:
    assert_error(refused(seeded, "merge", *args), message)
