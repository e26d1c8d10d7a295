"""Reading CSL-JSON files (CSL 1.0.2 items, as Zotero, Better BibTeX, pandoc, Crossref,
manubot and biblio export them) into plain records: read leniently, write exactly.

What the CSL 1.0.2 schema accepts is read: any type, any variable (Crossref's ``indexed`` or
``reference`` too), date ranges, seasons, ``circa``, literal and raw dates, string date parts,
literal names, any language tag. Only text that is not JSON, not an array of items, or an item
that is not an object is refused (an error naming file, line, key and variable); the rest comes
in with a warning where the catalogue's columns cannot say all a value says.

Variables map to the catalogue's columns as biblio.export.csl_json writes them (``page`` to
pages, ``DOI`` to doi, ``note`` to note, ``annote`` to the annotation...); biblio's own
``custom`` keys bring back what CSL has no variable for. Every variable whose value the columns
would not give back exactly (rich text, a date range, a name's particles, a type or variable
with no column...) is kept as written in ``record.kept["csl"]``, and the CSL-JSON export writes
it back as it came. Variables with no column are also kept as the biblatex field that means the
same, for the .bib exports.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter, defaultdict
from typing import Any

from .csl_dates import catalogue_year, edtf_of_csl
from .errors import InvalidValue
from .export.csl_json import (
    BIBLATEX_FIELDS,
    BIBLATEX_TYPES,
    CSL_VARIABLES,
    ISSUE_TYPES,
    PLAIN_VARIABLES,
    column_item,
    entry_type_for,
    join_title,
)
from .export.tex import Raw, escape, latex_of_markup, name_list
from .languages import read_language
from .models import TRANSLATOR_STATUSES
from .names import Name, fold
from .problems import Entry as BibEntry
from .problems import Problem as BibProblem
from .problems import warning
from .records import (
    UNTITLED_TYPES,
    EditionRecord,
    OriginalRecord,
    check_key,
    days_in,
    key_stem,
    standard_number,
)
from .richtext import markup, plain_text

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

_ISO = re.compile(r"^\s*(-?\d+)(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")
_DATE_KEYS = {"date-parts", "raw", "edtf", "literal", "season", "circa"}
#: A raw date's era before 1 CE ("44 BC", "44 B.C.", "430 BCE"), which its number alone lacks.
_BEFORE_CE = re.compile(r"\d\s*(?:B\.?\s*C\.?(?:\s*E\.?)?)\s*$", re.IGNORECASE)
_JOURNAL_TYPES = ISSUE_TYPES


def _integer(part: Any) -> int | None:
    """A date part as a number: 2001, "2001", "-44"; None for anything else (null, "spring")."""
    if isinstance(part, bool):
        return None
    if isinstance(part, int):
        return part
    if isinstance(part, float) and part.is_integer():
        return int(part)
    if isinstance(part, str) and re.fullmatch(r"\s*-?\d+\s*", part):
        return int(part)
    return None


def _iso(numbers: list[int | None], astronomical: bool = False) -> str | None:
    """The ISO form of CSL's [year, month, day] as far as it is a date: a month 13-24 (a
    season, as Better BibTeX writes) or a day the month lacks ends it there; the year is never
    cut, and one before 1 CE is numbered astronomically as ISO 8601 and biblatex number it
    (CSL's -44, 44 BCE, is "-0043"; ``catalogue_year``), unless ``astronomical`` says it is
    so numbered already (an EDTF date)."""
    if not numbers or numbers[0] is None:
        return None
    year = numbers[0] if astronomical else catalogue_year(numbers[0])
    text = f"{year:04d}" if year >= 0 else f"-{-year:04d}"
    month = numbers[1] if len(numbers) > 1 else None
    if month is None or not 1 <= month <= 12:
        return text
    text += f"-{month:02d}"
    day = numbers[2] if len(numbers) > 2 else None
    if day is None:
        return text
    return text + f"-{day:02d}" if 1 <= day <= days_in(year, month) else text


def csl_date_to_iso(value: Any) -> tuple[str | None, bool]:
    """A CSL date (date-parts, raw, edtf, literal, a string) as (the ISO date the catalogue's
    column holds, or None; whether that form says all the value says). A range gives its
    start, a season or circa its year; a literal date gives None."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = {"raw": str(value)}
    if not isinstance(value, dict):
        return None, False
    whole = set(value) <= {"date-parts"} and not value.get("season") and not value.get("circa")
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list):
        numbers = [_integer(p) for p in parts[0][:3]]
        date = _iso(numbers)
        if date is not None:
            # whole: one date, all of whose parts the ISO form holds (no month 13, no 30 Feb;
            # no year 0, which CSL's numbering by era lacks)
            whole = whole and len(parts) == 1 and None not in numbers and numbers[0] != 0
            return date, whole and date.count("-", 1) == len(parts[0]) - 1
    for text_form in ("edtf", "raw"):
        text = value.get(text_form)
        match = _ISO.match(text) if isinstance(text, str) else None
        if match:
            numbers = [int(g) if g else None for g in match.groups()]
            if text_form == "raw" and _BEFORE_CE.search(str(text)) and numbers[0]:
                numbers[0] = -abs(numbers[0])  # "44 BC": CSL's -44
            return _iso(numbers, astronomical=text_form == "edtf"), False
    return None, False


