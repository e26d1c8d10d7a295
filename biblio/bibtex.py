"""Reading .bib files (BibTeX and biblatex) into plain records, through bibtexparser 2.

Nothing is dropped: fields the data model has columns for are decoded from LaTeX into the
record; everything else, and any modelled field whose value the exporter would not write back
exactly (protective braces in a title, a multi-item location list, ``year`` instead of
``date``), is kept as raw .bib text in ``EditionRecord.extra_fields``, which the biblatex
exporter writes back verbatim. Problems are reported with file, line, key and field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from . import names
from .errors import InvalidValue
from .export.tex import CANONICAL, Raw, escape, name_list
from .languages import read_language
from .problems import Entry, Problem
from .records import UNTITLED_TYPES, EditionRecord, OriginalRecord, year_of

#: Month macros BibTeX predefines; a bare ``month = jan`` is one of these, not text.
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

_DATE = re.compile(
    r"^(\d{4}|-?\d{1,4})(-(0[1-9]|1[0-2]|2[1-4])(-(0[1-9]|[12]\d|3[01]))?)?[?~%]?"
    r"(/((\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?[?~%]?|\.\.)?)?$"
)


BibProblem = Problem
BibEntry = Entry


# ----------------------------------------------------------------------------- values


def _unenclose(raw: str) -> str:
    if len(raw) >= 2 and ((raw[0] == "{" and raw[-1] == "}") or (raw[0] == raw[-1] == '"')):
        return raw[1:-1]
    return raw


def _split_concatenation(raw: str) -> list[str]:
    """Split ``a # "b" # {c}`` at the top-level ``#`` (bibtexparser 2.1 leaves it unresolved)."""
    if "#" not in raw:
        return [raw.strip()]
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(raw):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(raw[start:i].strip())
            start = i + 1
    parts.append(raw[start:].strip())
    return parts


def resolve_value(raw: str, strings: dict[str, str]) -> tuple[str, str]:
    """(The value's .bib text with its enclosure, the text inside): macros from @string and
    ``#`` concatenations resolved; a bare month macro or number kept bare."""
    raw = raw.strip()
    if raw[:1] == "{" and raw[-1:] == "}" and "#" not in raw:
        return raw, raw[1:-1]  # most values: braced, nothing to resolve
    parts = _split_concatenation(raw)
    if len(parts) == 1:
        part = parts[0]
        if part[:1] in '{"' or part.isdigit() or part.lower() in MONTH_MACROS:
            inner = _unenclose(part)
            return (f"{{{inner}}}" if part[:1] == '"' else part), inner
        if part.lower() in strings:
            inner = strings[part.lower()]
            return f"{{{inner}}}", inner
        return part, part
    pieces = []
    for part in parts:
        if part[:1] in '{"':
            pieces.append(_unenclose(part))
        elif part.lower() in strings:
            pieces.append(strings[part.lower()])
        else:
            pieces.append(part)
    inner = "".join(pieces)
    return f"{{{inner}}}", inner


def decode_latex(text: str) -> str:
    """LaTeX to Unicode text (pylatexenc), only where there is markup; whitespace folded."""
    if "\\" in text or "{" in text or "~" in text or "--" in text:
        return _decode_markup(text)  # each distinct value decoded once
    return " ".join(text.split())


@lru_cache(maxsize=65536)
def _decode_markup(text: str) -> str:
    return " ".join(_latex_decoder().latex_to_text(text).split())


@cache
def _latex_decoder():  # type: ignore[no-untyped-def]
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def _round_trips(raw_inner: str, decoded: str) -> bool:
    """Whether the exporter's escaping of ``decoded`` gives back ``raw_inner`` exactly."""
    return escape(decoded) == " ".join(raw_inner.split())


# ----------------------------------------------------------------------------- entries

