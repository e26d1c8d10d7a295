"""The seed's works from the article's body, checked against the body's own sentences.

Besides its bibliography, the Wikipedia article in ``tests/data/victor-serge-article.txt``
mentions works in its running text: a book Serge translated into French, a book he wrote in
Mexico with two co-authors, and a date of first publication that differs from the
bibliography's. The seed records them as entries of the section
:data:`~tests.test_seed.BODY_SECTION` (or, for the date, as a note on the listed work).

As in ``test_seed.py``, the expected values are *parsed from the article* here: the body is
rejoined into plain paragraphs (the copy interrupts sentences with a gloss on each linked
name), and a few sentence patterns read the facts out of it. What the body mentions but the
catalogue leaves out, because the facts do not suffice, is listed in :data:`LEFT_OUT` with
the reason, so that every mention of a translation is accounted for.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from .test_seed import (
    BODY_SECTION,
    BULLET,
    article_text,
    copied_runs,
    listing,
    normal_name,
    record_of,
    run,
    source_items,
)

# ------------------------------------------------------------------ the body as plain prose

GLOSS_END = "..."
"""How the copy's gloss on a linked name ends: ``Vera Nikolayevna Figner was ... born in
Kazan, Russia.-Biography:...``."""


def body_lines() -> list[str]:
    """The article's lines above its bibliography (whose first item is The Long Dusk)."""
    lines = article_text().splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith(BULLET + "The Long Dusk"))
    return lines[:end]


def is_gloss(line: str) -> bool:
    return line.rstrip().endswith(GLOSS_END)


def is_link_title(lines: list[str], i: int) -> bool:
    """Whether ``lines[i]``, just above a gloss, is the linked article's title (``Vera
    Figner``) rather than prose: a short line that starts a word, below a line of prose that
    breaks off mid-sentence (``... and translating Vera Figner``)."""
    line, above = lines[i], lines[i - 1] if i > 0 else ""
    return (
        len(line) <= 50
        and line[:1].isalnum()
        and bool(above.strip())
        and not above.rstrip().endswith(".")
    )


def joined(parts: list[str]) -> str:
    """Lines of one paragraph as one string: a line that resumes a sentence after a gloss
    (``'s Memoires ...``, ``, Belgium``, a non-breaking space) is glued on as it stands."""
    text = parts[0]
    for part in parts[1:]:
        text += part if not part[:1].isalnum() else " " + part
    return " ".join(text.replace("\xa0", " ").split())


@cache
def body_paragraphs() -> tuple[tuple[str, str], ...]:
    """``(heading, paragraph)`` for each paragraph of the body, glosses removed.

    A gloss is a line ending in :data:`GLOSS_END`, the linked title above it if there is
    one, and the blank line below it; the line after that, if not blank, carries the
    interrupted sentence on. A heading is a paragraph of one short line with no final stop.
    """
    lines = body_lines()
    dropped: set[int] = set()
    for i, line in enumerate(lines):
        if is_gloss(line):
            dropped.add(i)
            if i + 1 < len(lines) and not lines[i + 1].strip():
                dropped.add(i + 1)
            if i > 0 and is_link_title(lines, i - 1):
                dropped.add(i - 1)
    paragraphs: list[str] = []
    current: list[str] = []
    for i, line in enumerate(lines):
        if i in dropped:
            continue
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(joined(current))
            current = []
    if current:
        paragraphs.append(joined(current))
    result: list[tuple[str, str]] = []
    heading = ""
    for paragraph in paragraphs:
        if len(paragraph) <= 50 and not re.search(r"[.!?:\"”]$", paragraph):
            heading = paragraph
        else:
            result.append((heading, paragraph))
    return tuple(result)


def sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", paragraph)


@dataclass(frozen=True)
class Mention:
    """A sentence pattern's match in the body, with the heading it stands under."""

    heading: str
    paragraph: str
    match: re.Match[str]


def mentions(pattern: re.Pattern[str]) -> list[Mention]:
    return [
        Mention(heading, paragraph, match)
        for heading, paragraph in body_paragraphs()
        for match in pattern.finditer(paragraph)
    ]


# ------------------------------------------------------------------- what the body says

NAME = r"[A-Z][\w.-]*(?: [A-Z][\w.-]*)*"

