"""Reading RIS files into plain records, through rispy's reading of lines: read leniently,
write exactly.

Every tag that carries something goes to its column, as Zotero's ``RIS.js`` reads it: the
title (TI, T1, CT; split from a subtitle by ST), the people, the journal (of a journal type
T2 or JF, the first, else its abbreviation J2, JO or JA; beside the title, the abbreviation
is biblatex's ``shortjournal``; of another type JF, else JO), the volume a part is in (T2 of
CHAP, Zotero's bookTitle; of CPAPER, C3, Zotero's proceedingsTitle, else T2: as the .bib
field ``booktitle``, where the .bib reader keeps it), the series (T3 of a journal or a part,
T2 of another type), number and volume, the pages (SP--EP), the date (DA, else PY or Y1; a
year as written, "-44" or "20000" included; a year of zeros, "0000", none), place,
publisher, language, the form (M3, the type of work, where it is one of the catalogue's
forms), the keywords (one a KW line, or a continuation line; a keyword is only a keyword),
ISBN and ISSN (the first valid of each among the SN lines), DOI (without its
https://doi.org/), URL (the first), edition (ET), abstract (AB, else N2), the note (N1) and
the catalogue's notes (RN). What ``biblio.export.ris`` writes comes back as it was: the
original from the ``M2`` lines (Zotero's ``original-title: ...``), the notes it makes of
facts read elsewhere recognised and set aside.

Nothing is folded or dropped: every group of tags (``biblio.export.ris.TAG_GROUPS``) that the
writer would not give back exactly from the columns (a second URL, a journal abbreviation,
an unknown tag, a date that is no date, a T1 for a TI) is kept whole as RIS tags in
``EditionRecord.kept["ris"]``, which the writer writes back instead; a group the columns
would give that the entry did not have (a DA made of a PY with a month) is kept as
``[group]`` alone, which the writer leaves out: an entry comes back with the tags it had.
Lines are read as Zotero reads them, a tag with one space before the dash ("KW - history")
as with two.

What the format's own tools read is read, with a warning where it is odd (no ID, so a key is
generated; an empty or unknown type; a repeated tag with another value; a date that is no
RIS date; an unreadable name; an entry not closed by ER; a tag line outside any entry; no
title, as Zotero imports it). A text with no ``TY`` line is no RIS file: an error, with file,
line, key (the ``ID``) and tag, as ``biblio.bibtex`` reports them.
"""

from __future__ import annotations

import re
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
from .problems import warning
from .queries import EditionView, record_view
from .records import (
    EditionRecord,
    OriginalRecord,
    bare_doi,
    check_key,
    standard_number,
    year_of,
)

#: RIS type -> biblatex entry type. The types ``biblio.export.ris`` writes come back as they
#: were; the rest of the RIS specification's types (and Zotero's) to their nearest. ``CONF``
#: is a conference paper, as Zotero reads and writes it and as EndNote's "Conference
#: Proceedings" reference is used (authors, a title, C3 the proceedings' title).
ENTRY_TYPES = {
    "BOOK": "book", "EBOOK": "book", "CLSWK": "book", "EDBOOK": "collection",
    "JFULL": "periodical", "SER": "periodical", "JOUR": "article", "EJOUR": "article",
    "MGZN": "article", "NEWS": "article", "ABST": "article", "INPR": "article",
    "CHAP": "incollection", "ECHAP": "incollection", "THES": "thesis", "RPRT": "report",
    "GOVDOC": "report", "STAND": "report", "CONF": "inproceedings", "CPAPER": "inproceedings",
    "ELEC": "online", "WEB": "online", "BLOG": "online", "UNPB": "unpublished",
    "UNPD": "unpublished", "MANSCPT": "unpublished", "PAMP": "booklet", "GEN": "misc",
}  # fmt: skip
ENTRY_TYPES.update(
    {ty: "misc" for ty in [*rispy.TYPE_OF_REFERENCE_MAPPING, "DATA"] if ty not in ENTRY_TYPES}
)