def csl_person(value: Any) -> Name | None:
    """A CSL name object as a Name (a literal name, an organisation, as its family name);
    None for one with neither family nor literal."""
    if not isinstance(value, dict):
        return None
    parts: dict[str, str | None] = {}
    for part in _NAME_PARTS:
        text = value.get(part)
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)
        parts[part] = " ".join(text.split()) or None if isinstance(text, str) else None
    family = parts["family"] or parts["literal"]
    if not family:
        return None
    particles = [p for p in (parts["dropping-particle"], parts["non-dropping-particle"]) if p]
    return Name(family, parts["given"], " ".join(particles) or None, parts["suffix"])


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _view_of(record: EditionRecord) -> Any:
    """The view the catalogue gives back for ``record``, for working out what the columns
    reproduce; form, section and notes are biblio's own, never read from CSL."""
    from dataclasses import replace

    from .queries import record_view

    view = record_view(record)
    if view.original is not None:
        view.original = replace(view.original, form=None, notes=None)
    return replace(view, form=None, section=None, notes=None)


# ----------------------------------------------------------------------------- items

#: Variables whose value the catalogue shares between editions (people, publishers, works):
#: kept as written where another spelling in the file would stand for them.
_NAME_VARIABLES = ("author", "editor", "translator")
_WORK_VARIABLES = (
    "author", "original-title", "original-date", "original-publisher",
    "original-publisher-place", "note", "annote", "custom",
)  # fmt: skip


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
        self.record: EditionRecord | None = None
        self.forced: set[str] = set()  # variables to keep as written whatever the columns say

    def error(self, field: str | None, message: str) -> None:
        line = self.lines.get(field, self.line) if field else self.line
        self.problems.append(BibProblem(self.file, line, self.key, message, field))

    def warn(self, field: str | None, kind: str, message: str) -> None:
        line = self.lines.get(field, self.line) if field else self.line
        self.problems.append(warning(self.file, line, self.key, kind, message, field))

    def text(self, name: str) -> str | None:
        """A text variable as plain text (numbers as text, rich-text markup removed where
        processors read it); None if absent or empty."""
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.warn(name, "CSL value kept as written", f"expected text, not {_json(value):.60}")
            return None
        if isinstance(value, str) and name not in PLAIN_VARIABLES:
            text = plain_text(value)
        else:
            text = str(value)
        return text.strip() or None

    def standard_number(self, kind: str, name: str) -> str | None:
        """The first ISBN or ISSN of variable ``name`` in the catalogue's form (as the .bib
        and RIS readers store it); None with a warning if its check digit fails. The value
        as written is kept either way (``finish``)."""
        text = self.text(name)
        if not text:
            return None
        first = re.split(r"[,;]|\s(?=\d)", text)[0].strip()
        try:
            return standard_number(kind, first)
        except InvalidValue as exc:
            self.warn(name, f"invalid {kind.upper()}, kept as written", str(exc))
            return None

    def people(self, name: str) -> list[Name]:
        value = self.values.get(name)
        if value is None:
            return []
        if not isinstance(value, list):
            self.warn(name, "CSL value kept as written", "expected a list of names")
            return []
        found = []
        for person in value:
            parsed = csl_person(person)
            if parsed is None:
                self.warn(name, "CSL name kept as written",
                          f"name {_json(person):.60} has no family name (or literal)")  # fmt: skip
            else:
                found.append(parsed)
        return found

    def date(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        date, whole = csl_date_to_iso(value)
        if not whole:
            said = (
                f"the catalogue's date is {date}" if date else "no date the catalogue can sort by"
            )
            self.warn(
                name, "CSL date kept as written", f"{_json(value):.80} kept as written; {said}"
            )
        return date

    def language(self, value: Any, field: str) -> str | None:
        if value is None or value == "":
            return None
        code = read_language(value) if isinstance(value, str) else None
        if code is None:
            self.warn(field, "CSL language kept as written",
                      f"{_json(value)} is not an ISO 639 language: kept as written")  # fmt: skip
        return code

    def keep(self, variable: str, field: str, kind: str) -> None:
        """Keep a variable with no column as the .bib field ``field`` too (for the .bib
        exports), written as its kind."""
        if any(name == field for name, _ in self.extra):
            return  # a second variable for the field: the CSL-JSON export keeps both
        if kind == "names":
            people = self.people(variable)
            if people:
                self.extra.append((field, Raw("{" + name_list(people, escape) + "}")))
            return
        if kind == "date":  # whole, as biblatex's EDTF date (a range, circa), else its start
            date = edtf_of_csl(self.values[variable]) or csl_date_to_iso(self.values[variable])[0]
            if date:
                self.extra.append((field, Raw("{" + date + "}")))
            return
        value = self.values[variable]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return
        text = self.text(variable)
        if text is None:
            return
        if kind == "verbatim":
            if not (any(ch in text for ch in "{}\\") or any(ch.isspace() for ch in text)):
                self.extra.append((field, Raw("{" + text + "}")))
        elif isinstance(value, str) and "<" in value and variable not in PLAIN_VARIABLES:
            # rich text: its italics, nocase spans... as LaTeX (``<i>ACL</i>`` as \emph{ACL})
            self.extra.append((field, Raw("{" + latex_of_markup(markup(value), escape) + "}")))
        else:
            self.extra.append((field, Raw("{" + escape(text) + "}")))

    def read(self) -> EditionRecord:
        values = self.values
        self.read_key()
        seen: set[str] = set()
        for name, offset, _ in self.members:
            if name in seen:
                self.lines[name] = self.positions.line(offset)
                self.warn(name, "CSL variable repeated, the last kept",
                          f"variable '{name}' repeated in the item: the last value is kept, as "
                          "JSON readers do")  # fmt: skip
            seen.add(name)
        csl_type = values.get("type")
        if not isinstance(csl_type, str) or csl_type not in BIBLATEX_TYPES:
            self.warn("type", "CSL type kept as written",
                      f"unknown CSL type {_json(csl_type)}, kept as written" if csl_type is not None
                      else "no type")  # fmt: skip
            csl_type = "document"
        custom = self.custom()
        authors, editors = self.people("author"), self.people("editor")
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
            pages=self.text("page"),
            doi=self.text("DOI"),
            url=self.text("URL"),
            abstract=self.text("abstract"),
            edition_statement=self.text("edition"),
            isbn=self.standard_number("isbn", "ISBN"),
            issn=self.standard_number("issn", "ISSN"),
        )
        keywords = self.text("keyword")
        record.keywords = [k.strip() for k in (keywords or "").split(",") if k.strip()]
        title = self.text("title")
        record.title, record.subtitle = _split_title(title or "", custom.get("subtitle"))
        if not record.title and entry_type not in UNTITLED_TYPES:
            self.warn("title", "no title, kept", "no title")
        handled = {
            "id", "citation-key", "type", "custom", "author", "editor", "translator", "issued",
            "publisher", "publisher-place", "collection-title", "volume", "language", "title",
            "note", "annote", "container-title", "issue", "collection-number", "number",
            "original-title", "original-date", "original-publisher", "original-publisher-place",
            "page", "DOI", "URL", "abstract", "edition", "ISBN", "ISSN", "keyword",
        }  # fmt: skip
        self.read_container(record, csl_type)
        record.original = self.read_original(custom)
        self.read_notes(record, custom)
        for name in values:
            if name in handled:
                continue
            if name in BIBLATEX_FIELDS:
                self.keep(name, *BIBLATEX_FIELDS[name])
            elif name in CSL_VARIABLES:
                self.keep(name, name, CSL_VARIABLES[name])
            else:
                self.warn(name, "CSL variable kept",
                          f"'{name}' is not a CSL 1.0.2 variable: kept as written")  # fmt: skip
        status = custom.get("translator-status")
        record.translator_status = status or ("named" if record.translators else "unknown")
        record.extra_fields = self.extra
        self.record = record
        return record

    def finish(self) -> None:
        """Keep, as written, every variable whose value the columns do not give back."""
        record = self.record
        assert record is not None
        record.key = self.key
        for problem in self.problems:
            problem.key = self.key
        try:
            record.validate("item", require_title=False)
        except InvalidValue as exc:
            self.error(None, str(exc).removeprefix("item: "))
            return
        made = column_item(_view_of(record))
        kept: list[list[str]] = []
        for name, value in self.values.items():
            if name in self.forced or name not in made or _json(made[name]) != _json(value):
                kept.append([name, _json(value)])
        for name in made:
            if name not in self.values and name != "id":
                kept.append([name])
        if kept:
            record.kept = {**record.kept, "csl": kept}

    def read_key(self) -> None:
        """The key: ``citation-key`` or ``id`` where one is a .bib key; else derived later."""
        for name in ("citation-key", "id"):
            value = self.values.get(name)
            if isinstance(value, str) and _is_key(value):
                self.key = value
                return
        if "id" not in self.values:
            self.warn("id", "no CSL id, key derived", "no id: a key is derived")

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

    def read_notes(self, record: EditionRecord, custom: dict[str, Any]) -> None:
        """``note`` is the note column and ``annote`` the annotation; biblio's own export
        writes an annotation as ``note`` (annotated styles print it) and says so in custom."""
        note, annote = self.text("note"), self.text("annote")
        if custom.get("annotation-in-note") and not annote:
            note, annote = None, note
        record.note = note
        if not annote:
            return
        if record.original is None:
            record.annotation = annote
            return
        own = custom.get("edition-annotation")
        if own and annote.endswith(" " + own):
            record.original.annotation = annote[: -len(own) - 1]
            record.annotation = own
        else:
            record.original.annotation = annote

    def custom(self) -> dict[str, Any]:
        """biblio's keys in ``custom``, checked; other tools' keys are theirs (the variable is
        kept as written)."""
        custom = self.values.get("custom")
        if not isinstance(custom, dict):
            return {}
        found: dict[str, Any] = {}

        def bad(name: str, expected: str) -> None:
            self.warn("custom", "CSL custom value kept as written",
                      f"custom '{name}' must be {expected}: kept as written")  # fmt: skip

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
        elif status is not None and status != "named" and self.values.get("translator"):
            bad("translator-status", "'named' when translators are given")
        elif status is not None:
            found["translator-status"] = status
        language = custom.get("original-language")
        if isinstance(language, str) and read_language(language):
            found["original-language"] = read_language(language)
        elif language is not None:
            bad("original-language", "an ISO 639 language")
        if custom.get("annotation-in-note") is True:
            found["annotation-in-note"] = True
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


