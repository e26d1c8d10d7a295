"""RIS: views -> RIS text -> records, with no database; any value kept as it is; the seeded
catalogue exported and re-imported into an empty one as the same records; malformed files
refused with file, line, key and tag."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy

from biblio.bibtex import read_bib
from biblio.catalogue import import_records
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.errors import BiblioError
from biblio.export import export_text, ris
from biblio.matching import IDENTIFIER_COLUMNS
from biblio.names import Name
from biblio.queries import EditionView, OriginalView, record_view
from biblio.records import EditionRecord, year_of
from biblio.ris import read_ris, read_ris_file

from .conftest import _fresh_postgres_database, invoke
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


def as_view(record: EditionRecord) -> EditionView:
    """The view the catalogue gives of an imported record (its key, if it had none, made)."""
    from biblio.ris import _view

    return dataclasses.replace(_view(record), key=record.key or "made1967", kept=record.kept)


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
        "qid": v.qid,  # RIS has no place for it: these views have none
    }


def facts_of(record: EditionRecord) -> dict[str, Any]:
    """``record_of``'s shape for a record read from RIS."""
    data = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    del data["kept"]  # how a value is written back, not what it is
    assert data.pop("inherited", []) == []  # RIS has no crossref: a record inherits nothing
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
        "type_of_work": "novel",  # M3: the form, EndNote's "Type of Work"; no keyword
        "label": "Novels",
        "notes": [
            "Translated from the French by Richard Greeman and Martin Luther King, Jr.; "
            "originally published as Naissance de notre force (Paris, 1931).",
            "Also published as Destiny.",
            "Annotation: A novel of 1917.",  # AB is the abstract, a column of its own
        ],
        "research_notes": "Checked against the copy in Leeds.",  # RN: the catalogue's notes
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


def test_the_imported_columns_have_their_tags_and_come_back() -> None:
    imported = view(
        original=None,
        pages="193\u2013194",  # the catalogue's text of a range (a .bib "193--194")
        doi="10.1000/xyz{1}",
        isbn="085036471X",
        issn="1234-5679",
        url="https://example.org/ideas_of_serge?id=28%2F29",
        abstract="An abstract\nover two lines.",
        keywords=["translation", "Russia, history"],
        edition_statement="2nd",
        note="A note from elsewhere.",
    )
    (entry,) = rispy.loads(ris.render([imported]))
    assert (entry["start_page"], entry["end_page"]) == ("193", "194")
    assert entry["doi"] == "10.1000/xyz{1}"
    assert entry["issn"] == "085036471X"  # rispy keeps the first SN; both are written
    assert ris.render([imported]).count("\nSN  - ") == 2
    assert entry["urls"] == ["https://example.org/ideas_of_serge?id=28%2F29"]
    assert entry["keywords"] == ["translation", "Russia, history"]  # one a line
    assert entry["type_of_work"] == "novel"  # the form: M3, not a keyword
    assert entry["abstract"] == "An abstract over two lines."  # rispy joins the lines
    assert entry["edition"] == "2nd"
    assert entry["notes"] == [
        "Translated by Richard Greeman.",
        "A note from elsewhere.",
    ]
    (record,) = read_back([imported])
    assert record.form == "novel"
    for name in ("pages", *IDENTIFIER_COLUMNS[1:], "keywords"):
        assert getattr(record, name) == getattr(imported, name), name
    assert record.kept == {}
    for pages in ("12-34", "e0815", "xii"):  # SP alone, as it came
        (entry,) = rispy.loads(ris.render([dataclasses.replace(imported, pages=pages)]))
        assert entry["start_page"] == pages and "end_page" not in entry


def test_a_keyword_stays_a_keyword_and_the_form_is_the_type_of_work() -> None:
    """A keyword is a keyword, whatever it says: "novel" sets no form. The form is the type of
    work, M3 (the RIS specification's and EndNote's "Type of Work", rispy's type_of_work),
    written and read back there; an M3 that names no form (Scopus's "Article") is kept."""
    text = "TY  - BOOK\nID  - k\nTI  - A Novel Approach\nKW  - novel\nKW  - poetry\nER  - \n"
    (entry,), problems = read_ris(text, "x.ris")
    assert problems == []
    assert (entry.record.keywords, entry.record.form) == (["novel", "poetry"], None)
    assert entry.record.kept == {} and ris.render([as_view(entry.record)]) == text

    own = view(original=None, keywords=["novel", "Russia"])  # a novel, with a keyword "novel"
    written = ris.render([own])
    assert "M3  - novel\nKW  - novel\nKW  - Russia\n" in written
    (record,) = read_back([own])
    assert (record.form, record.keywords, record.kept) == ("novel", ["novel", "Russia"], {})

    for kind, form in (("Novel", "novel"), ("Article", None)):
        text = f"TY  - BOOK\nID  - k\nTI  - A\nM3  - {kind}\nER  - \n"
        (entry,), problems = read_ris(text, "x.ris")
        assert problems == [] and (entry.record.form, entry.record.keywords) == (form, [])
        assert ris.render([as_view(entry.record)]) == text  # as it came


@pytest.mark.parametrize(
    "date, year, imported, tags",
    [
        ("1931", 1931, None, ["PY  - 1931"]),
        ("1967-05-02", 1967, None, ["PY  - 1967", "DA  - 1967/05/02/"]),
        ("0033", 33, None, ["PY  - 0033"]),
        ("20000", 20000, None, ["PY  - 20000"]),  # as given: never cut short
        ("-44", -44, None, ["PY  - -44"]),
        ("20000-05", 20000, None, ["PY  - 20000", "DA  - 20000-05"]),  # no YYYY: as written
        # A biblatex date the catalogue's date holds the year of, kept as the .bib gave it.
        ("1999", 1999, "{1999-uu}", ["PY  - 1999", "DA  - 1999-uu"]),
        ("1723", 1723, "{1723?~}", ["PY  - 1723", "DA  - 1723?~"]),
        ("2004", 2004, "{../2004-01-01}", ["PY  - 2004", "DA  - ../2004-01-01"]),
        ("2016", 2016, "{2016-07-18T20:26:06}", ["PY  - 2016", "DA  - 2016/07/18/20:26:06"]),
        ("1988", 1988, "{1988-03/1992-07}", ["PY  - 1988", "DA  - 1988-03/1992-07"]),
        ("-44", -44, "{-0044-03-15}", ["PY  - -0044", "DA  - -0044-03-15"]),
        (None, None, "{19uu}", ["DA  - 19uu"]),
        (None, None, None, []),
    ],
)
def test_a_date_is_written_as_far_as_ris_holds_it_and_as_given(
    date: str | None, year: int | None, imported: str | None, tags: list[str]
) -> None:
    dated = view(
        date=date, year=year, original=None, extra_fields=[("date", imported)] if imported else []
    )
    text = ris.render([dated])
    assert [line for line in text.splitlines() if line[:2] in ("PY", "DA", "Y1")] == tags
    (entry,), problems = read_ris(text, "x.ris")
    assert not any(p.is_error for p in problems)
    if year is not None:  # read back whole, -44 and 20000 as 0033: no year is left unread
        assert year_of(entry.record.date) == year
        assert "PY" not in [tag for tag, _ in entry.record.kept.get("ris", [])]
    assert ris.render([as_view(entry.record)]) == text  # what is not read is kept as written