_TEXT_COLUMNS = {
    "title": "title",
    "subtitle": "subtitle",
    "series": "series",
    "volume": "volume",
    "number": "number",
    "annotation": "annotation",
    "annote": "annotation",
    "journaltitle": "journal",
    "journal": "journal",
}
_ORIGINAL_COLUMNS = {"origtitle": "title", "origdate": "date", "origyear": "date"}
_LIST_COLUMNS = {"location": "place", "address": "place", "publisher": "publisher"}
_ORIGINAL_LISTS = {"origlocation": "place", "origpublisher": "publisher"}
_NAME_ROLES = {"author": "authors", "editor": "editors", "translator": "translators"}


@lru_cache(maxsize=65536)
def _list_items(inner: str) -> tuple[str, ...]:
    """The items of a biblatex literal list ("Paris and London"), braces respected."""
    from bibtexparser.middlewares.names import split_multiple_persons_names

    return tuple(decode_latex(_unenclose(item)) for item in split_multiple_persons_names(inner))


class _EntryReader:
    """Turns one bibtexparser Entry into an EditionRecord, collecting problems."""

    def __init__(self, entry, strings: dict[str, str], file: str) -> None:  # type: ignore[no-untyped-def]
        self.entry = entry
        self.strings = strings
        self.file = file
        self.problems: list[BibProblem] = []
        self.extra: list[tuple[str, str]] = []

    def problem(self, field_name: str | None, message: str, line: int | None = None) -> None:
        self.problems.append(
            BibProblem(
                self.file, (line or self.entry.start_line) + 1, self.entry.key, message, field_name
            )  # fmt: skip
        )

    def keep(self, name: str, raw: str) -> None:
        self.extra.append((name, Raw(raw)))

    def read(self) -> BibEntry:
        entry = self.entry
        record = EditionRecord(title="", key=entry.key, entry_type=entry.entry_type.lower())
        original: dict[str, str | None] = {}
        related: list[str] = []
        relatedtype = None
        year = month = None
        for bib_field in entry.fields:
            name = bib_field.key.lower()
            raw, inner = resolve_value(bib_field.value, self.strings)
            line = bib_field.start_line
            if name in _NAME_ROLES:
                try:
                    people, others = names.split_bib_names(inner)
                except InvalidValue as exc:
                    self.problem(name, str(exc), line)
                    continue
                setattr(record, _NAME_ROLES[name], people)
                if others:
                    record.others.append(name)
                self._keep_if_not_exact_names(name, raw, inner, people, others)
            elif name in _TEXT_COLUMNS:
                decoded = decode_latex(inner)
                setattr(record, _TEXT_COLUMNS[name], decoded)
                if name in CANONICAL or not _round_trips(inner, decoded) or raw[:1] != "{":
                    self.keep(name, raw)
            elif name in _LIST_COLUMNS:
                items = _list_items(inner)
                setattr(record, _LIST_COLUMNS[name], items[0] if items else None)
                self.keep(name, raw)  # list syntax (and the alias) is kept as written
            elif name in _ORIGINAL_LISTS:
                items = _list_items(inner)
                original[_ORIGINAL_LISTS[name]] = items[0] if items else None
                self.keep(name, raw)
            elif name in _ORIGINAL_COLUMNS:
                original[_ORIGINAL_COLUMNS[name]] = decode_latex(inner)
                if name == "origdate" and not _DATE.match(inner.strip()):
                    self.problem(name, f"invalid date {inner!r}", line)
                self.keep(name, raw)
            elif name == "origlanguage":
                code = read_language(inner)
                original["language"] = code
                self.keep(name, raw)
            elif name == "langid":
                code = read_language(inner)
                record.language = code
                if code is None:
                    self.keep(name, raw)
            elif name == "language" and read_language(inner) is not None:
                record.language = record.language or read_language(inner)
                self.keep(name, raw)
            elif name == "date":
                if not _DATE.match(inner.strip()):
                    self.problem(name, f"invalid date {inner!r} (expected YYYY[-MM[-DD]])", line)
                    continue
                record.date = inner.strip()
                if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", record.date):
                    record.date = re.match(r"-?\d{1,4}", inner.strip()).group(0)  # type: ignore[union-attr]
                    self.keep(name, raw)
            elif name == "year":
                found = re.search(r"\d{4}", inner)
                if not found:
                    self.problem(name, f"invalid year {inner!r}", line)
                    continue
                year = found.group(0)
                self.keep(name, raw)
            elif name == "month":
                month = inner.strip().lower()
                self.keep(name, raw)
            else:
                if name == "related":
                    related = [k.strip() for k in inner.split(",") if k.strip()]
                elif name == "relatedtype":
                    relatedtype = inner.strip().lower()
                self.keep(name, raw)
        if record.date is None and year is not None:
            record.date = year
            if month and month[:3] in MONTH_MACROS:
                record.date = f"{year}-{MONTH_MACROS.index(month[:3]) + 1:02d}"
            elif month and month.isdigit() and 1 <= int(month) <= 12:
                record.date = f"{year}-{int(month):02d}"
        if not record.title and record.entry_type not in UNTITLED_TYPES:
            self.problem("title", "no title")
        if original.get("title"):
            record.original = OriginalRecord(
                title=str(original["title"]),
                date=original.get("date"),
                place=original.get("place"),
                publisher=original.get("publisher"),
                language=original.get("language"),
            )
            if record.original.date and year_of_or_none(record.original.date) is None:
                record.original.date = None
        elif original:
            # orig* facts without an original title: nothing to make a work of; kept raw.
            pass
        record.translator_status = "named" if record.translators else "unknown"
        record.extra_fields = self.extra
        return BibEntry(record, self.file, entry.start_line + 1, related, relatedtype)

    def _keep_if_not_exact_names(self, name, raw, inner, people, others) -> None:  # type: ignore[no-untyped-def]
        if raw[:1] != "{" or not _names_round_trip(inner, tuple(people), others):
            self.keep(name, raw)


