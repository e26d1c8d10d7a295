"""Plain records: what an import (the seed, a .bib file...) hands to the catalogue.

Records know nothing of the database. ``EditionRecord`` describes one edition and, in
``original``, the work it translates; people are given as name strings and resolved to person
records by the catalogue.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from importlib.resources import files
from typing import Any

from .errors import InvalidValue, SeedError
from .models import FORMS, TRANSLATOR_STATUSES
from .names import Name, fold

_KEY = re.compile(r"^[^\s,{}\"#%()=~\\]+$")
"""A citation key BibTeX and biber read back: none of whitespace , { } " # % ( ) = ~ \\."""

UNTITLED_TYPES = frozenset({"set", "xdata"})
"""biblatex entry types that have no title of their own (a set of entries, shared data)."""

_DATE = re.compile(r"^(-?\d+)(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_EXTENDED_PART = re.compile(r"^Y?(-?)(\d+)([uX]*)")


def sortable_year(text: str | None) -> int | None:
    """The year to sort a biblatex/EDTF date by, where one can be derived: "1999-uu" -> 1999,
    "1723?~" -> 1723, "1931/1933" -> 1931, "../2004-01-01" -> 2004, "2016-07-18T20:26:06" ->
    2016, "-0044" -> -44, "20000" -> 20000, EDTF's long year "Y17000002" -> 17000002, and its
    unspecified digits from the start of the decade or century they leave open: "199X" ->
    1990, "19XX" -> 1900; "19uu" or "submitted" -> None. Never truncated."""
    if not text:
        return None
    start, _, end = text.strip().partition("/")
    for part in (start, end):
        part = part.split("T")[0].strip()
        if part in ("", ".."):
            continue
        match = _EXTENDED_PART.match(part)
        if match is None or "u" in match.group(3):
            return None
        digits = match.group(2) + "0" * len(match.group(3))  # "199X": the 1990s
        year = int(match.group(1) + digits)
        return year if abs(year) <= YEAR_LIMIT else None
    return None


YEAR_LIMIT = 2**31 - 1
"""The largest year (either side of year 0) the catalogue's year columns hold on both
backends (PostgreSQL's INTEGER): a longer one ("99999999999999999999") is kept in the date as
written, with no year to sort by."""


def days_in(year: int, month: int) -> int:
    """The number of days of ``month`` (1-12) in ``year`` (proleptic Gregorian, astronomical
    years: 0 and -4 are leap years)."""
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def real_date(date: str) -> bool:
    """Whether an ISO 8601 date's month and day exist ("2001-02-29" is none; "2000-02-29"
    and a year alone are)."""
    match = _DATE.match(date.strip())
    if match is None or not match.group(5):
        return match is not None
    return int(match.group(5)) <= days_in(int(match.group(1)), int(match.group(3)))


def year_of(date: str | None) -> int | None:
    """The year of an ISO 8601 date ("1931", "1931-05", "1931-05-02", "-0044", "20000"), None
    beyond ``YEAR_LIMIT``; InvalidValue otherwise."""
    if date is None or date == "":
        return None
    match = _DATE.match(date.strip())
    if not match:
        raise InvalidValue(f"invalid date {date!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year = int(match.group(1))
    return year if abs(year) <= YEAR_LIMIT else None


@dataclass
class PersonRecord:
    """A person as an import knows them: a name, variant names, a short note."""

    name: str
    variants: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass
class OriginalRecord:
    """The original work an edition translates."""

    title: str
    subtitle: str | None = None
    date: str | None = None
    place: str | None = None
    publisher: str | None = None
    language: str | None = None
    form: str | None = None
    annotation: str | None = None
    notes: str | None = None
    qid: str | None = None  # the work's Wikidata item, "Q42"


@dataclass
class EditionRecord:
    """One edition, with its people by name and its original, if it has a single one."""

    title: str
    subtitle: str | None = None
    key: str | None = None
    entry_type: str = "book"
    date: str | None = None
    place: str | None = None
    publisher: str | None = None
    language: str | None = None
    series: str | None = None
    journal: str | None = None
    volume: str | None = None
    number: str | None = None
    # People as name strings ("Greeman, Richard") or, from a .bib reader, parsed Names.
    authors: list[str | Name] = field(default_factory=list)
    translators: list[str | Name] = field(default_factory=list)
    editors: list[str | Name] = field(default_factory=list)
    translator_status: str | None = None  # derived from translators when None
    also_published_as: list[str] = field(default_factory=list)
    form: str | None = None
    section: str | None = None
    annotation: str | None = None
    notes: str | None = None
    original: OriginalRecord | None = None
    pages: str | None = None
    doi: str | None = None
    isbn: str | None = None
    issn: str | None = None
    url: str | None = None
    abstract: str | None = None
    keywords: list[str] = field(default_factory=list)
    edition_statement: str | None = None
    note: str | None = None
    extra_fields: list[tuple[str, str]] = field(default_factory=list)  # raw .bib values
    kept: dict[str, list[list[str]]] = field(default_factory=dict)
    """Fields of other formats kept as they came, by format: ``{"ris": [[tag, value], ...],
    "csl": [[variable, JSON text], ...]}``; each writer writes back its own."""
    others: list[str] = field(default_factory=list)  # roles whose list ended "and others"
    qid: str | None = None  # the edition's Wikidata item, "Q42"
    inherited: list[str] = field(default_factory=list)
    """The facts (attribute names: "date", "publisher", "editors"...) taken from the entry's
    ``crossref`` or ``xdata`` parent, as biber resolves them: the catalogue holds them, so that
    lists and filters find the entry; the .bib exports leave them to the parent."""

    def validate(self, where: str, require_title: bool = True) -> None:
        """Raise InvalidValue (prefixed with ``where``) if the record breaks a rule. Imports
        take editions with no title (``require_title=False``), as BibTeX and biber do."""
        try:
            for record in (self, self.original):
                if record is None:
                    continue
                untitled = record is self and (
                    self.entry_type in UNTITLED_TYPES or not require_title
                )
                if not (record.title or "").strip() and not untitled:
                    raise InvalidValue("empty title")
                year_of(record.date)
                if record.form is not None and record.form not in FORMS:
                    raise InvalidValue(f"unknown form {record.form!r} (one of {', '.join(FORMS)})")
            if self.key is not None:
                check_key(self.key)
            status = self.translator_status
            if status is not None and status not in TRANSLATOR_STATUSES:
                known = ", ".join(TRANSLATOR_STATUSES)
                raise InvalidValue(f"unknown translator_status {status!r} (one of {known})")
            if status not in (None, "named") and self.translators:
                raise InvalidValue(f"translator_status {status!r} but translators are given")
        except InvalidValue as exc:
            raise InvalidValue(f"{where}: {exc}") from None


def standard_number(kind: str, value: str) -> str:
    """An ISBN ("isbn") in its compact form, 10 or 13 digits, or an ISSN ("issn") as
    "0317-8471", its check digit verified (python-stdnum); InvalidValue otherwise."""
    from stdnum import isbn, issn
    from stdnum.exceptions import ValidationError

    try:
        if kind == "isbn":
            return str(isbn.validate(value))
        return str(issn.format(issn.validate(value)))
    except ValidationError as exc:
        raise InvalidValue(f"invalid {kind.upper()} {value.strip()!r}: {exc}") from None


_DOI_PREFIX = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def bare_doi(value: str) -> str:
    """A DOI without a resolver or "doi:" in front: "https://doi.org/10.1/x" -> "10.1/x"."""
    return _DOI_PREFIX.sub("", value)


def check_key(key: str) -> None:
    """InvalidValue unless ``key`` is a citation key .bib readers take back."""
    if not key:
        raise InvalidValue("empty key")
    if not _KEY.match(key):
        raise InvalidValue(f"invalid key {key!r} (no spaces, commas, braces, quotes, # % = ~ \\)")


def _build(cls: type, data: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SeedError(f"{where}: unknown field {unknown[0]!r}")
    return cls(**data)


def _with_source_reading(data: dict[str, Any]) -> dict[str, Any]:
    """Fold a seed's ``source_reading`` (what the source printed before our correction) into
    ``notes``, so the catalogue keeps it."""
    data = dict(data)
    reading = data.pop("source_reading", None)
    if reading:
        note = f"Corrected from the source, which reads: {reading}"
        data["notes"] = f"{data['notes']} {note}" if data.get("notes") else note
    return data


def load_seed(name: str = "serge.toml") -> tuple[list[PersonRecord], list[EditionRecord]]:
    """Read a seed file shipped in the package (``seeds/`` in the source tree)."""
    resource = files("biblio.seeds") / name
    try:
        data = tomllib.loads(resource.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SeedError(f"seed {name}: {exc}") from None
    people = [
        _build(PersonRecord, person, f"seed {name}, person {i + 1}")
        for i, person in enumerate(data.get("person", []))
    ]
    entries = []
    for i, raw in enumerate(data.get("entry", [])):
        where = f"seed {name}, entry {i + 1}"
        raw = _with_source_reading(raw)
        original = raw.pop("original", None)
        entry = _build(EditionRecord, raw, where)
        if original is not None:
            original = _with_source_reading(original)
            original.setdefault("form", entry.form)
            entry.original = _build(OriginalRecord, original, f"{where}, original")
        entries.append(entry)
    return people, entries


_STOPWORDS = {
    "a", "an", "the", "of", "on", "in", "and", "to", "for", "at", "by", "with",
    "le", "la", "les", "un", "une", "de", "du", "des", "et", "en", "au", "aux", "il", "est",
    "der", "die", "das", "ein", "eine", "el", "los", "las", "lo",
}  # fmt: skip


def _ascii_word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text).replace(" ", ""))


def key_stem(family: str | None, year: int | None, title: str) -> str:
    """The readable part of a citation key: family name, year, first significant title word.

    >>> key_stem("Serge", 1967, "Birth of our Power")
    'serge1967birth'
    """
    words = [w for w in fold(title).split() if len(w) > 1 and w not in _STOPWORDS]
    word = _ascii_word(words[0]) if words else ""
    return f"{_ascii_word(family or 'anon') or 'anon'}{year if year is not None else ''}{word}"
