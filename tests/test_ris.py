"""RIS: views -> RIS text -> records, with no database; any value kept as it is; the seeded
catalogue exported and re-imported into an empty one as the same records; malformed files
refused with file, line, key and tag."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import rispy

from biblio.catalogue import IDENTIFIER_COLUMNS, import_records
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.errors import BiblioError
from biblio.export import ris
from biblio.names import Name
from biblio.queries import EditionView, OriginalView
from biblio.records import EditionRecord
from biblio.ris import read_ris, read_ris_file

from .conftest import _fresh_postgres_database
from .factories import catalogue_views
from .test_export import NASTY, view


def original_with(**changes: Any) -> OriginalView:
    """The original of ``view()``, Naissance de notre force, with ``changes`` applied."""
    base = view().original
    assert base is not None
    return dataclasses.replace(base, **changes)


def read_back(views: list[EditionView]) -> list[EditionRecord]:
    """The records our reader makes of the RIS our exporter writes; no problems allowed."""
    entries, problems = read_ris(ris.render(views), "test.ris")
    assert problems == []
    return [entry.record for entry in entries]


def record_of(v: EditionView) -> dict[str, Any]:
    """The facts of a view as a record has them (an import of it would give them), for
    comparing: names as "Given Family", the original's title and subtitle as one title (RIS
    folds them), the annotations as one text (RIS has one abstract)."""
    original = None
    if v.original is not None:
        o = v.original
        original = {
            "title": f"{o.title}: {o.subtitle}" if o.subtitle else o.title,
            "date": o.date,
            "place": o.place,
            "publisher": o.publisher,
            "language": o.language,
            "notes": o.notes,
        }
    return {
        "key": v.key,
        "entry_type": v.entry_type,
        "title": v.title,
        "subtitle": v.subtitle,
        "date": v.date,
        "place": v.place,
        "publisher": v.publisher,
        "language": v.language,
        "series": v.series,
        "journal": v.journal,
        "volume": v.volume,
        "number": v.number,
        "authors": [n.display for n in v.authors],
        "translators": [n.display for n in v.translators],
        "editors": [n.display for n in v.editors],
        "translator_status": v.translator_status,
        "also_published_as": v.also_published_as,
        "form": v.form,
        "section": v.section,
        "annotation": v.annotation,
        "notes": v.notes,
        "original": original,
        **{name: getattr(v, name) for name in IDENTIFIER_COLUMNS},
        "keywords": v.keywords,
        "kept": v.kept,
    }


def facts_of(record: EditionRecord) -> dict[str, Any]:
    """``record_of``'s shape for a record read from RIS."""
    data = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    for role in ("authors", "translators", "editors"):
        data[role] = [n.display if isinstance(n, Name) else n for n in data[role]]
    original = record.original
    data["annotation"] = (
        " ".join(p for p in (original.annotation if original else None, record.annotation) if p)
        or None
    )
    data["original"] = original and {
        "title": original.title if original.subtitle is None else "unexpected subtitle",
        "date": original.date,
        "place": original.place,
        "publisher": original.publisher,
        "language": original.language,
        "notes": original.notes,
    }
    for name in ("extra_fields", "others"):
        assert data.pop(name) == []
    return data


# ----------------------------------------------------------------------------- the tags


