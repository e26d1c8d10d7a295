"""Wikidata: QIDs, VIAF and ISNI ids on the catalogue's records, and the QuickStatements export.

The seed's export is read line by line by a small validating parser of QuickStatements V1
(below), read back into items, and every edition's work (P629), translators (P655) and
language (P407) are checked against the catalogue as the library reads it."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import pytest
from sqlalchemy import select

from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.export import export
from biblio.export.quickstatements import EDITION, LANGUAGE_ITEMS, WRITTEN_WORK, time_value
from biblio.models import Person, Work
from biblio.queries import Authority, EditionView, Filters, list_editions

from .conftest import invoke, need
from .factories import view

# ----------------------------------------------------------------------------- the syntax

_ITEM = r"Q[1-9][0-9]*"
_STRING = r'"[^\t\n]*"'  # QuickStatements has no escapes: the field ends at the tab
_LANGUAGE = r"[a-z]{2,3}(?:-[a-z0-9]+)*"
_TIME = r"[+-]\d{4,16}-(?P<month>\d\d)-(?P<day>\d\d)T00:00:00Z/(?P<precision>9|10|11)"
_VALUE = re.compile(
    rf"^(?:(?P<item>{_ITEM})|(?P<string>{_STRING})|(?P<mono>{_LANGUAGE}:{_STRING})"
    rf"|(?P<time>{_TIME})|(?P<special>somevalue|novalue))$"
)
_TERM = re.compile(rf"^[LDA]{_LANGUAGE}$")
_PROPERTY = re.compile(r"^P[1-9][0-9]*$")


@dataclass
class Statement:
    subject: str  # "LAST" or a QID
    property: str  # "P655", or a term: "Len", "Dfr", "Aen"
    value: str
    qualifiers: list[tuple[str, str]] = field(default_factory=list)


def parse_value(text: str, where: str) -> str:
    """A value as written, after checking it is one of V1's kinds of value."""
    match = _VALUE.match(text)
    assert match is not None, f"{where}: not a value: {text!r}"
    if match.group("time"):
        month, day, precision = match.group("month", "day", "precision")
        assert 0 <= int(month) <= 12 and 0 <= int(day) <= 31, where
        # A year's precision has no month or day; a month's, no day.
        assert (month == "00") == (precision == "9"), f"{where}: {text}"
        assert (day == "00") == (precision in ("9", "10")), f"{where}: {text}"
    return text


def parse(text: str) -> list[Statement | None]:
    """Every line of ``text`` as QuickStatements V1: ``CREATE`` (None here), or a subject
    (``LAST``, after a CREATE, or a QID), a property or term and a value, then qualifier
    pairs, all separated by single tabs."""
    assert text.endswith("\n") and "\r" not in text
    commands: list[Statement | None] = []
    created = False
    for number, line in enumerate(text[:-1].split("\n"), 1):
        where = f"line {number}"
        if line == "CREATE":
            commands.append(None)
            created = True
            continue
        fields = line.split("\t")
        assert len(fields) >= 3 and len(fields) % 2 == 1, f"{where}: {line!r}"
        subject, prop, value, *rest = fields
        assert subject == "LAST" and created or re.match(rf"^{_ITEM}$", subject), where
        if _TERM.match(prop):
            assert not rest and re.match(rf"^{_STRING}$", value), f"{where}: {line!r}"
            commands.append(Statement(subject, prop, value))
            continue
        assert _PROPERTY.match(prop), f"{where}: not a property: {prop!r}"
        qualifiers = []
        for index in range(0, len(rest), 2):
            assert _PROPERTY.match(rest[index]), f"{where}: qualifier {rest[index]!r}"
            qualifiers.append((rest[index], parse_value(rest[index + 1], where)))
        commands.append(Statement(subject, prop, parse_value(value, where), qualifiers))
    return commands


@dataclass
class Item:
    """An item the commands create: its terms and statements, in order."""

    terms: dict[str, list[str]] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)

    def values(self, prop: str) -> list[str]:
        return [s.value for s in self.statements if s.property == prop]

    def claims(self, prop: str) -> list[tuple[str, list[tuple[str, str]]]]:
        return [(s.value, s.qualifiers) for s in self.statements if s.property == prop]

    @property
    def is_work(self) -> bool:
        return self.values("P31") == [WRITTEN_WORK]


