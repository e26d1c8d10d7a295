"""Reading .bib files (BibTeX and biblatex) into plain records, through bibtexparser 2.

Nothing is dropped: fields the data model has columns for are decoded from LaTeX into the
record; everything else, and any modelled field whose value the exporter would not write back
exactly (protective braces in a title, a multi-item location list, ``year`` instead of
``date``), is kept as raw .bib text in ``EditionRecord.extra_fields``, which the biblatex
exporter writes back verbatim. Problems are reported with file, line, key and field.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from . import names
from .errors import InvalidValue
from .export.tex import CANONICAL, Raw, escape, name_list
from .languages import biblatex_name, read_language
from .latex import decode_latex, decode_paragraphs, split_top_level, unknown_commands
from .problems import Entry, Problem, warning
from .records import (
    UNTITLED_TYPES,
    EditionRecord,
    OriginalRecord,
    bare_doi,
    check_key,
    sortable_year,
    standard_number,
    year_of,
)

#: Month macros BibTeX predefines; a bare ``month = jan`` is one of these, not text.
MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip

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
    return [part.strip() for part in split_top_level(raw, "#")]


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
    # A concatenation: kept as written, but for the file's own @strings (which are not
    # kept), each replaced by its braced value; BibTeX's month macros stay macros.
    pieces, written = [], []
    for part in parts:
        lowered = part.lower()
        if part[:1] in '{"' or part.isdigit():
            pieces.append(_unenclose(part))
            written.append(part)
        elif lowered in strings:
            pieces.append(strings[lowered])
            written.append(f"{{{strings[lowered]}}}")
        elif lowered in MONTH_MACROS:
            pieces.append(MONTH_NAMES[MONTH_MACROS.index(lowered)])
            written.append(part)
        else:
            written.append(part)  # undefined: BibTeX warns and reads it as empty
    return " # ".join(written), "".join(pieces)


def undefined_macros(raw: str, strings: dict[str, str]) -> list[str]:
    """The macros a value uses that neither the file's @strings nor BibTeX define."""
    if "#" not in raw and raw.strip()[:1] in '{"':
        return []
    return [
        part
        for part in _split_concatenation(raw.strip())
        if part[:1] not in '{"'
        and not part.isdigit()
        and part.lower() not in strings
        and part.lower() not in MONTH_MACROS
    ]


def _round_trips(raw_inner: str, decoded: str) -> bool:
    """Whether the exporter's escaping of ``decoded`` gives back ``raw_inner`` exactly (not
    where it has paragraphs, which the escaping folds into one)."""
    return "\n" not in decoded and escape(decoded) == " ".join(raw_inner.split())


#: Fields whose paragraphs the catalogue's text keeps (``decode_paragraphs``).
_PARAGRAPHS = frozenset({"annotation", "annote", "abstract", "note"})


# ----------------------------------------------------------------------------- entries

_ISO_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
#: Fields with a column of their own, kept as written too (a list of ISBNs, a DOI as a link).
_IDENTIFIERS = {
    "pages": "pages", "doi": "doi", "isbn": "isbn", "issn": "issn", "url": "url",
    "abstract": "abstract", "edition": "edition_statement", "note": "note",
}  # fmt: skip
_VERBATIM = frozenset({"doi", "url"})
NO_KEY = "biblio-no-key"
"""The start of the key an entry written without one (Mendeley, Citavi, EndNote) is parsed
under: ``biblio-no-key-1``, ``-2``, ... in the file's order, so that bibtexparser does not
take the second of them for a repeat of the first."""


def _no_key(key: str | None) -> bool:
    """Whether ``key`` is empty or one given by the reader to an entry written without one."""
    return not key or key.startswith(NO_KEY + "-")


_COMMAND_GROUP = re.compile(r"\\[A-Za-z]+\s*\{[^{}]*\}")


def _usable_key(key: str) -> bool:
    try:
        check_key(key)
    except InvalidValue:
        return False
    return True


def bibtex_year(text: str) -> int | None:
    """The year a BibTeX ``year`` gives to sort by: "1981", "{\\noopsort{1973c}}1981" ->
    1981, "1999a" -> 1999, "-44", "20000" (never truncated), "2004/2005" -> 2004; "19xx",
    "198?" or "submitted for publication" -> None."""
    plain = _COMMAND_GROUP.sub("", text).replace("{", "").replace("}", "").strip()
    match = re.fullmatch(r"(-?\d+)[a-z]?", plain)
    if match:
        return int(match.group(1))
    if re.fullmatch(r"-?\d+([-/].*)?", plain) and "?" not in plain:
        return sortable_year(plain)
    return None


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
#: The fields whose text the catalogue holds decoded from their LaTeX.
_DECODED = frozenset(
    {*_TEXT_COLUMNS, *_ORIGINAL_COLUMNS, *_LIST_COLUMNS, *_ORIGINAL_LISTS, "keywords"}
    | {name for name in _IDENTIFIERS if name not in _VERBATIM}
)


@lru_cache(maxsize=65536)
def _keywords(inner: str) -> list[str]:
    """A keywords value's items: split at commas and semicolons outside braces, as biblatex
    splits them (``{Smith, John}`` is one keyword)."""
    items, depth, start = [], 0, 0
    for i, ch in enumerate(inner):
        depth += (ch == "{") - (ch == "}")
        if ch in ",;" and depth == 0:
            items.append(inner[start:i])
            start = i + 1
    return [*items, inner[start:]]