def test_an_odd_year_from_a_bib_file_is_exported(sqlite_db: str, tmp_path: Path) -> None:
    from tests.conftest import invoke

    path = tmp_path / "years.bib"
    path.write_text(
        "@book{big, title={Big}, year={20000}}\n@book{neg, title={Neg}, year = {-44}}\n"
        "@book{range, title={Range}, date={1988-03/1992-07}}\n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    result = invoke(sqlite_db, "export", "--format", "ris")
    assert result.exit_code == 0, result.output
    assert "ID  - big\nTI  - Big\nPY  - 20000\nER  - " in result.stdout
    assert "ID  - neg\nTI  - Neg\nPY  - -44\nER  - " in result.stdout
    assert "PY  - 1988\nDA  - 1988-03/1992-07\n" in result.stdout
    # Imported again, the years are the catalogue's, whole, and written the same.
    path = tmp_path / "years.ris"
    path.write_text(result.stdout, encoding="utf-8")
    second = str(tmp_path / "second.db")
    assert invoke(second, "import", str(path)).exit_code == 0
    for key, year in (("big", "20000"), ("neg", "-44"), ("range", "1988")):
        assert re.search(rf"^year +{year}$", invoke(second, "show", key).stdout, re.M), key
    assert invoke(second, "export", "--format", "ris").stdout == result.stdout


CHAPTER = """\
TY  - CHAP
ID  - serge1980chapter
TI  - The Writer's Conscience
AU  - Serge, Victor
A2  - Weissman, Susan
T2  - The Ideas of Victor Serge
T3  - Critique Books
M1  - 28
PY  - 1997
CY  - London
PB  - Merlin Press
"""
CHAPTER += "ER  - \n"  # the line as RIS writers end an entry, with its space


def test_a_chapters_book_title_is_t2_and_its_series_t3() -> None:
    (entry,), problems = read_ris(CHAPTER, "chapter.ris")
    record = entry.record
    assert problems == []
    assert (record.entry_type, record.series, record.number) == (
        "incollection",
        "Critique Books",
        "28",
    )
    # The book's title where the .bib reader keeps a booktitle: biblatex writes it back.
    assert record.extra_fields == [("booktitle", "{The Ideas of Victor Serge}")]
    assert record.kept == {}  # every tag given back by the columns
    assert ris.render([as_view(record)]) == CHAPTER
    biblatex = export_text([as_view(record)], "biblatex")
    assert re.search(r"booktitle\s*=\s*\{The Ideas of Victor Serge\}", biblatex)
    assert re.search(r"series\s*=\s*\{Critique Books\}", biblatex)
    # A book's T2 is still its series, as Zotero reads it.
    as_book = CHAPTER.replace("CHAP", "BOOK").replace("T3  - Critique Books\n", "")
    (book,), _ = read_ris(as_book, "book.ris")
    assert book.record.series == "The Ideas of Victor Serge" and book.record.extra_fields == []


def test_a_book_title_from_bib_or_csl_is_a_chapters_t2() -> None:
    from biblio.csl import read_csl

    chapter = view(
        entry_type="incollection",
        original=None,
        series="Critique Books",
        extra_fields=[("booktitle", '{The {\\"U}ber Book}')],
    )
    (entry,) = rispy.loads(ris.render([chapter]))
    assert (entry["type_of_reference"], entry["secondary_title"], entry["tertiary_title"]) == (
        "CHAP",
        "The Über Book",
        "Critique Books",
    )
    assert "imported-fields" not in ris.lost_facts(chapter)  # RIS carries the booktitle
    csl = (
        '[{"id": "c", "type": "chapter", "title": "A Chapter", "container-title": '
        '"The Ideas of Victor Serge", "collection-title": "Critique Books"}]'
    )
    (csl_entry,), _ = read_csl(csl, "c.json")
    text = ris.render([as_view(csl_entry.record)])
    assert "T2  - The Ideas of Victor Serge\nT3  - Critique Books\n" in text
    (back,), _ = read_ris(text, "c.ris")
    assert back.record.extra_fields == [("booktitle", "{The Ideas of Victor Serge}")]


PAPER = """\
TY  - CPAPER
ID  - cotterill1990serge
TI  - Serge and the Left Opposition
AU  - Cotterill, David
A2  - Weissman, Susan
T2  - Proceedings of the Victor Serge Centenary Conference
T3  - Critique Conference Papers
M1  - 4
SP  - 12
EP  - 34
PY  - 1990
CY  - Glasgow
PB  - Critique
"""
PAPER += "ER  - \n"
PROCEEDINGS = "Proceedings of the Victor Serge Centenary Conference"


def test_a_conference_papers_proceedings_are_t2_or_c3_and_its_series_t3() -> None:
    """A conference paper is in a volume, its proceedings, as a chapter is in a book, and its
    T2 is read and written as a chapter's is: the .bib ``booktitle``. Zotero's RIS.js
    (zotero/translators, lastUpdated 2026-01-05) reads CPAPER as a conferencePaper, its T2 as
    conferenceName, C3 as proceedingsTitle, T3 as series (A2 editors, A3 series editors);
    Zotero's BibLaTeX.js writes proceedingsTitle as ``booktitle`` (conferenceName is
    ``eventtitle``). The RIS specification's CPAPER has T2 ("Conference Name") and no C3. So
    a CPAPER's C3 is its ``booktitle`` where it has one, else its T2; T3 is its series."""
    (entry,), problems = read_ris(PAPER, "paper.ris")
    record = entry.record
    assert problems == []
    assert (record.entry_type, record.series, record.number, record.pages) == (
        "inproceedings",
        "Critique Conference Papers",
        "4",
        "12\u201334",
    )
    assert [n.display for n in record.editors] == ["Susan Weissman"]  # type: ignore[union-attr]
    assert record.extra_fields == [("booktitle", "{" + PROCEEDINGS + "}")]
    assert record.kept == {}  # every tag given back by the columns
    assert ris.render([as_view(record)]) == PAPER
    biblatex = export_text([as_view(record)], "biblatex")
    assert re.search(r"booktitle\s*=\s*\{" + PROCEEDINGS + r"\}", biblatex)
    assert re.search(r"series\s*=\s*\{Critique Conference Papers\}", biblatex)

    # Zotero's proceedingsTitle alone, or beside its conferenceName: C3 is the booktitle, and
    # the tags are written back as they came.
    c3_alone = PAPER.replace("T2  - ", "C3  - ")
    both = PAPER.replace("T2  - ", "T2  - Victor Serge Centenary\nC3  - ")
    for text, event in ((c3_alone, []), (both, [("eventtitle", "{Victor Serge Centenary}")])):
        (entry,), problems = read_ris(text, "paper.ris")
        assert problems == []
        # beside C3, T2 is the conference's name: biblatex's eventtitle, as Zotero writes it
        assert entry.record.extra_fields == [("booktitle", "{" + PROCEEDINGS + "}"), *event]
        assert entry.record.series == "Critique Conference Papers"
        assert ris.render([as_view(entry.record)]) == text
    # Another type's C3 is no title (Web of Science writes affiliations there).
    article = "TY  - JOUR\nID  - a\nTI  - A\nT2  - A Journal\nC3  - University of Utah\nER  - \n"
    (entry,), _ = read_ris(article, "article.ris")
    assert (entry.record.journal, entry.record.extra_fields) == ("A Journal", [])
    assert entry.record.kept == {"ris": [["C3", "University of Utah"]]}


def test_a_bib_inproceedings_booktitle_is_its_t2() -> None:
    paper = view(
        entry_type="inproceedings",
        original=None,
        series="Critique Conference Papers",
        extra_fields=[("booktitle", "{" + PROCEEDINGS + "}")],
    )
    (entry,) = rispy.loads(ris.render([paper]))
    assert (entry["type_of_reference"], entry["secondary_title"], entry["tertiary_title"]) == (
        "CPAPER",
        PROCEEDINGS,
        "Critique Conference Papers",
    )
    assert "imported-fields" not in ris.lost_facts(paper)  # RIS carries the booktitle
    # A paper that names its proceedings in crossref takes their title as its T2, as biber
    # gives it the parent's title as its booktitle.
    proceedings = view(
        key="serge1990proceedings",
        entry_type="proceedings",
        title=PROCEEDINGS,
        original=None,
        translators=[],
        translator_status="unknown",
    )
    child = view(
        key="cotterill1990serge",
        entry_type="inproceedings",
        title="Serge and the Left Opposition",
        original=None,
        extra_fields=[("crossref", "{serge1990proceedings}")],
    )
    paper_lines = ris.render([child, proceedings]).split("ER  - ")[0]
    assert "ID  - cotterill1990serge\nTI  - Serge and the Left Opposition\n" in paper_lines
    assert f"T2  - {PROCEEDINGS}\n" in paper_lines


@pytest.mark.parametrize("entry_type", ["book", "incollection", "inproceedings"])
def test_a_journal_with_no_tag_is_a_note_and_comes_back(entry_type: str) -> None:
    """RIS has no journal tag for a book nor for a part of a volume (a CHAP's or a CPAPER's T2
    is the volume; JF and JO are Zotero's publicationTitle, a part's bookTitle): the journal
    is a note, "Published in ...", read back as the journal. A part's journal was left out,
    and lost_facts said nothing; a book's came back as a note."""
    part = entry_type != "book"
    volume = [("booktitle", "{The Ideas of Victor Serge}")] if part else []
    edition = view(
        entry_type=entry_type, original=None, journal="Critique", number="3", extra_fields=volume
    )
    text = ris.render([edition])
    assert ("T2  - The Ideas of Victor Serge\nM1  - 3\n" in text) is part
    assert "N1  - Published in Critique.\n" in text
    assert ris.lost_facts(edition) == {"journal-issue": "folded"}  # its number is the series'
    (record,) = read_back([edition])
    assert (record.journal, record.number, record.note, record.kept) == ("Critique", "3", None, {})


@pytest.mark.parametrize("second_t2", [False, True])
@pytest.mark.parametrize(
    "text, volume", [(CHAPTER, "The Ideas of Victor Serge"), (PAPER, PROCEEDINGS)]
)
def test_a_part_comes_back_the_same_through_catalogues(
    tmp_path: Path, text: str, volume: str, second_t2: bool
) -> None:
    from tests.conftest import invoke

    if second_t2:  # T2 and T3 not given back by the columns: kept whole, in their place
        text = re.sub(r"(T3  - .*\n)", r"\1T2  - A second\n", text)
    path = tmp_path / "in.ris"
    path.write_text(text, encoding="utf-8")
    exports = []
    for number in range(3):
        db = str(tmp_path / f"{number}.db")
        assert invoke(db, "import", str(path)).exit_code == 0
        exports.append(invoke(db, "export", "--format", "ris").stdout)
        path.write_text(exports[-1], encoding="utf-8")
    assert exports[0] == text
    assert exports[0] == exports[1] == exports[2]
    biblatex = invoke(db, "export", "--format", "biblatex").stdout
    assert re.search(r"booktitle\s*=\s*\{" + volume + r"\}", biblatex)


def test_tags_are_in_one_order_however_the_entry_came() -> None:
    # Keywords are written where the writer writes them, before the abstract and the notes.
    from biblio.bibtex import read_bib

    (entry,), _ = read_bib(
        "@book{k, title={T}, year=2001, keywords={alpha, novel}, abstract={An abstract.},"
        " annotation={An annotation.}, note={A note.}}",
        "k.bib",
    )
    first = ris.render([record_view(entry.record)])
    assert first.index("KW  - alpha\nKW  - novel\n") < first.index("AB  - ")
    (back,), _ = read_ris(first, "first.ris")
    assert back.record.kept == {}
    assert ris.render([as_view(back.record)]) == first
    # A foreign entry's tags, in any order, are written in the writer's, those of no column
    # last as they came.
    scrambled = "TY  - BOOK\nXY  - x\nKW  - b\nN1  - n\nPY  - 2015/october\nID  - s\nTI  - T\n"
    scrambled += "AB  - a\nL1  - l\nKW  - a\nER  - \n"
    (foreign,), _ = read_ris(scrambled, "s.ris")
    written = ris.render([as_view(foreign.record)])
    assert [line[:2] for line in written.splitlines()] == [
        "TY", "ID", "TI", "PY", "KW", "KW", "AB", "N1", "XY", "L1", "ER",
    ]  # fmt: skip
    (again,), _ = read_ris(written, "again.ris")
    assert ris.render([as_view(again.record)]) == written
    for case in ROUND_TRIPS.values():  # the columns' own tags are in that order already
        assert ris.ris_tags(case) == ris.column_tags(case)[0]


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
    # the note and OP, as lost_facts says; they come back as the note and a kept OP, and are
    # written again as they were.
    article = view(entry_type="article", journal="Critique")
    assert ris.lost_facts(article)["original-title"] == "folded"
    (record,) = read_back([article])
    assert record.original is None
    assert record.note == (
        "Translated from the French by Richard Greeman; originally published as "
        "Naissance de notre force (Paris, 1931)."
    )
    assert record.annotation == "A novel of 1917."
    assert [tag for tag, _ in record.kept["ris"]] == ["OP", "N1", "N1"]  # as they came
    again = dataclasses.replace(article, original=None, note=record.note, kept=record.kept)
    assert sorted(ris.render([again]).splitlines()) == sorted(ris.render([article]).splitlines())


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


def test_an_entry_with_no_title_is_kept_with_a_warning() -> None:
    entries, (problem,) = read_ris(GOOD + "\nTY  - BOOK\nID  - k\nPY  - 1967\nER  - \n", "x.ris")
    assert [e.record.key for e in entries] == ["good", "k"]
    assert entries[1].record.title == "" and entries[1].record.date == "1967"
    assert not problem.is_error and problem.kind == "no title, kept"
    assert str(problem) == "x.ris:6: entry 'k', field 'TI': no title (TI, T1 or CT)"


@pytest.mark.parametrize(
    "text", ["", "Provider: a catalogue\n", "JF  - A journal\nT1  - A title\nER  - \n"]
)
def test_a_text_with_no_ty_line_is_no_ris_file(text: str) -> None:
    entries, problems = read_ris(text, "x.ris")
    assert entries == [] and [str(p) for p in problems if p.is_error] == [
        "x.ris:1: not a RIS file (no 'TY  - ' line)"
    ]


@pytest.mark.parametrize(
    "text, line, key, tag, kind",
    [
        # a record whose TY line is lost: Zotero leaves it out too; said as a record
        ("TI  - No type\nER  - \n", 1, None, None, "RIS record without TY, left out"),
        ("TI  - No type\nAU  - Doe, J.\n", 1, None, "TI", "RIS line outside any entry, ignored"),
        ("TY  - BOOK\nID  - k\nTI  - Unended\n", 1, None, None, "RIS entry not closed by ER"),
        ("TY  - BOOK\nTI  - A\nTY  - BOOK\nID  - k\nTI  - B\nER  - \n", 1, None, None,
         "RIS entry not closed by ER"),
        ("TY  - \nID  - k\nTI  - A\nER  - \n", 1, "k", "TY", "RIS type empty or unknown, kept"),
        ("TY  - NOVEL\nID  - k\nTI  - A\nER  - \n", 1, "k", "TY",
         "RIS type empty or unknown, kept"),
        ("TY  - BOOK\nID  - k\nTI  - A\nPY  - 19x7\nER  - \n", 4, "k", "PY",
         "RIS date not read, kept as written"),
        ("TY  - BOOK\nID  - k\nTI  - A\nPY  - 1967/13//\nER  - \n", 4, "k", "PY",
         "RIS date read in part, kept as written"),
        ("TY  - BOOK\nID  - k\nTI  - A\nPY  - 1967\nDA  - 1968/01/02/\nER  - \n", 1, "k",
         "DA", "RIS DA and PY disagree, kept"),
        ("TY  - BOOK\nID  - k\nTI  - A\nPY  - 20000\nDA  - 20001/01/02/\nER  - \n", 1, "k",
         "DA", "RIS DA and PY disagree, kept"),
        ("TY  - BOOK\nID  - k\nTI  - A\nTI  - B\nER  - \n", 4, "k", "TI",
         "RIS tag repeated, kept"),
        ("TY  - BOOK\nID  - a b\nTI  - A\nER  - \n", 2, None, "ID",
         "RIS ID not usable as a key, key generated"),
        ("TY  - BOOK\nID  - k\nTI  - A\nAU  - , Victor\nER  - \n", 4, "k", "AU",
         "RIS name not read, kept"),
        ("TY  - BOOK\nID  - k\nTI  - A\nM2  - original-title: O\nM2  - original-date: 19x\n"
         "ER  - \n", 5, "k", "M2", "RIS date not read, kept as written"),
        (GOOD, 2, "good", "ID", "RIS ID repeated, key generated"),
        ("TY  - BOOK\nTI  - A\nER  - \n", 1, None, "ID", "RIS entry with no ID, key generated"),
    ],
    ids=[
        "no TY",
        "stray lines",
        "no ER",
        "TY inside an entry",
        "empty TY",
        "unknown TY",
        "invalid year",
        "invalid month",
        "DA against PY",
        "DA against a PY of five digits",
        "repeated tag",
        "invalid key",
        "unreadable name",
        "invalid original date",
        "repeated key",
        "no ID",
    ],
)  # fmt: skip
def test_what_zotero_reads_comes_in_with_a_warning_where_it_is(
    text: str, line: int, key: str | None, tag: str | None, kind: str
) -> None:
    entries, problems = read_ris(GOOD + "\n" + text, "odd.ris")
    shift = GOOD.count("\n") + 1
    assert problems and not any(p.is_error for p in problems), problems
    first = problems[0]
    assert (first.file, first.line, first.key, first.field) == ("odd.ris", line + shift, key, tag)
    assert first.kind == kind
    assert entries[0].record.key == "good"  # and the odd entry comes in
    assert len(entries) == 1 + text.count("TY  - ")
    odd = entries[-1].record
    # and whatever the columns cannot give back is kept, to be written as it came
    if odd is not entries[0].record and (
        tag in ("TY", "PY", "DA", "TI", "AU", "M2") or "usable" in kind
    ):
        (again,) = read_ris(ris.render([as_view(odd)]), "again.ris")[0]
        assert again.record.kept == odd.kept != {}
        written = ris.render([as_view(odd)])
        for kept_tag, *value in odd.kept["ris"]:  # [group] alone: a group it had not
            assert f"{kept_tag}  - {value[0]}\n" in written if value else kept_tag not in written


def test_a_problem_reads_like_a_bib_problem() -> None:
    _, (problem,) = read_ris("TY  - BOOK\nID  - k\nTI  - A\nPY  - 19x7\nER  - \n", "x.ris")
    assert str(problem) == (
        "x.ris:4: entry 'k', field 'PY': invalid date '19x7' (expected YYYY/MM/DD/): kept as "
        "written, no year"
    )


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
    assert [(p.line, p.kind) for p in problems] == [
        (1, "RIS entry with no ID, key generated"),
        (10, "RIS date not read, kept as written"),
        (26, "RIS entry with no ID, key generated"),
    ]
    ideas, birth = (e.record for e in entries)
    assert (ideas.key, ideas.entry_type, ideas.title, ideas.subtitle) == (
        None,
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
    assert (ideas.form, ideas.translator_status, ideas.keywords) == (
        None,  # a keyword that names a form is a keyword all the same
        "named",
        ["collection", "Russia"],
    )
    assert ideas.abstract == "An abstract that a program\nwrapped over two lines."
    assert ideas.annotation is None
    assert (ideas.isbn, ideas.doi, ideas.url, ideas.edition_statement) == (
        None,  # 0-85036-471-4 has a wrong check digit: no ISBN, kept as its SN
        "10.1000/xyz{1}",
        "https://example.org/one",
        "2nd",
    )
    assert ideas.note == "<p>A Zotero note.</p>"
    assert ideas.notes is None
    # What the columns cannot give back exactly is kept as it came: the people (A2, a series
    # editor, has no column), a date that is no date, the ISBN, the two URLs, the language.
    assert ideas.kept == {
        "ris": [
            ["AU", "Weissman, Susan"],
            ["A2", "Bornstein, Sam"],
            ["A4", "Birchall, Ian"],
            ["DA", "Spring"],
            ["LA", "en-GB"],
            ["SN", "0-85036-471-4"],
            ["UR", "https://example.org/one"],
            ["UR", "https://example.org/two"],
            ["N1", "<p>A Zotero note.</p>"],
        ]
    }
    assert (birth.title, birth.date, birth.language) == ("Naissance de notre force", "1931", None)
    assert [(n.prefix, n.family) for n in birth.editors] == [  # type: ignore[union-attr]
        ("de la", "Fuente"),
        (None, "Gennep"),
    ]
    assert [tag for tag, _ in birth.kept["ris"]] == ["T1", "AU", "ED", "A3", "PY", "LA"]


SCOPUS_STYLE = """\
Record #1 of 2
Provider: a database
1.
TY  - JOUR
AU  - Trindade, Ines A
AU  - Irons, Chris
TI  - Self-criticism and depression
JF  - Clinical Psychology & Psychotherapy
JO  - Clin Psychol
JA  - Clin. Psychol.
J2  - CPP
T2  - Clinical Psychology and Psychotherapy
PY  - 2015///
DA  - 2015/10/01/
VL  - 26
IS  - 3
SP  - 193
EP  - 204
SN  - 1063-3995
SN  - 1099-0879
SN  - 0-8122-1562-1 (paper)
DO  - https://doi.org/10.1002/CPP.2398
UR  - https://example.org/first
UR  - https://example.org/second
L1  - https://example.org/full.pdf
L2  - https://example.org/full.html
AN  - 2019-65183-001
DB  - Scopus
M3  - Article
C7  - e2398
ST  - Self-criticism
Y2  - 2024/08/05/
ET  - 2nd
AB  - The abstract.
N2  - Another abstract.
KW  - depression, major
KW  - inflammatory bowel disease
 self-criticism
 shame
N1  - Export Date: 05 August 2024
N1  - Cited By: 2
LA  - English
XY  - An unknown tag
ER  -

2.
TY  - BOOK
TI  - A year with a month
PY  - 2015/october
SP  - 12-34
ER  -
"""


def test_every_tag_with_something_goes_to_its_column() -> None:
    entries, problems = read_ris(SCOPUS_STYLE, "scopus.ris")
    article, book = (e.record for e in entries)
    assert (article.key, article.entry_type, article.journal) == (
        None,
        "article",
        "Clinical Psychology & Psychotherapy",  # JF, the full name
    )
    assert (article.date, article.volume, article.number, article.pages) == (
        "2015-10-01",
        "26",
        "3",
        "193\u2013204",  # SP and EP: a range as the catalogue holds a .bib one
    )
    assert (article.issn, article.isbn) == ("1063-3995", "0812215621")  # by checksum
    assert (article.doi, article.url) == ("10.1002/CPP.2398", "https://example.org/first")
    assert (article.abstract, article.edition_statement, article.language) == (
        "The abstract.",
        "2nd",
        "en",
    )
    assert article.keywords == [
        "depression, major",  # a comma stays
        "inflammatory bowel disease",  # one a continuation line
        "self-criticism",
        "shame",
    ]
    assert article.note == "Export Date: 05 August 2024\n\nCited By: 2"
    assert article.title == "Self-criticism and depression" and article.subtitle is None
    kept = {tag for tag, _ in article.kept["ris"]}
    for tag in ("JO", "JA", "J2", "T2", "JF", "SN", "DO", "UR", "L1", "L2", "AN", "DB", "M3"):
        assert tag in kept, tag
    for tag in ("C7", "ST", "Y2", "AB", "N2", "KW", "N1", "LA", "XY", "PY"):
        assert tag in kept, tag
    for tag in ("TI", "AU", "VL", "IS", "SP", "EP", "DA", "ET"):  # given back by the columns
        assert tag not in kept, tag
    assert (book.date, book.pages) == ("2015", "12-34")  # SP that holds a range stays
    assert [(p.line, p.field, p.kind) for p in problems] == [
        (4, "ID", "RIS entry with no ID, key generated"),
        (47, "ID", "RIS entry with no ID, key generated"),
        (49, "PY", "RIS date read in part, kept as written"),
    ]  # header lines are comments; SN, UR, KW, N1 repeat as they may; AB and N2 both kept


@pytest.mark.parametrize(
    "value, date, kind",
    [
        ("2015///", "2015", None),
        ("2015/10/01/", "2015-10-01", None),
        ("2015/10", "2015-10", None),
        ("2015/october", "2015", "RIS date read in part, kept as written"),
        ("10 15", None, "RIS date not read, kept as written"),
        ("20151", "20151", None),  # a year is read whole, never cut short
        ("20000", "20000", None),
        ("-44", "-44", None),  # 44 BC, as biblio.export.ris writes it
        ("-0044///", "-0044", None),
        ("20000/05/02/", "20000-05-02", None),
        ("99", None, "RIS date not read, kept as written"),
    ],
)
def test_dates_are_read_as_far_as_they_go_and_kept_as_written(
    value: str, date: str | None, kind: str | None
) -> None:
    text = f"TY  - BOOK\nID  - k\nTI  - A\nPY  - {value}\nER  - \n"
    (entry,), problems = read_ris(text, "x.ris")
    assert entry.record.date == date
    assert [p.kind for p in problems] == ([kind] if kind else [])
    assert f"PY  - {value}\n" in ris.render([as_view(entry.record)])


def test_repeated_tags_warn_only_where_zotero_keeps_one_value() -> None:
    text = (
        "TY  - JOUR\nID  - k\nTI  - A\nSN  - 1063-3995\nSN  - 1099-0879\nUR  - https://a\n"
        "UR  - https://b\nDO  - 10.1/x\nDO  - 10.1/x\nPB  - Wiley\nPB  - US\nER  - \n"
    )
    (entry,), problems = read_ris(text, "x.ris")
    assert [(p.line, p.field, p.kind) for p in problems] == [(11, "PB", "RIS tag repeated, kept")]
    assert entry.record.publisher == "Wiley"
    written = ris.render([as_view(entry.record)])
    for line in text.splitlines()[3:-1]:
        assert written.count(line + "\n") == text.count(line + "\n"), line  # none twice


def test_an_empty_or_unknown_type_is_kept_as_it_came() -> None:
    for ty in ("", "JOURNAL ARTICLE"):
        (entry,), _ = read_ris(f"TY  - {ty}\nID  - k\nTI  - A\nER  - \n", "x.ris")
        assert entry.record.entry_type == "misc"
        assert ris.render([as_view(entry.record)]).startswith(f"TY  - {ty}\nID  - k\n")


def test_a_foreign_file_is_written_back_tag_for_tag_and_then_the_same() -> None:
    entries, _ = read_ris(SCOPUS_STYLE, "scopus.ris")
    written = ris.render([as_view(e.record) for e in entries])

    def pairs(text: str) -> list[Counter[tuple[str, str]]]:
        found = rispy.loads(text, mapping={"TY": "TY", "UK": "tags"}, list_tags=[])
        return [
            Counter(
                [("TY", e["TY"])]
                + [(t, v) for t, vs in e["tags"].items() for v in vs if t != "ID" and v]
            )
            for e in found
        ]

    assert pairs(written) == pairs(SCOPUS_STYLE)  # every value, only the made keys added
    again = ris.render([as_view(e.record) for e in read_ris(written, "again.ris")[0]])
    assert again == written


def test_an_edit_replaces_what_a_ris_import_kept(sqlite_db: str, tmp_path: Path) -> None:
    """A tag kept as it came (Ovid's A1 authors, a PB with a tab) stands for its column until
    a librarian edits that field: the export then writes the edited value, not the old tag."""
    from tests.conftest import invoke

    path = tmp_path / "ovid.ris"
    path.write_text(
        "TY  - BOOK\nID  - k\nA1  - Old, Author\nTI  - T\nPB  - tab\there\nPY  - 2001///\n"
        "KW  - one\nER  - \n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    before = invoke(sqlite_db, "export", "--format", "ris").stdout
    assert "A1  - Old, Author" in before and "PB  - tab\there" in before
    result = invoke(
        sqlite_db, "edit", "k", "--set", "authors=New, Author", "--set", "publisher=Press",
        "--set", "keywords=two; three", "--set", "isbn=978-0-306-40615-7",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    after = invoke(sqlite_db, "export", "--format", "ris").stdout
    assert "Old, Author" not in after and "New, Author" in after
    assert "PB  - Press" in after and "tab\there" not in after
    assert "KW  - two\nKW  - three" in after and "KW  - one" not in after
    assert "SN  - 9780306406157" in after
    assert "PY  - 2001///" in after  # not edited: still as it came


#: RIS entries whose journal or series tags came in a form the columns do not give back (so
#: kept as they came), the edit a librarian makes, the lines the export then has and has not,
#: and what reading that export back gives.
EDITS_OF_KEPT_GROUPS = {
    # A chapter's T2 is its book's title and T3 the series; RIS has no journal tag for a
    # chapter: its JF is the journal, written back as a note.
    "chapter-journal": (
        "TY  - CHAP\nID  - k\nTI  - The Chapter\nT2  - The Book\nT3  - The Series\n"
        "JF  - Old Journal\nER  - \n",
        "journal=New Journal",
        ["T2  - The Book", "T3  - The Series", "N1  - Published in New Journal."],
        ["Old Journal"],
        {"journal": "New Journal", "series": "The Series", "booktitle": "The Book"},
    ),
    # A journal article's JF and T2 are both its journal, and T3 its series.
    "article-journal": (
        "TY  - JOUR\nID  - k\nTI  - The Article\nJF  - Old Journal\nT2  - Old J.\n"
        "T3  - The Series\nER  - \n",
        "journal=New Journal",
        ["T2  - New Journal", "T3  - The Series"],
        ["Old J"],
        {"journal": "New Journal", "series": "The Series", "booktitle": None},
    ),
    # A book's T2 is its series; its JO a journal, which a book has no tag for.
    "book-series": (
        "TY  - BOOK\nID  - k\nTI  - The Book\nT2  - Old Series\nJO  - The Journal\nER  - \n",
        "series=New Series",
        ["T2  - New Series"],
        ["Old Series"],
        {"journal": "The Journal", "series": "New Series", "booktitle": None},
    ),
    # A book's number in its series is M1; its IS (EndNote's number of volumes) is no
    # column's, and stays as it came.
    "book-number": (
        "TY  - BOOK\nID  - k\nTI  - The Book\nT2  - The Series\nM1  - 12\nIS  - 3\nER  - \n",
        "number=13",
        ["T2  - The Series", "M1  - 13", "IS  - 3"],
        ["M1  - 12"],
        {"journal": None, "series": "The Series", "number": "13"},
    ),
}


@pytest.mark.parametrize("case", EDITS_OF_KEPT_GROUPS)
def test_an_edit_of_the_journal_or_series_keeps_the_other_kept_tags(
    sqlite_db: str, tmp_path: Path, case: str
) -> None:
    """Tags read into the journal, the series and a chapter's book title are kept together
    when any came in a form the columns do not give back; an edit of one field writes the
    edited value and still every untouched one, each in its type's tag."""
    from tests.conftest import invoke

    text, change, present, absent, facts = EDITS_OF_KEPT_GROUPS[case]
    path = tmp_path / "in.ris"
    path.write_text(text, encoding="utf-8")
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    result = invoke(sqlite_db, "edit", "k", "--set", change)
    assert result.exit_code == 0, result.output
    after = invoke(sqlite_db, "export", "--format", "ris").stdout
    lines = after.splitlines()
    assert [line for line in present if line not in lines] == [], after
    assert [text for text in absent if text in after] == [], after
    (entry,), problems = read_ris(after, "after.ris")
    assert problems == []
    record = entry.record
    read = {"booktitle": ris.book_title(as_view(record))} | {
        fact: getattr(record, fact) for fact in ("journal", "series", "number")
    }
    assert {fact: read[fact] for fact in facts} == facts


ZOTERO_CONF = (
    "TY  - CONF\nID  - paper\nTI  - Title\nAU  - Name1, Author\nA2  - Editor, An\n"
    "C3  - Proceedings Title\nT2  - Conference Name\nT3  - Series Title\nSP  - 12\n"
    "EP  - 34\nPY  - 2001\nCY  - Conference Location\nPB  - Publisher\nER  - \n"
)
"""A conference paper as Zotero's RIS.js writes one (``conferencePaper: "CONF"``) and as the
RIS specification's test file has EndNote's "Conference Proceedings" reference: authors, a
title, C3 the proceedings' title, T2 the conference's name, T3 the series."""


def test_conf_is_a_conference_paper_as_zotero_and_endnote_use_it() -> None:
    """Zotero writes a conference paper as ``TY  - CONF`` and reads CONF and CPAPER both as
    one; biblio read CONF as a whole proceedings volume, its conference's name as the
    series. It is now an @inproceedings: C3 its booktitle, T2 its eventtitle, T3 its series,
    and the file comes back as it came. A proceedings volume biblio exports is a BOOK, as
    Zotero keeps one, since both read CONF as a paper."""
    (entry,), problems = read_ris(ZOTERO_CONF, "zotero.ris")
    record = entry.record
    assert [p.kind for p in problems] == []
    assert (record.entry_type, record.title, record.series) == (
        "inproceedings",
        "Title",
        "Series Title",
    )
    assert record.extra_fields == [
        ("booktitle", "{Proceedings Title}"),
        ("eventtitle", "{Conference Name}"),
    ]
    assert ris.render([as_view(record)]) == ZOTERO_CONF
    biblatex = export_text([as_view(record)], "biblatex")
    fields = bibtexparser.parse_string(biblatex).entries[0].fields_dict
    assert (fields["booktitle"].value, fields["eventtitle"].value) == (
        "Proceedings Title",
        "Conference Name",
    )
    # .bib to RIS: the proceedings' title and the conference's name in Zotero's tags.
    bib = "@inproceedings{p, title = {T}, booktitle = {Proc}, eventtitle = {Conf}, date = 2001}"
    (from_bib,), _ = read_bib(bib, "in.bib")
    written = ris.render([as_view(from_bib.record)])
    assert "C3  - Proc\nT2  - Conf\n" in written
    (again,), _ = read_ris(written, "again.ris")
    assert again.record.extra_fields == [("booktitle", "{Proc}"), ("eventtitle", "{Conf}")]
    volume = as_view(EditionRecord(title="Proceedings", entry_type="proceedings", key="p"))
    assert ris.render([volume]).startswith("TY  - BOOK\n")


def _imported(db: str, tmp_path: Path, text: str) -> str:
    """Import ``text`` as a .ris file into ``db``; the import's messages."""
    from tests.conftest import invoke

    path = tmp_path / "in.ris"
    path.write_text(text, encoding="utf-8")
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output
    return result.output


def _exported(db: str, fmt: str) -> str:
    from tests.conftest import invoke

    result = invoke(db, "export", "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.stdout


ONE_SPACE = (
    "TY - JOUR\nTI - A title\nAU  - Smith, Jane\nKW - history\nPY - 2001\nT2 - Journal\nER - \n"
)
"""Tags written with one space before the dash, as EndNote's and DataCite's exports write them
(Zotero's RIS.js reads ``/^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$/``; its test case 4)."""


def test_a_tag_with_one_space_before_the_dash_is_a_tag(db: str, tmp_path: Path) -> None:
    _imported(db, tmp_path, ONE_SPACE)
    (item,) = json.loads(_exported(db, "csl-json"))
    assert item["author"] == [{"family": "Smith", "given": "Jane"}]
    assert (item["type"], item["keyword"], item["issued"]) == (
        "article-journal", "history", {"date-parts": [[2001]]}
    )  # fmt: skip
    assert item["container-title"] == "Journal"
    written = _exported(db, "ris")
    for line in ("TY  - JOUR", "AU  - Smith, Jane", "KW  - history", "PY  - 2001", "T2  - Journal"):
        assert f"{line}\n" in written


def test_a_year_of_zeros_is_no_date_and_written_back_as_it_came(db: str, tmp_path: Path) -> None:
    """Scopus writes ``PY  - 0000`` for an unknown year; Zotero (``dateRIStoZotero``, RIS.js
    test case 10) reads no date."""
    output = _imported(db, tmp_path, "TY  - JOUR\nTI  - Nodate\nPY  - 0000\nER  - \n")
    assert "1 × RIS date not read, kept as written" in output
    (item,) = json.loads(_exported(db, "csl-json"))
    assert "issued" not in item and "0" not in item["id"]
    assert "PY  - 0000\n" in _exported(db, "ris")
    assert "date " not in _exported(db, "biblatex")


def test_a_journals_title_is_t2_and_its_abbreviation_jo(db: str, tmp_path: Path) -> None:
    """Zotero reads a journal article's T2 (or JF) as its publicationTitle and JO as its
    journalAbbreviation: CSL's container-title and container-title-short, biblatex's
    journaltitle and shortjournal. The RIS export gives back the tags as they came."""
    text = (
        "TY  - JOUR\nID  - k\nTI  - Focus groups\nT2  - Journal of the National Medical "
        "Association\nJO  - J Natl Med Assoc\nPY  - 2008\nER  - \n"
    )
    _imported(db, tmp_path, text)
    (item,) = json.loads(_exported(db, "csl-json"))
    assert item["container-title"] == "Journal of the National Medical Association"
    assert item["container-title-short"] == "J Natl Med Assoc"
    biblatex = _exported(db, "biblatex")
    assert "journaltitle = {Journal of the National Medical Association}" in biblatex
    assert "shortjournal = {J Natl Med Assoc}" in biblatex
    assert _exported(db, "ris") == text


@pytest.mark.parametrize(
    "tags, journal, short",
    [
        (["T2  - Full", "JO  - Abbr"], "Full", "Abbr"),
        (["JO  - Abbr", "JF  - Full"], "Full", "Abbr"),
        (["JF  - Full", "T2  - Other"], "Full", None),  # the first: Zotero keeps one
        (["T2  - Full", "JF  - Other"], "Full", None),
        (["JO  - Abbr"], "Abbr", None),  # Zotero: the abbreviation when there is no title
        (["JA  - Abbr"], "Abbr", None),
        (["JA  - JA", "JO  - JO", "J2  - J2", "T2  - Full"], "Full", "J2"),
        (["T2  - Same", "JO  - Same"], "Same", None),
    ],
)
def test_a_journal_and_its_abbreviation_are_read_as_zotero_reads_them(
    tags: list[str], journal: str, short: str | None
) -> None:
    text = "TY  - JOUR\nID  - k\nTI  - A\n" + "".join(f"{t}\n" for t in tags) + "ER  - \n"
    (entry,), _ = read_ris(text, "x.ris")
    assert entry.record.journal == journal
    shortjournal = [value for name, value in entry.record.extra_fields if name == "shortjournal"]
    assert shortjournal == ([f"{{{short}}}"] if short else [])
    assert ris.lost_facts(as_view(entry.record)) == {}
    assert sorted(ris.render([as_view(entry.record)]).splitlines()) == sorted(text.splitlines())


#: Entries for which the columns would give tags the entry did not have: a PY with a month
#: (a DA), a SER's number (an IS), a patent's DA (a PY), an unknown type's journal (a note).
NOTHING_ADDED = {
    "PY with a month": "TY  - JOUR\nID  - k\nTI  - Shannon\nPY  - 1948/07//\nER  - \n",
    "SER": "TY  - SER\nID  - k\nTI  - A series\nM1  - 5\nER  - \n",
    "PAT": "TY  - PAT\nID  - k\nTI  - A patent\nDA  - 2014/05/06\nER  - \n",
    "unknown type": "TY  - JOURNAL ARTICLE\nID  - k\nTI  - A\nJO  - Some J\nPY  - 2001\nER  - \n",
    "translated": "TY  - BOOK\nID  - k\nTI  - A\nA4  - Greeman, Richard\nER  - \n",
}


@pytest.mark.parametrize("case", NOTHING_ADDED)
def test_an_entry_from_ris_is_written_with_the_tags_it_had(
    db: str, tmp_path: Path, case: str
) -> None:
    text = NOTHING_ADDED[case]
    _imported(db, tmp_path, text)
    assert _exported(db, "ris") == text


def test_an_edit_writes_the_tags_an_imported_entry_had_not(sqlite_db: str, tmp_path: Path) -> None:
    """What the imported entry did not have is left out until a librarian edits the field:
    then the columns write it whole."""
    from tests.conftest import invoke

    _imported(sqlite_db, tmp_path, NOTHING_ADDED["PY with a month"])
    result = invoke(sqlite_db, "edit", "k", "--set", "year=1949")
    assert result.exit_code == 0, result.output
    written = _exported(sqlite_db, "ris")
    assert "PY  - 1949\n" in written and "1948" not in written
    _imported(sqlite_db, tmp_path, NOTHING_ADDED["unknown type"].replace("ID  - k", "ID  - u"))
    result = invoke(sqlite_db, "edit", "u", "--set", "journal=Other J")
    assert result.exit_code == 0, result.output
    assert "N1  - Published in Other J.\n" in _exported(sqlite_db, "ris")


@pytest.mark.parametrize(
    "pages, tags",
    [
        ("12--34", [("SP", "12"), ("EP", "34")]),
        ("225-\u2013240", [("SP", "225-\u2013240")]),  # a real file's typo: not one range
        ("225\u2013\u2013240", [("SP", "225\u2013\u2013240")]),
        ("e0815", [("SP", "e0815")]),
    ],
)
def test_pages_split_into_sp_and_ep_only_where_they_are_one_range(
    db: str, tmp_path: Path, pages: str, tags: list[tuple[str, str]]
) -> None:
    """A range's first and last page go to SP and EP; anything else stays whole in SP. A
    typo's "225-–240" was written as SP "225-" and EP "240", and read back as pages "225-"."""
    path = tmp_path / "pages.bib"
    path.write_text(f"@article{{p, title = {{T}}, pages = {{{pages}}}, year = 2001}}\n", "utf-8")
    assert invoke(db, "import", str(path)).exit_code == 0
    written = invoke(db, "export", "--format", "ris").stdout
    assert [tuple(line.split("  - ", 1)) for line in written.splitlines()
            if line[:2] in ("SP", "EP")] == tags  # fmt: skip