_YEAR = r"-\d+|\d{4,}"
"""A year as RIS gives it (YYYY) and as ``biblio.export.ris`` writes one that has not four
digits: "-44", "20000" (never cut short)."""
_ZERO_YEAR = re.compile(r"0+(?![\d])")
"""A date whose year is all zeros: an unknown year ("0000", "0000///"), read as no date."""
_RIS_DATE = re.compile(rf"^({_YEAR})(?:[/-](\d{{0,2}})(?:[/-](\d{{0,2}})(?:/.*)?)?)?$")


class _ZoteroLineParser(rispy.RisParser):
    """rispy's reading of lines, with the tag line Zotero's ``RIS.js`` reads: one or two
    spaces before the dash (``/^([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$/``), as EndNote's and
    DataCite's exports write it ("KW - history", "TY - JOUR"). What rispy reads as a tag
    line ("AB  -text") still is one."""

    TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")

    def parse_line(self, line: str) -> tuple[str, str] | tuple[None, str]:
        match = self.TAG_LINE.fullmatch(line)
        if match:
            return match[1], (match[2] or "").strip()
        return super().parse_line(line)


@dataclass
class _RawEntry:
    """An entry as read: the line of its TY, its type and its (tag, value, line) in order."""

    line: int
    type: str
    tags: list[tuple[str, str, int]] = field(default_factory=list)


def _parse(text: str, file: str) -> tuple[list[_RawEntry], list[BibProblem]]:
    """The entries of a RIS text, each with the line of its TY and of every tag, and the
    problems of its layout.

    Lines are told apart as Zotero tells them (``_ZoteroLineParser``: one or two spaces before
    the dash), else as rispy does (``rispy.RisParser.parse_line``). A continuation
    line joins the value before it with a line break (``biblio.export.ris`` writes line breaks
    so). Text before the first TY and between entries is a comment (Cochrane's "Record #1 of
    5", Ovid's "1."); a tag line there is ignored with a warning, as is an entry that the next
    TY or the end of the file closes instead of ``ER``. A text with no TY line is no RIS file.
    """
    parse_line = _ZoteroLineParser().parse_line
    entries: list[_RawEntry] = []
    problems: list[BibProblem] = []
    entry: _RawEntry | None = None
    stray: list[tuple[int, str, str]] = []  # the tag lines between two entries

    def left_out(ended: bool) -> None:
        """One warning for the tag lines between two entries: a record whose TY line is lost
        where an ER ends them."""
        if not stray:
            return
        start, tag, _ = stray[0]
        titles = [value for _, t, value in stray if t in ("TI", "T1", "CT", "BT")]
        if ended:
            named = f" ({titles[0]!r:.80})" if titles else ""
            message = (f"a record without its 'TY  - ' line{named}, lines {start}-{number}: left "
                       "out, as Zotero leaves it")  # fmt: skip
            problems.append(warning(file, start, None, "RIS record without TY, left out", message))
        else:
            message = f"'{tag}' line outside any entry (an entry starts 'TY  - '): ignored"
            problems.append(
                warning(file, start, None, "RIS line outside any entry, ignored", message, tag)
            )
        stray.clear()

    def unclosed(closed_by: str) -> None:
        assert entry is not None
        message = f"entry not closed by 'ER  - ' before {closed_by}: ended there"
        problems.append(warning(file, entry.line, None, "RIS entry not closed by ER", message))
        entries.append(entry)

    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        tag, content = parse_line(line)
        if tag == "TY":
            if entry is not None:
                unclosed(f"the 'TY' of line {number}")
            left_out(ended=False)
            entry = _RawEntry(number, content)
        elif entry is None:
            if tag == "ER":
                left_out(ended=True)
            elif tag is not None:
                stray.append((number, tag, content))
        elif tag == "ER":
            entries.append(entry)
            entry = None
        elif tag is None:
            if entry.tags:
                last, value, start = entry.tags[-1]
                entry.tags[-1] = (last, f"{value}\n{content}", start)
            elif content:
                entry.type += f"\n{content}"
        else:
            entry.tags.append((tag, content, number))
    if entry is not None:
        unclosed("the end of the file")
    left_out(ended=False)
    if not entries:
        problems.append(BibProblem(file, 1, None, "not a RIS file (no 'TY  - ' line)"))
    return entries, problems


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
    """A RIS date ("1931/05/02/", "1931///", "1931", "-44", "20000/05") as ISO 8601;
    InvalidValue otherwise."""
    match = _RIS_DATE.match(value.strip())
    if not match:
        raise InvalidValue(f"invalid date {value!r} (expected YYYY/MM/DD/)")
    date = "-".join(f"{int(p):02d}" if i else p for i, p in enumerate(match.groups()[:3]) if p)
    year_of(date)  # checks month and day
    return date