def _list_items(inner: str) -> tuple[str, ...]:
    """The items of a biblatex literal list ("Paris and London"), braces respected."""
    from bibtexparser.middlewares.names import split_multiple_persons_names

    return tuple(decode_latex(_unenclose(item)) for item in split_multiple_persons_names(inner))


class _EntryReader:
    """Turns one bibtexparser Entry into an EditionRecord, collecting problems."""

    def __init__(  # type: ignore[no-untyped-def]
        self, entry, strings: dict[str, str], file: str, biblatex: bool = True, shift: int = 0
    ) -> None:
        self.entry = entry
        self.shift = shift  # to bibtexparser's line numbers (``_true_lines``)
        self.strings = strings
        self.file = file
        self.biblatex = biblatex
        self.problems: list[BibProblem] = []
        self.extra: list[tuple[str, str]] = []
        self.key: str | None = None if _no_key(entry.key) else entry.key
        if self.key is not None and not _usable_key(self.key):
            self.key = None

    def problem(self, field_name: str | None, message: str, line: int | None = None) -> None:
        self.problems.append(
            BibProblem(
                self.file,
                (line or self.entry.start_line) + self.shift + 1,
                self.key,
                message,
                field_name,
            )  # fmt: skip
        )

    def warn(
        self, field_name: str | None, kind: str, message: str, line: int | None = None
    ) -> None:
        self.problems.append(
            warning(
                self.file,
                (line or self.entry.start_line) + self.shift + 1,
                self.key,
                kind,
                message,
                field_name,
            )  # fmt: skip
        )

    def keep(self, name: str, raw: str) -> None:
        if not self.extra or self.extra[-1][0] != name:  # once per field
            self.extra.append((name, Raw(raw)))

    def _names(self, name: str, inner: str, line: int) -> tuple[list[names.Name], bool] | None:
        try:
            people = names.split_bib_names(inner)
            if _XDATA_NAME.search(inner):
                self.warn(
                    name, "name taken from an @xdata entry, kept as written",
                    "a name given as 'xdata=KEY-FIELD-N' (biber's granular xdata) is not read "
                    "into the catalogue's people", line,
                )  # fmt: skip
            return people
        except InvalidValue as exc:
            # BibTeX reads on: it warns of a stray comma ("Too many commas in name"), prints
            # a list that starts or ends with "and" as it is, and a doubled "and" as an empty
            # name; biber warns of the last. The list is read without them, with a warning,
            # and kept as written (_keep_if_not_exact_names).
            stray = re.sub(r"\s*,\s*(?=\s+and\s+|$)", "", inner.strip())
            mended = _EMPTY_NAME.sub(" and ", f" {stray} ").strip()
            mended = re.sub(r"^and\s+|\s+and$", "", mended, flags=re.I)
            try:
                people = names.split_bib_names(mended)
            except InvalidValue:
                self.problem(name, str(exc), line)
                return None
            kind = "name with a stray comma" if stray != inner.strip() else "empty name"
            self.warn(name, f"{kind}, kept as written", str(exc), line)
            return people

    def read(self) -> BibEntry:
        entry = self.entry
        record = EditionRecord(title="", key=self.key, entry_type=entry_type(entry))
        original: dict[str, str | None] = {}
        related: list[str] = []
        relatedtype = None
        year: int | None = None
        year_seen = False
        plain_date: str | None = None
        month = None
        langid_raw: str | None = None
        for bib_field in entry.fields:
            name = bib_field.key.lower()
            raw, inner = resolve_value(bib_field.value, self.strings)
            line = bib_field.start_line
            if "{" in inner or "}" in inner:
                self._check_braces(name, bib_field.value, line)
            if "\\" in inner and name in _DECODED:
                self._unknown_commands(name, inner, line)
            for macro in undefined_macros(bib_field.value, self.strings):
                self.warn(
                    name, "undefined @string, kept as written",
                    f"@string '{macro}' is not defined (BibTeX reads it as empty)", line,
                )  # fmt: skip
                self.keep(name, raw)  # the biblatex export writes it as it came
            if name in _NAME_ROLES:
                split = self._names(name, inner, line)
                if split is None:
                    continue
                people, others = split
                if "\\" in inner:
                    self._unknown_commands(name, inner, line, people)
                setattr(record, _NAME_ROLES[name], people)
                if others:
                    record.others.append(name)
                self._keep_if_not_exact_names(name, raw, inner, people, others)
            elif name in ("journaltitle", "journal") and record.entry_type == "periodical":
                # Not a field of biblatex's @periodical, whose title is the periodical's (an
                # issue's is issuetitle): kept as written beside it. As the catalogue's journal
                # it became the exported title, and the file's title the issuetitle.
                self.keep(name, raw)
            elif name in _TEXT_COLUMNS:
                # an annotation's paragraphs are kept (a blank line between them)
                decoded = (decode_paragraphs if name in _PARAGRAPHS else decode_latex)(inner)
                setattr(record, _TEXT_COLUMNS[name], decoded)
                if name in CANONICAL or not _round_trips(inner, decoded) or raw[:1] != "{":
                    self.keep(name, raw)
            elif name in _IDENTIFIERS:
                self._identifier(record, name, raw, inner, line)
            elif name == "keywords":
                record.keywords = [k for k in (decode_latex(w) for w in _keywords(inner)) if k]
                self.keep(name, raw)
            elif name in _LIST_COLUMNS:
                setattr(record, _LIST_COLUMNS[name], self._printed_list(inner))
                self.keep(name, raw)  # list syntax (and the alias) is kept as written
            elif name in _ORIGINAL_LISTS:
                original[_ORIGINAL_LISTS[name]] = self._printed_list(inner)
                self.keep(name, raw)
            elif name in _ORIGINAL_COLUMNS:
                value: str | None = decode_latex(inner)
                if name != "origtitle":
                    derived = sortable_year(value)
                    if derived is None:
                        self._no_year(name, "date with no year", inner, line)
                    value = str(derived) if derived is not None else None
                original[_ORIGINAL_COLUMNS[name]] = value
                self.keep(name, raw)
            elif name == "origlanguage":
                original["language"] = read_language(inner)
                self.keep(name, raw)
            elif name == "langid":
                langid_raw = raw
                code = read_language(inner)
                record.language = code
                if code is None or biblatex_name(code) != inner.strip():
                    self.keep(name, raw)  # "australian", "USenglish": kept as written
            elif name == "language" and read_language(inner) is not None:
                record.language = record.language or read_language(inner)
                self.keep(name, raw)
            elif name == "date":
                text = inner.strip()
                if _ISO_DATE.fullmatch(text):
                    record.date = text
                    plain_date = raw
                    continue
                derived = sortable_year(text)
                record.date = str(derived) if derived is not None else None
                if derived is None:
                    self._no_year(name, "date with no year", inner, line)
                self.keep(name, raw)
            elif name == "year":
                year_seen = True
                year = bibtex_year(inner)
                if year is None:
                    self._no_year(name, "year with no number", inner, line)
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
            record.date = str(year)
            if month and month[:3] in MONTH_MACROS:
                record.date = f"{year}-{MONTH_MACROS.index(month[:3]) + 1:02d}"
            elif month and month.isdigit() and 1 <= int(month) <= 12:
                record.date = f"{year}-{int(month):02d}"
        if langid_raw is not None:  # most entries have none: the kept names are not read
            kept_names = {kept_name for kept_name, _ in self.extra}
            if "language" in kept_names and "langid" not in kept_names:
                self.keep("langid", langid_raw)  # beside a language, which would stand for it
        if year_seen and plain_date is not None:
            self.keep("date", plain_date)  # beside a year, which would stand for it on export
        if original.get("title"):
            record.original = OriginalRecord(
                title=str(original["title"]),
                date=original.get("date"),
                place=original.get("place"),
                publisher=original.get("publisher"),
                language=original.get("language"),
            )
        record.translator_status = "named" if record.translators else "unknown"
        record.extra_fields = self.extra
        line = entry.start_line + self.shift + 1
        return BibEntry(record, self.file, line, related, relatedtype)

    def _unknown_commands(
        self, name: str, inner: str, line: int, people: list[names.Name] | None = None
    ) -> None:
        """Warn of the commands in a field that have no text: left out of a decoded field's
        text, or, in a name list (``people``), out of the names they stand in."""
        unknown = unknown_commands(inner)
        if not unknown:
            return
        listed = ", ".join(f"\\{command}" for command in unknown)
        if people is None:
            self.warn(
                name, "LaTeX command with no text, left out of the catalogue's text",
                f"{listed} has no text biblio knows (defined in a @preamble?): the catalogue "
                f"reads {decode_latex(inner)!r}; the biblatex export writes the field as it came",
                line,
            )  # fmt: skip
            return
        self.warn(
            name, "LaTeX command with no text in a name",
            f"{listed} has no text biblio knows: the catalogue's names read "
            f"{'; '.join(p.display for p in people)!r} (a name that is only such a command "
            "as written); the .bib exports write the names as they came",
            line,
        )  # fmt: skip

    def _no_year(self, name: str, kind: str, inner: str, line: int) -> None:
        self.warn(name, f"{kind}, kept as written", f"no year can be read from {inner!r}", line)

    def _printed_list(self, inner: str) -> str | None:
        """A place or publisher as the styles print it, which is what the catalogue holds: a
        classic BibTeX value whole ("Harper and Row" is one publisher), a biblatex literal
        list's items joined as biblatex's standard styles join them ("Farrar, Straus and
        Giroux", "Paris, London and New York"). The list itself stays as written."""
        if not self.biblatex:
            return decode_latex(inner) or None
        items = [item for item in _list_items(inner) if item]
        if len(items) < 2:
            return items[0] if items else None
        return ", ".join(items[:-1]) + " and " + items[-1]

    def _identifier(
        self, record: EditionRecord, name: str, raw: str, inner: str, line: int
    ) -> None:
        value: str | None = (
            " ".join(inner.split())
            if name in _VERBATIM
            else (decode_paragraphs if name in _PARAGRAPHS else decode_latex)(inner)
        )
        column = _IDENTIFIERS[name]
        if name == "isbn":
            value = self._standard_number("isbn", value, line)
        elif name == "issn":
            value = self._standard_number("issn", value, line)
        elif name == "doi" and value:
            value = bare_doi(value)
        if value and getattr(record, column) is None:
            setattr(record, column, value)
        self.keep(name, raw)

    def _standard_number(self, kind: str, value: str | None, line: int) -> str | None:
        """The first ISBN's or ISSN's catalogue form if its check digit holds; else a warning."""
        if not value:
            return None
        first = re.split(r"[,;]|\s(?=\d)", value.strip())[0].strip()
        try:
            return standard_number(kind, first)
        except InvalidValue as exc:
            self.warn(kind, f"invalid {kind.upper()}, kept as written", str(exc), line)
            return None

    def _check_braces(self, name: str, value: str, line: int) -> None:
        # BibTeX counts every brace, escaped or not; bibtexparser never ends a value with
        # more closing than opening braces, so the counts tell a value cut short (a quoted
        # value it cut at a '"' inside braces is read again whole: ``_misread``).
        if value.count("{") != value.count("}"):
            self.problem(
                name,
                "the value's braces do not balance: a '{' is not closed before the entry's "
                "end, which BibTeX does not read either",
                line,
            )

    def _keep_if_not_exact_names(self, name, raw, inner, people, others) -> None:  # type: ignore[no-untyped-def]
        # Always kept as written: a name links to a person record, whose spelling may be
        # another entry's ("Joëlle" for "Joelle"); the entry's own spelling is what it writes.
        del inner, people, others
        self.keep(name, raw)