def test_book_tags_are_the_ones_zotero_and_endnote_read() -> None:
    book = view(
        subtitle="A Novel",
        date="1967-05",
        editors=[Name("Gennep", "Arnold", prefix="van")],
        translators=[Name("Greeman", "Richard"), Name("King", "Martin Luther", suffix="Jr.")],
        series="Classics",
        number="12",
        volume="2",
        also_published_as=["Destiny"],
        notes="Checked against the copy in Leeds.",
    )
    text = ris.render([book])
    # rispy's own reader, as any RIS reader, sees the tags by their standard meaning.
    (entry,) = rispy.loads(text)
    assert entry == {
        "type_of_reference": "BOOK",
        "id": "serge1967birth",
        "title": "Birth of our Power: A Novel",
        "short_title": "Birth of our Power",  # Zotero's title and short title
        "authors": ["Serge, Victor"],
        "tertiary_authors": ["van Gennep, Arnold"],  # A3: a book's editor
        "subsidiary_authors": ["Greeman, Richard", "King, Martin Luther, Jr."],  # A4
        "secondary_title": "Classics",  # T2: a book's series
        "note": "12",  # M1: its number in the series
        "volume": "2",
        "year": "1967",
        "date": "1967/05//",
        "place_published": "New York",
        "publisher": "Doubleday",
        "language": "en",
        "original_publication": "Naissance de notre force (Paris, 1931)",  # OP
        "keywords": ["novel"],
        "label": "Novels",
        "abstract": "A novel of 1917.",
        "notes": [
            "Translated from the French by Richard Greeman and Martin Luther King, Jr.; "
            "originally published as Naissance de notre force (Paris, 1931).",
            "Also published as Destiny.",
            "Checked against the copy in Leeds.",
        ],
        # M2, read by Zotero into Extra, where it cites CSL variables from
        "unknown_tag": {
            "M2": [
                "original-title: Naissance de notre force",
                "original-date: 1931",
                "original-publisher-place: Paris",
            ]
        },
    }


def test_every_line_is_a_tag_or_an_indented_continuation() -> None:
    text = ris.render([view(notes="one\nER  - \n\nTY  - JOUR"), view(key="second")])
    assert text.endswith("ER  - \n")
    for line in text.splitlines():
        assert line == "" or line.startswith(" ") or line[2:6] == "  - ", line
    assert text.count("\nTY  - ") == 1 and text.startswith("TY  - BOOK\n")  # no "1." headers


def test_an_editor_only_collection_is_an_edbook_whose_authors_are_its_editors() -> None:
    collection = view(
        entry_type="collection",
        authors=[],
        translators=[],
        translator_status="unknown",
        editors=[Name("Weissman", "Susan")],
        original=None,
    )
    (entry,) = rispy.loads(ris.render([collection]))
    assert entry["type_of_reference"] == "EDBOOK"
    assert entry["authors"] == ["Weissman, Susan"]
    assert "tertiary_authors" not in entry
    with_authors = dataclasses.replace(collection, authors=[Name("Serge", "Victor")])
    (entry,) = rispy.loads(ris.render([with_authors]))
    assert entry["type_of_reference"] == "BOOK"
    assert entry["tertiary_authors"] == ["Weissman, Susan"]


def test_a_special_issue_is_a_whole_journal_issue() -> None:
    special = view(
        entry_type="periodical",
        title="The Century of the Unexpected",
        journal="Revolutionary History",
        volume="5",
        number="3",
        series="Special issues",
        translators=[],
        translator_status="unknown",
        editors=[Name("Richardson", "Al")],
    )
    (entry,) = rispy.loads(ris.render([special]))
    assert entry["type_of_reference"] == "JFULL"
    assert (entry["secondary_title"], entry["tertiary_title"]) == (
        "Revolutionary History",
        "Special issues",
    )
    assert (entry["volume"], entry["number"]) == ("5", "3")
    assert entry["secondary_authors"] == ["Richardson, Al"]  # A2: a journal's editor in Zotero
    assert "Edited by Al Richardson." in entry["notes"]  # EndNote's journal has no editor
    assert "unknown_tag" not in entry  # EndNote reads a journal's M2 as its start page