def _is_key(value: str) -> bool:
    try:
        check_key(value)
    except InvalidValue:
        return False
    return True


def _split_title(title: str, subtitle: str | None) -> tuple[str, str | None]:
    """(title, subtitle) from a CSL title that ``join_title`` made from them."""
    if subtitle:
        for separator in (": ", " "):
            main = title[: -len(subtitle) - len(separator)]
            if title.endswith(separator + subtitle) and join_title(main, subtitle) == title:
                return main, subtitle
    return title, None


# ----------------------------------------------------------------------------- the file


def _derive_keys(readers: list[_ItemReader]) -> None:
    """Give each item whose id (or citation-key) is no .bib key, or is another item's too, a
    key: the catalogue's author-year-title stem, with a hash of its id where that stem is
    taken. Worked out on the whole file, so the same items get the same keys in any order."""
    import hashlib

    from .records import year_of

    counts = Counter(r.key for r in readers if r.key)
    for reader in readers:
        if reader.key and counts[reader.key] > 1:
            reader.warn("id", "CSL id repeated, key derived",
                        f"key '{reader.key}' given to {counts[reader.key]} items: keys derived "
                        "(the ids are kept)")  # fmt: skip
            reader.key = None
    taken = {r.key for r in readers if r.key}
    pending = [r for r in readers if r.key is None and r.record is not None]
    stems = {}
    for reader in pending:
        record = reader.record
        assert record is not None
        credited = record.authors or record.editors
        first = credited[0] if credited else None
        family = first.family if isinstance(first, Name) else None
        try:
            year = year_of(record.date)
        except InvalidValue:
            year = None
        stems[id(reader)] = key_stem(family, year, record.title)
    stem_counts = Counter(stems.values())
    for reader in pending:
        stem = stems[id(reader)]
        key = stem
        if stem_counts[stem] > 1 or stem in taken:
            digest = hashlib.sha1(_json(reader.values.get("id")).encode()).hexdigest()
            key = f"{stem}-{digest[:6]}"
            n = 1
            while key in taken:
                n += 1
                key = f"{stem}-{digest[:6]}-{n}"
        taken.add(key)
        reader.key = key