#: An item of a name list that biber takes from an @xdata entry ("xdata=gxd1-author-2").
_XDATA_NAME = re.compile(r"(?:^|\sand\s)\s*xdata\s*=", re.I)

#: A doubled "and" in a name list (an empty name between), or one at either end once padded.
_EMPTY_NAME = re.compile(r"\s+and(?:\s+and)+\s+", re.I)


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

    spans = comment_lines(text)
    commented = [
        warning(
            file,
            text.count("\n", 0, found.start()) + 1,
            None,
            "entry commented out with %, left out",
            f"{' '.join(found.group(1).split())!r} is on a line that starts with '%', which "
            "biber reads as a comment (BibTeX would read the entry)",
        )  # fmt: skip
        for start, end in spans
        if (found := _COMMENTED_ENTRY.match(text, start, end))
    ]
    if spans:  # line numbers kept
        kept = itertools.chain([0], *spans, [len(text)])
        text = "".join(text[a:b] for a, b in zip(kept, kept, strict=True))
    numbers = itertools.count(1)
    text = _KEYLESS.sub(lambda m: f"{m.group(1)}{NO_KEY}-{next(numbers)},{m.group(2)}", text)

    # BibTeX and biber count a brace after a backslash as any other ("{C:\\temp\\}" ends at
    # its last brace); bibtexparser does not, and read on to the file's end: a mark between
    # the two hides the backslash from it, and leaves every value once it is read
    marked = "\ue000" not in text and bool(_ESCAPED_BRACE.search(text))
    if marked:
        text = _ESCAPED_BRACE.sub(_MARK, text)

    def parse(text: str) -> Any:
        stack = [ResolveStringReferencesMiddleware(allow_inplace_modification=True)]
        library = bibtexparser.parse_string(text, parse_stack=stack)
        if marked:
            _unmark(library)
        return library

    # bibtexparser logs a block it cannot read with a line number of its own count (below:
    # the problem says it, at the right line).
    splitter_log = logging.getLogger("bibtexparser.splitter")
    disabled, splitter_log.disabled = splitter_log.disabled, True
    try:
        library = parse(text)
        misread = _misread(library)
        rewritten = _rewritten(text, misread) if misread else text
        if rewritten != text:  # what it misread, rewritten where it is, is read again
            text = rewritten
            library = parse(text)
    finally:
        splitter_log.disabled = disabled
    shifts, ends = _true_lines(text, library.blocks, library.failed_blocks)
    problems: list[BibProblem] = commented
    blocks: list[Any] = list(library.entries)
    repeated: list[tuple[Any, int]] = []  # entries with a field given twice, and their shift
    for block in library.failed_blocks:
        kind = type(block).__name__
        line = (block.start_line or 0) + shifts.get(id(block), 0) + 1
        if kind == "DuplicateFieldKeyBlock":
            inner = block.ignore_error_block
            repeated.append((inner, shifts.get(id(inner), shifts.get(id(block), 0))))
            blocks.append(inner)
        elif kind == "DuplicateBlockKeyBlock":
            key = getattr(block, "key", None)
            problems.append(
                warning(
                    file,
                    line,
                    key,
                    "entry with a repeated key, left out",
                    f"key '{key}' repeated in the file: the first entry is kept and this "
                    "one left out, as BibTeX does",
                )  # fmt: skip
            )
        else:
            first = _as_written(str(block.raw).splitlines()[0]) if block.raw else ""
            reason = getattr(block.error, "abort_reason", None)
            if reason:
                end = ends.get(id(block))
                message = f"cannot read the entry at {first!r}: {reason.rstrip('.')}"
                message += f" (line {end + 1})" if end is not None else ""
                if '`"`' in reason:
                    message += (
                        '; a \'"\' inside braces in a "..." value? BibTeX reads it, '
                        "bibtexparser does not: enclose that value in braces"
                    )
            else:
                message = f"cannot read this entry (unbalanced braces or missing key?) at {first!r}"
            match = re.match(r"@\w+\s*[{(]\s*([^,\s={}]+)\s*,", block.raw or "")
            key = match.group(1) if match and not _no_key(match.group(1)) else None
            unclosed = _unclosed_field(block.raw or "")
            if unclosed is None:
                problems.append(BibProblem(file, line, key, message))
                continue
            name, lines_in = unclosed
            said = (reason or "cannot read it").strip().rstrip(".")
            message = (
                f"a '{{' in the value is not closed before the entry's text ends (line "
                f"{(end or line - 1) + 1 if reason else line}): unbalanced braces, which BibTeX "
                f"cannot read either (bibtexparser: {said})"
            )
            problems.append(BibProblem(file, line + lines_in, key, message, name))
    blocks.sort(key=lambda entry: entry.start_line)
    strings = {s.key.lower(): _unenclose(s.value.strip()) for s in library.strings}
    for comment in library.comments:  # what bibtexparser read as text between entries
        if type(comment).__name__ != "ImplicitComment" or not comment.raw:
            continue
        for unread in _UNREAD_HEAD.finditer(comment.raw):
            line = (comment.start_line or 0) + shifts.get(id(comment), 0)
            line += comment.raw.count("\n", 0, unread.start()) + 1  # the line of its "@"
            head = " ".join(unread.group().split())
            if _in_address(comment.raw, unread):  # "jdoe@example.org (John)"
                problems.append(
                    warning(
                        file,
                        line,
                        None,
                        "an address between entries, not read",
                        f"{head!r} reads as an entry's head to BibTeX (an e-mail address?): "
                        "left out, as bibtexparser leaves it",
                    )  # fmt: skip
                )
                continue
            problems.append(
                BibProblem(
                    file,
                    line,
                    None,
                    f"an entry bibtexparser cannot read, which BibTeX would: {head!r} "
                    "(start it on a line of its own)",
                )  # fmt: skip
            )
        fields = _FIELDS_BETWEEN.search(comment.raw)
        if fields is not None:
            line = (comment.start_line or 0) + shifts.get(id(comment), 0)
            line += comment.raw.count("\n", 0, fields.start("name")) + 1
            problems.append(
                warning(
                    file,
                    line,
                    None,
                    "fields between entries, not read",
                    f"{' '.join(fields.group().split())!r}... follows an entry's end (a '}}' too "
                    "many in the entry before?): left out, as biber and BibTeX leave it (biber "
                    "warns of junk)",
                )  # fmt: skip
            )
    # @preamble and @comment go with every entry of the file: kept once by the catalogue,
    # written back at the head of .bib exports of these entries.
    file_blocks = [["preamble", p.value] for p in library.preambles]
    file_blocks += [
        ["comment", c.comment] for c in library.comments if type(c).__name__ == "ExplicitComment"
    ]
    biblatex = _is_biblatex(blocks, [text for kind, text in file_blocks if kind == "comment"])
    for entry, shift in repeated:
        _one_of_each_field(entry, file, problems, shift, last=biblatex)
    titled = {
        e.key for e in blocks if any(f.key.lower() in ("title", "booktitle") for f in e.fields)
    }
    del library  # each parsed entry is let go once read: the peak stays near the parse's
    entries = []
    for i, entry in enumerate(blocks):
        blocks[i] = None
        reader = _EntryReader(entry, strings, file, biblatex, shifts.get(id(entry), 0))
        read = reader.read()
        if file_blocks:
            read.record.kept["bib"] = file_blocks
        if reader.key is None and not _no_key(entry.key):
            reader.warn(
                None, "key biber cannot read back, key generated",
                f"key {entry.key!r} holds a character biber reads as syntax; a key is made",
            )  # fmt: skip
        elif reader.key is None:
            reader.warn(None, "entry with no key, key generated", "no citation key: one is made")
        if not read.record.title:
            _warn_untitled(reader, entry, titled)
        problems += reader.problems
        if not any(p.is_error for p in reader.problems):
            entries.append(read)
    problems.sort(key=lambda p: p.line)
    return entries, problems


