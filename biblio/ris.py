"""Reading RIS files into plain records, through rispy, under the rules of a .bib import.

What ``biblio.export.ris`` writes comes back as it was: the subtitle split from the title by
``ST``, editors and translators by their tags, the form from the keywords, the original from
the ``M2`` lines (Zotero's ``original-title: ...``) and the language named in the translation
note, the notes it wrote recognised and set aside. What a RIS file from elsewhere holds
beyond the catalogue's columns is not dropped: ISBN, DOI, URL, edition and keywords become
.bib fields (``EditionRecord.extra_fields``), anything else a line of the notes ("RIS AN:
...").

Problems are reported as ``biblio.bibtex`` reports them, with file, line, key (the ``ID``) and
tag: a tag line outside an entry (an entry without ``TY``), an entry never closed by ``ER``,
an unknown type, no title, a repeated tag, an invalid year or date, an unreadable name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import rispy

from . import names
from .errors import InvalidValue
from .export import ris as out
from .export.tex import Raw, escape
from .languages import LANGUAGES, read_language
from .models import FORMS
from .problems import Entry as BibEntry
from .problems import Problem as BibProblem
from .records import EditionRecord, OriginalRecord, year_of

#: RIS type -> biblatex entry type. The types ``biblio.export.ris`` writes come back as they
#: were; the rest of the RIS specification's types (and Zotero's) to their nearest.
ENTRY_TYPES = {
    "BOOK": "book", "EBOOK": "book", "CLSWK": "book", "EDBOOK": "collection",
    "JFULL": "periodical", "SER": "periodical", "JOUR": "article", "EJOUR": "article",
    "MGZN": "article", "NEWS": "article", "ABST": "article", "INPR": "article",
    "CHAP": "incollection", "ECHAP": "incollection", "THES": "thesis", "RPRT": "report",
    "GOVDOC": "report", "STAND": "report", "CONF": "proceedings", "CPAPER": "inproceedings",
    "ELEC": "online", "WEB": "online", "BLOG": "online", "UNPB": "unpublished",
    "UNPD": "unpublished", "MANSCPT": "unpublished", "PAMP": "booklet", "GEN": "misc",
}  # fmt: skip
ENTRY_TYPES.update(
    {ty: "misc" for ty in [*rispy.TYPE_OF_REFERENCE_MAPPING, "DATA"] if ty not in ENTRY_TYPES}
)

_RIS_DATE = re.compile(r"^(\d{4})(?:[/-](\d{0,2})(?:[/-](\d{0,2})(?:/.*)?)?)?$")


@dataclass
class _RawEntry:
    """An entry as read: the line of its TY, its type and its (tag, value, line) in order."""

    line: int
    type: str
    tags: list[tuple[str, str, int]] = field(default_factory=list)


class _Parser(rispy.RisParser):  # type: ignore[misc]
    """rispy's parser, counting lines and strict where it would skip silently.

    Each entry keeps the line of its TY and of every tag; a continuation line joins the value
    before it with a line break (``biblio.export.ris`` writes line breaks so). A tag line
    outside an entry, a TY inside one and an entry still open at the end of the file are
    problems; other text outside entries is a comment, as in a .bib file.
    """

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file
        self.line = 0
        self.problems: list[BibProblem] = []
        self.open: _RawEntry | None = None

    def read(self, text: str) -> list[_RawEntry]:
        entries: list[_RawEntry] = self.parse_lines(self._counted(text.splitlines()))
        if self.open is not None:
            self._problem(self.open.line, "entry not closed by 'ER  - ' before the end of file")
        return entries

    def _counted(self, lines: list[str]) -> Iterator[str]:
        for self.line, line in enumerate(lines, start=1):
            yield line

    def _problem(self, line: int, message: str, tag: str | None = None) -> None:
        self.problems.append(BibProblem(self.file, line, None, message, tag))

    def _iter_till_start(self, lines: Iterator[str]) -> _RawEntry:
        self.open = None
        stray = False
        while True:
            line = next(lines)
            tag, content = self.parse_line(line)
            if tag == "TY":
                self.open = _RawEntry(self.line, content)
                return self.open
            if tag is not None and not stray:
                stray = True
                self._problem(
                    self.line, f"'{tag}' line outside any entry (an entry starts 'TY  - ')", tag
                )

    def _add_tag(
        self, record: _RawEntry, tag: str, content: str, extend_multiline: bool = False
    ) -> None:
        if extend_multiline:
            if record.tags:
                last, value, line = record.tags[-1]
                record.tags[-1] = (last, f"{value}\n{content}", line)
            else:
                record.type += f"\n{content}"
        elif tag == "TY":
            self._problem(
                self.line, f"'TY' inside the entry of line {record.line}, which has no 'ER  - '"
            )
        else:
            record.tags.append((tag, content, self.line))


# ----------------------------------------------------------------------------- entries


def parse_ris_name(text: str) -> names.Name:
    """A RIS name, "Family, Given, Suffix" (or one field, "Plato"), as a Name; leading words
    of the family field in lower case are its particle ("van Gennep"). InvalidValue if it
    has no family name or holds a control character."""
    cleaned = " ".join(text.split())
    if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in cleaned):
        raise InvalidValue(f"person name {text!r} contains a control character")
    family, _, rest = cleaned.partition(",")
    given, _, suffix = rest.partition(",")
    words = family.split()
    if not words:
        raise InvalidValue(f"person name {text!r} has no family name")
    cut = 0
    while cut < len(words) - 1 and words[cut][:1].islower():
        cut += 1
    return names.Name(
        family=" ".join(words[cut:]),
        given=given.strip() or None,
        prefix=" ".join(words[:cut]) or None,
        suffix=suffix.strip() or None,
    )


def _ris_date(value: str) -> str:
    """A RIS date ("1931/05/02/", "1931///", "1931") as ISO 8601; InvalidValue otherwise."""
    match = _RIS_DATE.match(value.strip())
    if not match:
        raise InvalidValue(f"invalid date {value!r} (expected YYYY/MM/DD/)")
    date = "-".join(f"{int(p):02d}" if i else p for i, p in enumerate(match.groups()[:3]) if p)
    year_of(date)  # checks month and day
    return date


def _language(value: str) -> str | None:
    """The catalogue's code for a RIS language ("en", "en-US", "French"), or None."""
    return read_language(value)