@lru_cache(maxsize=65536)
def _names_round_trip(inner: str, people: tuple[names.Name, ...], others: bool) -> bool:
    """Whether the exporter writes this name list back as ``inner`` (whitespace folded)."""
    return name_list(people, escape, others) == " ".join(inner.split())


def year_of_or_none(date: str) -> int | None:
    """The year of a date, or None where it is not a plain ISO date."""
    try:
        return year_of(date)
    except InvalidValue:
        return None


def read_bib(text: str, file: str) -> tuple[list[BibEntry], list[BibProblem]]:
    """Parse .bib text; return its entries as records and every problem found, each naming
    ``file``, the line, the entry key and the field."""
    from .queries import gc_paused

    with gc_paused():  # a third less time for a big file (measured at 100k entries)
        return _read_bib(text, file)


def _read_bib(text: str, file: str) -> tuple[list[BibEntry], list[BibProblem]]:
    import bibtexparser
    from bibtexparser.middlewares import ResolveStringReferencesMiddleware

    library = bibtexparser.parse_string(
        text, parse_stack=[ResolveStringReferencesMiddleware(allow_inplace_modification=True)]
    )
    problems: list[BibProblem] = []
    for block in library.failed_blocks:
        key = getattr(block, "key", None)
        kind = type(block).__name__
        if kind == "DuplicateBlockKeyBlock":
            message = f"key '{key}' repeated in the file"
        else:
            first = str(block.raw).splitlines()[0] if block.raw else ""
            message = f"malformed entry (unbalanced braces or missing key?) starting {first!r}"
            match = re.match(r"@\w+\s*[{(]\s*([^,\s={}]+)\s*,", block.raw or "")
            key = match.group(1) if match else None
        problems.append(BibProblem(file, (block.start_line or 0) + 1, key, message))
    strings = {s.key.lower(): _unenclose(s.value.strip()) for s in library.strings}
    blocks: list[Any] = library.entries
    del library  # each parsed entry is let go once read: the peak stays near the parse's
    entries = []
    for i, entry in enumerate(blocks):
        blocks[i] = None
        reader = _EntryReader(entry, strings, file)
        read = reader.read()
        problems += reader.problems
        if not any(p.is_error for p in reader.problems):
            entries.append(read)
    problems.sort(key=lambda p: p.line)
    return entries, problems


