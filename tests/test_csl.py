"""CSL-JSON: the exporter and the reader as pure functions, the round trip through a catalogue
on both backends, and pandoc --citeproc (Debian's pandoc 2.17) as the real client."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from biblio.catalogue import import_records
from biblio.config import resolve
from biblio.csl import plain_text, read_csl, read_csl_file
from biblio.db import open_catalogue, session_scope
from biblio.errors import BiblioError
from biblio.export import present_facts
from biblio.export.csl_json import items, lost_facts, no_case, render, rich_text
from biblio.names import Name
from biblio.queries import EditionView, Filters, OriginalView, list_editions
from biblio.records import EditionRecord, OriginalRecord

from .conftest import _fresh_postgres_database, invoke, need
from .factories import catalogue_views, view


def original(**changes: Any) -> OriginalView:
    base = view().original
    assert base is not None
    return replace(base, **changes)


SPECIAL_ISSUE = dict(
    key="serge1994century",
    entry_type="periodical",
    title="The Century of the Unexpected",
    subtitle="Essays on Revolution and Counter-Revolution",
    year=1994,
    date="1994",
    place=None,
    publisher=None,
    journal="Revolutionary History",
    volume="5",
    number="3",
    translators=[],
    translator_status="unknown",
    editors=[Name("Richardson", "Al")],
    edition_annotation="A special issue.",
    original=None,
)

#: Values that must print as themselves: TeX and Markdown specials, CSL-JSON's own markup, the
#: spacing pandoc adds around French punctuation, scripts and emoji.
ODD = [
    r"braces {x} % $ & # _ ~ ^ \ end",
    r"\input{/etc/passwd} and \relax\def\x{}",
    "Виктор Серж",
    "Lénine à Staline, Œuvres, Łódź",
    "日本語の本",
    "emoji 😀 and 🇫🇷",
    "<i>italic</i> <b>bold</b> <u>u</u> <sc>caps</sc>",
    "x<sup>2</sup> H<sub>2</sub>O",
    "a ; b ? c ! d « e » f",
    "*star* **bold** _under_ `code` [link](http://x.org) @key <http://y.org>",
    "&amp; &lt;i&gt; &#65; <!-- comment --> <br/>",
    "dashes -- and --- and ... ellipsis",
]

#: CSL-JSON's markup with quotes in it: after escaping, pandoc prints its quotes typographic.
QUOTED = [
    '<span class="nocase">iPhone</span> <span style="font-variant:small-caps;">sc</span>',
    '</span> closes <span class="nodecor">nothing</span>',
    """He said "no" and 'yes', it's""",
]


# ----------------------------------------------------------------------------- export


def test_a_translation_carries_its_translator_and_original() -> None:
    assert items([view()]) == [
        {
            "id": "serge1967birth",
            "type": "book",
            "author": [{"family": "Serge", "given": "Victor"}],
            "translator": [{"family": "Greeman", "given": "Richard"}],
            "title": "Birth of our Power",
            "publisher": "Doubleday",
            "publisher-place": "New York",
            "issued": {"date-parts": [[1967]]},
            "language": "en",
            "original-title": '<span class="nocase">Naissance de notre force</span>',
            "original-publisher-place": "Paris",
            "original-date": {"date-parts": [[1931]]},
            "note": "A novel of 1917.",
            "custom": {"original-language": "fr", "annotation-in-note": True},
        }
    ]


def test_the_special_issue_is_an_article_in_its_journal() -> None:
    [item] = items([view(**SPECIAL_ISSUE)])
    assert item["type"] == "article-journal"
    assert (
        item["title"]
        == "The Century of the Unexpected: Essays on Revolution and Counter-Revolution"
    )
    assert (item["container-title"], item["volume"], item["issue"]) == (
        "Revolutionary History",
        "5",
        "3",
    )
    assert item["editor"] == [{"family": "Richardson", "given": "Al"}]
    assert item["note"] == "A special issue."
    assert item["custom"] == {
        "entry-type": "periodical",
        "subtitle": "Essays on Revolution and Counter-Revolution",
        "annotation-in-note": True,
    }
    assert lost_facts(view(**SPECIAL_ISSUE)) == {"subtitle": "folded"}


@pytest.mark.parametrize(
    "entry_type, people, csl_type, custom_type",
    [
        ("book", {}, "book", None),
        ("collection", {"authors": []}, "book", None),  # an edited volume: no authors
        ("collection", {}, "book", "collection"),
        ("incollection", {}, "chapter", None),
        ("inbook", {}, "chapter", "inbook"),
        ("article", {}, "article-journal", None),
        ("booklet", {}, "pamphlet", None),
        ("phdthesis", {}, "thesis", "phdthesis"),
        ("misc", {}, "document", None),
        ("madeup", {}, "document", "madeup"),
    ],
)
def test_types(entry_type: str, people: dict[str, Any], csl_type: str, custom_type: str) -> None:
    editors = {"editors": [Name("Weissman", "Susan")]}
    [item] = items([view(entry_type=entry_type, **editors, **people)])
    assert item["type"] == csl_type
    assert item.get("custom", {}).get("entry-type") == custom_type


def test_names_dates_series_and_numbers() -> None:
    [item] = items(
        [
            view(
                authors=[
                    Name("Gennep", "Arnold", "van"),
                    Name("King", "Martin Luther", None, "Jr."),
                ],
                date="1931-05-02",
                series="Classics",
                number="12",
                volume="2",
                original=original(date="1930-11", publisher="Gallimard", subtitle="Roman"),
            )
        ]
    )
    assert item["author"] == [
        {"family": "Gennep", "given": "Arnold", "non-dropping-particle": "van"},
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
    ]
    assert item["issued"] == {"date-parts": [[1931, 5, 2]]}
    assert item["original-date"] == {"date-parts": [[1930, 11]]}
    assert item["original-publisher"] == "Gallimard"
    assert item["original-title"] == '<span class="nocase">Naissance de notre force: Roman</span>'
    assert (item["collection-title"], item["collection-number"], item["volume"]) == (
        "Classics", "12", "2",
    )  # fmt: skip
    assert "issue" not in item


def test_names_keep_their_parts_in_pandoc() -> None:
    """pandoc re-parses a name lacking a part; an empty part, which prints nothing, stops it
    (the printed names are checked in test_pandoc_prints_odd_values_literally)."""
    [item] = items([view(translators=[Name("ter Borch", "Gerard"), Name("Smith", "Ann, Jo")])])
    assert item["translator"] == [
        {"family": "ter Borch", "given": "Gerard", "non-dropping-particle": ""},
        {"family": "Smith", "given": "Ann, Jo", "suffix": ""},
    ]


@pytest.mark.parametrize(
    "changes, lost",
    [
        ({}, {"original-language": "dropped"}),
        ({"original": None}, {}),
        ({"original": original(subtitle="Roman", language=None)}, {"original-title": "folded"}),
        ({"subtitle": "A Novel", "original": None}, {"subtitle": "folded"}),
        (
            {"translators": [], "translator_status": "not-named", "original": None},
            {"translator-not-named": "dropped"},
        ),
        ({"also_published_as": ["Another"], "original": None}, {"alternate-titles": "dropped"}),
        ({"extra_fields": [("related", "{x}")], "original": None}, {"imported-fields": "dropped"}),
        ({"extra_fields": [("location", "{Paris and London}")], "original": None}, {}),
        ({"extra_fields": [("location", "{Paris}"), ("doi", "{10.1/x}")], "original": None}, {}),
    ],
)  # fmt: skip
def test_lost_facts(changes: dict[str, Any], lost: dict[str, str]) -> None:
    edition = view(**changes)
    assert lost_facts(edition) == lost
    assert set(lost) <= present_facts(edition)