def _verbatim(value: str) -> Raw | None:
    """A URL or DOI as a verbatim .bib value, if braces can enclose it."""
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return None
    return Raw(f"{{{value}}}") if depth == 0 and "\n" not in value else None


class _EntryReader:
    """Turns one RIS entry into an EditionRecord, collecting problems."""

    def __init__(self, raw: _RawEntry, file: str) -> None:
        self.raw = raw
        self.file = file
        self.problems: list[BibProblem] = []
        self.key: str | None = None
        self.used: set[int] = set()  # indexes of the tags read into the record

    def problem(self, tag: str | None, message: str, line: int | None = None) -> None:
        self.problems.append(BibProblem(self.file, line or self.raw.line, self.key, message, tag))

    def values(self, *tags: str) -> list[tuple[int, str, int]]:
        """(index, value, line) of every tag in ``tags``, in the entry's order."""
        return [
            (i, value.strip(), line)
            for i, (tag, value, line) in enumerate(self.raw.tags)
            if tag in tags and value.strip()
        ]

    def single(self, tag: str) -> tuple[int, str, int] | None:
        """(index, value, line) of a tag that holds one value, marked as read; a repeat is a
        problem."""
        found = self.values(tag)
        if not found:
            return None
        for _, _, line in found[1:]:
            self.problem(tag, f"'{tag}' repeated (first at line {found[0][2]})", line)
        self.used.add(found[0][0])
        return found[0]

    def text(self, tag: str) -> str | None:
        """The value of a tag that holds one value, marked as read."""
        found = self.single(tag)
        return found[1] if found else None

    def people(self, *tags: str) -> list[str | names.Name]:
        people: list[str | names.Name] = []
        for i, value, line in self.values(*tags):
            self.used.add(i)
            try:
                people.append(parse_ris_name(value))
            except InvalidValue as exc:
                self.problem(self.raw.tags[i][0], str(exc), line)
        return people

    def read(self) -> BibEntry:
        ty = self.raw.type.strip().upper()
        found_id = self.single("ID")
        if found_id:
            self.key = found_id[1]  # record.validate checks it can be a citation key
        if not ty:
            self.problem("TY", "no reference type after 'TY  - '")
        elif ty not in ENTRY_TYPES:
            self.problem("TY", f"unknown reference type {ty!r}")
        journal_type = ty in out.JOURNAL_TYPES
        record = EditionRecord(title="", key=self.key, entry_type=ENTRY_TYPES.get(ty, "misc"))

        title = self.text("TI") or self.text("T1") or self.text("CT")
        short = self.single("ST")
        if title and short and title.startswith(f"{short[1]}: "):
            record.title, record.subtitle = short[1], title[len(short[1]) + 2 :]
        elif title:
            record.title = title
            if short:
                self.used.discard(short[0])  # a short title of its own: kept in the notes
        else:
            self.problem("TI", "no title (TI)")

        if ty == "EDBOOK":
            record.editors = self.people("AU", "A3", "ED")
        else:
            record.authors = self.people("AU", "A1")
            editor_tags = ("A3", "ED") if ty in out.BOOK_TYPES else ("A2", "ED")
            record.editors = self.people(*editor_tags)
        record.translators = self.people("A4")

        if journal_type:
            record.journal = self.text("T2")
            record.series = self.text("T3")
            record.number = self.text("IS")
        else:
            record.series = self.text("T2")
            record.number = self.text("M1")
        record.volume = self.text("VL")
        record.date = self._date()
        record.place = self.text("CY")
        record.publisher = self.text("PB")
        found_language = self.single("LA")
        if found_language:
            record.language = _language(found_language[1])
            if record.language is None:
                self.used.discard(found_language[0])  # unknown: kept in the notes
        for keyword in self.values("KW"):
            if keyword[1].lower() in FORMS and record.form is None:
                record.form = keyword[1].lower()
                self.used.add(keyword[0])
        record.section = self.text("LB")
        self._imported_fields(record, journal_type)
        original = self._original(record)
        annotation = self.text("AB")
        if original is not None:
            original.annotation = annotation
        else:
            record.annotation = annotation
        self._notes(record, original, journal_type)
        record.original = original
        if not self.problems:
            try:
                record.validate("entry")
            except InvalidValue as exc:
                self.problem(None, str(exc).removeprefix("entry: "))
        return BibEntry(record, self.file, self.raw.line)

    def _date(self) -> str | None:
        """The date from DA, else from PY (or the old Y1), which must be a year; both must
        name the same year. A DA that is no date ("July", as EndNote may write) is kept in
        the notes."""
        date = year = None
        found = self.single("DA")
        if found:
            try:
                date = _ris_date(found[1])
            except InvalidValue:
                self.used.discard(found[0])
        for tag in ("PY", "Y1"):
            found_year = self.single(tag)
            if found_year and year is None:
                try:
                    year = _ris_date(found_year[1])
                except InvalidValue:
                    self.problem(tag, f"invalid year {found_year[1]!r}", found_year[2])
                    year = ""
        if date and year and date[:4] != year[:4]:
            line = found[2] if found else None
            self.problem("DA", f"date {date!r} is not in the year {year[:4]} of PY", line)
        return date or year or None

    def _imported_fields(self, record: EditionRecord, journal_type: bool) -> None:
        """ISBN or ISSN, DOI, URL, edition and the keywords other than the form, as .bib
        fields, which the biblatex export writes."""
        isbn = self.text("SN")
        if isbn:
            record.extra_fields.append(("issn" if journal_type else "isbn", _braced(isbn)))
        doi = self.single("DO")
        urls = self.values("UR")  # several: kept in the notes (a .bib entry has one url)
        for name, found in (("doi", doi), ("url", urls[0] if len(urls) == 1 else None)):
            raw = _verbatim(found[1]) if found else None
            if found and raw is not None:
                self.used.add(found[0])
                record.extra_fields.append((name, raw))
            elif found:
                self.used.discard(found[0])
        edition = self.text("ET")
        if edition:
            record.extra_fields.append(("edition", _braced(edition)))
        keywords = [(i, value) for i, value, _ in self.values("KW") if value.lower() != record.form]
        if keywords:
            self.used.update(i for i, _ in keywords)
            record.extra_fields.append(("keywords", _braced(", ".join(v for _, v in keywords))))

    def _original(self, record: EditionRecord) -> OriginalRecord | None:
        """The original from the M2 lines Zotero reads as CSL variables of Extra."""
        facts: dict[str, tuple[int, str, int]] = {}
        for i, value, line in self.values("M2"):
            key, sep, fact = value.partition(":")
            key = "-".join(key.strip().lower().split())
            if not sep or key not in out.ORIGINAL_KEYS:
                continue
            if key in facts:
                self.problem("M2", f"'{key}' repeated (first at line {facts[key][2]})", line)
            facts.setdefault(key, (i, fact.strip(), line))
        if "original-title" not in facts:
            return None  # nothing to make a work of: the lines stay in the notes
        self.used.update(i for i, _, _ in facts.values())
        date = None
        if "original-date" in facts:
            _, date, line = facts["original-date"]
            try:
                year_of(date)
            except InvalidValue as exc:
                self.problem("M2", f"original-date: {exc}", line)
        return OriginalRecord(
            title=facts["original-title"][1],
            date=date,
            publisher=facts.get("original-publisher", (0, None, 0))[1],
            place=facts.get("original-publisher-place", (0, None, 0))[1],
            form=record.form,
        )

    def _notes(
        self, record: EditionRecord, original: OriginalRecord | None, journal_type: bool
    ) -> None:
        """Set the translation's language and status, the alternate titles, the original's
        notes and the edition's from the notes, setting aside those ``biblio.export.ris``
        made from facts read elsewhere; what is left, and every tag not read, is the
        edition's notes."""
        publication = None
        if original is not None:
            where = out.original_where(original.place, original.publisher, original.date)
            publication = out.original_publication(original.title, where)
            found = self.values("OP")
            if found and found[0][1] == publication:
                self.used.add(found[0][0])
        editors = [n for n in record.editors if isinstance(n, names.Name)]
        made = {out.editors_note(editors)} if editors and journal_type else set()
        notes: list[str] = []
        for i, note, _ in self.values("N1"):
            self.used.add(i)
            translation = self._translation(note, record, publication)
            if translation is not None:
                if original is not None:
                    original.language = translation[0]
            elif note in made:
                pass
            elif note.startswith(out.ALSO_PUBLISHED) and note.endswith("."):
                record.also_published_as.append(note[len(out.ALSO_PUBLISHED) : -1])
            elif note.startswith(out.ORIGINAL_NOTE) and original is not None:
                original.notes = note[len(out.ORIGINAL_NOTE) :]
            else:
                notes.append(note)
        notes += [
            f"RIS {tag}: {value.strip()}"
            for i, (tag, value, _) in enumerate(self.raw.tags)
            if i not in self.used and value.strip() and tag != "N1"
        ]
        record.notes = "\n\n".join(notes) or None
        if record.translator_status is None:
            record.translator_status = "named" if record.translators else "unknown"

    def _translation(
        self, note: str, record: EditionRecord, publication: str | None
    ) -> tuple[str | None] | None:
        """If ``note`` is the translation note for this record: the translator status set on
        the record and (the original's language it names, or None); otherwise None."""
        if not note.startswith(("Translated", "Not a translation")):
            return None
        translators = [n for n in record.translators if isinstance(n, names.Name)]
        for status in ("named", "not-named", "none"):
            for language in (None, *LANGUAGES):
                if language is not None and publication is None:
                    break
                if note == out.translation_note(language, translators, status, publication):
                    if status != "named" and not translators:
                        record.translator_status = status
                    return (language,)
        return None