def items(text: str) -> list[Item]:
    """The items the commands create, each with what LAST gave it."""
    found: list[Item] = []
    for command in parse(text):
        if command is None:
            found.append(Item())
        elif command.property[0] in "LDA":
            found[-1].terms.setdefault(command.property, []).append(command.value[1:-1])
        else:
            assert command.subject == "LAST", "the export never edits an existing item"
            found[-1].statements.append(command)
    return found


def test_the_parser_refuses_what_quickstatements_cannot_read() -> None:
    for bad in (
        "LAST\tP31\tQ5\n",  # LAST before any CREATE
        "CREATE\nLAST P31 Q5\n",  # spaces, not tabs
        "CREATE\nLAST\tP31\tQ05\n",
        "CREATE\nLAST\tP577\t1931\n",
        "CREATE\nLAST\tP577\t+1931-05-00T00:00:00Z/9\n",  # a month at a year's precision
        "CREATE\nLAST\tP1476\tNaissance\n",  # an unquoted string
        "CREATE\nLAST\tLen\tBirth\n",
        "CREATE\nLAST\tP655\tsomevalue\tP1932\n",  # a qualifier without its value
    ):
        with pytest.raises(AssertionError):
            parse(bad)
    assert parse('CREATE\nLAST\tP1476\ten:"Birth of our Power"\n')[1] == Statement(
        "LAST", "P1476", 'en:"Birth of our Power"'
    )


# ----------------------------------------------------------------------------- pure conversions


def test_dates_in_quickstatements_time_syntax() -> None:
    assert time_value("1931", 1931) == "+1931-00-00T00:00:00Z/9"
    assert time_value("1931-05", 1931) == "+1931-05-00T00:00:00Z/10"
    assert time_value("1931-05-02", 1931) == "+1931-05-02T00:00:00Z/11"
    assert time_value("-0044", -44) == "-0044-00-00T00:00:00Z/9"
    assert time_value("1999-uu", 1999) == "+1999-00-00T00:00:00Z/9"  # by its sortable year
    assert time_value(None, None) is None


def test_the_language_table_names_iso_639_codes_and_items() -> None:
    for code, item in LANGUAGE_ITEMS.items():
        assert pycountry.languages.get(alpha_2=code) is not None, code
        assert re.match(r"^Q[1-9][0-9]*$", item)
    assert len(set(LANGUAGE_ITEMS.values())) == len(LANGUAGE_ITEMS)
    assert (LANGUAGE_ITEMS["en"], LANGUAGE_ITEMS["fr"], LANGUAGE_ITEMS["es"]) == (
        "Q1860", "Q150", "Q1321",
    )  # fmt: skip


def test_birth_of_our_power_once_its_work_has_a_qid() -> None:
    birth = view(isbn="9780385013314", also_published_as=["Birth of Our Power"])
    birth.original.qid = "Q4115189"  # type: ignore[union-attr]
    result = export([birth], "quickstatements")
    (edition,) = items(result.text)
    assert edition.terms == {
        "Len": ["Birth of our Power"],
        "Den": ["English translation of Naissance de notre force (Doubleday, 1967)"],
        "Aen": ["Birth of Our Power"],
    }
    assert edition.values("P31") == [EDITION]
    assert edition.values("P629") == ["Q4115189"]
    assert edition.values("P1476") == ['en:"Birth of our Power"']
    assert edition.claims("P655") == [("somevalue", [("P1932", '"Richard Greeman"')])]
    assert edition.values("P407") == ["Q1860"]
    assert edition.claims("P123") == [("somevalue", [("P1932", '"Doubleday"')])]
    assert edition.values("P577") == ["+1967-00-00T00:00:00Z/9"]
    assert edition.values("P212") == ['"978-0-385-01331-4"']
    assert "P291" not in {s.property for s in edition.statements}
    assert result.dropped["place"] == 1 and result.folded["translator"] == 1