def _true_lines(
    text: str, blocks: list[Any], failed: list[Any]
) -> tuple[dict[int, int], dict[int, int]]:
    """Where each block's text lies in ``text``: bibtexparser's own line count falls behind in
    some files (TeX Live's texbook2.bib: 902 lines by the end, from values whose lines end in
    ``\\\\``). Returns, by the ``id`` of each block (and of the entry inside a block with a
    repeated field), what to add to the lines bibtexparser gives it and its fields; and for
    each ``failed`` block, the line (0-based) its text ends on, where bibtexparser stopped.
    The count only ever falls behind: where the last block's line is right, all are, and the
    file is not searched block by block."""
    shifts: dict[int, int] = {}
    last = next((block for block in reversed(blocks) if block.raw), None)
    at = text.rfind(last.raw) if last is not None else -1
    if last is not None and at >= 0 and text.count("\n", 0, at) != last.start_line:
        position, line = 0, 0
        for block in blocks:
            raw = block.raw
            found = text.find(raw, position) if raw else -1
            if found < 0:
                continue
            line += text.count("\n", position, found)
            shifts[id(block)] = line - (block.start_line or 0)
            position = found + len(raw)
            line += raw.count("\n")
            inner = getattr(block, "ignore_error_block", None)
            if inner is not None:
                shifts[id(inner)] = line - (inner.start_line or 0)
    ends = {
        id(block): (block.start_line or 0)
        + shifts.get(id(block), 0)
        + block.raw.rstrip().count("\n")
        for block in failed
        if block.raw
    }
    return shifts, ends