def _braced(value: str) -> Raw:
    return Raw(f"{{{escape(value)}}}")


def read_ris(text: str, file: str) -> tuple[list[BibEntry], list[BibProblem]]:
    """Parse RIS text; return its entries as records and every problem found, each naming
    ``file``, the line, the entry's ID and the tag. An entry with a problem is left out."""
    parser = _Parser(file)
    raw_entries = parser.read(text)
    problems = list(parser.problems)
    entries: list[BibEntry] = []
    seen: dict[str, int] = {}
    for raw in raw_entries:
        reader = _EntryReader(raw, file)
        entry = reader.read()
        key = entry.record.key
        if key is not None and key in seen:
            reader.problem("ID", f"key '{key}' repeated in the file (first at line {seen[key]})")
        elif key is not None:
            seen[key] = raw.line
        problems += reader.problems
        if not any(p.is_error for p in reader.problems):
            entries.append(entry)
    problems.sort(key=lambda p: p.line)
    return entries, problems


def read_ris_file(
    path: str, encoding: str | None = None
) -> tuple[list[BibEntry], list[BibProblem]]:
    """Read one RIS file (UTF-8); BiblioError for a missing, unreadable, binary or non-UTF-8
    file."""
    from .files import read_text

    return read_ris(read_text(path, "a RIS file", encoding), path)