def test_an_isbn_10_is_p957_and_known_people_are_linked() -> None:
    birth = view(
        isbn="0385013310",
        publisher_qid="Q13406268",
        authorities={"translators": [Authority(qid="Q15397819")]},
    )
    birth.original.qid = "Q4115189"  # type: ignore[union-attr]
    result = export([birth], "quickstatements")
    (edition,) = items(result.text)
    assert edition.values("P957") == ['"0-385-01331-0"'] and not edition.values("P212")
    assert edition.claims("P655") == [("Q15397819", [])]
    assert edition.claims("P123") == [("Q13406268", [])]
    assert "translator" not in result.folded and "publisher" not in result.folded


def test_a_new_work_is_created_and_its_edition_waits_for_its_qid() -> None:
    result = export([view()], "quickstatements")
    (work,) = items(result.text)
    assert work.is_work
    assert work.terms["Lfr"] == ["Naissance de notre force"]
    assert work.values("P1476") == ['fr:"Naissance de notre force"']
    assert work.values("P2093") == ['"Victor Serge"'] and not work.values("P50")
    assert work.values("P407") == ["Q150"]
    assert work.values("P577") == ["+1931-00-00T00:00:00Z/9"]
    assert result.dropped["awaiting-work-qid"] == 1 and result.folded["author"] == 1
    assert result.loss_summary() == (
        "1 of 1 entries; folded: author (1); dropped: awaiting-work-qid (1), original-place (1)"
    )


# ----------------------------------------------------------------------------- the seed


def _catalogue(db: str) -> list[EditionView]:
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine) as session:
            return list_editions(session, Filters())
    finally:
        engine.dispose()


def _give_qids(db: str) -> dict[str, str]:
    """A QID for every work (one edition of each edited, as a librarian would), and for
    Victor Serge and Richard Greeman; the works' QIDs by work key."""
    given: dict[str, str] = {}
    for index, edition in enumerate(_catalogue(db)):
        work = edition.original
        if work is None or work.key in given:
            continue
        given[work.key] = f"Q{900000 + index}"
        result = invoke(db, "edit", edition.key, "--set", f"work-qid={given[work.key]}",
                        "--all-editions")  # fmt: skip
        assert result.exit_code == 0, result.output
    for name, qid in (("Victor Serge", "Q800001"), ("Richard Greeman", "Q800002")):
        result = invoke(db, "people", "set", name, "--qid", qid)
        assert result.exit_code == 0, result.output
    return given


def _expected_people(edition: EditionView, role: str) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (authority.qid, []) if authority.qid else ("somevalue", [("P1932", f'"{name.display}"')])
        for name, authority in (
            (name, edition.authority(role, i)) for i, name in enumerate(getattr(edition, role))
        )
    ]


def test_the_seeds_export_in_two_passes_checked_against_the_catalogue(seeded: str) -> None:
    first = invoke(seeded, "export", "--format", "quickstatements")
    assert first.exit_code == 0, first.output
    created = items(first.stdout)
    catalogue = _catalogue(seeded)
    works = {e.original.key: e.original for e in catalogue if e.original is not None}
    # Every work once, as a written work; only the editions with no original come along.
    assert sorted(i.values("P1476")[0] for i in created if i.is_work) == sorted(
        f'{w.language}:"{w.title}"' for w in works.values()
    )
    alone = [e for e in catalogue if e.original is None]
    assert len([i for i in created if not i.is_work]) == len(alone)
    assert "awaiting-work-qid (" in first.stderr

    qids = _give_qids(seeded)
    second = invoke(seeded, "export", "--format", "quickstatements")
    assert second.exit_code == 0, second.output
    editions = items(second.stdout)
    assert not any(item.is_work for item in editions)  # a work with a QID is not created
    catalogue = _catalogue(seeded)  # read again, through the library
    assert len(editions) == len(catalogue)
    for item, edition in zip(editions, catalogue, strict=True):
        where = edition.key
        assert item.values("P31") == [EDITION], where
        assert item.values("P1476") == [f'{edition.language}:"{edition.title}"'], where
        expected_work = [qids[edition.original.key]] if edition.original else []
        assert item.values("P629") == expected_work, where
        translators = _expected_people(edition, "translators")
        if edition.translator_status == "not-named":
            translators.append(("somevalue", []))
        assert item.claims("P655") == translators, where
        assert item.values("P407") == [LANGUAGE_ITEMS[edition.language or ""]], where
    greeman = [i for i in editions if ("Q800002", []) in i.claims("P655")]
    assert len(greeman) == 5  # his five translations, linked by his QID