def test_lost_facts_name_what_ris_folds() -> None:
    assert ris.lost_facts(view(original=None, edition_annotation=None)) == {}
    assert ris.lost_facts(view(subtitle="A Novel", also_published_as=["Destiny"])) == {
        "subtitle": "folded",
        "original-title": "folded",
        "original-date": "folded",
        "original-place": "folded",
        "original-language": "folded",
        "alternate-titles": "folded",
        "annotation": "folded",
    }
    unnamed = view(translators=[], translator_status="not-named", original=None)
    assert ris.lost_facts(unnamed) == {"translator-not-named": "folded"}
    issue = view(entry_type="periodical", journal="J", number="3", original=None)
    assert ris.lost_facts(dataclasses.replace(issue, editors=[Name("R", "Al")])) == {
        "editor": "folded"
    }
    in_a_book = view(journal="J", number="3", original=None)
    assert ris.lost_facts(in_a_book) == {"journal-issue": "folded"}
    imported = view(original=None, extra_fields=[("isbn", "{0-85036-471-4}")])
    assert ris.lost_facts(imported) == {}
    imported.extra_fields.append(("related", "{serge:naissance}"))
    assert ris.lost_facts(imported) == {"imported-fields": "dropped"}


def test_imported_fields_with_tags_are_carried_and_read_back() -> None:
    imported = view(
        original=None,
        extra_fields=[
            ("isbn", "{0-85036-471-4}"),
            ("url", "{https://example.org/ideas_of_serge?id=28%2F29}"),
            ("keywords", "{translation, Russia}"),
            ("pagetotal", "{256}"),
        ],
    )
    (entry,) = rispy.loads(ris.render([imported]))
    assert entry["issn"] == "0-85036-471-4"  # SN: an ISBN for a book
    assert entry["urls"] == ["https://example.org/ideas_of_serge?id=28%2F29"]
    assert entry["keywords"] == ["novel", "translation", "Russia"]
    (record,) = read_back([imported])
    assert record.form == "novel"
    assert record.extra_fields == [
        ("isbn", "{0-85036-471-4}"),
        ("url", "{https://example.org/ideas_of_serge?id=28%2F29}"),
        ("keywords", "{translation, Russia}"),
    ]


# ----------------------------------------------------------------------------- round trips

ROUND_TRIPS = {
    "translation": view(),
    "subtitle and dates": view(subtitle="A Novel", date="1967-05-02", year=1967),
    "original in full": view(
        original=OriginalView(
            key="serge1926coulisses",
            title="Les Coulisses d'une Sûreté générale",
            subtitle="Ce que tout révolutionnaire devrait savoir sur la répression",
            year=1926,
            date="1926-03",
            place="Paris",
            publisher="Librairie du Travail",
            language="fr",
            form="non-fiction",
            annotation="On repression.",
            notes="Corrected from the source.",
        ),
        notes="The source gives no place.",
        also_published_as=["Destiny of a Revolution", "Vol. 2."],
    ),
    "collection": view(
        entry_type="collection",
        authors=[],
        translators=[],
        translator_status="unknown",
        editors=[Name("Weissman", "Susan")],
        original=None,
        edition_annotation="A volume on Serge.",
    ),
    "special issue": view(
        entry_type="periodical",
        journal="Revolutionary History",
        volume="5",
        number="3",
        place=None,
        publisher=None,
        translators=[],
        translator_status="unknown",
        editors=[Name("Richardson", "Al")],
        original=None,
    ),
    "article in a journal": view(
        entry_type="article", journal="Critique", number="28/29", original=None
    ),
    "translator not named": view(translators=[], translator_status="not-named", original=None),
    "not a translation": view(
        translators=[],
        translator_status="none",
        language="es",
        original=original_with(language="es"),
    ),
    "several people": view(
        authors=[Name("Serge", "Victor"), Name("Sedova", "Natalia")],
        translators=[Name("Pomerans", "Arnold S."), Name("King", "Martin Luther", suffix="Jr.")],
        editors=[Name("Cotterill", "D. J."), Name("Gennep", "Arnold", "van")],
    ),
    "series": view(series="Classics", number="12", volume="2"),
    "no date": view(date=None, year=None, place=None, publisher=None, language=None),
}


@pytest.mark.parametrize("case", ROUND_TRIPS, ids=list(ROUND_TRIPS))
def test_views_come_back_as_the_same_records(case: str) -> None:
    original = ROUND_TRIPS[case]
    (record,) = read_back([original])
    assert facts_of(record) == record_of(original)