#: The head of an entry at the start of a line, "@type{" or "@type(", as BibTeX reads it: space
#: after the "@" and before the brace, newlines too; a type of any characters but space and
#: ``"#%'(),={}``.
_ENTRY_START = re.compile(r"^([ \t]*)@(\s*)([^\s\"#%'(),={}]+)(\s*)([{(])", re.M)
#: The head of an entry anywhere in the text between entries, where BibTeX looks for one
#: ("... may use.@" then "MaNuAl (scribe," in BibTeX's own btxdoc.bib).
#: Text between entries that reads as a field ("year = {2001},", after an entry ended early).
_FIELDS_BETWEEN = re.compile(r'(?m)^[\s,]*(?P<name>[A-Za-z][\w:.+-]*)\s*=\s*[{"\d][^\n]{0,40}')
_UNREAD_HEAD = re.compile(r"@\s*[^\s\"#%'(),={}@]+\s*[{(]")
#: bibtexparser reads fewer heads: the type in word characters, no newline before the brace;
#: and a type that begins with "comment", "string" or "preamble" as that command (jurabib's
#: ``@COMMENTED{erm, ...}`` entries were @comments to it). Such a type is given to the parse
#: as this mark and its hexadecimal UTF-8 (``entry_type`` reads it back), its spaces after
#: the brace, on the same lines.
_TYPE_MARK = "biblioentry"
_COMMANDS = ("comment", "string", "preamble")
#: A block of a command (@comment, @string, @preamble) that is an entry of a longer type.
_SHADOWED_HEAD = re.compile(r"\s*@\s*(?:comment|string|preamble)\w", re.I)