#: ``... and translating Vera Figner's Memoires d'un révolutionnaire into French.``
TRANSLATED = re.compile(
    rf"\btranslating (?P<author>{NAME})'s (?P<title>[^,;]+?) into (?P<language>[A-Z]\w+)\b"
)

#: ``... and wrote Los problemas del socialismo en nuestro tiempo with Marceau Pivert and
#: Julián Gorkin``
WRITTEN_WITH = re.compile(
    rf"\bwrote (?P<title>[A-Z][^,.;]*?) with (?P<first>{NAME}) and (?P<second>{NAME})(?=[.,;]|$)"
)

#: ``His autobiography, Memoirs of a Revolutionary, was first published in the United
#: States in 1945.``
FIRST_PUBLISHED = re.compile(
    r"(?P<title>[A-Z][\w ]+), was first published in (?:the )?(?P<place>[A-Z][\w ]+?)"
    r" in (?P<year>\d{4})\."
)

#: ``... writing Year One of the Russian Revolution (1930), completing two novels ...``
DATED_TITLE = re.compile(
    r"(?P<title>[A-Z][\w']*(?: (?:[A-Z][\w']*|of|the|in|to|a|our))*) \((?P<year>\d{4})\)"
)

#: ``These books were banned in the Soviet Union, but were published in France and Spain.``
PUBLISHED_IN = re.compile(r"\bwere published in (?P<places>[A-Z]\w+(?: and [A-Z]\w+)*)\.")

#: Language names of the body's sentences, as the catalogue records them.
LANGUAGE_CODES = {"French": "fr", "Spanish": "es", "English": "en", "Russian": "ru"}

#: Readings of the body the catalogue records differently: (what the body prints, the
#: catalogue's value). A corrected title's note must keep the body's reading.
BODY_CORRECTIONS = {
    # The accent of "Mémoires", which the article keeps on Serge's own memoirs.
    "Memoires d'un révolutionnaire": "Mémoires d'un révolutionnaire",
}

#: Languages the body does not state, taken from the title it gives.
TITLE_LANGUAGES = {"Los problemas del socialismo en nuestro tiempo": "Spanish"}

#: Mentions of translation work in the body that name no work the catalogue could record:
#: (words of the sentence, why it is left out).
LEFT_OUT = [
    (
        "as a journalist, editor and translator",
        "Serge's work for the Comintern in general, with no title named",
    ),
    (
        "translating the works of Lenin into foreign languages",
        "no title and no language named; the article adds that he got no credit for them",
    ),
]


def corrected_title(printed: str) -> str:
    return BODY_CORRECTIONS.get(printed, printed)


def translations() -> list[Mention]:
    return mentions(TRANSLATED)


def written_with() -> list[Mention]:
    return mentions(WRITTEN_WITH)


def expected_body_titles() -> list[str]:
    titles = [corrected_title(m.match["title"]) for m in translations()]
    titles += [m.match["title"] for m in written_with()]
    return sorted(titles)


# ------------------------------------------------------------------- reading the catalogue


def body_records(db: str) -> dict[str, dict[str, Any]]:
    """The shown records of the catalogue's body entries, by title."""
    every = [record_of(db, entry["key"]) for entry in listing(db)]
    return {record["title"]: record for record in every if record["section"] == BODY_SECTION}


def body_record(db: str, title: str) -> dict[str, Any]:
    found = body_records(db)
    assert title in found, f"no body entry titled {title!r}: {sorted(found)}"
    return found[title]


def annotation_of(record: dict[str, Any]) -> str:
    """The annotation of the work: its original's, or the edition's when it has none."""
    annotated = record["original"] if record["original"] is not None else record
    return (annotated["annotation"] or "").strip()


def people(record: dict[str, Any], role: str) -> list[str]:
    return [normal_name(p["name"]) for p in record["people"] if p["role"] == role]


# ------------------------------------------------------------------------ the body parsed


def test_body_reads_as_prose() -> None:
    """The glosses are gone and the sentences they interrupted are whole again."""
    paragraphs = [paragraph for _, paragraph in body_paragraphs()]
    headings = {heading for heading, _ in body_paragraphs()}
    assert not any(GLOSS_END in paragraph for paragraph in paragraphs)
    assert {"Early life", "After Stalin's victory", "In Mexico", "On literature"} <= headings
    assert any("Serge was born in Brussels, Belgium, to a couple" in p for p in paragraphs)
    assert any("Lev Kamenev, members of the ruling troika" in p for p in paragraphs)


