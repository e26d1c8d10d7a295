"""The seeded Serge bibliography, checked entry by entry and field by field against its source.

The source is the bibliography section at the end of the Wikipedia article kept in
``tests/data/victor-serge-article.txt``. The expected values below are *parsed from that text*
here, not copied from ``seeds/serge.toml`` or from biblio: if the seed drifts from the source,
or the catalogue loses or mangles a field on its way through the database and the command line,
a test here fails and names the entry.

The few places where the catalogue deliberately differs from the source (typos corrected, a
variant name recorded under its canonical form, a compilation recorded without an author) are
listed in the small tables after the parser, each with what the source printed; for the
corrections the catalogue must keep the source's reading in a note.

The seed also holds works that only the article's body mentions; they carry the section
:data:`BODY_SECTION`, are left out of the checks here against the bibliography, and are checked
against the body in ``tests/test_seed_body.py``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest

from .conftest import SOURCE_ARTICLE, invoke

# --------------------------------------------------------------------------- parsing the source

BULLET = "  • "
SECTION_END = "Sources:"

#: The source's bibliography lost two headings; these are the bullets they stood above.
LOST_HEADINGS = {"The Long Dusk": "Novels", "Resistance": "Poetry"}

#: The section of the catalogue's entries that come from the article's body, not from its
#: bibliography (checked in ``tests/test_seed_body.py``).
BODY_SECTION = "From the article's body"

#: The form the catalogue gives every entry of a section.
FORM_BY_SECTION = {
    "Novels": "novel",
    "Poetry": "poetry",
    "Non-fiction: Books": "non-fiction",
    "Non-fiction: Collections of essays and articles": "collection",
    "Non-fiction: Pamphlet": "pamphlet",
}

#: One bibliography item, once its continuation lines are joined back on. For example
#: ``Men in Prison (1969) Translator: Richard Greeman; Garden City, NY: Doubleday.
#: Translation of Les hommes dans le prison, Paris 1930.``
ITEM = re.compile(
    r"""
    ^(?P<title>.+?)\ \((?P<year>\d{4})\)                    # Title (Year)
    (?:\ \(with\ (?P<coauthor>[^)]+)\))?                    # (with NAME)
    ,?\ (?P<credit>Translator\ and\ editor:|Translator:|Editor:|Edited\ by)
    \ (?P<name>[^;,]+)[;,]\                                 # ... NAME; or NAME,
    (?:special\ issue\ of\ (?P<journal>[^,]+),
       \ Vol\.(?P<volume>\d+)\ No\.(?P<number>\d+)          # special issue of J, Vol.N No.M
      |(?:(?P<place>[^:;]+?)\ ?:\ )?(?P<publisher>[^:;.]+)  # Place : Publisher, or Publisher
    )\.
    (?:\ Translation\ of:?\ (?P<original>.+?)               # Translation of[:] ORIGINAL,
       [,.]\ (?P<original_place>[A-Z][^,.\d]*)              # Place
       \ (?P<original_year>\d{4})\.)?                       # Year.
    (?:\ Also\ published\ as\ (?P<also>[^.]+)\.)?           # Also published as X.
    $""",
    re.VERBOSE,
)


@dataclass
class Original:
    """The work an edition translates, as the source gives it."""

    title: str
    subtitle: str | None
    place: str
    year: int


@dataclass
class Item:
    """One entry of the source's bibliography, as the source gives it."""

    section: str
    text: str
    title: str
    subtitle: str | None
    year: int
    authors: list[str]
    translators: list[str]
    translator_status: str
    editors: list[str]
    place: str | None
    publisher: str | None
    journal: str | None = None
    volume: str | None = None
    number: str | None = None
    original: Original | None = None
    also_published_as: list[str] = field(default_factory=list)

    @property
    def form(self) -> str:
        return FORM_BY_SECTION[self.section]