def _misread(library: Any) -> list[tuple[str, bool]]:
    """The blocks bibtexparser misread, each as its text and whether it is an entry it cut
    short (else a block holding entry heads it did not read); the file is then read again
    with those rewritten (``_rewritten``): most files are read once.

    - Entry heads read as text between entries: a type BibTeX reads and bibtexparser does
      not, a brace on the next line, an "@" that ends a line of prose; or an entry whose type
      begins with a command's name read as that command.
    - An entry cut short at a '"' inside braces in a "..." value (``zeitgem{"a}``, as
      "Tame the BeaST" tells to write a quote there): bibtexparser ends the value at it,
      without a word, and reads the rest as text between entries (its issue #487), or fails
      on the rest of the entry.
    """
    found = []
    for block in library.blocks:
        kind = type(block).__name__
        raw = block.raw or ""
        if kind == "ImplicitComment" and (
            _ENTRY_START.search(raw)
            or any(_after_prose(raw, head) for head in _UNREAD_HEAD.finditer(raw))
        ):
            found.append((raw, False))
        elif kind != "Entry" and _SHADOWED_HEAD.match(raw):  # a @comment, a failed @string...
            found.append((raw, False))
        elif kind == "ParsingFailedBlock" and raw.startswith("@"):
            found.append((raw, True))  # read again only if it has such a value to rewrite
        elif (
            kind == "Entry"
            and '"' in raw
            and any(
                f.value.startswith('"') and f.value.count("{") > f.value.count("}")
                for f in block.fields
                if isinstance(f.value, str)
            )
        ):
            found.append((raw, True))
    return found


def _after_prose(text: str, head: re.Match[str]) -> bool:
    """Whether an entry head found in text between entries follows other text on its line
    (not an e-mail address: "jdoe@example.org (John)")."""
    line = text[text.rfind("\n", 0, head.start()) + 1 : head.start()]
    return bool(line.strip()) and not _in_address(text, head)


def _in_address(text: str, head: re.Match[str]) -> bool:
    """Whether an entry head found in text between entries is part of an e-mail address."""
    before = text[head.start() - 1 : head.start()]
    return bool(before) and (before.isalnum() or before in "_-+")


def _rewritten(text: str, blocks: list[tuple[str, bool]]) -> str:
    """``text`` with the blocks ``_misread`` found (texts of it, in order) made readable, on
    the same lines, and nothing else touched: a line of a value that begins like a head stays
    as it is. Entry heads are rewritten (``_readable_head``), prose before an "@" on its line
    blanked (text between entries is not kept); a cut entry's "..." values with a '"' inside
    braces are enclosed in braces instead, the same value to BibTeX."""
    parts, position = [], 0
    for raw, cut in blocks:
        found = text.find(raw, position)
        if found < 0:
            continue
        if cut:
            end, fixed = _quotes_braced(text, found)
            if fixed == text[found:end]:
                continue
        else:
            end = found + len(raw)
            fixed = _ENTRY_START.sub(_readable_head, _unprosed(raw))
        parts += [text[position:found], fixed]
        position = end
    return "".join([*parts, text[position:]])