def _shared_identities(readers: list[_ItemReader]) -> None:
    """Mark for keeping as written the variables whose value the catalogue would share with
    another item under another spelling: a person (matched by name key), a publisher (case
    and accents ignored), an original work (by title, where the items say different things of
    it)."""
    spellings: dict[tuple[str, str], set[Any]] = defaultdict(set)
    uses: list[tuple[_ItemReader, str, list[tuple[str, str]]]] = []
    for reader in readers:
        record = reader.record
        if record is None:
            continue
        for variable, people in zip(
            _NAME_VARIABLES, (record.authors, record.editors, record.translators), strict=True
        ):
            idents: list[tuple[str, str]] = []
            for person in people:
                if not isinstance(person, Name):
                    continue
                spelling = (person.family, person.given, person.prefix, person.suffix)
                for ident in (("person", person.match_key), ("person*", person.authority_key)):
                    spellings[ident].add(spelling)
                    idents.append(ident)
            uses.append((reader, variable, idents))
        for variable, text in (
            ("publisher", record.publisher),
            ("original-publisher", record.original.publisher if record.original else None),
        ):
            if text and text.strip():
                ident = ("publisher", fold(text))
                spellings[ident].add(" ".join(text.split()))
                uses.append((reader, variable, [ident]))
        if record.original is not None:
            ident = ("work", fold(record.original.title))
            spellings[ident].add(repr((record.original, record.authors)))
            uses.extend((reader, variable, [ident]) for variable in _WORK_VARIABLES)
    for reader, variable, idents in uses:
        if any(len(spellings[ident]) > 1 for ident in idents):
            reader.forced.add(variable)