def test_a_journal_articles_original_comes_back_only_as_notes() -> None:
    # No M2 lines for a journal (EndNote reads them as its start page): the original is in
    # the note and OP, as lost_facts says, and comes back as the edition's notes.
    article = view(entry_type="article", journal="Critique")
    assert ris.lost_facts(article)["original-title"] == "folded"
    (record,) = read_back([article])
    assert record.original is None
    assert record.notes == (
        "Translated from the French by Richard Greeman; originally published as "
        "Naissance de notre force (Paris, 1931).\n\n"
        "RIS OP: Naissance de notre force (Paris, 1931)"
    )


ODD = [
    *NASTY,
    "Виктор Серж",
    "魯迅全集 第一卷",
    "Révolution 📚✊ en 🇫🇷",
    "Ortega y Gasset: ¿Qué es filosofía?",
    "first line\nsecond line",
    "one paragraph\n\nanother paragraph",
    "a line\nER  - and more",
    "x\nTY  - JOUR\nAU  - Nobody",
    "tab\there",
    "Translated from the French.",
]


@pytest.mark.parametrize("value", ODD)
def test_any_value_comes_back_as_itself(value: str) -> None:
    odd = view(
        title=value,
        subtitle=value,
        place=value,
        publisher=value,
        series=value,
        volume=value,
        section=value,
        notes=value,
        also_published_as=[value],
        original=original_with(
            title=value,
            subtitle=None,
            place=value,
            publisher=value,
            notes=value,
            annotation=value,
        ),
    )
    (record,) = read_back([odd])
    assert facts_of(record) == record_of(odd)
    plain = dataclasses.replace(odd, subtitle=None, original=None, edition_annotation=value)
    (record,) = read_back([plain])
    assert facts_of(record) == record_of(plain)


@pytest.mark.parametrize("value", [v for v in ODD if "," not in v and " ".join(v.split()) == v])
def test_any_name_comes_back_as_the_same_person(value: str) -> None:
    people = [Name("Serge", value), Name(value, "Victor"), Name(value, value, suffix=value)]
    (record,) = read_back([view(translators=people)])
    read = [n for n in record.translators if isinstance(n, Name)]
    assert [n.display for n in read] == [n.display for n in people]
    assert [n.authority_key for n in read] == [n.authority_key for n in people]


def test_line_breaks_of_every_kind_come_back_as_newlines() -> None:
    (record,) = read_back([view(original=None, notes="a\r\nb\rc\u2028d\x00e")])
    assert record.notes == "a\nb\nc\nde"  # a NUL, which no RIS reader keeps, is left out


# ----------------------------------------------------------------------------- the catalogue