def _unprosed(raw: str) -> str:
    """``raw`` (text between entries) with the prose before an entry head on its line made
    spaces: BibTeX reads the head there, bibtexparser only at a line's start."""
    chars = list(raw)
    for head in _UNREAD_HEAD.finditer(raw):
        if _after_prose(raw, head):
            for i in range(raw.rfind("\n", 0, head.start()) + 1, head.start()):
                chars[i] = " "
    return "".join(chars)


def _quotes_braced(text: str, start: int) -> tuple[int, str]:
    """The entry at ``start`` (its "@"), as BibTeX delimits it, with each "..." value that
    holds a '"' inside braces written in braces; and where the entry ends. BibTeX counts
    every brace, and a '"' ends a quoted value only outside braces. An entry that does not
    end is left as it is (its end is ``start``)."""
    opening = text.find("{", start), text.find("(", start)
    body = min(i for i in opening if i >= 0)
    closing = "}" if text[body] == "{" else ")"
    chars = list(text[start : body + 1])
    depth, quoted, inner = 0, -1, False
    for i in range(body + 1, len(text)):
        ch = text[i]
        chars.append(ch)
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif quoted < 0 and depth == 0 and ch == closing:
            return i + 1, "".join(chars)
        elif ch == '"' and depth == 0 and text[i - 1] != "\\":
            if quoted < 0:
                quoted, inner = len(chars) - 1, False
            else:
                if inner:
                    chars[quoted], chars[-1] = "{", "}"
                quoted = -1
        elif ch == '"' and quoted >= 0:
            inner = True
    return start, ""  # not ended: left as it is


def _readable_head(match: re.Match[str]) -> str:
    indent, before, kind, after, brace = match.groups()
    lowered = kind.lower()
    shadowed = lowered.startswith(_COMMANDS) and lowered not in _COMMANDS
    if not shadowed and re.fullmatch(r"\w+", kind) and not before and "\n" not in after:
        return match.group()  # as bibtexparser reads it: left as it is
    if shadowed or not re.fullmatch(r"\w+", kind):
        kind = _TYPE_MARK + kind.encode("utf-8").hex()
    return f"{indent}@{kind}{brace}{before}{after}"


def _as_written(text: str) -> str:
    """``text`` with the types ``_readable_head`` marked for the parse as the file wrote them,
    and without the key given to an entry that had none (``NO_KEY``)."""
    text = re.sub(re.escape(NO_KEY) + r"-\d+,", "", text)
    return re.sub(
        _TYPE_MARK + "([0-9a-f]+)", lambda m: bytes.fromhex(m.group(1)).decode("utf-8"), text
    )


def entry_type(entry: Any) -> str:
    """A parsed entry's type, lower case, as the file gave it (``_readable_head``)."""
    kind = str(entry.entry_type).lower()
    if kind.startswith(_TYPE_MARK):
        return bytes.fromhex(kind.removeprefix(_TYPE_MARK)).decode("utf-8").lower()
    return kind


#: A line that starts with "%": biber reads it as a comment between entries or between an
#: entry's fields ("%@BOOK{k1," of an entry commented out, "%  note = {...},"), not inside a
#: value (``comment_lines``); BibTeX reads none as a comment.
#: (A line ends at "\n", "\r\n" or a lone "\r", as old Mac files end theirs.)
_COMMENT_LINE = re.compile(r"(?:^|(?<=\r))[ \t]*%[^\r\n]*", re.MULTILINE)
#: What tells where a value is: an entry's head ("@book" before its "{" or "("), braces,
#: quotes and parentheses.
_STRUCTURE = re.compile(r'@[ \t]*[A-Za-z]+[ \t]*(?=[{(])|[{}"()]')


#: A backslash before a brace, and what goes between them for bibtexparser to count the brace
#: as BibTeX does (a character of Unicode's private use area, in no real file).
_ESCAPED_BRACE = re.compile(r"\\(?=[{}])")
_MARK = "\\\ue000"


def _unmark(library: Any) -> None:
    """Every value of a parsed ``library`` without the marks ``_MARK`` put in (its blocks'
    text keeps them: it is the marked text's)."""
    for block in library.blocks:
        for attribute in ("value", "comment"):
            if isinstance(getattr(block, attribute, None), str):
                setattr(block, attribute, getattr(block, attribute).replace("\ue000", ""))
        for bib_field in getattr(block, "fields", None) or ():
            if isinstance(bib_field.value, str):
                bib_field.value = bib_field.value.replace("\ue000", "")