def split_title(text: str, separator: str) -> tuple[str, str | None]:
    """``(title, subtitle)``: the text split at its first ``separator``, if it has one."""
    title, _, subtitle = text.partition(separator)
    return title.strip(), (subtitle.strip() or None)


def split_edition_title(text: str) -> tuple[str, str | None]:
    """An English title and subtitle: the source writes ``Title – Subtitle`` or ``Title: Sub``."""
    for separator in (" – ", ": "):
        if separator in text:
            return split_title(text, separator)
    return text, None


def bibliography_lines() -> list[str]:
    """The article's bibliography: its lines from the first item down to ``Sources:``."""
    lines = SOURCE_ARTICLE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(BULLET + "The Long Dusk"))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(SECTION_END))
    return lines[start:end]


def bibliography_items() -> list[tuple[str, str]]:
    """``(section, text)`` for each bullet, its continuation lines joined back on.

    An item that names a person is interrupted by an indented gloss on that person (their
    name, then a line about them) and resumes on an indented line that starts with
    punctuation (``; New York : ...``, ``) Translator: ...``, ``, Vol.5 No.3.``): glosses are
    skipped, continuations appended.
    """
    items: list[tuple[str, str]] = []
    section = ""
    for line in bibliography_lines():
        if line.startswith(BULLET):
            text = line[len(BULLET) :].strip()
            title = text.split(" (")[0]
            section = LOST_HEADINGS.get(title, section)
            items.append((section, text))
        elif line.startswith("    ") and line.strip()[:1] in (";", ",", ")"):
            items[-1] = (items[-1][0], items[-1][1] + line.strip())
        elif line.strip() and not line.startswith(" "):
            section = line.strip()  # a heading that survived, "Non-fiction: Books"
    return items


def parse_item(section: str, text: str) -> Item:
    """The fields of one bibliography item, read with :data:`ITEM`."""
    match = ITEM.match(text)
    assert match, f"the parser does not understand this item: {text!r}"
    title, subtitle = split_edition_title(match["title"])
    credit, name = match["credit"], match["name"].strip()
    translators = [name] if credit.startswith("Translator") and name != "not named" else []
    if credit == "Translator:" and name == "not named":
        status = "not-named"
    else:
        status = "named" if translators else "unknown"
    editors = [name] if credit in ("Translator and editor:", "Editor:", "Edited by") else []
    original = None
    if match["original"]:
        # "Les Coulisses d'une Sûreté générale. Ce que tout ..." is a title and its subtitle
        original_title, original_subtitle = split_title(match["original"], ". ")
        original = Original(
            original_title,
            original_subtitle,
            match["original_place"],
            int(match["original_year"]),
        )
    return Item(
        section=section,
        text=text,
        title=title,
        subtitle=subtitle,
        year=int(match["year"]),
        authors=["Victor Serge"] + ([match["coauthor"]] if match["coauthor"] else []),
        translators=translators,
        translator_status=status,
        editors=editors,
        place=match["place"].strip() if match["place"] else None,
        publisher=match["publisher"].strip() if match["publisher"] else None,
        journal=match["journal"],
        volume=match["volume"],
        number=match["number"],
        original=original,
        also_published_as=[match["also"]] if match["also"] else [],
    )


def words(text: str) -> list[str]:
    """The words of ``text``, lowercased, with punctuation stripped."""
    return re.sub(r"[^\w\s]", "", text.lower()).split()


def shingles(text: str, size: int = 6) -> set[tuple[str, ...]]:
    """Every run of ``size`` consecutive words in ``text``."""
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def normal_name(name: str) -> str:
    """A person's name with initials spaced alike: ``D.J. Cotterill`` -> ``D. J. Cotterill``."""
    return re.sub(r"\.\s*(?=\S)", ". ", name).strip()


def normal_names(names: list[str]) -> list[str]:
    return [normal_name(name) for name in names]


# --------------------------------------------------------- where the catalogue departs from it