@pytest.fixture
def empty_db(seeded: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second, empty catalogue location on the seeded catalogue's backend."""
    if "://" not in seeded:
        yield str(tmp_path / "reimported.db")
    else:
        yield from _fresh_postgres_database(request.getfixturevalue("postgres_admin_url"))


def test_seeded_catalogue_reimports_to_the_same_records(seeded: str, empty_db: str) -> None:
    before = catalogue_views(seeded)
    text = ris.render(before)
    entries, problems = read_ris(text, "serge.ris")
    assert problems == [] and len(entries) == len(before) > 20
    engine = open_catalogue(resolve(empty_db), create=True)
    try:
        with session_scope(engine) as session:
            report = import_records(session, [], [e.record for e in entries])
        assert report.created == len(before)
        with session_scope(engine) as session:  # importing it again changes nothing
            again = import_records(session, [], [e.record for e in read_ris(text, "x")[0]])
        assert again.unchanged == len(before)
    finally:
        engine.dispose()
    after = catalogue_views(empty_db)
    assert [v.key for v in after] == [v.key for v in before]
    folded_originals = 0
    for old, new in zip(before, after, strict=True):
        expected, got = old.as_record(), new.as_record()
        assert new.as_dict()["annotation"] == old.as_dict()["annotation"]
        if old.original is not None and old.original.subtitle:
            # RIS has one original title: the subtitle comes back as part of it.
            assert ris.lost_facts(old)["original-title"] == "folded"
            title = f"{old.original.title}: {old.original.subtitle}"
            expected["original"].update(title=title, subtitle=None)
            folded_originals += 1
        assert got == expected, old.key
    assert folded_originals == 1
    assert ris.render(after) == text  # and exported again, it is the same file


# ----------------------------------------------------------------------------- malformed input

GOOD = "TY  - BOOK\nID  - good\nTI  - Kept\nER  - \n"


@pytest.mark.parametrize(
    "text, line, key, tag, message",
    [
        ("TI  - No type\nER  - \n", 1, None, "TI", "'TI' line outside any entry"),
        ("TY  - BOOK\nID  - open\nTI  - Unended\n", 1, None, None, "not closed by 'ER  - '"),
        ("TY  - BOOK\nTI  - A\nTY  - BOOK\nTI  - B\nER  - \n", 3, None, None, "'TY' inside"),
        ("TY  - \nID  - k\nTI  - A\nER  - \n", 1, "k", "TY", "no reference type"),
        ("TY  - NOVEL\nID  - k\nTI  - A\nER  - \n", 1, "k", "TY", "unknown reference type"),
        ("TY  - BOOK\nID  - k\nPY  - 1967\nER  - \n", 1, "k", "TI", "no title"),
        ("TY  - BOOK\nID  - k\nTI  - A\nPY  - 19x7\nER  - \n", 4, "k", "PY", "invalid year"),
        ("TY  - BOOK\nID  - k\nTI  - A\nPY  - 1967/13//\nER  - \n", 4, "k", "PY", "invalid"),
        (
            "TY  - BOOK\nID  - k\nTI  - A\nPY  - 1967\nDA  - 1968/01/02/\nER  - \n",
            5,
            "k",
            "DA",
            "is not in the year 1967",
        ),
        ("TY  - BOOK\nID  - k\nTI  - A\nTI  - B\nER  - \n", 4, "k", "TI", "'TI' repeated"),
        ("TY  - BOOK\nID  - a b\nTI  - A\nER  - \n", 1, "a b", None, "invalid key"),
        ("TY  - BOOK\nID  - k\nTI  - A\nAU  - , Victor\nER  - \n", 4, "k", "AU", "no family"),
        (
            "TY  - BOOK\nID  - k\nTI  - A\nM2  - original-title: O\nM2  - original-date: 19\n"
            "ER  - \n",
            5,
            "k",
            "M2",
            "invalid date",
        ),
        (f"{GOOD}\n{GOOD}", 1, "good", "ID", "key 'good' repeated in the file"),
    ],
    ids=[
        "no TY",
        "no ER",
        "TY inside an entry",
        "empty TY",
        "unknown TY",
        "no title",
        "invalid year",
        "invalid month",
        "DA against PY",
        "repeated tag",
        "invalid key",
        "unreadable name",
        "invalid original date",
        "repeated key",
    ],
)
def test_malformed_entries_are_reported_where_they_are(
    text: str, line: int, key: str | None, tag: str | None, message: str
) -> None:
    entries, problems = read_ris(GOOD + "\n" + text, "bad.ris")
    shift = GOOD.count("\n") + 1
    assert problems, text
    first = problems[0]
    assert (first.file, first.line, first.key, first.field) == ("bad.ris", line + shift, key, tag)
    assert message in first.message
    assert [e.record.key for e in entries] == ["good"]  # the bad entry is left out


def test_a_problem_reads_like_a_bib_problem() -> None:
    _, (problem,) = read_ris("TY  - BOOK\nID  - k\nTI  - A\nPY  - 19x7\nER  - \n", "x.ris")
    assert str(problem) == "x.ris:4: entry 'k', field 'PY': invalid year '19x7'"


def test_text_outside_entries_is_a_comment() -> None:
    text = "Provider: a catalogue\r\nContent: text/plain\r\n\r\n" + GOOD.replace("\n", "\r\n")
    entries, problems = read_ris("\ufeff" + text, "x.ris")
    assert problems == [] and [e.record.title for e in entries] == ["Kept"]


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "no such file"),
        ("dir", "is a directory"),
        (b"TY  - BOOK\x00\x01", "binary file"),
        (b"TY  - BOOK\nTI  - Caf\xe9\nER  - \n", ":2: not UTF-8 text (byte 0xe9)"),
    ],
    ids=["missing", "directory", "binary", "not UTF-8"],
)
def test_unreadable_files_are_refused(
    tmp_path: Path, content: bytes | str | None, message: str
) -> None:
    path = tmp_path / "library.ris"
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(BiblioError, match=re.escape(message)):
        read_ris_file(str(path))