def test_qids_appear_instead_of_create(seeded_sqlite: str) -> None:
    db = seeded_sqlite
    for args in (
        ("people", "set", "Victor Serge", "--qid", "Q800001"),
        ("publishers", "set", "Doubleday", "--qid", "https://www.wikidata.org/wiki/Q800003"),
        ("edit", "serge1967birth", "--set", "work-qid=Q800004", "--all-editions"),
        ("edit", "serge1967birth", "--set", "qid=Q800005"),
        ("edit", "serge1969men", "--set", "work-qid=Q800006", "--all-editions"),
    ):
        result = invoke(db, *args)
        assert result.exit_code == 0, result.output
    text = invoke(db, "export", "--format", "quickstatements").stdout
    created = items(text)
    works = [i for i in created if i.is_work]
    assert all(w.values("P50") == ["Q800001"] for w in works if w.values("P50"))
    assert '"Victor Serge"' not in {v for w in works for v in w.values("P2093")}
    assert all(i.values("P1476") != ['fr:"Naissance de notre force"'] for i in works)
    assert not any(i.terms.get("Len") == ["Birth of our Power"] and "(Doubleday, 1967)"
                   in i.terms["Den"][0] for i in created)  # fmt: skip
    shown = invoke(db, "show", "serge1967birth", "--format", "json").stdout
    assert '"qid": "Q800005"' in shown and '"qid": "Q800004"' in shown
    # Men in Prison: its work is linked, its publisher too; Birth of our Power is on
    # Wikidata already (its QID), and not created again.
    (men,) = [i for i in created if i.values("P629") == ["Q800006"]]
    assert men.claims("P123") == [("Q800003", [])]
    assert not [i for i in created if i.values("P629") == ["Q800004"]]


# ----------------------------------------------------------------------------- identifiers


def test_identifiers_are_checked_recorded_and_undone(db: str) -> None:
    assert invoke(db, "seed").exit_code == 0
    isni = "0000 0001 2103 2683"
    result = invoke(db, "people", "set", "R. Greeman", "--qid", "q800002",
                    "--viaf", "https://viaf.org/viaf/12345/", "--isni", isni)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        result.stderr == "set Greeman, Richard: qid Q800002, viaf 12345, isni 0000 0001 2103 2683\n"
    )
    shown = invoke(db, "people", "show", "Greeman", "--format", "json").stdout
    assert '"qid": "Q800002"' in shown and '"isni": "0000 0001 2103 2683"' in shown
    for args, message in (
        (("--qid", "Q0"), "invalid Wikidata QID 'Q0' (expected Q and digits: Q42)"),
        (("--viaf", "12a"), "invalid VIAF id '12a' (expected digits: 66480498)"),
        (("--isni", "0000 0001 2103 2684"), "invalid ISNI '0000 0001 2103 2684': "),
        (("--qid", "Q800002"),
         "Q800002 is already the qid of person 'Greeman, Richard': use 'biblio merge person'"),
    ):  # fmt: skip
        result = invoke(db, "people", "set", "Victor Serge", *args)
        assert result.exit_code == 1 and message in result.output, result.output
    result = invoke(db, "publishers", "set", "Doubleday", "--viaf", "1")
    assert result.exit_code == 2 and "No such option '--viaf'" in result.output
    result = invoke(db, "edit", "serge1967birth", "--set", "work-qid=W12")
    assert result.exit_code == 1
    assert "serge1967birth: work-qid: invalid Wikidata QID 'W12'" in result.output

    history = invoke(db, "history", "--person", "Greeman").stdout
    assert "qid: None → 'Q800002'" in history
    change = int(re.search(r"#(\d+)", history).group(1))  # type: ignore[union-attr]
    assert invoke(db, "undo", str(change)).exit_code == 0
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine) as session:
            greeman = session.scalar(select(Person).where(Person.family == "Greeman"))
            assert greeman is not None and (greeman.qid, greeman.isni) == (None, None)
    finally:
        engine.dispose()