TRANSLATION_OF = {"translationof"}
"""relatedtype values saying this entry translates the related one."""
TRANSLATED_AS = {"translationas", "bytranslator"}
"""relatedtype values saying the related entries are translations of this one."""


def _make_original(translation: EditionRecord, source: EditionRecord) -> None:
    if translation.original is not None or not source.title:
        return
    translation.original = OriginalRecord(
        title=source.title,
        subtitle=source.subtitle,
        date=source.date if year_of_or_none(source.date or "") else None,
        place=source.place,
        publisher=source.publisher,
        language=source.language,
    )
    if not translation.authors:  # the work's authors are the original's
        translation.authors = list(source.authors)


def link_translations(entries: Iterable[BibEntry]) -> None:
    """Link translations to originals named by ``related``/``relatedtype`` in the same import:
    ``translationof`` (this entry translates the related one) or ``translationas`` /
    ``bytranslator`` (the related entries translate this one). The translation's original work
    is made from the original entry's title, date, place, publisher and language."""
    by_key = {e.record.key: e for e in entries if e.record.key}
    for entry in by_key.values():
        for key in entry.related:
            other = by_key.get(key)
            if other is None:
                continue
            if entry.relatedtype in TRANSLATION_OF:
                _make_original(entry.record, other.record)
            elif entry.relatedtype in TRANSLATED_AS:
                _make_original(other.record, entry.record)


def read_bib_file(
    path: str, encoding: str | None = None
) -> tuple[list[BibEntry], list[BibProblem]]:
    """Read one .bib file (UTF-8 unless ``encoding`` is given); BiblioError for a missing,
    unreadable or binary file, or one not in its encoding."""
    from .files import read_text

    return read_bib(read_text(path, "a .bib file", encoding), path)


IMPORT_FORMATS = ("bibtex", "csl-json", "ris")
"""What ``biblio import`` reads; the format of a file is told by its suffix unless given."""

_BY_SUFFIX = {".bib": "bibtex", ".json": "csl-json", ".ris": "ris"}


def format_of(path: str, fmt: str | None = None) -> str:
    """The import format for ``path``: ``fmt`` if given, else by suffix (.bib, .json, .ris),
    else BibTeX."""
    from pathlib import Path

    return fmt or _BY_SUFFIX.get(Path(path).suffix.lower(), "bibtex")


def read_file(
    path: str, fmt: str | None = None, encoding: str | None = None
) -> tuple[list[BibEntry], list[BibProblem]]:
    """Read one file in its import format (and ``encoding``, UTF-8 by default)."""
    chosen = format_of(path, fmt)
    if chosen == "csl-json":
        from .csl import read_csl_file

        return read_csl_file(path, encoding)
    if chosen == "ris":
        from .ris import read_ris_file

        return read_ris_file(path, encoding)
    return read_bib_file(path, encoding)


def read_bib_files(
    paths: Iterable[str], fmt: str | None = None, encoding: str | None = None
) -> tuple[list[BibEntry], list[BibProblem]]:
    """Read several files (.bib, CSL-JSON or RIS) as one import: a key in two files is a
    problem too, and translations are linked to originals across files."""
    entries: list[BibEntry] = []
    problems: list[BibProblem] = []
    for path in paths:
        read, found = read_file(path, fmt, encoding)
        entries += read
        problems += found
    seen: dict[str, BibEntry] = {}
    unique = []
    for entry in entries:
        key = entry.record.key or ""
        if key in seen:
            first = seen[key]
            problems.append(
                BibProblem(
                    entry.file,
                    entry.line,
                    key,
                    f"key repeated (first at {first.file}:{first.line})",
                )  # fmt: skip
            )
        else:
            seen[key] = entry
            unique.append(entry)
    link_translations(unique)
    return unique, problems