def test_imported_fields_with_a_variable_are_exported() -> None:
    extra = [("doi", "{10.1000/a_b}"), ("pages", "{12--34}"), ("urldate", "2020-01-31"),
             ("archive", "{Fonds <i>Serge</i>}"), ("note", "{biblatex's note}")]  # fmt: skip
    [item] = items([view(extra_fields=extra, original=None)])
    assert item["DOI"] == "10.1000/a_b"
    assert item["page"] == "12–34"  # LaTeX's en dash, decoded
    assert item["accessed"] == {"date-parts": [[2020, 1, 31]]}
    assert plain_text(item["archive"]) == "Fonds <i>Serge</i>"
    assert "note" not in item  # biblatex's note is not the annotation


@pytest.mark.parametrize("value", ODD + QUOTED)
def test_rich_text_reads_back_as_the_value(value: str) -> None:
    assert plain_text(rich_text(value)) == value
    assert plain_text(no_case(value)) == value


@pytest.mark.parametrize(
    "rich, plain",
    [
        ("<i>Homo sapiens</i> in Europe", "Homo sapiens in Europe"),
        ('<span class="nocase">iPhone</span>', "iPhone"),
        ("<b><i>both</i></b>", "both"),
        ('<span style="font-variant:small-caps;">caps</span> <sc>too</sc>', "caps too"),
        ("<i>never closed", "<i>never closed"),
        ("a </i> b", "a </i> b"),
        ("<I>upper</I>", "<I>upper</I>"),
    ],
)
def test_plain_text_reads_markup_as_processors_do(rich: str, plain: str) -> None:
    assert plain_text(rich) == plain


def test_render_is_utf8_json() -> None:
    text = render([view(title="Виктор Серж 😀", original=None)])
    assert "Виктор Серж 😀" in text
    assert json.loads(text) == items([view(title="Виктор Серж 😀", original=None)])


# ----------------------------------------------------------------------------- import


def record_of(edition: EditionView) -> EditionRecord:
    """The record an export of ``edition`` carries: everything but the catalogue's own form,
    section and notes, which no format exports."""
    source = edition.original
    return EditionRecord(
        title=edition.title,
        subtitle=edition.subtitle,
        key=edition.key,
        entry_type=edition.entry_type,
        date=edition.date,
        place=edition.place,
        publisher=edition.publisher,
        language=edition.language,
        series=edition.series,
        journal=edition.journal,
        volume=edition.volume,
        number=edition.number,
        authors=list(edition.authors),
        translators=list(edition.translators),
        editors=list(edition.editors),
        translator_status=edition.translator_status,
        also_published_as=list(edition.also_published_as),
        annotation=edition.edition_annotation,
        pages=edition.pages,
        doi=edition.doi,
        isbn=edition.isbn,
        issn=edition.issn,
        url=edition.url,
        abstract=edition.abstract,
        keywords=list(edition.keywords),
        edition_statement=edition.edition_statement,
        note=edition.note,
        kept={fmt: [list(pair) for pair in kept] for fmt, kept in edition.kept.items()},
        original=None
        if source is None
        else OriginalRecord(
            title=source.title,
            subtitle=source.subtitle,
            date=source.date,
            place=source.place,
            publisher=source.publisher,
            language=source.language,
            annotation=source.annotation,
        ),
        others=list(edition.others),
    )


ROUND_TRIP_VIEWS = [
    view(),
    view(**SPECIAL_ISSUE),
    view(
        key="weissman1997ideas",
        entry_type="collection",
        authors=[],
        translators=[],
        translator_status="unknown",
        editors=[Name("Weissman", "Susan")],
        original=None,
        subtitle="A Life as a Work of Art",
        title="The Ideas of Victor Serge",
    ),  # fmt: skip
    view(key="kronstadt", translators=[], translator_status="not-named", original=None),
    view(key="problemas", translators=[], translator_status="none", language="es"),
    view(
        key="russia",
        also_published_as=["Destiny of a Revolution", "Another"],
        series="S",
        number="4",
        others=["translator"],
        edition_annotation="The edition's own note.",
    ),
    view(
        key="odd",
        title=ODD[0],
        subtitle=ODD[6],
        publisher=ODD[8],
        place=ODD[2],
        authors=[Name("Gennep", "Arnold", "van", "Jr.")],
        date="1931-05-02",
        original=original(
            title=QUOTED[0], subtitle="Why?", publisher=QUOTED[1], date="1930-11", annotation=ODD[9]
        ),
    ),  # fmt: skip
    view(
        key="why",
        title="Why?",
        subtitle="An Answer",
        original=original(title="Pourquoi", language=None),
        translators=[Name("ter Borch", "Gerard"), Name("Smith", "Ann, Jo")],
    ),  # fmt: skip
]


def test_an_export_reads_back_as_the_same_records() -> None:
    """Nothing is kept as written: the columns give every variable back (``kept`` is empty)."""
    entries, problems = read_csl(render(ROUND_TRIP_VIEWS), "out.json")
    assert problems == []
    assert [e.record for e in entries] == [record_of(v) for v in ROUND_TRIP_VIEWS]


def test_variables_without_a_column_survive_import_and_both_exports(sqlite_db: str) -> None:
    from bibtexparser import parse_string

    from biblio.export import export_text

    zotero = [
        {
            "id": "http://zotero.org/users/1/items/ABC",
            "citation-key": "serge1967birth",
            "type": "book",
            "title": "Birth of our Power",
            "author": [{"family": "Serge", "given": "Victor"}],
            "container-author": [{"family": "Editor", "given": "Book"}],
            "issued": {"date-parts": [["1967"]]},
            "DOI": "10.1000/xyz_1",
            "URL": "https://example.org/a_b?c=1&d=2",
            "ISBN": "978-0-306-40615-7",
            "page": "12-34",
            "accessed": {"date-parts": [[2020, 1, 31]]},
            "archive": "Fonds Serge & <i>Co</i>",
            "abstract": "100% <i>true</i>",
        }
    ]
    entries, problems = read_csl(json.dumps(zotero), "zotero.json")
    assert problems == []
    record = entries[0].record
    assert (record.doi, record.url, record.isbn, record.pages) == (
        "10.1000/xyz_1", "https://example.org/a_b?c=1&d=2", "9780306406157", "12-34",
    )  # fmt: skip
    assert record.abstract == "100% true"  # the column holds plain text
    engine = open_catalogue(resolve(sqlite_db), create=True)
    try:
        with session_scope(engine) as session:
            import_records(session, [], [e.record for e in entries])
        with session_scope(engine) as session:
            views = list_editions(session, Filters())
    finally:
        engine.dispose()
    bib = parse_string(export_text(views, "biblatex"))
    assert not bib.failed_blocks
    fields_ = {f.key: f.value for f in bib.entries[0].fields}
    assert bib.entries[0].key == "serge1967birth"
    assert fields_["urldate"] == "2020-01-31"
    assert fields_["archive"] == r"Fonds Serge \& \emph{Co}"  # its rich text as LaTeX
    assert fields_["bookauthor"] == "Editor, Book"
    [item] = json.loads(render(views))
    assert item == zotero[0]  # every variable as it came, the id too
    assert lost_facts(views[0]) == {}


def _item(**values: Any) -> str:
    return json.dumps({"id": "a", "type": "book", "title": "T", **values}, ensure_ascii=False)