def test_a_utf8_file_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "library.ris"
    path.write_text("\ufeff" + ris.render([view(title="Виктор Серж")]), encoding="utf-8")
    entries, problems = read_ris_file(str(path))
    assert problems == [] and entries[0].record.title == "Виктор Серж"
    assert (entries[0].file, entries[0].line) == (str(path), 1)


# ----------------------------------------------------------------------------- other programs' RIS

ZOTERO_STYLE = """\
TY  - EDBOOK
TI  - The Ideas of Victor Serge: A Life as a Work of Art
ST  - The Ideas of Victor Serge
AU  - Weissman, Susan
A2  - Bornstein, Sam
A4  - Birchall, Ian
T2  - Critique
M1  - 28/29
PY  - 1997
DA  - Spring
CY  - London
PB  - Merlin Press
LA  - en-GB
SN  - 0-85036-471-4
UR  - https://example.org/one
UR  - https://example.org/two
DO  - 10.1000/xyz{1}
ET  - 2nd
KW  - collection
KW  - Russia
AB  - An abstract that a program
 wrapped over two lines.
N1  - <p>A Zotero note.</p>
ER  -

TY  - BOOK
T1  - Naissance de notre force
AU  - Serge, Victor
ED  - de la Fuente, Ana
A3  - Gennep, Arnold
PY  - 1931///
LA  - Martian
ER  -
"""


def test_a_file_from_another_program_keeps_everything() -> None:
    entries, problems = read_ris(ZOTERO_STYLE, "zotero.ris")
    assert problems == []
    ideas, birth = (e.record for e in entries)
    assert (ideas.entry_type, ideas.title, ideas.subtitle) == (
        "collection",
        "The Ideas of Victor Serge",
        "A Life as a Work of Art",
    )
    assert [n.display for n in ideas.editors] == ["Susan Weissman"]  # type: ignore[union-attr]
    assert [n.display for n in ideas.translators] == ["Ian Birchall"]  # type: ignore[union-attr]
    assert (ideas.series, ideas.number, ideas.date, ideas.language) == (
        "Critique",
        "28/29",
        "1997",
        "en",
    )
    assert (ideas.form, ideas.translator_status) == ("collection", "named")
    assert ideas.annotation == "An abstract that a program\nwrapped over two lines."
    assert ideas.extra_fields == [
        ("isbn", "{0-85036-471-4}"),
        ("doi", "{10.1000/xyz{1}}"),
        ("edition", "{2nd}"),
        ("keywords", "{Russia}"),
    ]
    # What has no column is kept in the notes: the series editor, a date that is no date,
    # a second URL.
    assert ideas.notes == (
        "<p>A Zotero note.</p>\n\nRIS A2: Bornstein, Sam\n\nRIS DA: Spring\n\n"
        "RIS UR: https://example.org/one\n\nRIS UR: https://example.org/two"
    )
    assert (birth.title, birth.date, birth.language) == ("Naissance de notre force", "1931", None)
    assert [(n.prefix, n.family) for n in birth.editors] == [  # type: ignore[union-attr]
        ("de la", "Fuente"),
        (None, "Gennep"),
    ]
    assert birth.notes == "RIS LA: Martian"