class _Constant(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _refuse_constant(name: str) -> Any:
    raise _Constant(name)


def read_csl(text: str, file: str) -> tuple[list[BibEntry], list[BibProblem]]:
    """Parse CSL-JSON text; return its items as records and every problem found, each naming
    ``file``, the line, the item's key and the variable. What CSL 1.0.2 allows is read (ranges,
    seasons, literal dates, any type or variable...); a variable the catalogue's columns do not
    give back exactly is kept as written in ``record.kept["csl"]``, which the CSL-JSON export
    writes back. Only text that is not JSON, or not an array, is refused."""
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except _Constant as exc:  # NaN, Infinity: Python's json reads them, JSON has none
        found = re.search(rf"(?<![\w\"]){re.escape(exc.name)}(?![\w\"])", text)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        return [], [BibProblem(file, line, None, f"invalid JSON: {exc.name} is no JSON value "
                               "(pandoc refuses such a file)")]  # fmt: skip
    except json.JSONDecodeError as exc:
        return [], [BibProblem(file, exc.lineno, None, f"invalid JSON: {exc.msg} "
                               f"(column {exc.colno})")]  # fmt: skip
    except RecursionError:
        return [], [BibProblem(file, 1, None, "invalid JSON: nested too deeply")]
    if isinstance(data, dict):
        if data and all(isinstance(v, dict) for v in data.values()):
            reason = ("an object keyed by item id (a citeproc-js lookup table), not an array of "
                      "items: CSL processors such as pandoc read only an array [...]")  # fmt: skip
        else:
            reason = "one object, not an array of items [...] (pandoc reads only an array)"
        return [], [BibProblem(file, 1, None, f"not CSL-JSON: {reason}")]
    if not isinstance(data, list):
        return [], [BibProblem(file, 1, None, "not CSL-JSON: expected an array of items [...]")]
    positions = _Text(text)
    readers: list[_ItemReader] = []
    problems: list[BibProblem] = []
    for offset, value, members in _scan_items(text):
        line = positions.line(offset)
        if members is None:
            problems.append(BibProblem(file, line, None, f"not a CSL item: {value!r:.40}"))
            continue
        reader = _ItemReader(members, line, positions, file)
        reader.read()
        readers.append(reader)
    _derive_keys(readers)
    _shared_identities(readers)
    entries: list[BibEntry] = []
    for reader in readers:
        reader.finish()
        problems += reader.problems
        if reader.record is not None and not any(p.is_error for p in reader.problems):
            entries.append(BibEntry(reader.record, file, reader.line))
    problems.sort(key=lambda p: p.line)
    return entries, problems


def read_csl_file(
    path: str, encoding: str | None = None
) -> tuple[list[BibEntry], list[BibProblem]]:
    """Read one CSL-JSON file (UTF-8); BiblioError for a missing, unreadable, binary or
    non-UTF-8 file."""
    from .files import read_text

    return read_csl(read_text(path, "a CSL-JSON file", encoding), path)