#: What cannot be read: (name, file text, (line, key, field, words of the message)).
MALFORMED = [
    ("invalid JSON", '[\n {"id": "a",\n  "title": "T"\n  "type": "book"}\n]',
     (4, None, None, "invalid JSON: Expecting ',' delimiter")),
    ("one item, not an array", '{"id": "a", "type": "book", "title": "T"}',
     (1, None, None, "one object, not an array")),
    ("an object keyed by id", '{"a": {"id": "a", "type": "book", "title": "T"}}',
     (1, None, None, "an object keyed by item id")),
    ("a number", "42", (1, None, None, "expected an array")),
    ("not an item", '[\n  42\n]', (2, None, None, "not a CSL item")),
    # Python's json reads NaN and Infinity, which JSON lacks: the export wrote them back, and
    # pandoc refused the whole file
    ("NaN", '[{"id": "a", "type": "book",\n  "issued": {"date-parts": [[NaN]]}}]',
     (2, None, None, "invalid JSON: NaN is no JSON value")),
    ("Infinity", '[{"id": "a", "type": "book", "volume": -Infinity}]',
     (1, None, None, "invalid JSON: -Infinity is no JSON value")),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_what_cannot_be_read_is_an_error_naming_line_key_and_field(
    text: str, expected: tuple[int, str | None, str | None, str]
) -> None:
    entries, problems = read_csl(text, "in.json")
    line, key, field, words = expected
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.is_error
    assert (problem.file, problem.line, problem.key, problem.field) == ("in.json", line, key, field)
    assert words in problem.message
    assert str(problem).startswith(f"in.json:{line}")
    assert entries == []


#: What CSL 1.0.2 (or a CSL processor) reads, kept as written with a warning:
#: (name, file text, (line, field, kind of the warning)).
LENIENT = [
    ("no id", '[\n {"type": "book",\n  "title": "T"}\n]', (2, "id", "no CSL id, key derived")),
    ("no title", '[\n {"id": "a",\n  "type": "book"}\n]', (2, "title", "no title, kept")),
    ("blank title", '[\n {"id": "a",\n  "type": "book",\n  "title": " "}\n]',
     (4, "title", "no title, kept")),
    ("no type", '[\n {"id": "a",\n  "title": "T"}\n]', (2, "type", "CSL type kept as written")),
    ("unknown type", '[\n {"id": "a",\n  "type": "novel", "title": "T"}\n]',
     (3, "type", "CSL type kept as written")),
    ("month 13", '[\n {"id": "a", "type": "book", "title": "T",\n'
     '  "issued": {"date-parts": [[1931, 13]]}}\n]', (3, "issued", "CSL date kept as written")),
    ("date range", "[\n" + _item(issued={"date-parts": [[1930], [1931]]}) + "\n]",
     (2, "issued", "CSL date kept as written")),
    ("literal date", "[\n" + _item(issued={"literal": "Spring 1931"}) + "\n]",
     (2, "issued", "CSL date kept as written")),
    ("unknown variable", '[\n {"id": "a", "type": "book", "title": "T",\n  "titel": "U"}\n]',
     (3, "titel", "CSL variable kept")),
    ("repeated variable", '[\n {"id": "a", "type": "book", "title": "T",\n  "title": "U"}\n]',
     (3, "title", "CSL variable repeated, the last kept")),
    ("repeated id", "[\n" + _item() + ",\n" + _item() + "\n]",
     (2, "id", "CSL id repeated, key derived")),
    ("name without family", "[\n" + _item(author=[{"given": "Victor"}]) + "\n]",
     (2, "author", "CSL name kept as written")),
    ("names not a list", "[\n" + _item(translator="Greeman, Richard") + "\n]",
     (2, "translator", "CSL value kept as written")),
    ("title not text", "[\n" + _item(title=["T"]) + "\n]",
     (2, "title", "CSL value kept as written")),
    ("unknown language", "[\n" + _item(language="martian") + "\n]",
     (2, "language", "CSL language kept as written")),
    ("bad custom", "[\n" + _item(custom={"translator-status": "lost"}) + "\n]",
     (2, "custom", "CSL custom value kept as written")),
    ("translator status and translators", "[\n" + _item(
     custom={"translator-status": "not-named"}, translator=[{"family": "G"}]) + "\n]",
     (2, "custom", "CSL custom value kept as written")),
]  # fmt: skip


@pytest.mark.parametrize("text, expected", [m[1:] for m in LENIENT], ids=[m[0] for m in LENIENT])
def test_what_csl_allows_is_read_with_a_warning(text: str, expected: tuple[int, str, str]) -> None:
    entries, problems = read_csl(text, "in.json")
    line, field, kind = expected
    assert not any(p.is_error for p in problems), problems
    assert (problems[0].line, problems[0].field, problems[0].kind) == (line, field, kind)
    assert entries and all(_is_key(e.record.key) for e in entries)
    assert len({e.record.key for e in entries}) == len(entries)
    original = json.loads(text)
    again = json.loads(render([_view_of_entry(e) for e in entries]))
    assert [_without_id(i) for i in again] == [_without_id(i) for i in original]


def _is_key(key: str | None) -> bool:
    from biblio.records import check_key

    assert key is not None
    check_key(key)
    return True


def _without_id(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if k != "id"}


def _view_of_entry(entry: Any) -> EditionView:
    from biblio.csl import _view_of

    edition = _view_of(entry.record)
    edition.kept = entry.record.kept
    return edition


def test_a_bad_item_leaves_the_good_ones_for_skip_invalid() -> None:
    text = "[\n" + _item(id="good") + ",\n42\n]"
    entries, problems = read_csl(text, "in.json")
    assert [e.record.key for e in entries] == ["good"]
    assert [(p.line, p.key, p.is_error) for p in problems] == [(3, None, True)]
    assert entries[0].line == 2


@pytest.mark.parametrize(
    "issued, date, warned",
    [
        ("1931-05", "1931-05", True),
        ({"date-parts": [[1931, 5, 2]]}, "1931-05-02", False),
        ({"date-parts": [["1931", "5"]]}, "1931-05", False),
        ({"date-parts": [["931"]]}, "0931", False),
        ({"date-parts": [[2001], [2003]]}, "2001", True),
        ({"date-parts": [[2001, 3, 4], [2003, 5]]}, "2001-03-04", True),
        ({"date-parts": [[2001]], "season": 2}, "2001", True),
        ({"date-parts": [[2001, 14]]}, "2001", True),  # a season as Better BibTeX writes it
        ({"date-parts": [[2001, 5]], "circa": True}, "2001-05", True),
        ({"raw": "2001-03-04"}, "2001-03-04", True),
        ({"raw": "May 1931"}, None, True),
        ({"literal": "13th century"}, None, True),
        ({"date-parts": [[None]]}, None, True),
        # 44 BCE: CSL numbers by era, ISO 8601 and biblatex astronomically (0 is 1 BCE)
        ({"date-parts": [["-44", 3, 15]]}, "-0043-03-15", False),
        ({"date-parts": [[-1]]}, "0000", False),
        ({"date-parts": [[0]]}, "0000", True),  # no year 0 in CSL: kept as written
        ({"edtf": "-0043"}, "-0043", True),  # EDTF numbers astronomically already
        ({"date-parts": [[20000]]}, "20000", False),
        ({"date-parts": [[1931, 2, 30]]}, "1931-02", True),
        ({"edtf": "1931-05~"}, "1931-05", True),
    ],
)
def test_dates_are_read_as_csl_allows(issued: Any, date: str | None, warned: bool) -> None:
    text = "[" + _item(issued=issued) + "]"
    [entry], problems = read_csl(text, "in.json")
    assert entry.record.date == date
    assert [p.kind for p in problems] == (["CSL date kept as written"] if warned else [])
    kept = dict((pair[0], pair[1]) for pair in entry.record.kept.get("csl", []))
    if "issued" in kept:
        assert json.loads(kept["issued"]) == issued
    [item] = json.loads(render([_view_of_entry(entry)]))
    assert item["issued"] == issued


@pytest.mark.parametrize(
    "language, code",
    [("fr-FR", "fr"), ("French", "fr"), ("eng", "en"), ("spa", "es"), ("ger", "de"),
     ("ja", "ja"), ("zh", "zh"), ("zh-Hans-CN", "zh"), ("ar", "ar"), ("he", "he"),
     ("English", "en")],
)  # fmt: skip
def test_languages_as_iso_639_codes_or_names(language: str, code: str) -> None:
    [entry], problems = read_csl("[" + _item(language=language) + "]", "in.json")
    assert problems == [] and entry.record.language == code
    [item] = json.loads(render([_view_of_entry(entry)]))
    assert item["language"] == language


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: p, "no such file"),
        (lambda p: (p.mkdir(), p)[1], "is a directory"),
        (lambda p: (p.write_bytes(b"[\x00]"), p)[1], "binary file"),
        (lambda p: (p.write_bytes(b'[\n{"title": "Caf\xe9"}]'), p)[1], ":2: not UTF-8 text"),
    ],
    ids=["missing", "directory", "binary", "latin-1"],
)
def test_unreadable_files_are_refused_in_one_line(tmp_path: Path, make: Any, message: str) -> None:
    path = make(tmp_path / "refs.json")
    with pytest.raises(BiblioError) as caught:
        read_csl_file(str(path))
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_bytes("\ufeff[".encode() + _item().encode() + b"]")
    entries, problems = read_csl_file(str(path))
    assert problems == [] and [e.record.key for e in entries] == ["a"]


