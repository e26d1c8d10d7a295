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

from .conftest import _fresh_postgres_database, need
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
            "custom": {"original-language": "fr"},
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
        ({"extra_fields": [("location", "{Paris and London}")], "original": None},
         {"imported-fields": "dropped"}),
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
        original=original(language=None),
        translators=[Name("ter Borch", "Gerard"), Name("Smith", "Ann, Jo")],
    ),  # fmt: skip
]


def test_an_export_reads_back_as_the_same_records() -> None:
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
            "ISBN": "978-0-00-000000-0",
            "page": "12-34",
            "accessed": {"date-parts": [[2020, 1, 31]]},
            "archive": "Fonds Serge & <i>Co</i>",
            "abstract": "100% <i>true</i>",
        }
    ]
    entries, problems = read_csl(json.dumps(zotero), "zotero.json")
    assert problems == []
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
    assert fields_["doi"] == "10.1000/xyz_1"
    assert fields_["url"] == "https://example.org/a_b?c=1&d=2"
    assert fields_["isbn"] == "978-0-00-000000-0"
    assert fields_["pages"] == "12-34"
    assert fields_["urldate"] == "2020-01-31"
    assert fields_["archive"] == r"Fonds Serge \& Co"
    assert fields_["bookauthor"] == "Editor, Book"
    [item] = json.loads(render(views))
    assert item["DOI"] == "10.1000/xyz_1" and item["URL"] == "https://example.org/a_b?c=1&d=2"
    assert item["page"] == "12-34" and item["ISBN"] == "978-0-00-000000-0"
    assert item["accessed"] == {"date-parts": [[2020, 1, 31]]}
    assert item["archive"] == "Fonds Serge & Co" and item["abstract"] == "100% true"
    assert item["container-author"] == [{"family": "Editor", "given": "Book"}]
    assert lost_facts(views[0]) == {}


def _item(**values: Any) -> str:
    return json.dumps({"id": "a", "type": "book", "title": "T", **values}, ensure_ascii=False)


#: (name, file text, (line, key, field, words of the message)).
MALFORMED = [
    ("invalid JSON", '[\n {"id": "a",\n  "title": "T"\n  "type": "book"}\n]',
     (4, None, None, "invalid JSON: Expecting ',' delimiter")),
    ("not an array", '{"id": "a", "type": "book", "title": "T"}',
     (1, None, None, "expected an array")),
    ("not an item", '[\n  42\n]', (2, None, None, "not a CSL item")),
    ("no id", '[\n {"type": "book",\n  "title": "T"}\n]', (2, None, "id", "no id")),
    ("bad id", '[\n' + _item(id="a b") + "\n]", (2, None, "id", "cannot be a citation key")),
    ("repeated id", "[\n" + _item() + ",\n" + _item() + "\n]",
     (3, "a", "id", "key 'a' repeated in the file (first at line 2)")),
    ("no title", '[\n {"id": "a",\n  "type": "book"}\n]', (2, "a", "title", "no title")),
    ("blank title", '[\n {"id": "a",\n  "type": "book",\n  "title": " "}\n]',
     (4, "a", "title", "no title")),
    ("no type", '[\n {"id": "a",\n  "title": "T"}\n]', (2, "a", "type", "no type")),
    ("unknown type", '[\n {"id": "a",\n  "type": "novel", "title": "T"}\n]',
     (3, "a", "type", "unknown CSL type 'novel'")),
    ("invalid date", '[\n {"id": "a", "type": "book", "title": "T",\n'
     '  "issued": {"date-parts": [[1931, 13]]}}\n]', (3, "a", "issued", "no such month or day")),
    ("date range", "[\n" + _item(issued={"date-parts": [[1930], [1931]]}) + "\n]",
     (2, "a", "issued", "date ranges are not supported")),
    ("literal date", "[\n" + _item(issued={"literal": "Spring 1931"}) + "\n]",
     (2, "a", "issued", "a literal date is not supported")),
    ("invalid original date", "[\n" + _item(**{"original-title": "O",
     "original-date": "1931-02-30"}) + "\n]", (2, "a", "original-date", "no such month")),
    ("unknown variable", '[\n {"id": "a", "type": "book", "title": "T",\n  "titel": "U"}\n]',
     (3, "a", "titel", "unknown CSL variable 'titel'")),
    ("repeated variable", '[\n {"id": "a", "type": "book", "title": "T",\n  "title": "U"}\n]',
     (3, "a", "title", "variable 'title' repeated in the item")),
    ("name without family", "[\n" + _item(author=[{"given": "Victor"}]) + "\n]",
     (2, "a", "author", "has no family name")),
    ("names not a list", "[\n" + _item(translator="Greeman, Richard") + "\n]",
     (2, "a", "translator", "expected a list of names")),
    ("title not text", "[\n" + _item(title=["T"]) + "\n]", (2, "a", "title", "expected text")),
    ("unknown language", "[\n" + _item(language="martian") + "\n]",
     (2, "a", "language", "unknown language 'martian'")),
    ("bad custom", "[\n" + _item(custom={"translator-status": "lost"}) + "\n]",
     (2, "a", "custom", "custom 'translator-status' must be one of")),
    ("translator status and translators", "[\n" + _item(
     custom={"translator-status": "not-named"}, translator=[{"family": "G"}]) + "\n]",
     (2, "a", None, "translator_status 'not-named' but translators are given")),
    ("verbatim field with a brace", "[\n" + _item(URL="http://x.org/}") + "\n]",
     (2, "a", "URL", "cannot be a biblatex verbatim field")),
]  # fmt: skip


@pytest.mark.parametrize(
    "text, expected", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_input_is_a_problem_naming_line_key_and_field(
    text: str, expected: tuple[int, str | None, str | None, str]
) -> None:
    entries, problems = read_csl(text, "in.json")
    line, key, field, words = expected
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.file, problem.line, problem.key, problem.field) == ("in.json", line, key, field)
    assert words in problem.message
    assert str(problem).startswith(f"in.json:{line}")
    assert [e.record.key for e in entries] == (["a"] if "repeated in the file" in words else [])


def test_a_bad_item_leaves_the_good_ones_for_skip_invalid() -> None:
    text = "[\n" + _item(id="good") + ",\n" + _item(id="bad", issued="May 1931") + "\n]"
    entries, problems = read_csl(text, "in.json")
    assert [e.record.key for e in entries] == ["good"]
    assert [(p.line, p.key, p.field) for p in problems] == [(3, "bad", "issued")]
    assert entries[0].line == 2


def test_dates_and_languages_in_their_other_forms() -> None:
    text = "[" + _item(issued="1931-05", language="fr-FR") + "]"
    [entry], problems = read_csl(text, "in.json")
    assert problems == []
    assert (entry.record.date, entry.record.language) == ("1931-05", "fr")
    text = "[" + _item(issued={"date-parts": [["931"]]}, language="French") + "]"
    [entry], _ = read_csl(text, "in.json")
    assert (entry.record.date, entry.record.language) == ("0931", "fr")


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
        if edition.original and edition.original.annotation and edition.edition_annotation:
            expected |= {"annotation", "original.annotation"}  # where the note splits
        actual = _differences(before[key], after[key])
        # Facts lost together can leave an attribute unchanged (a title without subtitle).
        assert actual <= expected, (key, actual - expected)
        assert all(actual & FACT_ATTRIBUTES[fact] for fact in lost_facts(edition)), (key, actual)


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