#: Typos in the source that the seed corrects: (entry, field, source's reading, catalogue's
#: value). The catalogue must keep the source's reading in the notes of the edition or of its
#: original.
CORRECTIONS = [
    ("The Long Dusk", "original.title", "Les dernier temps", "Les Derniers Temps"),
    ("Men in Prison", "original.title", "Les hommes dans le prison", "Les Hommes dans la prison"),
    (
        "What Everyone Should Know About State Repression",
        "original.subtitle",
        "Ce que tout révolutionnaire devrait savour sur la répression",
        "Ce que tout révolutionnaire devrait savoir sur la répression",
    ),
    ("Memoirs of a Revolutionary", "publisher", "Oxford University", "Oxford University Press"),
]

#: Readings the catalogue records differently without correcting the source: (entry, field,
#: source's reading, catalogue's value).
INTERPRETATIONS = [
    # A compilation about Serge, edited by Susan Weissman: not by Serge.
    ("The Ideas of Victor Serge", "authors", ["Victor Serge"], []),
    # "Natalia Sedova Trotsky" is a variant name of Natalia Sedova, kept among her variants.
    (
        "The Life and Death of Leon Trotsky",
        "authors",
        ["Victor Serge", "Natalia Sedova Trotsky"],
        ["Victor Serge", "Natalia Sedova"],
    ),
]

#: Entries whose note must mention something the source gives oddly: (entry, text).
NOTED_AS_PRINTED = [("The Case of Comrade Tulayev", "Hamilton")]

#: Names of Victor Serge's that the article's body gives, which the catalogue keeps as variants.
SERGE_VARIANTS = ["Victor Lvovich Kibalchich", "Le Rétif"]


def readable_key(key: str, year: int | None) -> bool:
    """A key made of a family name, the year (none for an undated record) and a title word."""
    return re.fullmatch(rf"[a-z]+{year if year is not None else ''}[a-z]+", key) is not None


def corrected(item: Item) -> Item:
    """``item`` with :data:`CORRECTIONS` and :data:`INTERPRETATIONS` applied."""
    for title, path, source, value in CORRECTIONS + INTERPRETATIONS:
        if title != item.title:
            continue
        target: Any = item
        *parents, attribute = path.split(".")
        for parent in parents:
            target = getattr(target, parent)
        assert getattr(target, attribute) == source, (
            f"{title}: the source no longer reads {source!r}"
        )
        setattr(target, attribute, value)
    return item


@cache
def source_items() -> dict[str, Item]:
    """The source's bibliography, parsed and corrected, by (main) English title."""
    items = [corrected(parse_item(section, text)) for section, text in bibliography_items()]
    return {item.title: item for item in items}


def article_text() -> str:
    return SOURCE_ARTICLE.read_text(encoding="utf-8")


@cache
def article_shingles() -> frozenset[tuple[str, ...]]:
    return frozenset(shingles(article_text()))


TITLES = sorted(source_items())


# ------------------------------------------------------------------- reading the catalogue


