"""Reading CSL-JSON files (CSL 1.0.2 items, as Zotero, pandoc and biblio export them) into
plain records, with the same rules as the .bib reader (biblio.bibtex): every problem names
file, line, key and field, and a file with problems imports nothing unless asked to skip.

Variables map to the catalogue's columns as biblio.export.csl_json writes them; biblio's own
``custom`` keys (subtitle, original language, translator status...) bring back what CSL has no
variable for. Nothing is dropped: a variable with no column is kept as the biblatex field that
means the same (``DOI`` as ``doi``, ``page`` as ``pages``...) or, where biblatex has none, as a
.bib field of its own name, which the biblatex and CSL-JSON exporters write back. Rich-text
markup (``<i>``, ``<span class="nocase">``...) is removed: the catalogue holds plain text.
"""

from __future__ import annotations

import bisect
import datetime
import json
import re
from typing import Any

from .errors import InvalidValue
from .export.csl_json import (
    BIBLATEX_FIELDS,
    BIBLATEX_TYPES,
    CSL_VARIABLES,
    ISSUE_TYPES,
    PLAIN_VARIABLES,
    entry_type_for,
    join_title,
)
from .export.tex import Raw, escape, name_list
from .languages import read_language
from .models import TRANSLATOR_STATUSES
from .names import Name
from .problems import Entry as BibEntry
from .problems import Problem as BibProblem
from .records import UNTITLED_TYPES, EditionRecord, OriginalRecord

# ----------------------------------------------------------------------------- rich text

#: CSL-JSON rich-text tags (as CSL processors read them): opening pattern -> closing tag.
_TAGS = [
    (re.compile(r"<(i|b|u|sc|sup|sub)>"), None),
    (re.compile(r'<span\s*class="(nocase|nodecor)"\s*>'), "</span>"),
    (re.compile(r'<span\s*style="font-variant:\s*small-caps;\s*"\s*>'), "</span>"),
    (re.compile(r'<span\s*style="baseline"\s*>'), "</span>"),
]


def plain_text(value: str) -> str:
    """The text a CSL processor prints for rich text ``value``, markup removed: a tag is markup
    only where it is closed (as processors read it); anything else is text."""
    text, _end = _plain_until(value, 0, None)
    return text


def _plain_until(value: str, start: int, closing: str | None) -> tuple[str, int]:
    """Plain text from ``start`` up to ``closing`` (None: the end); (text, index after the
    closing tag), or (text, -1) if ``closing`` never comes."""
    out: list[str] = []
    i = start
    while i < len(value):
        if closing is not None and value.startswith(closing, i):
            return "".join(out), i + len(closing)
        if value[i] == "<":
            inner = _tagged(value, i)
            if inner is not None:
                text, i = inner
                out.append(text)
                continue
        out.append(value[i])
        i += 1
    return "".join(out), (-1 if closing is not None else i)


def _tagged(value: str, i: int) -> tuple[str, int] | None:
    for pattern, closing in _TAGS:
        match = pattern.match(value, i)
        if match:
            end_tag = closing or f"</{match.group(1)}>"
            text, end = _plain_until(value, match.end(), end_tag)
            if end >= 0:
                return text, end
    return None


# ----------------------------------------------------------------------------- JSON positions