def test_the_body_has_the_expected_mentions() -> None:
    """One translation, one co-written book, one first publication; if the article is
    replaced or the parsing breaks, this says so before the entries are compared."""
    assert [(m.heading, m.match["author"], m.match["language"]) for m in translations()] == [
        ("After Stalin's victory", "Vera Figner", "French")
    ]
    assert [(m.heading, m.match["first"], m.match["second"]) for m in written_with()] == [
        ("In Mexico", "Marceau Pivert", "Julián Gorkin")
    ]
    assert [m.heading for m in mentions(FIRST_PUBLISHED)] == ["In Mexico"]


def test_every_mention_of_translation_is_accounted_for() -> None:
    """Each sentence of the body about translating either yields an entry or is left out
    for a stated reason."""
    unexplained = []
    for _, paragraph in body_paragraphs():
        for sentence in sentences(paragraph):
            if not re.search(r"\btranslat", sentence, re.IGNORECASE):
                continue
            if TRANSLATED.search(sentence):
                continue
            if not any(words in sentence for words, _ in LEFT_OUT):
                unexplained.append(sentence)
    assert not unexplained
    for words, _ in LEFT_OUT:
        assert any(words in paragraph for _, paragraph in body_paragraphs()), words


# ------------------------------------------------------------------- the catalogue's entries


def test_catalogue_has_exactly_the_bodys_entries(seeded: str) -> None:
    assert sorted(body_records(seeded)) == expected_body_titles()


@pytest.mark.parametrize("mention", translations(), ids=lambda m: m.match["title"])
def test_translation_matches_the_body(seeded: str, mention: Mention) -> None:
    """A book Serge translated: the translation, by its author, in the language it was put
    into, with no original (the body gives no original title) and no date or publisher (it
    gives none for this book; the paragraph's years are those of other books)."""
    match = mention.match
    record = body_record(seeded, corrected_title(match["title"]))
    assert record["authors"] == [match["author"]]
    assert record["translators"] == ["Victor Serge"]
    assert record["translator_status"] == "named"
    assert record["language"] == LANGUAGE_CODES[match["language"]]
    assert record["original"] is None
    assert not re.search(r"\d{4}", match[0])
    assert (record["year"], record["date"], record["place"], record["publisher"]) == (None,) * 4
    assert record["form"] == "non-fiction"
    notes = record["notes"] or ""
    if match["title"] in BODY_CORRECTIONS:
        assert match["title"] in notes, "the note must keep the body's reading"
    # Where the paragraph says the books of those years were published, and the year that
    # opens it (his expulsion from the party), are in the note.
    places = PUBLISHED_IN.search(mention.paragraph)
    assert places is not None
    for place in places["places"].split(" and "):
        assert place in notes
    opening_year = re.search(r"\b\d{4}\b", mention.paragraph)
    assert opening_year is not None and opening_year[0] in notes
    # The body does not give the original's language; the note infers it from the
    # author's gloss ("Vera Nikolayevna Figner was a Russian revolutionary ...").
    family = match["author"].split()[-1]
    gloss = re.search(
        rf"^[\w ]*\b{family} was an? (?P<nationality>[A-Z]\w+)\b", article_text(), re.M
    )
    assert gloss is not None and gloss["nationality"] in notes


@pytest.mark.parametrize("mention", written_with(), ids=lambda m: m.match["title"])
def test_co_written_book_matches_the_body(seeded: str, mention: Mention) -> None:
    """A book Serge wrote with two others: the book itself, in the language of its title,
    untranslated, with its authors in the body's order and no date, place or publisher."""
    match = mention.match
    record = body_record(seeded, match["title"])
    assert record["authors"] == ["Victor Serge", match["first"], match["second"]]
    assert people(record, "author") + people(record, "coauthor") == record["authors"]
    language = LANGUAGE_CODES[TITLE_LANGUAGES[match["title"]]]
    assert record["language"] == language
    assert record["translators"] == [] and record["translator_status"] == "none"
    original = record["original"]
    assert original is not None
    assert (original["title"], original["language"]) == (match["title"], language)
    assert not re.search(r"\d{4}", match[0])
    assert (record["year"], record["place"], record["publisher"]) == (None, None, None)
    assert (original["year"], original["place"], original["publisher"]) == (None, None, None)
    notes = record["notes"] or ""
    assert mention.heading == "In Mexico" and "Mexico" in notes
    for name in (match["first"], match["second"]):
        assert name in notes