def _standard_number(value: str) -> tuple[str, str] | None:
    """("isbn", compact ISBN) or ("issn", "1234-5679") for an SN value whose first word has a
    valid checksum ("0-8122-1562-1 (paper)"); None otherwise."""
    words = value.split()
    number = words[0] if words else ""
    for kind in ("isbn", "issn"):
        try:
            return kind, standard_number(kind, number)
        except InvalidValue:
            continue
    return None


def _view(record: EditionRecord) -> EditionView:
    """The view the catalogue would give of ``record``, to see which tags the writer gives
    back (the record's people are Names: this reader makes no others)."""
    return record_view(record)


class _EntryReader:
    """Turns one RIS entry into an EditionRecord, collecting problems."""

    def __init__(self, raw: _RawEntry, file: str, seen: dict[str, int]) -> None:
        self.raw = raw
        self.file = file
        self.seen = seen  # the keys of the entries before, and their lines
        self.problems: list[BibProblem] = []
        self.key: str | None = None
        self.repeated_id = False

    def warn(self, kind: str, message: str, tag: str | None = None, line: int = 0) -> None:
        self.problems.append(
            warning(self.file, line or self.raw.line, self.key, kind, message, tag)
        )

    def error(self, message: str, tag: str | None = None, line: int = 0) -> None:
        self.problems.append(BibProblem(self.file, line or self.raw.line, self.key, message, tag))

    def values(self, *tags: str) -> list[tuple[str, int]]:
        """(value, line) of every tag in ``tags`` that has a value, in the entry's order."""
        return [
            (value.strip(), line)
            for tag, value, line in self.raw.tags
            if tag in tags and value.strip()
        ]

    def first(self, *tags: str) -> tuple[str, int] | None:
        """(value, line) of the first of ``tags`` the entry has. Zotero keeps one value of
        such a tag in its field: a repeat with another value is a warning (every one is kept)."""
        for tag in tags:
            found = self.values(tag)
            for value, line in found[1:]:
                if value != found[0][0]:
                    message = f"'{tag}' repeated (first at line {found[0][1]}): every one kept"
                    self.warn("RIS tag repeated, kept", message, tag, line)
            if found:
                return found[0]
        return None

    def text(self, *tags: str) -> str | None:
        """The value of the first of ``tags`` the entry has (see ``first``)."""
        found = self.first(*tags)
        return found[0] if found else None

    def people(self, *tags: str) -> list[str | names.Name]:
        people: list[str | names.Name] = []
        for tag, value, line in self.raw.tags:
            if tag not in tags or not value.strip():
                continue
            try:
                people.append(parse_ris_name(value))
            except InvalidValue as exc:
                self.warn("RIS name not read, kept", f"{exc}: kept as written", tag, line)
        return people

    def read(self) -> BibEntry:
        ty = self.raw.type.strip().upper()
        self._key()
        if ty not in ENTRY_TYPES:
            message = f"unknown reference type {ty!r}" if ty else "no reference type"
            self.warn("RIS type empty or unknown, kept", f"{message}: read as GEN, kept", "TY")
        journal_type = ty in out.JOURNAL_TYPES
        record = EditionRecord(title="", key=self.key, entry_type=ENTRY_TYPES.get(ty, "misc"))

        title = self.text("TI", "T1", "CT")
        short = self.text("ST")
        if title and short and title.startswith(f"{short}: "):
            record.title, record.subtitle = short, title[len(short) + 2 :]
        elif title:
            record.title = title  # a short title of its own is kept as its tag
        else:
            self.warn("no title, kept", "no title (TI, T1 or CT)", "TI")

        if ty == "EDBOOK":
            record.editors = self.people("AU", "A3", "ED")
        else:
            record.authors = self.people("AU", "A1")
            editor_tags = ("A3", "ED") if ty in out.BOOK_TYPES else ("A2", "ED")
            record.editors = self.people(*editor_tags)
        record.translators = self.people("A4")

        if journal_type:
            record.journal = self._journal(record)
            record.series = self.text("T3")
            record.number = self.text("IS")
        elif ty in out.SECTION_TYPES:
            record.journal = self.text("JF", "JO")
            proceedings = self.text("C3") if ty in out.PAPER_TYPES else None
            book_title = proceedings or self.text("T2")
            if book_title:  # .bib text, as the .bib and CSL-JSON readers keep a book's title
                record.extra_fields.append(("booktitle", Raw("{" + escape(book_title) + "}")))
            event = self.text("T2") if proceedings else None
            if event:  # beside C3, the conference's name: biblatex's eventtitle
                record.extra_fields.append(("eventtitle", Raw("{" + escape(event) + "}")))
            record.series = self.text("T3")
            record.number = self.text("M1")
        else:
            record.journal = self.text("JF", "JO")
            record.series = self.text("T2")
            record.number = self.text("M1")
        record.volume = self.text("VL")
        start, end = self.text("SP"), self.text("EP")
        # a range as the catalogue's text holds one (a .bib "12--34" reads "12–34")
        record.pages = f"{start}\u2013{end}" if start and end and "-" not in start else start
        record.date = self._date()
        record.place = self.text("CY")
        record.publisher = self.text("PB")
        language = self.text("LA")
        record.language = read_language(language) if language else None  # else kept as LA
        record.keywords = [
            keyword
            for value, _ in self.values("KW")
            for keyword in (k.strip() for k in value.split("\n"))
            if keyword
        ]
        kind = self.values("M3")  # EndNote's type of work; Scopus's "Article" is none
        if kind and kind[0][0].lower() in FORMS:
            record.form = kind[0][0].lower()
        record.section = self.text("LB")
        self._identifiers(record)
        record.edition_statement = self.text("ET")
        record.abstract = self.text("AB", "N2")
        original = self._original(record)
        self._notes(record, original, journal_type)
        record.original = original
        if not any(p.is_error for p in self.problems):
            try:
                record.validate("entry", require_title=False)
            except InvalidValue as exc:
                self.error(str(exc).removeprefix("entry: "))
            else:
                kept = self._kept(record)
                record.kept = {"ris": kept} if kept else {}
        return BibEntry(record, self.file, self.raw.line)

    def _journal(self, record: EditionRecord) -> str | None:
        """A journal type's journal, as Zotero reads it: its title (T2 or JF, the first in the
        entry: both are Zotero's publicationTitle), else its abbreviation (J2, else the first
        of JO and JA: Zotero's journalAbbreviation). An abbreviation beside the title is
        biblatex's ``shortjournal`` (CSL's container-title-short), as the .bib and CSL-JSON
        readers keep one."""
        title, short = self.text(*self._in_order("T2", "JF")), None
        if self.values("J2"):
            short = self.text("J2")
        elif self.values("JO", "JA"):
            short = self.text(*self._in_order("JO", "JA"))
        if title and short and short != title:
            record.extra_fields.append(("shortjournal", Raw("{" + escape(short) + "}")))
        return title or short

    def _in_order(self, *tags: str) -> list[str]:
        """``tags`` in the order the entry first has each (with a value)."""
        found = [tag for tag, value, _ in self.raw.tags if tag in tags and value.strip()]
        return list(dict.fromkeys(found)) or list(tags)

    def _key(self) -> None:
        """The key from ID, unless there is none, it cannot be a key (then it is kept as its
        tag) or an entry before has it (then it is not: a key names one entry); in those cases
        the catalogue makes a key."""
        found = self.first("ID")
        if found is None:
            self.warn("RIS entry with no ID, key generated", "no 'ID': a key is generated", "ID")
            return
        key, line = found
        try:
            check_key(key)
        except InvalidValue as exc:
            message = f"{exc}: a key is generated, the ID kept"
            self.warn("RIS ID not usable as a key, key generated", message, "ID", line)
            return
        if key in self.seen:  # a key, which must be unique: not kept
            message = f"ID {key!r} repeated in the file (first at line {self.seen[key]}): a key "
            message += "is generated in its place"
            kind = "RIS ID repeated, key generated"
            self.problems.append(warning(self.file, line, key, kind, message, "ID"))
            self.repeated_id = True
            return
        self.key = key
        self.seen[key] = self.raw.line

    def _date(self) -> str | None:
        """The date from DA, else from PY (or the old Y1). A value that is no RIS date is kept
        as written: a warning, and the year it starts with if it starts with one."""
        dates = []
        for tags in (("DA",), ("PY", "Y1")):
            found = self.first(*tags)
            tag = next(t for t in tags if self.values(t)) if found else tags[0]
            dates.append(self._read_date(tag, *found) if found else None)
        date, year = dates
        if date and year and year_of(date) != year_of(year):
            message = f"date {date!r} is not in the year {year_of(year)} of PY: both kept"
            self.warn("RIS DA and PY disagree, kept", message, "DA")
        return date or year

    def _read_date(self, tag: str, value: str, line: int) -> str | None:
        """The date of a PY, Y1 or DA value (see ``_date``). A year of zeros ("0000", as
        Scopus writes an unknown year) is no year: Zotero drops it (``dateRIStoZotero``)."""
        if _ZERO_YEAR.match(value):
            message = f"year {value!r} is no year (an unknown year): no date, kept as written"
            self.warn("RIS date not read, kept as written", message, tag, line)
            return None
        try:
            return _ris_date(value)
        except InvalidValue:
            pass
        year = re.match(rf"({_YEAR})(?!\d)", value)
        if year:
            message = f"date {value!r} read as the year {year.group(1)}, kept as written"
            self.warn("RIS date read in part, kept as written", message, tag, line)
            return year.group(1)
        message = f"invalid date {value!r} (expected YYYY/MM/DD/): kept as written, no year"
        self.warn("RIS date not read, kept as written", message, tag, line)
        return None

    def _identifiers(self, record: EditionRecord) -> None:
        """ISBN and ISSN (the first valid of each among the SN lines, by checksum), DOI
        (without a https://doi.org/ prefix) and URL (the first)."""
        for value, _ in self.values("SN"):
            number = _standard_number(value)
            if number and getattr(record, number[0]) is None:
                setattr(record, number[0], number[1])
        for value, _ in self.values("DO"):
            doi = bare_doi(value)
            if doi.startswith("10.") and record.doi is None:
                record.doi = doi
        urls = self.values("UR")
        record.url = urls[0][0] if urls else None

    def _original(self, record: EditionRecord) -> OriginalRecord | None:
        """The original from the M2 lines Zotero reads as CSL variables of Extra."""
        facts: dict[str, tuple[str, int]] = {}
        for value, line in self.values("M2"):
            key, sep, fact = value.partition(":")
            key = "-".join(key.strip().lower().split())
            if sep and key in out.ORIGINAL_KEYS:
                facts.setdefault(key, (fact.strip(), line))
        if "original-title" not in facts:
            return None  # nothing to make a work of: the lines are kept as they are
        date = None
        if "original-date" in facts:
            date, line = facts["original-date"]
            try:
                year_of(date)
            except InvalidValue as exc:
                self.warn("RIS date not read, kept as written", f"original-date: {exc}", "M2", line)
                date = None
        return OriginalRecord(
            title=facts["original-title"][0],
            date=date,
            publisher=facts.get("original-publisher", (None, 0))[0],
            place=facts.get("original-publisher-place", (None, 0))[0],
            form=record.form,
        )

    def _notes(
        self, record: EditionRecord, original: OriginalRecord | None, journal_type: bool
    ) -> None:
        """From the N1 notes, set aside those ``biblio.export.ris`` makes of facts read
        elsewhere and read those it writes (the translation's language and status, the
        alternate titles, the journal of a type with no journal tag, the annotation, the
        original's notes); the rest is the note. RN, EndNote's research notes, are the
        catalogue's notes."""
        publication = None
        if original is not None:
            where = out.original_where(original.place, original.publisher, original.date)
            publication = out.original_publication(original.title, where)
        editors = [n for n in record.editors if isinstance(n, names.Name)]
        made = {out.editors_note(editors)} if editors and journal_type else set()
        if record.journal and not journal_type:
            made.add(out.published_in(record.journal))
        notes: list[str] = []
        for note, _ in self.values("N1"):
            translation = self._translation(note, record, publication)
            if translation is not None:
                if original is not None:
                    original.language = translation[0]
            elif note in made:
                pass
            elif note.startswith(out.ALSO_PUBLISHED) and note.endswith("."):
                record.also_published_as.append(note[len(out.ALSO_PUBLISHED) : -1])
            elif (
                note.startswith(out.PUBLISHED_IN)
                and note.endswith(".")
                and record.journal is None
                and not journal_type
            ):
                record.journal = note[len(out.PUBLISHED_IN) : -1]
            elif note.startswith(out.ANNOTATION_NOTE) and record.annotation is None:
                record.annotation = note[len(out.ANNOTATION_NOTE) :]
            elif note.startswith(out.ORIGINAL_NOTE) and original is not None:
                original.notes = note[len(out.ORIGINAL_NOTE) :]
            else:
                notes.append(note)
        if original is not None:  # the annotation is the work's, as the catalogue shows it
            original.annotation, record.annotation = record.annotation, None
        record.note = "\n\n".join(notes) or None
        record.notes = "\n\n".join(note for note, _ in self.values("RN")) or None
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

    def _kept(self, record: EditionRecord) -> list[list[str]]:
        """The tags to keep as they came: every tag of each group (``out.TAG_GROUPS``) whose
        lines the writer, from the record's columns, would not give back exactly; and, as
        ``[group]`` alone, each group the columns would give that the entry did not have (a
        DA made of PY "1948/07//", the IS of a SER's M1, a "Published in" note), which the
        writer then leaves out. The key (``ID``) is the catalogue's, written all the same."""
        given: dict[str, list[tuple[str, str]]] = {}
        ty = self.raw.type.strip().upper()
        for tag, value in out.column_tags(_view(record))[0]:
            given.setdefault(out.tag_group(tag, ty), []).append((tag, value))
        lines = [("TY", self.raw.type.strip())]
        lines += [
            (tag, value.strip())
            for tag, value, _ in self.raw.tags
            if value.strip() and not (tag == "ID" and self.repeated_id)
        ]
        came: dict[str, list[tuple[str, str]]] = {}
        for tag, value in lines:
            came.setdefault(out.tag_group(tag, ty), []).append((tag, out.ris_text(value)))
        kept = [
            [tag, value]
            for tag, value in lines
            if came[out.tag_group(tag, ty)] != given.get(out.tag_group(tag, ty))
        ]
        return kept + [[group] for group in given if group not in came and group != "ID"]


def read_ris(text: str, file: str) -> tuple[list[BibEntry], list[BibProblem]]:
    """Parse RIS text; return its entries as records and every problem found, each naming
    ``file``, the line, the entry's ID and the tag. An entry with an error is left out; one
    with warnings comes in."""
    raw_entries, problems = _parse(text, file)
    entries: list[BibEntry] = []
    seen: dict[str, int] = {}
    for raw in raw_entries:
        reader = _EntryReader(raw, file, seen)
        entry = reader.read()
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