def comment_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each line biber reads as a comment: one that starts with "%"
    outside any value (between entries, or between an entry's fields). Inside a value, braced
    or quoted, such a line is text to biber ("50\\n% of people"), and stays."""
    spans: list[tuple[int, int]] = []
    in_entry = head = quoted = False
    closer, depth, position = "}", 0, 0
    for candidate in _COMMENT_LINE.finditer(text):
        if candidate.start() < position:
            continue
        for token in _STRUCTURE.finditer(text, position, candidate.start()):
            mark = token.group()
            if not in_entry:
                if mark[0] == "@":
                    head = True
                elif head and mark in "{(":
                    in_entry, head, closer, depth, quoted = (
                        True,
                        False,
                        "}" if mark == "{" else ")",
                        0,
                        False,
                    )
                continue
            if mark == "{":
                depth += 1
            elif mark == "}":
                if depth == 0 and closer == "}" and not quoted:
                    in_entry = False
                depth = max(depth - 1, 0)
            elif mark == '"' and depth == 0:
                quoted = not quoted
            elif mark == ")" and depth == 0 and closer == ")" and not quoted:
                in_entry = False
        position = candidate.start()
        if not (in_entry and (depth or quoted)):
            spans.append((candidate.start(), candidate.end()))
            position = candidate.end()
    return spans


_COMMENTED_ENTRY = re.compile(
    r"(?:^|(?<=\r))[ \t]*%[ \t%]*(@\s*[A-Za-z]+\s*[{(][^,\r\n]*)", re.MULTILINE
)

#: An entry with no key: "@article{," or "@article{ author = ..." (not @string, @preamble).
_KEYLESS = re.compile(
    r"(@(?!(?:string|preamble|comment)\b)[A-Za-z]+\s*\{)\s*,?(\s*[A-Za-z][\w-]*\s*=)", re.I
)

#: Fields only biblatex has: their presence makes publisher and location literal lists.
_BIBLATEX_ONLY = frozenset(
    {
        "date", "location", "journaltitle", "langid", "origlanguage", "origdate",
        "origlocation", "origpublisher", "origtitle", "urldate", "eprinttype", "xdata",
        "related", "relatedtype", "maintitle", "eventdate", "shorthand", "sortname",
    }
)  # fmt: skip


#: JabRef's word on a file it saved: ``@Comment{jabref-meta: databaseType:biblatex;}``.
_JABREF_MODE = re.compile(r"jabref-meta:\s*databaseType:\s*(bibtex|biblatex)\s*;", re.I)


def _is_biblatex(entries: list[Any], comments: Iterable[str] = ()) -> bool:
    """Whether a file is biblatex rather than classic BibTeX: as the file says where JabRef
    saved it (its @comment "jabref-meta: databaseType:..."); else by the evidence of its
    fields: any biblatex-only field (date, location, journaltitle, langid, orig*...) says
    biblatex."""
    for comment in comments:
        declared = _JABREF_MODE.search(comment)
        if declared:
            return declared.group(1).lower() == "biblatex"
    return any(f.key.lower() in _BIBLATEX_ONLY for e in entries for f in e.fields)


_FIELD_LINE = re.compile(r"^[ \t]*([A-Za-z][^\s\"#%'(),={}]*)[ \t]*=", re.M)


def _unclosed_field(raw: str) -> tuple[str, int] | None:
    """In the text of an entry bibtexparser could not read, the field whose value, up to the
    next line that starts another field, opens more braces than it closes (its own brace left
    open, the value ran on into the entry's end and the next entry), and how many lines below
    the entry's head it starts; None where no field's text is so."""
    starts = list(_FIELD_LINE.finditer(raw))
    if not starts:
        return None
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        text = raw[here.end() : after.start() if after is not None else len(raw)]
        if text.count("{") > text.count("}") + (after is None):  # the last: the entry's "}"
            return here.group(1).lower(), raw.count("\n", 0, here.start())
    return None


def _one_of_each_field(
    entry: Any, file: str, problems: list[BibProblem], shift: int, last: bool
) -> None:
    """An entry with a field given twice keeps one value, with a warning naming the field and
    the line of the value left out (bibtexparser's count, to which ``shift`` is added:
    ``_true_lines``): the first, as BibTeX does, or in a biblatex file (``last``) the last,
    as biber does."""
    fields = entry.fields[::-1] if last else entry.fields
    seen: set[str] = set()
    kept = []
    which = "last" if last else "first"
    for bib_field in fields:
        name = bib_field.key.lower()
        if name in seen:
            problems.append(
                warning(
                    file,
                    (bib_field.start_line or entry.start_line or 0) + shift + 1,
                    None if _no_key(entry.key) else entry.key,
                    f"repeated field, {which} kept",
                    f"field '{name}' given twice ({bib_field.value!r:.60} left out): the "
                    f"{which} value is kept, as {'biber' if last else 'BibTeX'} does",
                    name,
                )  # fmt: skip
            )
            continue
        seen.add(name)
        kept.append(bib_field)
    entry.fields = kept[::-1] if last else kept


def _warn_untitled(reader: _EntryReader, entry: Any, titled: set[str]) -> None:
    fields = {f.key.lower(): f.value for f in entry.fields}
    for parent_field in ("crossref", "xdata"):
        parent = _unenclose(fields.get(parent_field, "").strip())
        if parent and parent in titled:
            return  # inherits its title, as biber resolves it
    if entry_type(entry) in UNTITLED_TYPES:
        return
    if "shorthand" in fields:
        kind = "entry with only a shorthand, kept"
    elif entry_type(entry) in ("periodical", "proceedings"):
        kind = f"@{entry_type(entry)} with no title, kept"
    else:
        kind = "entry with no title, kept"
    reader.warn("title", kind, "no title (BibTeX's styles warn of it and go on)")


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