@pytest.mark.parametrize("mention", mentions(FIRST_PUBLISHED), ids=lambda m: m.match["title"])
def test_first_publication_in_the_body_is_noted(seeded: str, mention: Mention) -> None:
    """The body dates a listed work's first publication differently from the bibliography:
    the bibliography's facts stand, and the original's note gives the body's."""
    match = mention.match
    item = source_items()[match["title"]]
    assert item.original is not None and item.original.year != int(match["year"])
    listed = [entry for entry in listing(seeded) if entry["title"] == match["title"]]
    assert len(listed) == 1
    record = record_of(seeded, listed[0]["key"])
    assert record["section"] == item.section
    assert record["original"]["year"] == item.original.year
    assert record["original"]["place"] == item.original.place
    notes = record["original"]["notes"] or ""
    assert match["year"] in notes and match["place"] in notes
    assert not copied_runs(notes)


def test_the_bodys_other_dates_agree_with_the_bibliography() -> None:
    """Every "Title (year)" of the body is a listed work, dated as the bibliography dates its
    original: no other date of the body differs."""
    dated = mentions(DATED_TITLE)
    assert len(dated) == sum(len(re.findall(r"\(\d{4}\)", p)) for _, p in body_paragraphs())
    by_title = {}
    for item in source_items().values():
        for title in (item.title, *item.also_published_as):
            by_title[title.casefold()] = item
    for mention in dated:
        item = by_title.get(mention.match["title"].casefold())
        assert item is not None, f"not in the bibliography: {mention.match[0]}"
        year = item.original.year if item.original is not None else item.year
        assert int(mention.match["year"]) == year, mention.match[0]
    assert len(dated) == 6


@pytest.mark.parametrize("title", expected_body_titles())
def test_body_entry_annotation_and_note_in_our_own_words(seeded: str, title: str) -> None:
    record = body_record(seeded, title)
    annotation = annotation_of(record)
    assert annotation, f"{title}: no annotation"
    assert not copied_runs(annotation), f"{title}: annotation copies the article"
    notes = (record["notes"] or "").strip()
    assert notes.startswith("From the article's body"), f"{title}: no note on the source"
    assert not copied_runs(notes), f"{title}: note copies the article"


@pytest.mark.parametrize("title", expected_body_titles())
def test_body_entry_people_from_the_article(seeded: str, title: str) -> None:
    """Every person has a note in our own words, and the variant names the article's glosses
    give (``Vera Nikolayevna Figner was ...``, ``X, better known as Julián Gorkin was ...``)."""
    record = body_record(seeded, title)
    assert record["people"]
    for person in record["people"]:
        note = (person["note"] or "").strip()
        assert note, f"{person['name']}: no note"
        assert not copied_runs(note), f"{person['name']}: note copies the article"
        if person["name"] == "Victor Serge":
            continue  # his names are checked in test_seed.py
        given, family = person["name"].rsplit(" ", 1)
        patterns = [
            rf"^(?P<variant>{given} [\w-]+ {family}) was\b",
            rf"^(?P<variant>[\w -]+), better known as {person['name']} was\b",
        ]
        found = {m["variant"] for p in patterns for m in re.finditer(p, article_text(), re.M)}
        assert sorted(person["variants"]) == sorted(found), person["name"]


def test_translator_serge_lists_exactly_the_bodys_translations(seeded: str) -> None:
    """``biblio list --translator "Victor Serge"``: the books the body says he translated."""
    rows = [
        (row["title"], row["authors"], row["translators"], row["language"])
        for row in json.loads(
            run(seeded, "list", "--translator", "Victor Serge", "--format", "json")
        )
    ]
    expected = [
        (
            corrected_title(m.match["title"]),
            [m.match["author"]],
            ["Victor Serge"],
            LANGUAGE_CODES[m.match["language"]],
        )
        for m in translations()
    ]
    assert sorted(rows) == sorted(expected)
    assert rows  # the body does name one