class _Text:
    """The file's text with line numbers for offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _scan_items(text: str) -> list[tuple[int, Any, list[tuple[str, int, Any]] | None]]:
    """The items of a CSL-JSON array, as (offset, value, members): members are an object's
    (name, offset, value) in file order, repeats included (json.loads keeps only the last).
    The text must be valid JSON whose top level is an array."""

    def skip(i: int) -> int:
        match = _SPACE.match(text, i)
        return match.end() if match else i

    found: list[tuple[int, Any, list[tuple[str, int, Any]] | None]] = []
    i = skip(0) + 1  # past "["
    while True:
        i = skip(i)
        if text[i] == "]":
            return found
        start = i
        if text[i] == "{":
            members: list[tuple[str, int, Any]] = []
            i = skip(i + 1)
            while text[i] != "}":
                name, i = _DECODER.raw_decode(text, i)
                i = skip(skip(i) + 1)  # past ":"
                value, end = _DECODER.raw_decode(text, i)
                members.append((name, i, value))
                i = skip(end)
                if text[i] == ",":
                    i = skip(i + 1)
            i += 1
            found.append((start, {name: value for name, _, value in members}, members))
        else:
            value, i = _DECODER.raw_decode(text, i)
            found.append((start, value, None))
        i = skip(i)
        if text[i] == ",":
            i += 1


# ----------------------------------------------------------------------------- values

_KEY = re.compile(r"^[^\s,{}()\"#%'=\\~]+$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_NAME_PARTS = {
    "family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal",
    "comma-suffix", "static-ordering", "parse-names",
}  # fmt: skip
_JOURNAL_TYPES = ISSUE_TYPES


def _iso_date(parts: list[Any]) -> str:
    if not 1 <= len(parts) <= 3:
        raise InvalidValue(f"invalid date parts {parts!r} (expected [year, month, day])")
    numbers = []
    for part in parts:
        if isinstance(part, bool) or not (
            isinstance(part, int) or (isinstance(part, str) and part.strip().isdigit())
        ):
            raise InvalidValue(f"invalid date parts {parts!r} (expected numbers)")
        numbers.append(int(part))
    year, month, day = (numbers + [1, 1])[:3]
    if not 0 <= year <= 9999:
        raise InvalidValue(f"invalid year {year} in date parts {parts!r}")
    try:
        datetime.date(max(year, 1), month, day)
    except ValueError:
        raise InvalidValue(f"invalid date parts {parts!r} (no such month or day)") from None
    return "-".join([f"{year:04d}", *(f"{n:02d}" for n in numbers[1:])])


def csl_date_to_iso(value: Any) -> str:
    """A CSL date (date-parts, or an ISO/EDTF string "1931-05-02") as an ISO date; InvalidValue
    for what the catalogue cannot hold (a range, a season, circa, a literal date)."""
    if isinstance(value, str):
        value = {"raw": value}
    if not isinstance(value, dict):
        raise InvalidValue(f"invalid date {value!r} (expected an object with date-parts)")
    for unsupported in ("season", "circa"):
        if value.get(unsupported):
            raise InvalidValue(f"dates with '{unsupported}' are not supported")
    unknown = sorted(set(value) - {"date-parts", "raw", "edtf", "literal", "season", "circa"})
    if unknown:
        raise InvalidValue(f"unknown date property {unknown[0]!r}")
    if "date-parts" in value:
        parts = value["date-parts"]
        if not isinstance(parts, list) or not parts or not isinstance(parts[0], list):
            raise InvalidValue(f"invalid date-parts {parts!r} (expected [[year, month, day]])")
        if len(parts) > 1:
            raise InvalidValue("date ranges are not supported (give one date)")
        return _iso_date(parts[0])
    for text_form in ("raw", "edtf"):
        if text_form in value:
            text = value[text_form]
            match = _ISO.match(text.strip()) if isinstance(text, str) else None
            if not match:
                raise InvalidValue(f"invalid date {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
            return _iso_date([int(g) for g in match.groups() if g])
    raise InvalidValue(f"invalid date {value!r} (a literal date is not supported; give date-parts)")


def csl_language(value: str) -> str:
    """Our code for a CSL language ("en", "en-US", "fr-FR", "French"); InvalidValue else."""
    code = read_language(value)
    if code is None:
        raise InvalidValue(f"unknown language {value!r} (not an ISO 639 code or name)")
    return code


def csl_person(value: Any) -> Name:
    """A CSL name object as a Name; InvalidValue if it is not one."""
    if not isinstance(value, dict):
        raise InvalidValue(f"invalid name {value!r} (expected an object with family, given)")
    unknown = sorted(set(value) - _NAME_PARTS)
    if unknown:
        raise InvalidValue(f"unknown name part {unknown[0]!r}")
    parts: dict[str, str | None] = {}
    for part in ("family", "given", "dropping-particle", "non-dropping-particle", "suffix",
                 "literal"):  # fmt: skip
        text = value.get(part)
        if text is not None and not isinstance(text, str):
            raise InvalidValue(f"name part {part!r} is not text: {text!r}")
        parts[part] = " ".join(text.split()) if text else None
        parts[part] = parts[part] or None
    family = parts["family"] or parts["literal"]
    if not family:
        raise InvalidValue(f"name {value!r} has no family name (or literal)")
    particles = [p for p in (parts["dropping-particle"], parts["non-dropping-particle"]) if p]
    return Name(family, parts["given"], " ".join(particles) or None, parts["suffix"])


# ----------------------------------------------------------------------------- items


class _ItemReader:
    """Turns one CSL-JSON item into an EditionRecord, collecting problems."""

    def __init__(
        self, members: list[tuple[str, int, Any]], line: int, positions: _Text, file: str
    ) -> None:
        self.members = members
        self.line = line
        self.positions = positions
        self.file = file
        self.key: str | None = None
        self.problems: list[BibProblem] = []
        self.lines = {name: positions.line(offset) for name, offset, _ in reversed(members)}
        self.values = {name: value for name, _, value in members}
        self.extra: list[tuple[str, str]] = []

    def problem(self, field: str | None, message: str) -> None:
        line = self.lines.get(field, self.line) if field else self.line
        self.problems.append(BibProblem(self.file, line, self.key, message, field))

    def text(self, name: str) -> str | None:
        """A text variable as plain text (numbers as text, rich-text markup removed where
        processors read it); None if absent or empty."""
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(name, f"expected text, not {json.dumps(value, ensure_ascii=False)}")
            return None
        if isinstance(value, str) and name not in PLAIN_VARIABLES:
            text = plain_text(value)
        else:
            text = str(value)
        return text.strip() or None

    def people(self, name: str) -> list[Name]:
        value = self.values.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(name, "expected a list of names")
            return []
        found = []
        for person in value:
            try:
                found.append(csl_person(person))
            except InvalidValue as exc:
                self.problem(name, str(exc))
        return found

    def date(self, name: str) -> str | None:
        if self.values.get(name) is None:
            return None
        try:
            return csl_date_to_iso(self.values[name])
        except InvalidValue as exc:
            self.problem(name, str(exc))
            return None

    def language(self, value: Any, field: str) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.problem(field, f"expected a language code, not {value!r}")
            return None
        try:
            return csl_language(value)
        except InvalidValue as exc:
            self.problem(field, str(exc))
            return None

    def keep(self, variable: str, field: str, kind: str) -> None:
        """Keep a variable with no column as the .bib field ``field``, written as its kind."""
        if any(name == field for name, _ in self.extra):
            self.problem(variable, f"a second value for the biblatex field '{field}'")
            return
        if kind == "names":
            people = self.people(variable)
            if people:
                self.extra.append((field, Raw("{" + name_list(people, escape) + "}")))
            return
        if kind == "date":
            date = self.date(variable)
            if date:
                self.extra.append((field, Raw("{" + date + "}")))
            return
        text = self.text(variable)
        if text is None:
            return
        if kind == "verbatim":
            if any(ch in text for ch in "{}\\") or any(ch.isspace() for ch in text):
                self.problem(variable, f"{text!r} cannot be a biblatex verbatim field")
                return
            self.extra.append((field, Raw("{" + text + "}")))
        else:
            self.extra.append((field, Raw("{" + escape(text) + "}")))

    def read(self) -> EditionRecord:
        values = self.values
        self.read_key()
        seen: set[str] = set()
        for name, offset, _ in self.members:
            if name in seen:
                self.lines[name] = self.positions.line(offset)
                self.problem(name, f"variable '{name}' repeated in the item")
            seen.add(name)
        csl_type = values.get("type")
        if not isinstance(csl_type, str) or csl_type not in BIBLATEX_TYPES:
            self.problem("type", f"unknown CSL type {csl_type!r}" if csl_type else "no type")
            csl_type = "document"
        custom = self.custom()
        authors, editors = self.people("author"), self.people("editor")
        original_authors = self.people("original-author")
        if original_authors and not authors:
            authors = original_authors
        elif original_authors and original_authors != authors:
            kept = Raw("{" + name_list(original_authors, escape) + "}")
            self.extra.append(("original-author", kept))
        entry_type = custom.get("entry-type") or entry_type_for(
            csl_type, bool(authors), bool(editors)
        )
        record = EditionRecord(
            title="",
            key=self.key,
            entry_type=entry_type,
            authors=list(authors),
            editors=list(editors),
            translators=list(self.people("translator")),
            date=self.date("issued"),
            publisher=self.text("publisher"),
            place=self.text("publisher-place"),
            series=self.text("collection-title"),
            volume=self.text("volume"),
            language=self.language(values.get("language"), "language"),
            also_published_as=list(custom.get("also-published-as", [])),
            others=list(custom.get("others", [])),
        )
        title = self.text("title")
        record.title, record.subtitle = _split_title(title or "", custom.get("subtitle"))
        reported = any(p.field == "title" for p in self.problems)
        if not record.title and entry_type not in UNTITLED_TYPES and not reported:
            self.problem("title", "no title")
        handled = {
            "id", "citation-key", "type", "custom", "author", "editor", "original-author",
            "translator", "issued", "publisher", "publisher-place", "collection-title", "volume",
            "language", "title", "note", "annote", "container-title", "issue",
            "collection-number", "number", "original-title", "original-date",
            "original-publisher", "original-publisher-place",
        }  # fmt: skip
        self.read_container(record, csl_type)
        record.original = self.read_original(custom)
        if record.original is None:
            handled -= {"original-date", "original-publisher", "original-publisher-place"}
        self.read_annotation(record, custom)
        for name in values:
            if name in handled:
                continue
            if name in BIBLATEX_FIELDS:
                self.keep(name, *BIBLATEX_FIELDS[name])
            elif name in CSL_VARIABLES:
                self.keep(name, name, CSL_VARIABLES[name])
            else:
                self.problem(name, f"unknown CSL variable '{name}'")
        status = custom.get("translator-status")
        record.translator_status = status or ("named" if record.translators else "unknown")
        record.extra_fields = self.extra
        if not self.problems:  # what the catalogue would refuse, said here with the line
            try:
                record.validate("item")
            except InvalidValue as exc:
                self.problem(None, str(exc).removeprefix("item: "))
        return record

    def read_key(self) -> None:
        for name in ("citation-key", "id"):
            value = self.values.get(name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, str | int):
                self.problem(name, f"invalid {name} {value!r} (expected text)")
                return
            key = str(value).strip()
            if not _KEY.match(key):
                self.problem(name, f"{key!r} cannot be a citation key (it is empty or has a "
                             "space, comma, brace, quote, #, %, ~, = or backslash)")  # fmt: skip
                return
            self.key = key
            return
        self.problem("id", "no id")

    def read_container(self, record: EditionRecord, csl_type: str) -> None:
        container = self.text("container-title")
        if container and csl_type in _JOURNAL_TYPES:
            record.journal = container
        elif container:
            self.keep("container-title", "booktitle", "text")
        own = "issue" if csl_type in _JOURNAL_TYPES else "collection-number"
        other = "collection-number" if own == "issue" else "issue"
        record.number = self.text(own)
        if self.values.get(other) is not None:
            self.keep(other, other, "text")
        number = self.text("number")
        if number and record.number:
            self.problem("number", f"both '{own}' and 'number' given")
        record.number = record.number or number

    def read_original(self, custom: dict[str, Any]) -> OriginalRecord | None:
        title = self.text("original-title")
        if not title:
            return None
        main, subtitle = _split_title(title, custom.get("original-subtitle"))
        return OriginalRecord(
            title=main,
            subtitle=subtitle,
            date=self.date("original-date"),
            place=self.text("original-publisher-place"),
            publisher=self.text("original-publisher"),
            language=custom.get("original-language"),
        )

    def read_annotation(self, record: EditionRecord, custom: dict[str, Any]) -> None:
        note, annote = self.text("note"), self.text("annote")
        if note and annote and note != annote:
            self.problem("annote", "both 'note' and 'annote' given: the annotation is 'note'")
        note = note or annote
        if not note:
            return
        if record.original is None:
            record.annotation = note
            return
        own = custom.get("edition-annotation")
        if own and note.endswith(" " + own):
            record.original.annotation = note[: -len(own) - 1]
            record.annotation = own
        else:
            record.original.annotation = note

    def custom(self) -> dict[str, Any]:
        """biblio's keys in ``custom``, checked; other tools' keys are theirs and are ignored."""
        custom = self.values.get("custom")
        if custom is None:
            return {}
        if not isinstance(custom, dict):
            self.problem("custom", "expected an object")
            return {}
        found: dict[str, Any] = {}

        def bad(name: str, expected: str) -> None:
            self.problem("custom", f"custom '{name}' must be {expected}")

        for name in ("entry-type", "subtitle", "original-subtitle", "edition-annotation"):
            value = custom.get(name)
            if value is not None and not isinstance(value, str):
                bad(name, "text")
            elif value:
                found[name] = value
        if "entry-type" in found and not re.fullmatch(r"[a-z]+", found["entry-type"]):
            bad("entry-type", "a biblatex entry type")
            del found["entry-type"]
        status = custom.get("translator-status")
        if status is not None and status not in TRANSLATOR_STATUSES:
            bad("translator-status", "one of " + ", ".join(TRANSLATOR_STATUSES))
        elif status is not None:
            found["translator-status"] = status
        language = self.language(custom.get("original-language"), "custom")
        if language:
            found["original-language"] = language
        for name, allowed in (("also-published-as", None), ("others", ("author", "editor",
                              "translator"))):  # fmt: skip
            value = custom.get(name)
            if value is None:
                continue
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                bad(name, "a list of text")
            elif allowed and not set(value) <= set(allowed):
                bad(name, "a list of roles (" + ", ".join(allowed) + ")")
            else:
                found[name] = list(value)
        return found


def _split_title(title: str, subtitle: str | None) -> tuple[str, str | None]:
    """(title, subtitle) from a CSL title that ``join_title`` made from them."""
    if subtitle:
        for separator in (": ", " "):
            main = title[: -len(subtitle) - len(separator)]
            if title.endswith(separator + subtitle) and join_title(main, subtitle) == title:
                return main, subtitle
    return title, None


# ----------------------------------------------------------------------------- files


def read_csl(text: str, file: str) -> tuple[list[BibEntry], list[BibProblem]]:
    """Parse CSL-JSON text; return its items as records and every problem found, each naming
    ``file``, the line, the item's key and the variable."""
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [BibProblem(file, exc.lineno, None, f"invalid JSON: {exc.msg} "
                               f"(column {exc.colno})")]  # fmt: skip
    except RecursionError:
        return [], [BibProblem(file, 1, None, "invalid JSON: nested too deeply")]
    if not text.lstrip().startswith("["):
        return [], [BibProblem(file, 1, None, "not CSL-JSON: expected an array of items [...]")]
    positions = _Text(text)
    entries: list[BibEntry] = []
    problems: list[BibProblem] = []
    first_line: dict[str, int] = {}
    for offset, value, members in _scan_items(text):
        line = positions.line(offset)
        if members is None:
            problems.append(BibProblem(file, line, None, f"not a CSL item: {value!r:.40}"))
            continue
        reader = _ItemReader(members, line, positions, file)
        record = reader.read()
        if reader.key is not None:
            if reader.key in first_line:
                reader.problem(
                    "id", f"key '{reader.key}' repeated in the file (first at line "
                    f"{first_line[reader.key]})"
                )  # fmt: skip
            else:
                first_line[reader.key] = line
        problems += reader.problems
        if not any(p.is_error for p in reader.problems):
            entries.append(BibEntry(record, file, line))
    problems.sort(key=lambda p: p.line)
    return entries, problems


def read_csl_file(
    path: str, encoding: str | None = None
) -> tuple[list[BibEntry], list[BibProblem]]:
    """Read one CSL-JSON file (UTF-8); BiblioError for a missing, unreadable, binary or
    non-UTF-8 file."""
    from .files import read_text

    return read_csl(read_text(path, "a CSL-JSON file", encoding), path)