def run(db: str, *args: str) -> str:
    """The standard output of a successful ``biblio`` command."""
    result = invoke(db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def listing(db: str) -> list[dict[str, Any]]:
    """``biblio list --format json``."""
    return json.loads(run(db, "list", "--format", "json"))


def record_of(db: str, key: str) -> dict[str, Any]:
    """``biblio show KEY --format json``."""
    return json.loads(run(db, "show", key, "--format", "json"))


def records(db: str) -> list[dict[str, Any]]:
    """The shown record of every listed entry, bibliography and body alike."""
    return [record_of(db, entry["key"]) for entry in listing(db)]


def shown(db: str, title: str) -> dict[str, Any]:
    """``biblio show KEY --format json`` for the listed entry titled ``title``."""
    keys = [entry["key"] for entry in listing(db) if entry["title"] == title]
    assert len(keys) == 1, f"{len(keys)} catalogue entries titled {title!r}"
    return record_of(db, keys[0])


def copied_runs(text: str) -> set[str]:
    """The 6-word runs of ``text`` that also occur in the article."""
    return {" ".join(run) for run in shingles(text) & article_shingles()}


# ------------------------------------------------------------------------------------ tests


def test_the_parser_reads_every_item_of_the_source() -> None:
    """The source lists 21 items in five sections; the parser must find them all."""
    items = source_items()
    assert len(bibliography_items()) == 21
    assert len(items) == 21, "two items share a title"
    sections = [item.section for item in items.values()]
    assert {section: sections.count(section) for section in FORM_BY_SECTION} == {
        "Novels": 7,
        "Poetry": 1,
        "Non-fiction: Books": 6,
        "Non-fiction: Collections of essays and articles": 6,
        "Non-fiction: Pamphlet": 1,
    }


def test_catalogue_has_exactly_the_sources_entries(seeded: str) -> None:
    """The entries of the bibliography's sections are the source's 21; any other entry is
    marked as coming from the article's body."""
    every = records(seeded)
    assert {record["section"] for record in every} <= {*FORM_BY_SECTION, BODY_SECTION}
    titles = [record["title"] for record in every if record["section"] != BODY_SECTION]
    assert len(titles) == 21
    assert sorted(titles) == TITLES


@pytest.mark.parametrize("title", TITLES)
def test_entry_matches_source(seeded: str, title: str) -> None:
    """Every field of the listed and the shown entry is what the source gives."""
    item = source_items()[title]
    listed = next(entry for entry in listing(seeded) if entry["title"] == title)
    record = shown(seeded, title)

    for entry in (listed, record):
        assert entry["title"] == item.title
        assert entry["subtitle"] == item.subtitle
        assert entry["year"] == item.year
        assert normal_names(entry["authors"]) == normal_names(item.authors)
        assert normal_names(entry["translators"]) == normal_names(item.translators)
        assert entry["translator_status"] == item.translator_status
        assert normal_names(entry["editors"]) == normal_names(item.editors)
        assert entry["place"] == item.place
        assert entry["publisher"] == item.publisher
        assert entry["language"] == "en"
        assert entry["form"] == item.form
        assert entry["also_published_as"] == item.also_published_as
        if item.original is None:
            assert entry["original"] is None
        else:
            original = entry["original"]
            assert original is not None
            assert original["title"] == item.original.title
            assert original["subtitle"] == item.original.subtitle
            assert original["year"] == item.original.year
            assert original["place"] == item.original.place
            assert original["language"] == "fr"

    assert record["date"] == str(item.year)
    assert record["section"] == item.section
    assert record["journal"] == item.journal
    assert record["volume"] == item.volume
    assert record["number"] == item.number
    if item.original is not None:
        assert record["original"]["date"] == str(item.original.year)
        assert record["original"]["form"] == item.form
    people = {normal_name(person["name"]) for person in record["people"]}
    assert people == set(normal_names(item.authors + item.translators + item.editors))


@pytest.mark.parametrize(
    ("title", "path", "source", "value"),
    CORRECTIONS,
    ids=[f"{title}: {path}" for title, path, *_ in CORRECTIONS],
)
def test_correction_keeps_the_sources_reading(
    seeded: str, title: str, path: str, source: str, value: str
) -> None:
    """A corrected field holds the correction, and a note holds what the source printed."""
    record = shown(seeded, title)
    target = record
    *parents, attribute = path.split(".")
    for parent in parents:
        target = target[parent]
    assert target[attribute] == value
    assert source in article_text()
    notes = [record["notes"] or "", (record["original"] or {}).get("notes") or ""]
    assert any(source in note for note in notes), f"no note keeps {source!r}: {notes}"


@pytest.mark.parametrize(("title", "text"), NOTED_AS_PRINTED, ids=[t for t, _ in NOTED_AS_PRINTED])
def test_note_on_what_the_source_prints(seeded: str, title: str, text: str) -> None:
    record = shown(seeded, title)
    assert text in (record["notes"] or "")


def test_variant_name_from_the_source_is_kept(seeded: str) -> None:
    """The source's "Natalia Sedova Trotsky" is recorded as Natalia Sedova, under a variant."""
    record = shown(seeded, "The Life and Death of Leon Trotsky")
    (sedova,) = [person for person in record["people"] if person["name"] == "Natalia Sedova"]
    assert "(with Natalia Sedova Trotsky)" in source_items()[record["title"]].text
    assert "Natalia Sedova Trotsky" in sedova["variants"]


@pytest.mark.parametrize("title", TITLES)
def test_work_annotation_in_our_own_words(seeded: str, title: str) -> None:
    """The work (or a compilation with no original) has an annotation not copied from the source."""
    record = shown(seeded, title)
    annotated = record["original"] if record["original"] is not None else record
    annotation = (annotated["annotation"] or "").strip()
    assert annotation, f"{title}: no annotation"
    assert not copied_runs(annotation), f"{title}: annotation copies the article"


@pytest.mark.parametrize("title", TITLES)
def test_people_notes_in_our_own_words(seeded: str, title: str) -> None:
    record = shown(seeded, title)
    assert record["people"]
    for person in record["people"]:
        note = (person["note"] or "").strip()
        assert note, f"{person['name']}: no note"
        assert not copied_runs(note), f"{person['name']}: note copies the article"


def test_serge_variant_names_from_the_article(seeded: str) -> None:
    record = shown(seeded, "Birth of our Power")
    (serge,) = [person for person in record["people"] if person["name"] == "Victor Serge"]
    for variant in SERGE_VARIANTS:
        assert variant in article_text()
        assert variant in serge["variants"]


def snapshot(db: str) -> dict[str, str]:
    """What a user sees of the whole catalogue: its biblatex export and its JSON listing."""
    return {
        "export": run(db, "export", "--format", "biblatex"),
        "list": run(db, "list", "--format", "json"),
    }


def test_seeding_twice_changes_nothing(seeded: str) -> None:
    before = snapshot(seeded)
    again = invoke(seeded, "seed")
    assert again.exit_code == 0, again.output
    assert re.search(r"\b0 created\b", again.stderr), again.stderr
    assert re.search(r"\b0 updated\b", again.stderr), again.stderr
    after = snapshot(seeded)
    assert after["export"] == before["export"]
    assert after["list"] == before["list"]


def test_citation_keys_are_unique_and_readable(seeded: str) -> None:
    """Keys are unique among editions and among originals, and an edition's key is no other
    edition's original's: only an undated edition in its original's language (same title, no
    year) shares its own original's key. Each key reads as name, year (if any), title word."""
    every = records(seeded)
    originals = [record["original"] for record in every if record["original"] is not None]
    edition_keys = [record["key"] for record in every]
    work_keys = [original["key"] for original in originals]
    assert len(edition_keys) == len(set(edition_keys)), sorted(edition_keys)
    assert len(work_keys) == len(set(work_keys)), sorted(work_keys)
    for record in every:
        own = record["original"]["key"] if record["original"] is not None else None
        assert record["key"] == own or record["key"] not in work_keys, record["key"]
        assert readable_key(record["key"], record["year"]), record["key"]
    for original in originals:
        assert readable_key(original["key"], original["year"]), original["key"]


@pytest.mark.parametrize("title", TITLES)
def test_citation_key_names_author_year_and_title(seeded: str, title: str) -> None:
    """A key is the first author's (else editor's) family name, the year, a word of the title."""
    item = source_items()[title]
    (key,) = [entry["key"] for entry in listing(seeded) if entry["title"] == title]
    person = (item.authors or item.editors)[0]
    prefix = f"{words(person)[-1]}{item.year}"
    assert key.startswith(prefix)
    assert key[len(prefix) :] in re.split(r"[^a-z]+", title.lower())


def test_birth_of_our_power_key(seeded: str) -> None:
    (key,) = [entry["key"] for entry in listing(seeded) if entry["title"] == "Birth of our Power"]
    assert key == "serge1967birth"