# ----------------------------------------------------------------------------- catalogue


def _records(db: str) -> dict[str, EditionRecord]:
    """Every edition of the catalogue as the record its export carries."""
    return {edition.key: record_of(edition) for edition in catalogue_views(db)}


def _import(db: str, path: Path) -> None:
    entries, problems = read_csl_file(str(path))
    assert problems == []
    engine = open_catalogue(resolve(db), create=True)
    try:
        with session_scope(engine) as session:
            import_records(session, [], [e.record for e in entries])
    finally:
        engine.dispose()


@pytest.fixture
def twin(seeded: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty catalogue on the same backend as ``seeded``."""
    if "://" in seeded:
        yield from _fresh_postgres_database(request.getfixturevalue("postgres_admin_url"))
    else:
        yield str(tmp_path / "twin.db")


def test_the_seed_round_trips_exactly(seeded: str, twin: str, tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(render(catalogue_views(seeded)), encoding="utf-8")
    _import(twin, path)
    before, after = _records(seeded), _records(twin)
    assert len(before) >= 20
    assert after == before


#: Record attributes each lost fact stands for.
FACT_ATTRIBUTES = {
    "subtitle": {"title", "subtitle"},
    "original-title": {"original.title", "original.subtitle"},
    "original-language": {"original.language"},
    "translator-not-named": {"translator_status"},
    "alternate-titles": {"also_published_as"},
    "imported-fields": {"extra_fields"},
}


def _differences(a: EditionRecord, b: EditionRecord) -> set[str]:
    found = {
        f.name
        for f in fields(a)
        if f.name != "original" and getattr(a, f.name) != getattr(b, f.name)
    }
    if (a.original is None) != (b.original is None):
        return found | {"original"}
    if a.original is not None and b.original is not None:
        found |= {
            f"original.{f.name}"
            for f in fields(a.original)
            if getattr(a.original, f.name) != getattr(b.original, f.name)
        }
    return found


def test_without_custom_only_the_lost_facts_are_lost(
    seeded: str, twin: str, tmp_path: Path
) -> None:
    """What another CSL tool gives back (no ``custom``) differs from the catalogue in exactly
    the facts lost_facts names, and in two things FACTS has no name for: a journal's special
    issue comes back as an article, and a work that is not a translation as one of unknown
    translator."""
    views = {v.key: v for v in catalogue_views(seeded)}
    plain_items = [
        {k: v for k, v in item.items() if k != "custom"} for item in items(list(views.values()))
    ]
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(plain_items, ensure_ascii=False), encoding="utf-8")
    _import(twin, path)
    before, after = _records(seeded), _records(twin)
    assert set(after) == set(before)
    for key, edition in views.items():
        expected = set().union(*(FACT_ATTRIBUTES[fact] for fact in lost_facts(edition)))
        if edition.entry_type == "periodical":
            expected.add("entry_type")
        if edition.translator_status == "none":
            expected.add("translator_status")
        if edition.annotation:  # without custom, ``note`` is a note, not the annotation
            expected |= {"annotation", "original.annotation", "note"}
        actual = _differences(before[key], after[key])
        # Facts lost together can leave an attribute unchanged (a title without subtitle).
        assert actual <= expected, (key, actual - expected)
        assert all(actual & FACT_ATTRIBUTES[fact] for fact in lost_facts(edition)), (key, actual)


#: What other tools write, in every form CSL 1.0.2 allows: each item must come back from a
#: catalogue exactly as written.
WRITTEN_ELSEWHERE: list[dict[str, Any]] = [
    {"id": "url:https://example.org/a?b=1", "type": "post-weblog", "title": "A <i>post</i>",
     "issued": {"date-parts": [[2001], [2003]]}, "number": "7",
     "author": [{"literal": "World Health Organization"}]},
    {"id": "http://zotero.org/users/1/items/X", "type": "review-book",
     "title": "On x<sup>2</sup> and <b>bold</b> <span class=\"nocase\">iPhone</span>",
     "issued": {"literal": "13th century"}, "indexed": {"date-time": "2020-01-01T00:00:00Z"},
     "reference": [{"key": "r1", "DOI": "10.1/x"}], "note": "A note.", "annote": "An annotation.",
     "author": [{"family": "Giovanni", "given": "Maria", "non-dropping-particle": "de"},
                {"family": "De Giovanni", "given": "Maria"},
                {"family": "Ludwig", "given": "Beethoven", "dropping-particle": "van"},
                {"family": "King", "given": "Martin Luther", "suffix": "Jr.", "comma-suffix": True},
                {"family": "Ludwig", "given": "Beethoven", "dropping-particle": "van"}]},
    {"id": 12, "type": "book", "title": "Полночь века", "language": "ru-RU",
     "issued": {"date-parts": [["1939"]], "season": 3, "circa": True},
     "abstract": "First paragraph.\n\nSecond <i>paragraph</i>.", "keyword": "novel,Stalin, Russia",
     "page": "12-34", "DOI": "10.1000/XYZ", "ISBN": "0-306-40615-2", "ISSN": "0378-5955",
     "URL": "https://example.org/x y", "edition": "2nd", "language-note": "kept"},
    {"id": "classic1", "type": "classic", "title": "Iliad", "language": "grc-Grek",
     "issued": {"raw": "-0750"}, "author": [{"literal": "Homer"}],
     "edition": 3, "volume": 2, "custom": {"someone-else": [1, 2]}},
    {"id": "mixed", "type": "article-journal", "title": "T", "container-title": "J",
     "issue": "3", "number": "A-12", "collection-number": "9", "language": "xx-unknown",
     "issued": {"date-parts": [[None]]}, "note": None},
]  # fmt: skip


def test_what_other_tools_write_is_read_leniently() -> None:
    entries, problems = read_csl(json.dumps(WRITTEN_ELSEWHERE), "other.json")
    assert not any(p.is_error for p in problems)
    post, review, novel, classic, mixed = (e.record for e in entries)
    assert post.key is not None and post.key != "url:https://example.org/a?b=1"
    assert {_is_key(e.record.key) for e in entries} == {True}
    assert (post.entry_type, post.date, post.number) == ("online", "2001", None)
    assert post.authors == [Name("World Health Organization")]
    assert post.title == "A post"  # the column holds plain text; the CSL export the markup
    assert (review.note, review.annotation) == ("A note.", "An annotation.")
    assert review.date is None
    assert (novel.language, novel.date, novel.keywords) == ("ru", "1939", ["novel", "Stalin",
                                                                          "Russia"])  # fmt: skip
    assert novel.abstract == "First paragraph.\n\nSecond paragraph."
    assert (novel.pages, novel.doi, novel.isbn, novel.issn) == (
        "12-34", "10.1000/XYZ", "0306406152", "0378-5955",  # as the .bib and RIS readers store
    )  # fmt: skip
    assert (novel.url, novel.edition_statement) == ("https://example.org/x y", "2nd")
    # 750 BCE: a raw CSL date numbers years by era as CSL does, the catalogue astronomically
    assert (classic.language, classic.date, classic.volume) == ("grc", "-0749", "2")
    assert (mixed.number, mixed.language) == ("3", None)
    kinds = {p.kind for p in problems}
    assert {
        "CSL date kept as written",
        "CSL variable kept",
        "CSL language kept as written",
    } <= kinds


def test_standard_numbers_are_stored_as_the_other_readers_store_them() -> None:
    """The first ISBN of a list, compact; an ISSN hyphenated; a bad check digit is a warning
    and the value is kept as written."""
    given = [_item(id="a", ISBN="0-306-40615-2, 978-0-306-40615-7", ISSN="03785955"),
             _item(id="b", ISBN="0-306-40615-3", ISSN="0378-5956")]  # fmt: skip
    entries, problems = read_csl("[" + ",".join(given) + "]", "n.json")
    good, bad = (e.record for e in entries)
    assert (good.isbn, good.issn) == ("0306406152", "0378-5955")
    assert (bad.isbn, bad.issn) == (None, None)
    assert sorted((p.key, p.field, p.kind) for p in problems) == [
        ("b", "ISBN", "invalid ISBN, kept as written"),
        ("b", "ISSN", "invalid ISSN, kept as written"),
    ]
    kept = {pair[0]: json.loads(pair[1]) for pair in bad.kept["csl"]}
    assert (kept["ISBN"], kept["ISSN"]) == ("0-306-40615-3", "0378-5956")


def test_a_repeated_name_keeps_its_list(sqlite_db: str, tmp_path: Path) -> None:
    """A list naming one person under two spellings (with and without a particle), or a
    person spelt two ways in one file, is written back from the list kept as it came: the
    catalogue links both spellings to one person."""
    entries, _ = read_csl(json.dumps(WRITTEN_ELSEWHERE[1:2]), "other.json")
    kept = dict((pair[0], pair[1]) for pair in entries[0].record.kept["csl"])
    assert json.loads(kept["author"]) == WRITTEN_ELSEWHERE[1]["author"]
    two = [_item(id="a", author=[{"family": "Serge", "given": "Victor"}]),
           _item(id="b", author=[{"family": "SERGE", "given": "Victor"}])]  # fmt: skip
    path = tmp_path / "two.json"
    path.write_text("[" + ",".join(two) + "]", encoding="utf-8")
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    exported = json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    assert [i["author"] for i in exported] == [json.loads(t)["author"] for t in two]


def test_other_tools_items_come_back_from_a_catalogue_as_written(db: str, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps(WRITTEN_ELSEWHERE, ensure_ascii=False), encoding="utf-8")
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output
    assert "warnings:" in result.output
    exported = invoke(db, "export", "--format", "csl-json").stdout
    by_id = {json.dumps(item["id"]): item for item in json.loads(exported)}
    for item in WRITTEN_ELSEWHERE:
        assert by_id[json.dumps(item["id"])] == item
    again = tmp_path / "again.json"
    again.write_text(exported, encoding="utf-8")
    keys = [v.key for v in catalogue_views(db)]
    assert invoke(db, "import", str(again)).exit_code == 0
    assert [v.key for v in catalogue_views(db)] == keys  # the same keys, nothing added
    assert invoke(db, "export", "--format", "csl-json").stdout == exported


def test_new_columns_are_written_as_csl_variables() -> None:
    edition = view(original=None, pages="12–34", doi="10.1/x", isbn="9780306406157",
                   issn="0378-5955", url="https://x.org", abstract="A.\n\nB.",
                   keywords=["a", "b"], edition_statement="2nd", note="N.",
                   edition_annotation="Ann.")  # fmt: skip
    [item] = items([edition])
    assert (item["page"], item["DOI"], item["ISBN"], item["ISSN"], item["URL"]) == (
        "12–34", "10.1/x", "9780306406157", "0378-5955", "https://x.org",
    )  # fmt: skip
    assert (item["abstract"], item["keyword"], item["edition"]) == ("A.\n\nB.", "a, b", "2nd")
    assert (item["note"], item["annote"]) == ("N.", "Ann.")
    assert "annotation-in-note" not in item.get("custom", {})
    [entry], problems = read_csl(render([edition]), "out.json")
    assert problems == [] and entry.record.kept == {}
    assert (entry.record.note, entry.record.annotation) == ("N.", "Ann.")


@pytest.mark.parametrize(
    "title, language, protected",
    [("Полночь века", None, True), ("日本語の本", None, True), ("Midnight in the Century", None,
      False), ("Полночь века", "ru", False), ("Lénine à Staline", None, False)],
)  # fmt: skip
def test_titles_in_other_scripts_of_unknown_language_keep_their_case(
    title: str, language: str | None, protected: bool
) -> None:
    [item] = items([view(title=title, language=language, original=None)])
    assert (item["title"] == no_case(title)) is protected
    assert plain_text(item["title"]) == title


# ----------------------------------------------------------------------------- pandoc

#: A CSL style that prints every variable the exporter writes between markers, unchanged, so a
#: test sees exactly what pandoc made of each value (``text-case="title"`` on the original's
#: title: an English style's title case must not touch it).
PROBE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>biblio probe</title><id>biblio-probe</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <sort><key variable="volume"/></sort>
    <layout>
      <group>
        <text variable="volume" prefix="⟦volume=" suffix="⟧"/>
        <text variable="title" prefix="⟦title=" suffix="⟧"/>
        <text variable="publisher" prefix="⟦publisher=" suffix="⟧"/>
        <text variable="publisher-place" prefix="⟦publisher-place=" suffix="⟧"/>
        <text variable="collection-title" prefix="⟦collection-title=" suffix="⟧"/>
        <text variable="container-title" prefix="⟦container-title=" suffix="⟧"/>
        <text variable="original-title" text-case="title" prefix="⟦original-title=" suffix="⟧"/>
        <text variable="original-publisher" prefix="⟦original-publisher=" suffix="⟧"/>
        <text variable="original-publisher-place" prefix="⟦original-publisher-place=" suffix="⟧"/>
        <text variable="note" prefix="⟦note=" suffix="⟧"/>
        <names variable="translator" prefix="⟦translator=" suffix="⟧">
          <name name-as-sort-order="all" sort-separator="|" delimiter="+"/>
        </names>
      </group>
    </layout>
  </bibliography>
</style>
"""


def pandoc(csl_json: str, cwd: Path, style: str | None = None) -> str:
    """The bibliography pandoc --citeproc makes of every item of ``csl_json``, as plain text
    (one entry per paragraph, no line wrapping); pandoc must not warn."""
    program = need("pandoc", "pandoc")
    (cwd / "refs.json").write_text(csl_json, encoding="utf-8")
    (cwd / "doc.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    args = [program, "--citeproc", "--bibliography=refs.json", "-t", "plain", "--wrap=none"]
    if style is not None:
        (cwd / "style.csl").write_text(style, encoding="utf-8")
        args.append("--csl=style.csl")
    result = subprocess.run([*args, "doc.md"], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    return result.stdout


def probe(csl_json: str, cwd: Path) -> list[dict[str, str]]:
    """Each entry's printed variables, as the probe style marks them."""
    text = pandoc(csl_json, cwd, PROBE_STYLE)
    return [
        dict(re.findall(r"⟦([a-z-]+)=(.*?)⟧", entry))
        for entry in text.split("\n\n")
        if entry.strip()
    ]


def test_pandoc_prints_the_translators_of_the_seed(seeded_sqlite: str, tmp_path: Path) -> None:
    views = catalogue_views(seeded_sqlite)
    text = pandoc(render(views), tmp_path)
    greeman = [v for v in views if Name("Greeman", "Richard") in v.translators]
    assert len(greeman) == 5
    assert text.count("Translated by Richard Greeman.") == 5
    assert (
        "(1931) 1967. Birth of Our Power. Translated by Richard Greeman. New York: Doubleday."
        in text
    )
    translated = [v for v in views if v.translators]
    assert len(translated) >= 15
    for edition in translated:
        for person in edition.translators:
            assert re.search(rf"[Tt]ranslated by [^.]*\b{re.escape(person.display)}\.", text), (
                edition.key, person.display,
            )  # fmt: skip
    assert "Revolutionary History 5 (3)." in text
    assert "Weissman, Susan, ed. 1997. The Ideas of Victor Serge: A Life as a Work of Art." in text


def test_pandoc_prints_annotations_and_originals_as_they_are(
    seeded_sqlite: str, tmp_path: Path
) -> None:
    views = catalogue_views(seeded_sqlite)
    for number, edition in enumerate(views):
        edition.volume = f"{number:03d}"  # the probe style's sort key and label
    printed = probe(render(views), tmp_path)
    assert len(printed) == len(views)
    for edition, entry in zip(views, printed, strict=True):
        assert entry["volume"] == edition.volume
        assert entry.get("note") == edition.annotation
        source = edition.original
        if source is not None:
            title = f"{source.title}: {source.subtitle}" if source.subtitle else source.title
            # "Naissance de notre force", not title case; apostrophes typographic (see below)
            assert entry["original-title"] == title.replace("'", "\u2019")
            assert entry.get("original-publisher-place") == source.place


def test_pandoc_prints_odd_values_literally(tmp_path: Path) -> None:
    editions = [
        view(
            key=f"odd{number}",
            volume=f"{number:03d}",
            language="fr",
            title=value,
            publisher=value,
            place=value,
            series=value,
            journal=value,
            edition_annotation=value,
            translators=[Name(value, value)],
            original=original(title=value, publisher=value, place=value, annotation=None),
        )
        for number, value in enumerate(ODD)
    ]
    printed = probe(render(editions), tmp_path)
    assert len(printed) == len(ODD)
    for value, entry in zip(ODD, printed, strict=True):
        for variable in ("title", "publisher", "publisher-place", "collection-title",
                         "container-title", "original-title", "original-publisher",
                         "original-publisher-place", "note"):  # fmt: skip
            assert entry[variable] == value, (variable, value, entry[variable])
        # CSL writes a CJK name family then given with no separator, as those languages do.
        separator = "" if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", value) else "|"
        assert entry["translator"] == f"{value}{separator}{value}"
    default = pandoc(render(editions), tmp_path)
    assert "root:" not in default and r"\input{/etc/passwd}" in default


def test_pandoc_reads_csl_markup_in_unescaped_values(tmp_path: Path) -> None:
    """Why the exporter escapes: the same values written raw lose their tags and get narrow
    spaces (measured on pandoc 2.17), in all but note, numbers and names."""
    raw = [{"id": "a", "type": "book", "volume": "1", "title": "<i>italic</i> a ; b",
            "note": "<i>italic</i> a ; b"}]  # fmt: skip
    [entry] = probe(json.dumps(raw), tmp_path)
    assert entry["title"] == "italic a\u202f; b"
    assert entry["note"] == "<i>italic</i> a ; b"


def test_pandoc_makes_straight_quotes_typographic(tmp_path: Path) -> None:
    """Straight quotes are CSL-JSON markup with no escape: processors print the style's
    quotation marks. Measured on pandoc 2.17; note and names keep their double quotes."""
    value = """He said "no" and 'yes', it's"""
    edition = view(title=value, publisher=value, edition_annotation=value, original=None,
                   translators=[Name(value)], volume="1")  # fmt: skip
    [entry] = probe(render([edition]), tmp_path)
    assert entry["title"] == entry["publisher"] == "He said “no” and “yes,” it’s"
    assert entry["note"] == value
    assert entry["translator"] == """He said "no" and ’yes’, it’s"""


def test_pandoc_keeps_the_case_of_a_title_in_another_script(tmp_path: Path) -> None:
    """pandoc title-cases items of no language as English ("Полночь Века"); the export keeps a
    title in another script as it is."""
    edition = view(title="Полночь века", language=None, original=None, translators=[],
                   translator_status="unknown")  # fmt: skip
    text = pandoc(render([edition]), tmp_path)
    assert "Полночь века" in text and "Полночь Века" not in text
    unprotected = json.loads(render([edition]))
    unprotected[0]["title"] = "Полночь века"
    assert "Полночь Века" in pandoc(json.dumps(unprotected), tmp_path)  # why it is needed


def test_an_original_told_two_ways_in_one_file_is_kept_as_written() -> None:
    """The catalogue holds one work per original: items saying different things of it keep
    their original-* variables as written."""
    twins = [view(key="a"), view(key="b", original=original(language=None, place="Lyon"))]
    entries, problems = read_csl(render(twins), "out.json")
    assert problems == []
    for entry in entries:
        kept = {pair[0] for pair in entry.record.kept["csl"]}
        assert {"author", "original-title", "original-publisher-place"} <= kept


@pytest.mark.parametrize(
    "date, expected",
    [
        ("1931-05-02", {"date-parts": [[1931, 5, 2]]}),
        ("-0043", {"date-parts": [[-44]]}),  # 44 BCE, by era as CSL numbers years
        ("0000", {"date-parts": [[-1]]}),
        ("-0100/-0099", {"date-parts": [[-101], [-100]]}),
        ("1988/1992", {"date-parts": [[1988], [1992]]}),
        ("2015-06-22/2015-06-26", {"date-parts": [[2015, 6, 22], [2015, 6, 26]]}),
        ("2016-07-18T20:26:06", {"date-parts": [[2016, 7, 18]]}),
        ("1999-01-uu", {"date-parts": [[1999, 1]]}),
        ("2004-22", {"date-parts": [[2004]], "season": 2}),  # biblatex's summer
        ("199X", {"date-parts": [[1990], [1999]]}),
        ("1723~", {"date-parts": [[1723]], "circa": True}),
        ("../2004-01-01", {"date-parts": [[2004, 1, 1]]}),
        ("submitted", {"date-parts": [[7]]}),  # no date: the sortable year given
    ],
)
def test_biblatex_dates_become_csl_dates(date: str, expected: dict) -> None:  # type: ignore[type-arg]
    """biblatex's EDTF dates in CSL's terms (the CSL-JSON export of an imported .bib): a
    range, a season or an approximate date was a bare year, which pandoc printed so."""
    from biblio.export.csl_json import csl_date

    assert csl_date(date, 7) == expected


def test_a_bib_date_range_reaches_csl_json(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "range.bib"
    path.write_text("@book{r, title = {A}, date = {1988/1992}}\n", encoding="utf-8")
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    (item,) = json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    assert item["issued"] == {"date-parts": [[1988], [1992]]}


def test_a_thesis_and_a_report_keep_their_publisher_and_kind_in_csl(
    sqlite_db: str, tmp_path: Path
) -> None:
    """pandoc reads a .bib thesis's school and a report's institution as the publisher, and
    prints biblatex's type keys localised: the CSL-JSON export says the same ("PhD thesis,
    London: University of London"), where it dropped the school and wrote "Techreport"."""
    path = tmp_path / "kinds.bib"
    path.write_text(
        "@phdthesis{t1, author = {Doe, Jane}, title = {A Study}, school = {University of"
        " London}, year = 2003, address = {London}}\n"
        "@report{r1, author = {Roe, Rick}, title = {R}, type = {techreport}, institution ="
        " {MIT}, date = {2001}, pubstate = {inpress}}\n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    found = {
        i["id"]: i for i in json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    }
    assert (found["t1"]["genre"], found["t1"]["publisher"]) == (
        "PhD thesis",
        "University of London",
    )
    assert (found["r1"]["genre"], found["r1"]["publisher"], found["r1"]["status"]) == (
        "Technical report", "MIT", "in press"
    )  # fmt: skip


def test_years_bce_print_alike_from_biblatex_and_from_csl(sqlite_db: str, tmp_path: Path) -> None:
    """biblatex numbers years astronomically (``-0043`` is 44 BCE), CSL by era (``-44``):
    pandoc prints the CSL-JSON export of a biblatex date as it prints the .bib itself, and
    biber/LaTeX the biblatex export of a CSL date as pandoc prints the CSL-JSON. Both exports
    were a year off ("43BC" from the .bib's 44 BCE)."""
    from .test_latex import build_biblatex

    bib = tmp_path / "bce.bib"
    bib.write_text(
        "@book{caesar, author = {Caesar, Julius}, title = {Commentarii}, date = {-0043},"
        " publisher = {P}}\n",
        encoding="utf-8",
    )
    csl = tmp_path / "bce.json"
    csl.write_text(
        json.dumps([{"id": "homer", "type": "book", "title": "Iliad", "author": [
            {"family": "Homer"}], "issued": {"date-parts": [[-750]]}, "publisher": "Q"}]),
        encoding="utf-8",
    )  # fmt: skip
    assert invoke(sqlite_db, "import", str(bib), str(csl)).exit_code == 0
    exported = invoke(sqlite_db, "export", "--format", "csl-json").stdout
    items = {i["id"]: i for i in json.loads(exported)}
    assert items["homer"]["issued"] == {"date-parts": [[-750]]}  # written back as it came
    from_bib = pandoc_of_bib(bib.read_text(encoding="utf-8"), tmp_path / "bib")
    from_csl = pandoc(json.dumps([items["caesar"]]), _fresh(tmp_path / "csl"))
    assert "44BC" in from_bib and from_csl == from_bib
    assert "750BC" in pandoc(json.dumps([items["homer"]]), _fresh(tmp_path / "homer"))
    biblatex = invoke(sqlite_db, "export", "--format", "biblatex").stdout
    assert "date      = {-0749}" in biblatex
    _, text = build_biblatex(biblatex, _fresh(tmp_path / "tex"), "authoryear,dateera=secular")
    assert "750 BCE" in text and "44 BCE" in text


def _fresh(path: Path) -> Path:
    path.mkdir()
    return path


def pandoc_of_bib(bib: str, cwd: Path) -> str:
    """The bibliography pandoc --citeproc makes of a biblatex file, as plain text."""
    program = need("pandoc", "pandoc")
    cwd.mkdir()
    (cwd / "refs.bib").write_text(bib, encoding="utf-8")
    (cwd / "doc.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    args = [program, "--citeproc", "--bibliography=refs.bib", "-t", "plain", "--wrap=none"]
    result = subprocess.run([*args, "doc.md"], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return result.stdout


def markdown(cwd: Path, bibliography: str) -> str:
    """The bibliography pandoc --citeproc makes of ``bibliography`` (a file in ``cwd``) as
    Markdown, where italics, bold and the rest show; a nocase span as its text (Markdown
    shows the span itself, other targets print the text alone). pandoc must not warn."""
    program = need("pandoc", "pandoc")
    (cwd / "doc.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    args = [program, "--citeproc", f"--bibliography={bibliography}", "-t", "markdown_strict"]
    result = subprocess.run(
        [*args, "--wrap=none", "doc.md"], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    return re.sub(r'<span class="nocase">(.*?)</span>', r"\1", result.stdout)


MARKED_UP_BIB = r"""@book{m1, author = {Smith, John}, title = {On \emph{Hamlet} and {DNA}: the
  1\textsuperscript{st} and \textbf{bold} in \textsc{Unesco}}, date = {2001}, publisher = {P}}
@article{m2, author = {Doe, Jane}, title = {Reading {\em Ulysses} with an {iPhone}},
  journaltitle = {Notes and \emph{Queries}}, date = {2003}, volume = {3}, pages = {1--5}}
@book{m3, author = {Roe, Rick}, title = {Les \mkbibemph{Mis\'erables}}, subtitle =
  {Roman de \textit{Hugo}}, langid = {french}, date = {1999}, publisher = {Q}}
"""


def test_the_csl_export_prints_a_bib_titles_markup_as_pandoc_prints_the_bib(
    sqlite_db: str, tmp_path: Path
) -> None:
    """A .bib title's italics, bold, small capitals and superscripts, and the case its braces
    protect, reach the CSL-JSON export as CSL's rich text: pandoc prints the export as it
    prints the .bib itself (as Markdown, where the markup shows). The export printed every
    such title upright ("On Hamlet and DNA")."""
    need("pandoc", "pandoc")  # skipped early where it is missing
    (tmp_path / "refs.bib").write_text(MARKED_UP_BIB, encoding="utf-8")
    assert invoke(sqlite_db, "import", str(tmp_path / "refs.bib")).exit_code == 0
    (tmp_path / "refs.json").write_text(
        invoke(sqlite_db, "export", "--format", "csl-json").stdout, encoding="utf-8"
    )
    from_bib, from_csl = markdown(tmp_path, "refs.bib"), markdown(tmp_path, "refs.json")
    for marked in ("*Hamlet*", "*Ulysses*", "iPhone", "*Queries*", "1<sup>st</sup>", "**Bold**",
                   '<span class="smallcaps">Unesco</span>', "*Misérables*", "*Hugo*"):  # fmt: skip
        assert marked in from_bib, marked  # the markup is pandoc's own reading of the .bib
    assert from_csl == from_bib


def test_the_bib_exports_print_csl_rich_text_as_pandoc_prints_the_csl(
    sqlite_db: str, tmp_path: Path
) -> None:
    """CSL-JSON's rich text in a title, a journal's and a series' name reaches the biblatex and
    BibTeX exports as LaTeX (``\\emph``, ``\\textbf``, ``\\textsc``, ``\\textsuperscript``, a
    nocase span as a protective group): pandoc prints the biblatex export as it prints the
    CSL-JSON itself. Both exports wrote every such title upright."""
    need("pandoc", "pandoc")  # skipped early where it is missing
    items = [
        {"id": "c1", "type": "book", "title": "On <i>Hamlet</i> and the <b>bold</b> 1<sup>st</sup>"
         ' <span style="font-variant:small-caps;">Unesco</span>', "author": [{"family": "Smith",
         "given": "John"}], "issued": {"date-parts": [[2001]]}, "publisher": "P",
         "collection-title": "Studies in <i>Nature</i>"},
        {"id": "c2", "type": "article-journal", "title": 'Reading <i>Ulysses</i> with an <span'
         ' class="nocase">iPhone</span>', "container-title": "Notes and <i>Queries</i>",
         "author": [{"family": "Doe", "given": "Jane"}], "issued": {"date-parts": [[2003]]},
         "volume": "3", "page": "1-5"},
    ]  # fmt: skip
    (tmp_path / "refs.json").write_text(json.dumps(items), encoding="utf-8")
    assert invoke(sqlite_db, "import", str(tmp_path / "refs.json")).exit_code == 0
    biblatex = invoke(sqlite_db, "export", "--format", "biblatex")
    assert r"= {On \emph{Hamlet} and the \textbf{bold} 1\textsuperscript{st}" in biblatex.stdout
    assert "csl-as-written" not in biblatex.stderr  # nothing else was kept: nothing lost
    (tmp_path / "refs.bib").write_text(biblatex.stdout, encoding="utf-8")
    bibtex = invoke(sqlite_db, "export", "--format", "bibtex").stdout
    assert r"= {{Reading \emph{Ulysses} with an {iPhone}}}" in bibtex
    assert r"= {Notes and \emph{Queries}}" in bibtex
    from_csl = markdown(tmp_path, "refs.json")
    for marked in ("*Hamlet*", "**Bold**", "1<sup>st</sup>", "*Ulysses*", "iPhone", "*Queries*",
                   '<span class="smallcaps">Unesco</span>', "*Nature*"):  # fmt: skip
        assert marked in from_csl, marked
    assert markdown(tmp_path, "refs.bib") == from_csl


def test_a_name_part_with_commas_comes_back_from_the_biblatex_export(
    sqlite_db: str, tmp_path: Path
) -> None:
    """A CSL name whose parts hold commas (a real citeproc-js test item puts three people in
    one) is written for biber with ``\\symbol{44}`` for each comma, and read back as the same
    name: the export read again was "another work" (``\\symbol`` was a command with no text)."""
    path = tmp_path / "commas.json"
    path.write_text(json.dumps([{
        "id": "jg", "type": "article-journal", "title": "Concessions",
        "author": [{"family": "Michael B. Dwyer, Emily Polack and  Sokbunthoeun So",
                    "given": "Christophe Gironde", "suffix": "Christophe Golay, Peter Messerli"}],
        "issued": {"date-parts": [["2016"]]},
    }]), encoding="utf-8")  # fmt: skip
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    written = invoke(sqlite_db, "export").stdout
    assert r"Dwyer\symbol{44} Emily" in written
    (tmp_path / "own.bib").write_text(written, encoding="utf-8")
    result = invoke(sqlite_db, "import", str(tmp_path / "own.bib"))
    assert "1 skipped as duplicates" in result.stderr and "warning" not in result.stderr, (
        result.stderr
    )
    from biblio.latex import decode_latex

    assert decode_latex(r"a\symbol{44} b \symbol{x}") == "a, b x"


def test_markup_beside_a_straight_quote_is_left_out_where_pandoc_would_misread_it(
    sqlite_db: str, tmp_path: Path
) -> None:
    """pandoc pairs straight quotes across CSL's tags: "<span class="nocase">NASA</span>'s"
    printed "NASA‘s", and a quote inside a span whose partner is outside it printed the tags
    themselves ("&lt;span class=…"). Such markup is left out (the text alone), the rest kept."""
    (tmp_path / "q.bib").write_text(
        "@book{q1, author = {Doe, Jane}, title = {Die Abhandlung des Gundisalvi {'De} unitate'},"
        " year = 1891, publisher = {P}}\n"
        "@book{q2, author = {Roe, Rick}, title = {On {NASA}'s plans and \\emph{Hamlet}'s {DNA}},"
        " year = 1990, publisher = {P}}\n",
        encoding="utf-8",
    )
    assert invoke(sqlite_db, "import", str(tmp_path / "q.bib")).exit_code == 0
    exported = invoke(sqlite_db, "export", "--format", "csl-json").stdout
    titles = {item["id"]: item["title"] for item in json.loads(exported)}
    assert titles["q2"] == "On NASA's plans and Hamlet's <span class=\"nocase\">DNA</span>"
    printed = pandoc(exported, tmp_path)
    assert "NASA’s" in printed and "Hamlet’s" in printed, printed
    assert "span" not in printed and "&lt;" not in printed, printed
    assert re.search("[‘“]De Unitate[’”]", printed), printed  # a pair of quotes


def test_csl_dates_reach_the_biblatex_export_whole(sqlite_db: str, tmp_path: Path) -> None:
    """A CSL range, circa, season or original date alone goes out in the biblatex export as
    biblatex's EDTF date, so pandoc prints the export as it prints the CSL-JSON; a raw "44
    BC" is 44 BCE. The export wrote the range's start, no circa, no original date, and 44
    CE for "44 BC" (the raw date's number alone)."""
    issued = {
        "r1": {"date-parts": [[1914], [1918]]}, "r2": {"date-parts": [[1850]], "circa": True},
        "r3": {"date-parts": [[2000]]}, "r4": {"raw": "44 BC"},
        "r5": {"date-parts": [[2004]], "season": 2}, "r6": {"date-parts": [[-100], [-44]]},
    }  # fmt: skip
    titles = {"r1": "A range", "r2": "A circa", "r3": "An original date", "r4": "A raw date",
              "r5": "A season", "r6": "BCE range"}  # fmt: skip
    items: list[dict[str, Any]] = [
        {"id": key, "type": "book", "title": titles[key], "issued": date}
        for key, date in issued.items()
    ]
    items[2]["original-date"] = {"date-parts": [[1931]]}
    for item in items:
        item["author"] = [{"family": "Doe", "given": "Jane"}]
    path = tmp_path / "dates.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    result = invoke(sqlite_db, "export")
    dates = {
        entry.key: (entry.fields_dict["date"].value, entry.fields_dict.get("origdate"))
        for entry in bibtexparser.parse_string(result.stdout).entries
    }
    assert {key: date for key, (date, _) in dates.items()} == {
        "r1": "1914/1918", "r2": "1850~", "r3": "2000", "r4": "-0043", "r5": "2004-22",
        "r6": "-0099/-0043",
    }  # fmt: skip
    assert dates["r3"][1] is not None and dates["r3"][1].value == "1931"
    assert "csl-as-written (1)" in result.stderr  # only the raw form of r4 is not written
    (tmp_path / "refs.bib").write_text(result.stdout, encoding="utf-8")
    from_bib = pandoc_of_bib(result.stdout, tmp_path / "bib")
    from_csl = pandoc(path.read_text(encoding="utf-8"), _fresh(tmp_path / "csl"))
    for printed in ("1914–1918", "(1931) 2000", "44BC", "100BC–44BC"):
        assert printed in from_bib, (printed, from_bib)

    def entries(printed: str) -> set[str]:  # in any order ("———" repeats the author before)
        lines = printed.replace("———.", "Doe, Jane.").splitlines()
        return {line for line in lines if line and "Raw" not in line}

    assert entries(from_bib) == entries(from_csl)


def test_a_chapters_rich_container_title_reaches_booktitle(sqlite_db: str, tmp_path: Path) -> None:
    """A chapter's or a paper's container-title (biblatex's booktitle, kept as a .bib field)
    keeps its rich text as LaTeX in both .bib exports, as a title does: it was written
    upright ("Proceedings of ACL" for "Proceedings of <i>ACL</i>")."""
    path = tmp_path / "chapter.json"
    path.write_text(json.dumps([
        {"id": "k1", "type": "chapter", "title": "On <i>Beowulf</i>", "author": [{"family": "Doe"}],
         "container-title": 'Studies in <i>Beowulf</i> and <span class="nocase">Old English</span>',
         "publisher": "P", "issued": {"date-parts": [[2001]]}},
        {"id": "k2", "type": "paper-conference", "title": "Parsing", "author": [{"family": "Roe"}],
         "container-title": "Proceedings of the 3<sup>rd</sup> <i>ACL</i>",
         "issued": {"date-parts": [[2003]]}},
    ]), encoding="utf-8")  # fmt: skip
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    for fmt in ("biblatex", "bibtex"):
        written = invoke(sqlite_db, "export", "--format", fmt).stdout
        assert r"= {Studies in \emph{Beowulf} and {Old English}}" in written, written
        assert r"= {Proceedings of the 3\textsuperscript{rd} \emph{ACL}}" in written, written
    again = json.loads(invoke(sqlite_db, "export", "--format", "csl-json").stdout)
    assert {i["id"]: i["container-title"] for i in again} == {
        "k1": 'Studies in <i>Beowulf</i> and <span class="nocase">Old English</span>',
        "k2": "Proceedings of the 3<sup>rd</sup> <i>ACL</i>",
    }


def test_an_origdate_with_no_origtitle_reaches_csl(sqlite_db: str, tmp_path: Path) -> None:
    """A .bib ``origdate`` with no ``origtitle`` (no original recorded) is CSL's
    original-date: pandoc printed "(1931) 1992" from the .bib and "1992" from the export."""
    bib = "@book{o1, author = {Doe, Jane}, title = {T}, date = {1992}, origdate = {1931}}\n"
    (tmp_path / "od.bib").write_text(bib, encoding="utf-8")
    assert invoke(sqlite_db, "import", str(tmp_path / "od.bib")).exit_code == 0
    exported = invoke(sqlite_db, "export", "--format", "csl-json").stdout
    assert json.loads(exported)[0]["original-date"] == {"date-parts": [[1931]]}
    assert "(1931) 1992" in pandoc(exported, tmp_path)
