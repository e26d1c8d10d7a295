"""Checks: what a careful librarian wants to know about a catalogue before trusting it.

``run_checks(session)`` reads the whole catalogue and returns a list of ``Finding``: a check's
stable id, the subject it is about (an edition's key, or the names or titles involved) and one
line saying what looks wrong. Nothing is written. The checks, in report order, are ``CHECKS``:

- a translation dated before its original, and an edition or original dated after this year
  (impossible years; a year BCE is a year like any other);
- a translation with no translator recorded and not marked "not-named";
- a translation with translators in the very language of its original;
- ``related`` / ``crossref`` / ``xdata`` keys (kept from a .bib import) that name no edition;
- editions catalogued twice: one folded title, year and set of authors (see
  ``_duplicate_editions`` for what still tells two such editions apart);
- people, publishers and works that look like duplicates (rapidfuzz on folded text, compared
  only within blocks so a large catalogue is not compared pair by pair);
- editions with no year, place or publisher.

Findings are sorted by check (in ``CHECKS`` order), then subject, then message, in Python, so
the report is the same on SQLite and PostgreSQL whatever their collations.

Each check reads what it needs with a few set-based statements (never one per edition), so a
100,000-edition catalogue is checked in seconds (``benchmarks/check.py`` measures it).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from functools import cached_property
from itertools import combinations
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from . import names
from .errors import InvalidValue
from .languages import english_name, read_language
from .matching import chunks
from .models import Contribution, Edition, Person, PersonName, Publisher, Work
from .queries import gc_paused
from .records import UNTITLED_TYPES

# ------------------------------------------------------------------------------ thresholds

FAMILY_NAME_SIMILARITY = 80.0
"""rapidfuzz ``ratio`` (0-100) from which two folded family names count as one name misspelt,
when the given names agree too. 80 lets one wrong letter through in a five-letter name
("Smith"/"Smyth") and in "Greeman"/"Greenan" (85.7), but not "Hall"/"Hill" (75), which are
usually two real names."""

PUBLISHER_SIMILARITY = 85.0
"""rapidfuzz ``ratio`` from which two publishers' distinctive words (see PUBLISHER_NOISE)
count as one name. 85 catches a typo or a transposition ("Doubelday", 88.9) and a plural
("City Light"), but not two real names a letter apart ("Pluto"/"Plato", 80)."""

PUBLISHER_NOISE = frozenset(
    "the and press publisher publishers publishing publications publication books "
    "co company inc ltd limited llc plc corp corporation sa gmbh verlag editions".split()
)
"""Words that say "a publisher" rather than which one: "Pluto" and "Pluto Press",
"Doubleday" and "Doubleday & Co." keep the same distinctive words."""

WORK_TITLE_SIMILARITY = 90.0
"""rapidfuzz ``ratio`` from which two folded titles by the same first author count as one
title: high, because one author's titles often share most of their words ("Les Hommes dans
la prison"/"Les Hommes dans la ville", 82, are two books); 90 still catches a slip of a letter
or two ("Les Derniers Temps"/"Les dernier temps", 97). Titles whose numbers differ ("Carnets,
volume 1"/"volume 2", 94) are never taken for one."""

WORK_YEAR_TOLERANCE = 2
"""Years two works may lie apart and still be the same work: sources date one first edition
a year or two apart (copyright page against title page, catalogue against bibliography)."""

_TRANSLATION_RELATEDTYPES = frozenset({"translationof", "translationfrom"})
"""biblatex ``relatedtype`` values saying the entry itself is a translation."""

_REFERENCE_FIELDS = ("crossref", "related", "xdata")
"""Extra .bib fields whose values are entry keys (comma-separated for related and xdata)."""

_SERIAL_TYPES = frozenset({"periodical", "article"})
"""Entry types identified by journal, volume and number: no publisher or place expected."""

_INHERITING_FIELDS = frozenset({"crossref", "xdata"})
"""Fields through which biblatex fills an entry's missing fields from another entry."""

_BATCH = 5000
"""Editions fetched at a time when every edition is read."""

_REFERENCE_FIELDS_SET = frozenset(_REFERENCE_FIELDS)
_READ_FIELDS = frozenset({*_REFERENCE_FIELDS, "relatedtype", "origlanguage"})
"""The extra .bib fields that the checks read (the last two only to tell a translation)."""


def _mentions(fields: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of ``fields``, as a JSON string, in JSON text."""
    return re.compile("|".join(f'"{name}"' for name in sorted(fields)), re.IGNORECASE)


_MENTIONS_READ_FIELD = _mentions(_READ_FIELDS)
_MENTIONS_REFERENCE_FIELD = _mentions(_REFERENCE_FIELDS)


# --------------------------------------------------------------------------------- findings


@dataclass(frozen=True)
class Finding:
    """One thing a check found: the check's id, what it is about, and one line saying what."""

    check: str
    subject: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON/table shape: ``{"check": ..., "subject": ..., "message": ...}``."""
        return asdict(self)


CHECKS: dict[str, str] = {
    "translation-before-original": "a translation dated before its original",
    "future-year": "editions and originals dated after this year",
    "translator-missing": 'a translation with no translator and not marked "not-named"',
    "same-language-translation": "translators on an edition in its original's language",
    "dangling-reference": "related/crossref/xdata keys that name no edition",
    "duplicate-edition": "editions with one folded title, year and set of authors",
    "duplicate-person": "people whose names look like one person's",
    "duplicate-publisher": "publishers whose names look like one publisher's",
    "duplicate-work": "works by one first author with near titles and years",
    "missing-year": "editions with no year",
    "missing-place": "editions with no place of publication",
    "missing-publisher": "editions with no publisher",
}
"""Every check's id and a short description, in report order."""


def run_checks(
    session: Session, checks: Collection[str] | None = None, *, today: date | None = None
) -> list[Finding]:
    """Run the checks (all, or the ids in ``checks``) and return their findings, sorted.

    ``today`` (by default ``date.today()``) is what "after this year" is measured from. An
    unknown check id raises InvalidValue. An empty list means nothing was found.
    """
    wanted = list(CHECKS) if checks is None else list(checks)
    unknown = sorted(set(wanted) - set(CHECKS))
    if unknown:
        raise InvalidValue(f"unknown check {unknown[0]!r} (one of {', '.join(CHECKS)})")
    catalogue = _Catalogue(session, today or date.today())
    with gc_paused():  # a row and a fact per edition: nothing for the collector to find
        findings = [f for check in CHECKS if check in wanted for f in _RUNNERS[check](catalogue)]
    order = {check: i for i, check in enumerate(CHECKS)}
    return sorted(findings, key=lambda f: (order[f.check], f.subject, f.message))


# ----------------------------------------------------------------------- reading the catalogue


@dataclass
class _EditionFacts:
    """What the edition-level checks need of one edition and its original."""

    key: str
    title: str
    entry_type: str
    year: int | None
    place: str | None
    has_publisher: bool
    journal: str | None
    language: str | None
    translator_status: str
    fields: list[tuple[str, str]]  # the extra .bib fields in _READ_FIELDS, names lower-cased
    has_work: bool
    work_title: str | None
    work_year: int | None
    work_language: str | None
    has_translators: bool
    authors: list[int]  # person ids credited as authors on the edition itself

    def field(self, name: str) -> str | None:
        return next((value for field, value in self.fields if field == name), None)

    @cached_property
    def inherits(self) -> bool:
        """Whether biblatex fills the edition's missing fields from another entry."""
        return any(field in _INHERITING_FIELDS for field, _ in self.fields)


def _read_fields(raw: str | None, has_original_language: bool) -> list[tuple[str, str]]:
    """The fields of ``Edition.extra``'s JSON text that the checks read, names lower-cased:
    the reference fields, and where the original's language is not known otherwise,
    relatedtype and origlanguage. The text is decoded only where it names one of them:
    decoding every edition's kept fields was most of the time of reading the editions."""
    wanted, mentions = _READ_FIELDS, _MENTIONS_READ_FIELD
    if has_original_language:
        wanted, mentions = _REFERENCE_FIELDS_SET, _MENTIONS_REFERENCE_FIELD
    if not raw or not mentions.search(raw):
        return []
    extra = json.loads(raw)
    named = ((str(name).lower(), value) for name, value in extra.get("fields", []))
    return [(name, str(value)) for name, value in named if name in wanted]


class _Catalogue:
    """The catalogue as the checks read it: each part queried once, when first needed."""

    def __init__(self, session: Session, today: date) -> None:
        self.session = session
        self.today = today

    @cached_property
    def editions(self) -> list[_EditionFacts]:
        """Every edition, with its original: three selects, run on the session's connection
        (Core rows: the ORM's row handling would cost more than the rows themselves), the
        editions read in batches (on PostgreSQL a server-side cursor: holding every row at
        once took as much memory again as the facts kept)."""
        connection = self.session.connection()
        with_translators = set(
            connection.scalars(
                select(Contribution.edition_id).where(
                    Contribution.role == "translator", Contribution.edition_id.is_not(None)
                )
            )
        )
        authors: dict[int | None, list[int]] = defaultdict(list)  # by edition id
        credited = (
            select(Contribution.edition_id, Contribution.person_id)
            .where(
                Contribution.role.in_(("author", "coauthor")), Contribution.edition_id.is_not(None)
            )
            .order_by(Contribution.edition_id, Contribution.position)
        )
        for edition_id, person_id in connection.execute(credited).all():
            authors[edition_id].append(person_id)
        query = select(
            Edition.id,
            Edition.key,
            Edition.title,
            Edition.entry_type,
            Edition.year,
            Edition.place,
            Edition.publisher_id,
            Edition.journal,
            Edition.language,
            Edition.translator_status,
            cast(Edition.extra, Text),  # the JSON text, decoded only where needed
            Edition.work_id,
            Work.title,
            Work.year,
            Work.language,
        ).outerjoin(Work, Edition.work_id == Work.id)
        facts = []
        rows = connection.execution_options(yield_per=_BATCH).execute(query)
        for row in (row for batch in rows.partitions() for row in batch):
            facts.append(
                _EditionFacts(
                    key=row[1],
                    title=row[2],
                    entry_type=row[3],
                    year=row[4],
                    place=row[5],
                    has_publisher=row[6] is not None,
                    journal=row[7],
                    language=row[8],
                    translator_status=row[9],
                    fields=_read_fields(row[10], row[14] is not None),
                    has_work=row[11] is not None,
                    work_title=row[12],
                    work_year=row[13],
                    work_language=row[14],
                    has_translators=row[0] in with_translators,
                    authors=authors.get(row[0], []),
                )
            )
        return facts

    @cached_property
    def people(self) -> dict[int, names.Name]:
        """Each person's primary name, by id."""
        return {person.id: _name(person) for person in self.session.scalars(select(Person))}

    @cached_property
    def original_languages(self) -> dict[int, set[str]]:
        """The languages of the originals each person wrote, by person id."""
        query = (
            select(Contribution.person_id, Work.language)
            .join(Work, Contribution.work_id == Work.id)
            .where(Contribution.role.in_(("author", "coauthor")), Work.language.is_not(None))
        )
        languages: dict[int, set[str]] = defaultdict(set)
        for person_id, language in self.session.execute(query):
            if language:
                languages[person_id].add(language)
        return languages


def _name(person: Person) -> names.Name:
    return names.Name(person.family, person.given, person.prefix, person.suffix)


def _language_name(code: str) -> str:
    return english_name(code)


def _unbraced(raw: str) -> str:
    text = raw.strip()
    while len(text) >= 2 and (text[0], text[-1]) in (("{", "}"), ('"', '"')):
        text = text[1:-1].strip()
    return text


def _keys(raw: str) -> list[str]:
    return [key for key in (k.strip() for k in _unbraced(raw).split(",")) if key]


# --------------------------------------------------------------------- edition-level checks


def _translation_before_original(catalogue: _Catalogue) -> Iterator[Finding]:
    for e in catalogue.editions:
        if e.year is not None and e.work_year is not None and e.year < e.work_year:
            yield Finding(
                "translation-before-original",
                e.key,
                f'"{e.title}" ({e.year}) is dated before its original '
                f'"{e.work_title}" ({e.work_year})',
            )


def _future_years(catalogue: _Catalogue) -> Iterator[Finding]:
    """Editions, and originals, dated after ``catalogue.today``'s year: the year is what the
    catalogue knows, so a book announced for later this year is not reported. An original is
    reported under each of its editions' keys (where a librarian corrects it), or under its
    own key when no edition is left. Two selects on the indexed years."""
    this_year = catalogue.today.year
    session = catalogue.session
    after = f"after this year ({this_year})"
    editions = select(Edition.key, Edition.title, Edition.year).where(Edition.year > this_year)
    for key, title, year in session.execute(editions):
        yield Finding("future-year", key, f'"{title}" is dated {year}, {after}')
    originals = (
        select(Work.key, Work.title, Work.year, Edition.key)
        .outerjoin(Edition, Edition.work_id == Work.id)
        .where(Work.year > this_year)
    )
    for work_key, title, year, edition_key in session.execute(originals):
        if edition_key is not None:
            yield Finding(
                "future-year", edition_key, f'its original "{title}" is dated {year}, {after}'
            )
        else:
            yield Finding(
                "future-year", work_key, f'original "{title}" (no edition) is dated {year}, {after}'
            )


def _and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join(items) if len(items) < 3 else f"{', '.join(items[:-1])} and {items[-1]}"


def _translation_reason(catalogue: _Catalogue, e: _EditionFacts) -> str | None:
    """Why ``e`` is a translation, in words, or None if nothing says it is."""
    if e.language is None:
        return None
    into = _language_name(e.language)
    if e.work_language is not None:
        if e.work_language == e.language:
            return None
        return f"translation from {_language_name(e.work_language)} into {into}"
    relatedtype = _unbraced(e.field("relatedtype") or "").lower()
    if relatedtype in _TRANSLATION_RELATEDTYPES:
        return f"translation into {into} (relatedtype {relatedtype})"
    origlanguage = _unbraced(e.field("origlanguage") or "")
    if origlanguage:
        code = read_language(origlanguage)
        if code is not None and code != e.language:
            return f"translation from {_language_name(code)} into {into} (origlanguage)"
    if not e.has_work:
        # A compilation by someone whose originals are in other languages (Serge's essays in
        # English) is a translation, though it has no single original to compare with.
        for person_id in e.authors:
            written = catalogue.original_languages.get(person_id, set())
            if written and e.language not in written:
                languages = " and ".join(_language_name(code) for code in sorted(written))
                return (
                    f"{into} edition of writings by {catalogue.people[person_id].display}, "
                    f"whose originals are in {languages}"
                )
    return None


def _translator_missing(catalogue: _Catalogue) -> Iterator[Finding]:
    for e in catalogue.editions:
        if e.has_translators or e.translator_status == "not-named":
            continue
        reason = _translation_reason(catalogue, e)
        if reason is not None:
            yield Finding(
                "translator-missing",
                e.key,
                f"{reason}, but no translator is recorded (translator_status "
                f'"{e.translator_status}"): name the translator or mark it "not-named"',
            )


def _same_language_translation(catalogue: _Catalogue) -> Iterator[Finding]:
    for e in catalogue.editions:
        if e.has_translators and e.language is not None and e.language == e.work_language:
            yield Finding(
                "same-language-translation",
                e.key,
                f"has translators but is in {_language_name(e.language)}, the language of "
                f'its original "{e.work_title}"',
            )


def _dangling_references(catalogue: _Catalogue) -> Iterator[Finding]:
    known = {e.key for e in catalogue.editions}
    for e in catalogue.editions:
        for field, value in e.fields:
            if field not in _REFERENCE_FIELDS:
                continue
            missing = [key for key in _keys(value) if key not in known]
            if missing:
                listed = ", ".join(f'"{key}"' for key in missing)
                yield Finding(
                    "dangling-reference",
                    e.key,
                    f"{field} names {listed}, which no edition in the catalogue has",
                )


_MISSING_WHAT = {"year": "year", "place": "place of publication", "publisher": "publisher"}


def _missing(column: str) -> Callable[[_Catalogue], Iterator[Finding]]:
    check = f"missing-{column}"

    def run(catalogue: _Catalogue) -> Iterator[Finding]:
        for e in catalogue.editions:
            if e.inherits:
                continue  # biblatex fills the gaps from the entry it names
            if e.entry_type in UNTITLED_TYPES:
                continue  # a set or shared data is no publication of its own
            serial = e.journal is not None or e.entry_type in _SERIAL_TYPES
            if column == "year":
                missing = e.year is None
            elif column == "place":
                missing = not serial and not (e.place or "").strip()
            else:
                missing = not serial and not e.has_publisher
            if missing:
                yield Finding(check, e.key, f'"{e.title}" has no {_MISSING_WHAT[column]}')

    return run


# ---------------------------------------------------------------------------- duplicates


def _given_names_agree(first: list[str], second: list[str]) -> bool:
    """Folded given names that could be one person's: equal word by word, or an initial
    for a name ("d j" and "david j"); a missing or shorter given name agrees with its start."""
    return all(
        a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
        for a, b in zip(first, second, strict=False)
    )


@dataclass(frozen=True)
class _NameEntry:
    person_id: int
    family_key: str
    given: list[str]
    shown: str  # "Greeman, Richard"


def _candidate_pairs(
    blocks: dict[tuple[str, str], list[_NameEntry]],
) -> Iterator[tuple[_NameEntry, _NameEntry]]:
    """The pairs of names worth comparing: same first letter of the family name and, since
    given names must agree, the same first letter of the given name; a name with no given
    name is compared with every name of its letter."""
    for (letter, initial), block in blocks.items():
        yield from combinations(block, 2)
        if initial == "":
            for (other_letter, other_initial), others in blocks.items():
                if other_letter == letter and other_initial != "":
                    yield from ((a, b) for a in block for b in others)


def _duplicate_people(catalogue: _Catalogue) -> Iterator[Finding]:
    # Misspellings rarely touch a name's first letter: comparing only within blocks of one
    # letter (see _candidate_pairs) keeps a large catalogue from being compared pair by pair.
    blocks: dict[tuple[str, str], list[_NameEntry]] = defaultdict(list)
    query = select(
        PersonName.person_id,
        PersonName.family,
        PersonName.given,
        PersonName.prefix,
        PersonName.suffix,
        PersonName.family_key,
    ).order_by(PersonName.id)
    for person_id, family, given, prefix, suffix, family_key in catalogue.session.execute(query):
        entry = _NameEntry(
            person_id=person_id,
            family_key=family_key,
            given=names.fold(given).split(),
            shown=names.Name(family, given, prefix, suffix).inverted,
        )
        blocks[family_key[:1], entry.given[0][:1] if entry.given else ""].append(entry)
    found: dict[tuple[int, int], tuple[_NameEntry, _NameEntry]] = {}
    for a, b in _candidate_pairs(blocks):
        pair = (min(a.person_id, b.person_id), max(a.person_id, b.person_id))
        if a.person_id == b.person_id or pair in found:
            continue
        if not _given_names_agree(a.given, b.given):
            continue
        if a.family_key == b.family_key or fuzz.ratio(
            a.family_key, b.family_key, score_cutoff=FAMILY_NAME_SIMILARITY
        ):
            found[pair] = (a, b)
    for a, b in found.values():
        (person_a, name_a), (person_b, name_b) = sorted(
            (
                (catalogue.people[a.person_id].inverted, a.shown),
                (catalogue.people[b.person_id].inverted, b.shown),
            )
        )
        message = f'"{person_a}" and "{person_b}" may be the same person'
        if (name_a, name_b) != (person_a, person_b):
            message += f' (as "{name_a}" and "{name_b}")'
        yield Finding("duplicate-person", f"{person_a} / {person_b}", message)


def _publisher_core(name: str) -> str:
    folded = names.fold(name)
    core = " ".join(word for word in folded.split() if word not in PUBLISHER_NOISE)
    return core or folded


def _duplicate_publishers(catalogue: _Catalogue) -> Iterator[Finding]:
    blocks: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in catalogue.session.scalars(select(Publisher.name)):
        core = _publisher_core(name)
        blocks[core[:1]].append((core, name))
    for block in blocks.values():
        for (core_a, name_a), (core_b, name_b) in combinations(block, 2):
            if core_a == core_b or fuzz.ratio(core_a, core_b, score_cutoff=PUBLISHER_SIMILARITY):
                first, second = sorted((name_a, name_b))
                yield Finding(
                    "duplicate-publisher",
                    f"{first} / {second}",
                    f'"{first}" and "{second}" may be the same publisher',
                )


@dataclass(frozen=True)
class _WorkEntry:
    key: str
    title: str
    year: int | None
    folded: str

    @property
    def shown(self) -> str:
        return f"{self.title} ({self.year})" if self.year is not None else self.title


_NUMBER = re.compile(r"\d+")


def _duplicate_works(catalogue: _Catalogue) -> Iterator[Finding]:
    session = catalogue.session
    first_author = dict(
        session.execute(
            select(Contribution.work_id, Contribution.person_id).where(
                Contribution.role == "author", Contribution.work_id.is_not(None)
            )
        ).all()
    )
    # Only works with the same first author (or both with none) are compared.
    by_author: dict[int | None, list[_WorkEntry]] = defaultdict(list)
    for work_id, key, title, year in session.execute(
        select(Work.id, Work.key, Work.title, Work.year)
    ):
        entry = _WorkEntry(key, title, year, names.fold(title))
        by_author[first_author.get(work_id)].append(entry)
    for works in by_author.values():
        for a, b in combinations(works, 2):
            if (
                a.year is not None
                and b.year is not None
                and abs(a.year - b.year) > (WORK_YEAR_TOLERANCE)
            ):
                continue
            if _NUMBER.findall(a.folded) != _NUMBER.findall(b.folded):
                continue  # "Volume 1" and "Volume 2", "Poems 1917" and "Poems 1927"
            if fuzz.ratio(a.folded, b.folded, score_cutoff=WORK_TITLE_SIMILARITY):
                a, b = sorted((a, b), key=lambda w: (w.shown, w.key))
                yield Finding(
                    "duplicate-work",
                    f"{a.shown} / {b.shown}",
                    f'works "{a.title}" ({a.key}) and "{b.title}" ({b.key}), by the same '
                    "first author, may be the same work",
                )


@dataclass
class _EditionCopy:
    """An edition that shares its folded title and year with another: what tells it apart."""

    id: int
    key: str
    title: str
    title_key: str
    year: int | None
    work_id: int | None
    publisher_id: int | None
    language: str | None
    doi: str | None
    isbn: str | None
    volume: str | None
    number: str | None
    subtitle: str | None
    authors: list[int]  # the original's authors, then the edition's own, in order, once each
    translators: frozenset[int]


def _isbn13(value: str | None) -> str | None:
    """An ISBN in its 13-digit form, so that the 10- and 13-digit forms of one number meet."""
    if not value:
        return None
    from stdnum import isbn
    from stdnum.exceptions import ValidationError

    try:
        return str(isbn.to_isbn13(value))
    except ValidationError:
        return value


_TELLS_APART: tuple[Callable[[_EditionCopy], object], ...] = (
    lambda e: e.language,
    lambda e: (e.doi or "").lower() or None,  # DOIs are case-insensitive
    lambda e: _isbn13(e.isbn),
    lambda e: names.fold(e.volume) or None,
    lambda e: names.fold(e.number) or None,
    lambda e: names.fold(e.subtitle) or None,
    lambda e: e.publisher_id,
    lambda e: e.translators or None,
)
"""What tells apart two editions of one folded title, year and set of authors, when both
have it and it differs: a translation into another language, two articles (DOIs), a hardback
and a paperback (ISBNs), two volumes or issues, two subtitles, the London and New York
editions of one year (publishers), two translations of one year (translators). Missing on
one side tells nothing: the entry is only less complete."""


def _split(
    copies: list[_EditionCopy], tells: Callable[[_EditionCopy], object]
) -> list[list[_EditionCopy]]:
    """``copies`` split by one distinguishing value. Copies without it stay with the others
    when those agree; when they disagree, it cannot be said whose copy each one is, so the
    copies without it form a group of their own."""
    by_value: dict[object, list[_EditionCopy]] = defaultdict(list)
    unknown = []
    for copy in copies:
        value = tells(copy)
        if value is None:
            unknown.append(copy)
        else:
            by_value[value].append(copy)
    if len(by_value) <= 1:
        return [copies]
    return [*by_value.values(), *([unknown] if unknown else [])]


def _edition_copies(session: Session) -> list[_EditionCopy]:
    """The editions whose folded title and year (or lack of one) another edition shares, with
    their authors and translators: one windowed select (no self-join over the catalogue),
    then the credits of those editions only, a few hundred per statement."""
    columns = [
        Edition.id,
        Edition.key,
        Edition.title,
        Edition.title_key,
        Edition.year,
        Edition.work_id,
        Edition.publisher_id,
        Edition.language,
        Edition.doi,
        Edition.isbn,
        Edition.volume,
        Edition.number,
        Edition.subtitle,
    ]
    copies = func.count().over(partition_by=(Edition.title_key, Edition.year)).label("copies")
    counted = (
        select(*columns, copies)
        .where(Edition.title_key != "", Edition.entry_type.not_in(UNTITLED_TYPES))
        .subquery()
    )
    wanted = [counted.c[column.key] for column in columns]
    rows = [row._asdict() for row in session.execute(select(*wanted).where(counted.c.copies > 1))]
    edition_credits: dict[int | None, list[tuple[str, int]]] = defaultdict(list)
    for chunk in chunks([row["id"] for row in rows]):
        on_edition = (
            select(Contribution.edition_id, Contribution.role, Contribution.person_id)
            .where(
                Contribution.edition_id.in_(chunk),
                Contribution.role.in_(("author", "coauthor", "translator")),
            )
            .order_by(Contribution.edition_id, Contribution.position)
        )
        for edition_id, role, person_id in session.execute(on_edition):
            edition_credits[edition_id].append((role, person_id))
    work_authors: dict[int | None, list[int]] = defaultdict(list)
    for chunk in chunks(sorted({row["work_id"] for row in rows if row["work_id"] is not None})):
        on_work = (
            select(Contribution.work_id, Contribution.person_id)
            .where(Contribution.work_id.in_(chunk), Contribution.role.in_(("author", "coauthor")))
            .order_by(Contribution.work_id, Contribution.position)
        )
        for work_id, person_id in session.execute(on_work):
            work_authors[work_id].append(person_id)
    result = []
    for row in rows:
        own = edition_credits.get(row["id"], [])
        authors = work_authors.get(row["work_id"], []) if row["work_id"] is not None else []
        authors = authors + [person for role, person in own if role != "translator"]
        result.append(
            _EditionCopy(
                **row,
                authors=list(dict.fromkeys(authors)),
                translators=frozenset(person for role, person in own if role == "translator"),
            )
        )
    return result


def _duplicate_editions(catalogue: _Catalogue) -> Iterator[Finding]:
    """Editions that share their folded title, year (or have none) and set of authors (the
    original's where the edition has one, and the edition's own: what ``list`` shows), in any
    order, and that nothing in ``_TELLS_APART`` tells apart. Each group is reported once, under
    all its keys; the original does not count (one book catalogued twice is often linked to
    two records of its original, one of them a duplicate work)."""
    session = catalogue.session
    groups: dict[tuple[str, int | None, frozenset[int]], list[_EditionCopy]] = defaultdict(list)
    for copy in _edition_copies(session):
        groups[copy.title_key, copy.year, frozenset(copy.authors)].append(copy)
    found = []
    for group in groups.values():
        parts = [group]
        for tells in _TELLS_APART:
            parts = [split for part in parts for split in _split(part, tells)]
        found += [sorted(part, key=lambda e: e.key) for part in parts if len(part) > 1]
    wanted = sorted({p for group in found for p in group[0].authors})
    people: dict[int, names.Name] = {}
    for chunk in chunks(wanted):
        for person in session.scalars(select(Person).where(Person.id.in_(chunk))):
            people[person.id] = _name(person)
    for group in found:
        first = group[0]
        year = first.year if first.year is not None else "no year"
        by = f" by {_and([people[p].display for p in first.authors])}" if first.authors else ""
        keys = [e.key if e.title == first.title else f'{e.key} ("{e.title}")' for e in group]
        yield Finding(
            "duplicate-edition",
            " / ".join(e.key for e in group),
            f'"{first.title}" ({year}){by} is catalogued as {_and(keys)}: they may be the same '
            "edition",
        )


_RUNNERS: dict[str, Callable[[_Catalogue], Iterable[Finding]]] = {
    "translation-before-original": _translation_before_original,
    "future-year": _future_years,
    "translator-missing": _translator_missing,
    "same-language-translation": _same_language_translation,
    "dangling-reference": _dangling_references,
    "duplicate-edition": _duplicate_editions,
    "duplicate-person": _duplicate_people,
    "duplicate-publisher": _duplicate_publishers,
    "duplicate-work": _duplicate_works,
    "missing-year": _missing("year"),
    "missing-place": _missing("place"),
    "missing-publisher": _missing("publisher"),
}