def test_a_merge_keeps_the_identifiers_of_both(seeded_sqlite: str) -> None:
    db = seeded_sqlite
    assert invoke(db, "add", "--title", "Year One", "--year", "1992", "--author", "Victor Serge",
                  "--translator", "Peter Sedgwick").exit_code == 0  # fmt: skip
    assert invoke(db, "add", "--title", "Year Two", "--year", "1993", "--author", "Victor Serge",
                  "--translator", "P. Sedgwick Jr").exit_code == 0  # fmt: skip
    assert invoke(db, "people", "set", "P. Sedgwick Jr", "--qid", "Q800009").exit_code == 0
    result = invoke(db, "merge", "person", "Peter Sedgwick", "P. Sedgwick Jr")
    assert result.exit_code == 0, result.output
    shown = invoke(db, "people", "show", "Peter Sedgwick", "--format", "json").stdout
    assert '"qid": "Q800009"' in shown


def test_a_work_qid_is_one_works(seeded_sqlite: str) -> None:
    db = seeded_sqlite
    ok = invoke(db, "edit", "serge1967birth", "--set", "work-qid=Q800004", "--all-editions")
    assert ok.exit_code == 0, ok.output
    clash = invoke(db, "edit", "serge1951case", "--set", "work-qid=Q800004", "--all-editions")
    assert clash.exit_code == 1
    assert "Q800004 is already the QID of work serge1931naissance" in clash.output
    engine = open_catalogue(resolve(db))
    try:
        with session_scope(engine) as session:
            assert session.scalar(select(Work.key).where(Work.qid == "Q800004")) == (
                "serge1931naissance"
            )
    finally:
        engine.dispose()


# ----------------------------------------------------------------------------- MARC


def test_marc_headings_carry_the_identifiers_as_uris(seeded_sqlite: str, tmp_path: Path) -> None:
    from pymarc import MARCReader

    db = seeded_sqlite
    for args in (
        ("people", "set", "Victor Serge", "--qid", "Q800001", "--viaf", "12345"),
        ("people", "set", "Greeman", "--isni", "0000 0001 2103 2683"),
    ):
        assert invoke(db, *args).exit_code == 0
    found = invoke(db, "export", "--format", "marc", "--original", "Naissance de notre force")
    (record,) = list(MARCReader(found.stdout_bytes, to_unicode=True, force_utf8=True))
    assert record is not None
    author, translator = record["100"], record["700"]
    assert author.get_subfields("0") == ["http://viaf.org/viaf/12345"]
    assert author.get_subfields("1") == ["http://www.wikidata.org/entity/Q800001"]
    assert translator.get_subfields("1") == ["https://isni.org/isni/0000000121032683"]
    assert translator.get_subfields("0") == []
    marclint = need("marclint", "libmarc-lint-perl")
    (tmp_path / "serge.mrc").write_bytes(found.stdout_bytes)
    linted = subprocess.run([marclint, str(tmp_path / "serge.mrc")], capture_output=True, text=True)
    assert " 1     0 " in linted.stdout, linted.stdout  # one record, no error
    found = invoke(db, "export", "--format", "marc-authority", "--translator", "Greeman")
    people = list(MARCReader(found.stdout_bytes, to_unicode=True, force_utf8=True))
    coded = {
        p["100"]["a"]: [(f["a"], f["2"]) for f in p.get_fields("024")]  # type: ignore[index]
        for p in people
    }
    assert coded == {
        "Greeman, Richard": [("0000000121032683", "isni")],
        "Serge, Victor": [("Q800001", "wikidata"), ("12345", "viaf")],
    }
