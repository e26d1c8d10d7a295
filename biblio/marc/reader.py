"""Reading MARC 21 bibliographic records (ISO 2709 or MARCXML) into plain records.

ISO 2709 is read record by record with pymarc 5: UTF-8 where Leader/09 is ``a``, MARC-8
where it is blank (pymarc's ``to_unicode``), except a record whose bytes are UTF-8 all the
same (records converted without setting Leader/09, which pymarc's ``force_utf8`` reads):
that one is read as UTF-8, with a warning. Text is precomposed (NFC), as the catalogue keeps
it (MARC-8 conversions leave accents as combining characters). MARCXML is read with the
standard library's XML parser, one ``record`` element at a time.

A record becomes an edition: 001 the key (when it is one; a key is generated otherwise),
245 the title, 246 ``$i Also published as:`` the alternate titles, 100 and 700 the people
(a record with editors and no 1XX is a collection), 260/264 the publication, 020/022/024
the identifiers, 490 the series, 773 a journal, 500/520/590/653 the notes, annotation,
abstract and keywords, 008/33 the form (novel, poetry) and 008/35-37 or 041 the language,
856 the URL. A translation (041 ``$h`` or first indicator 1, 240/130 ``$l``, a translator, a
"Translation of" note or a 765) is linked to its original: the title from the "Translation
of" note, 240/130 ``$a`` or 765 ``$t``, its language from 041 ``$h``. Translators are the
700/710 whose relator (``$4 trl``, ``$e`` "translator", "tr.", "trans.", "traductor"...) says
so; where none does, the names that 245 ``$c`` says translated ("translated from the French
by X") are, read as a 700 without relator heads them, with a warning saying so.

What the catalogue's columns do not give back exactly is kept as it came: for each tag whose
fields ``biblio.marc.writer`` would not write the same from the record's columns, every field
of that tag as it came (and, for a tag the writer adds that the record lacks, that it lacks
it), in ``EditionRecord.kept["marc"]``; the writer writes those fields in its own fields'
place. So MARC -> biblio -> MARC gives every field back, with its indicators and subfields,
in tag order (the fields of one tag in the order they came); 008's date entered on file is
the export's where the writer's 008 was the record's but for it, and Leader/09 is ``a``. An
edit drops the kept fields of the tags it concerns (``biblio.edits.MARC_TAGS``). A record
pymarc cannot read (its length, directory or encoding broken) is an error naming the file,
the record's number and pymarc's reason; a warning pymarc gives while reading one is kept
as a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date
from xml.etree import ElementTree

from pymarc import Field, Indicators, Record, Subfield
from pymarc.exceptions import EndOfRecordNotFound, RecordLengthInvalid, TruncatedRecord
from pymarc.leader import Leader

from .. import names
from ..errors import BiblioError, InvalidValue
from ..languages import read_language
from ..names import Name, fold
from ..problems import Entry, Problem, warning
from ..records import EditionRecord, OriginalRecord, bare_doi, check_key, standard_number
from . import writer

KEPT = "marc"
"""The format's key in ``EditionRecord.kept``."""

LEADER_POSITIONS = (5, 6, 7, 8, 17, 18, 19)
"""The Leader's positions kept from a record as it came (status, type, level, control,
encoding level, descriptive form, multipart level); its lengths are the writer's and 09 is
always ``a``: the writer writes UTF-8."""

#: Words of a relator term ($e) or code ($4) -> the catalogue's role. Real records write
#: "translator.", "tr.", "trans.", "transl.", "tr. [and] ed.", French "traducteur"...
ROLE_WORDS = {
    "trl": "translator", "translator": "translator", "tr": "translator",
    "trans": "translator", "transl": "translator", "translated": "translator",
    "translation": "translator", "traducteur": "translator", "traductrice": "translator",
    "traductor": "translator", "traductora": "translator", "traduttore": "translator",
    "übersetzer": "translator", "ubersetzer": "translator", "übers": "translator",
    "edt": "editor", "editor": "editor", "ed": "editor", "eds": "editor", "edited": "editor",
    "aut": "author", "author": "author",
}  # fmt: skip

#: 008/33 (literary form) -> the catalogue's form, where one form answers to it.
FORMS = {"f": "novel", "p": "poetry"}

_TRANSLATED = re.compile(
    r"\b(translated|translation|transl\.|trans\.|tr\.|traduit|traduction|traducido|"
    r"tradotto|übersetzt|ubersetzt)",
    re.IGNORECASE,
)
_BY = re.compile(r"\b(?:by|par|von|por|da)\s+(.+)$", re.IGNORECASE)
_TRANSLATION_OF = re.compile(r"^Translation of:?\s+(.+?)\.?$", re.DOTALL)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def nfc(text: str) -> str:
    """``text`` precomposed, as the catalogue keeps it."""
    return unicodedata.normalize("NFC", text)


def field_list(field: Field) -> list[str]:
    """A field as ``kept["marc"]`` keeps it: ``[tag, data]`` for a control field, ``[tag,
    indicators, code, value, code, value...]`` for a data field."""
    if field.is_control_field():
        return [field.tag, field.data or ""]
    found = [field.tag, "".join(field.indicators or ("", ""))]
    for subfield in field.subfields:
        found += [subfield.code, subfield.value]
    return found


def kept_field(kept: Sequence[str]) -> Field:
    """The field ``field_list`` gave ``kept`` for."""
    tag = kept[0]
    if len(kept) == 2 and tag < "010" and tag.isdigit():
        return Field(tag, data=kept[1])
    indicators = (kept[1] + "  ")[:2]
    pairs = zip(kept[2::2], kept[3::2], strict=True)
    return Field(tag, Indicators(indicators[0], indicators[1]), [Subfield(c, v) for c, v in pairs])


def _strip(text: str | None, marks: str = " /:;,=") -> str | None:
    """A value without ISBD's closing punctuation (" /", " :", ","), and without a final
    period unless it closes an initial or an abbreviation ("John S.", "ed.")."""
    if text is None:
        return None
    text = text.strip().rstrip(marks).strip()
    if text.endswith(".") and not text.endswith(".."):
        last = text[:-1].split()[-1] if text[:-1].split() else ""
        if not (len(last) <= 1 or (last[:1].islower() and len(last) <= 3)):
            text = text[:-1].rstrip()
    return text or None


def _heading_name(field: Field) -> Name | None:
    """The person a 100/700/110/710 heads: "Gilmour, John S." in inverted order (first
    indicator 1), "Voltaire" or a body's name in direct order; dates ($d) are not kept."""
    value = field.get("a")
    if not value:
        return None
    text = value.strip().rstrip(",").strip()
    if field.tag.endswith("00") and field.indicator1 != "0" and "," in text:
        family, _, given = text.partition(",")
        given = given.strip()
        if given.endswith(".") and given[:-1].split() and len(given[:-1].split()[-1]) > 1:
            given = given[:-1]  # a closing period, not an initial's
        name = Name(family=family.strip(), given=given or None)
    elif field.tag.endswith("00"):  # a name in direct order: "Homer.", "Voltaire,"
        words = text.split()
        closing = text.endswith(".") and len(words[-1]) > 2
        name = Name(family=text[:-1] if closing else text)
    else:  # a body's name, as written: "Apple Computer, Inc."
        name = Name(family=text)
    suffix = field.get("c")
    if suffix and field.tag.endswith("00"):
        name = Name(name.family, name.given, name.prefix, suffix.strip().rstrip(",").strip())
    return name if name.family else None


def roles_of(field: Field) -> list[str]:
    """The catalogue's roles a 100/700/710's relators ($4 codes or URIs, $e terms) give."""
    roles: list[str] = []
    for code in field.get_subfields("4"):
        word = code.strip().rstrip("/").rsplit("/", 1)[-1].lower()
        if word in ROLE_WORDS:
            roles.append(ROLE_WORDS[word])
    for term in field.get_subfields("e"):
        for word in re.split(r"[^\w]+", term.lower()):
            if word in ROLE_WORDS:
                roles.append(ROLE_WORDS[word])
    return list(dict.fromkeys(roles))


def translators_in_statement(statement: str, unassigned: Sequence[Name]) -> list[Name]:
    """The people 245 $c says translated: "translated from the French by Richard Greeman",
    "traduit de l'italien par Vincent Raynaud", each as the 700 without a relator that names
    the same family heads them (``unassigned``), else as written."""
    found: list[Name] = []
    for part in statement.split(";"):
        translated = _TRANSLATED.search(part)
        by = _BY.search(part[translated.start() :]) if translated else None
        if by is None:
            continue
        text = _strip(by.group(1), " /:;,=.") or ""
        text = re.sub(r"\s*\[and\]\s*|\s+&\s+", " and ", text)
        for piece in re.split(r",\s*|\s+and\s+|\s+et\s+|\s+und\s+", text):
            piece = piece.strip()
            if not piece or not piece[:1].isupper():
                continue
            try:
                written = names.parse_name(piece)
            except InvalidValue:
                continue
            match = [n for n in unassigned if fold(n.family) == fold(written.family)]
            found.append(match[0] if match else written)
    return list(dict.fromkeys(found))


_LIMITS = (
    ("edition", "key", 100), ("edition", "place", 200), ("edition", "publisher", 300),
    ("edition", "volume", 40), ("edition", "number", 40), ("edition", "pages", 100),
    ("edition", "doi", 300), ("edition", "edition_statement", 200),
    ("original", "place", 200), ("original", "publisher", 300),
)  # fmt: skip
"""The catalogue's columns of limited length that MARC fields fill: (owner, name, length)."""


def _fits(name: Name) -> bool:
    """Whether a person's name fits the catalogue's columns (family and given name 200
    characters, particle and suffix 50)."""
    long = (len(name.family) > 200, len(name.given or "") > 200, len(name.prefix or "") > 50)
    return not any(long) and len(name.suffix or "") <= 50


def _issn(value: str | None) -> str | None:
    """An ISSN as the catalogue keeps it ("1289-8465"), None for none or an invalid one."""
    if not value or not value.split():
        return None
    try:
        return standard_number("issn", value.split()[0])
    except InvalidValue:
        return None


def _language(code: str | None) -> str | None:
    """Our code for a MARC language code ("fre" -> "fr"); None for "und", blanks, fill."""
    if not code or not code.strip() or code.strip("|") == "" or code in ("und", "zxx", "mul"):
        return None
    return read_language(code.strip()[:3])


class _RecordReader:
    """Turns one pymarc Record into an EditionRecord, collecting problems."""

    def __init__(self, record: Record, file: str, number: int, seen: set[str]) -> None:
        self.marc = record
        self.file = file
        self.number = number
        self.seen = seen
        self.problems: list[Problem] = []
        self.key: str | None = None

    def warn(self, kind: str, message: str, tag: str | None = None) -> None:
        self.problems.append(
            warning(self.file, self.number, self.key, kind, f"record {self.number}: {message}", tag)
        )

    def first(self, *tags: str) -> Field | None:
        found = self.marc.get_fields(*tags)
        return found[0] if found else None

    def read(self) -> Entry:
        marc = self.marc
        self._key()
        level = marc.leader[7] if len(str(marc.leader)) > 7 else "m"
        host = self.first("773")
        entry_type = {"b": "article", "a": "incollection", "s": "periodical"}.get(level, "book")
        if host is not None and entry_type == "book":
            entry_type = "periodical"  # a special issue of a journal, as the writer codes it
        record = EditionRecord(title="", key=self.key, entry_type=entry_type)
        title = self.first("245")
        if title is not None:
            record.title = _strip(title.get("a")) or ""
            record.subtitle = _strip(title.get("b"))
        if not record.title:
            self.warn("no title, kept", "no title (245 $a)", "245")
        self._people(record)
        if entry_type == "book" and record.editors and not self.marc.get_fields("100", "110"):
            record.entry_type = "collection"  # edited, with no author: biblatex's @collection
        record.also_published_as = [
            f.get("a") or ""
            for f in self.marc.get_fields("246")
            if f.get("i") == "Also published as:" and f.get("a")
        ]
        self._publication(record)
        self._identifiers(record)
        languages = self.first("041")
        edition_language = languages.get("a") if languages is not None else None
        fixed = self.first("008")
        fixed_data = fixed.data if fixed is not None and fixed.data else ""
        record.language = _language(edition_language) or _language(fixed_data[35:38])
        if len(fixed_data) > 33 and str(marc.leader)[6:8] in ("am", "aa") and host is None:
            record.form = FORMS.get(fixed_data[33])
        statement = self.first("250")
        record.edition_statement = statement.get("a") if statement is not None else None
        series = self.first("490", "440")
        if series is not None and host is None:
            record.series = _strip(series.get("a"))
            record.number = _strip(series.get("v"), " ;,.")
            record.issn = record.issn or _issn(series.get("x"))
        if host is not None:
            self._host(record, host)
        record.keywords = [k for f in marc.get_fields("653") for k in f.get_subfields("a")]
        self._notes(record)
        self._original(record, languages)
        if record.original is not None:  # the annotation is the work's, as the catalogue has it
            record.original.annotation, record.annotation = record.annotation, None
        if record.translator_status is None:
            record.translator_status = "named" if record.translators else "unknown"
        self._fit(record)
        try:
            record.validate("record", require_title=False)
        except InvalidValue as exc:
            message = str(exc).removeprefix("record: ")
            self.problems.append(
                Problem(self.file, self.number, self.key, f"record {self.number}: {message}")
            )
        else:
            kept = self._kept(record, fixed_data)
            record.kept = {KEPT: kept}  # empty: every field from the columns
        return Entry(record, self.file, self.number)

    def _fit(self, record: EditionRecord) -> None:
        """Leave out of the columns a value longer than its column holds (PostgreSQL would
        refuse the whole import), with a warning: it stays in the record's MARC fields."""
        for owner, name, limit in _LIMITS:
            target = record if owner == "edition" else record.original
            value = getattr(target, name, None) if target is not None else None
            if value is not None and len(value) > limit:
                setattr(target, name, None)
                message = (
                    f"{owner} {name} longer than the catalogue's {limit} characters: kept in "
                    "the MARC fields only"
                )
                self.warn("MARC value too long for its column, kept in MARC", message)
        for role in ("authors", "translators", "editors"):
            people: list[str | Name] = getattr(record, role)
            fitting = [n for n in people if not isinstance(n, Name) or _fits(n)]
            if len(fitting) < len(people):
                message = f"a name too long for the catalogue: not among the {role}, kept in MARC"
                self.warn("MARC value too long for its column, kept in MARC", message)
                setattr(record, role, fitting)

    def _key(self) -> None:
        control = self.first("001")
        value = (control.data or "").strip() if control is not None else ""
        if not value:
            return
        try:
            check_key(value)
        except InvalidValue:
            return  # a control number with spaces or such: a key is generated, 001 kept
        if value in self.seen:
            message = f"001 {value!r} repeated in the file: a key is generated in its place"
            self.warn("MARC 001 repeated, key generated", message, "001")
            return
        self.seen.add(value)
        self.key = value

    def _people(self, record: EditionRecord) -> None:
        main = self.first("100", "110")
        if main is not None and (name := _heading_name(main)) is not None:
            record.authors.append(name)
        unassigned: list[Name] = []
        for field in self.marc.get_fields("700", "710"):
            name = _heading_name(field)
            if name is None:
                continue
            roles = roles_of(field)
            if "author" in roles:
                record.authors.append(name)
            if "translator" in roles:
                record.translators.append(name)
            if "editor" in roles:
                record.editors.append(name)
            if not roles and not field.get("t"):
                unassigned.append(name)
        title = self.first("245")
        statement = title.get("c") if title is not None else None
        if not record.translators and statement:
            found = translators_in_statement(statement, unassigned)
            if found:
                record.translators = list(found)
                shown = "; ".join(n.display for n in found)
                message = (
                    f"translator read from 245 $c ({shown}), as no 700/710 has the relator "
                    "trl or translator"
                )
                self.warn("MARC translator read from 245 $c", message, "245")

    def _publication(self, record: EditionRecord) -> None:
        published = [
            f for f in self.marc.get_fields("264") if f.indicator2 == "1"
        ] or self.marc.get_fields("260")
        if not published:
            return
        field = published[0]
        place, publisher, when = field.get("a"), field.get("b"), field.get("c")
        if place and not place.strip().startswith("[Place of publication not identified"):
            record.place = _strip(place, " /:;,=")
        if publisher and "[publisher not identified" not in publisher:
            record.publisher = _strip(publisher, " /:;,=")
        year = _YEAR.search(when or "")
        record.date = year.group(1) if year else None

    def _identifiers(self, record: EditionRecord) -> None:
        for field in self.marc.get_fields("020"):
            for value in field.get_subfields("a"):
                words = value.split()
                try:
                    number = standard_number("isbn", words[0]) if words else None
                except InvalidValue:
                    number = None
                if number and record.isbn is None:
                    record.isbn = number
        for field in self.marc.get_fields("022"):
            record.issn = record.issn or _issn(field.get("a"))
        for field in self.marc.get_fields("024"):
            if field.indicator1 == "7" and (field.get("2") or "").lower() == "doi":
                record.doi = record.doi or bare_doi((field.get("a") or "").strip()) or None
        for field in self.marc.get_fields("856"):
            if field.get("u") and record.url is None:
                record.url = field.get("u")

    def _host(self, record: EditionRecord, host: Field) -> None:
        record.journal = _strip(host.get("t"), " /:;,=")
        related = host.get("g") or ""
        volume = re.search(r"\bVol\.\s*([^,\s(]+)", related, re.IGNORECASE)
        number = re.search(r"\bno\.\s*([^,\s(]+)", related, re.IGNORECASE)
        pages = re.search(r"\bp\.\s*(\S+)$", related)
        record.volume = volume.group(1) if volume else None
        record.number = number.group(1) if number else None
        if pages and record.entry_type == "article":
            record.pages = pages.group(1).replace("-", "--")
        record.issn = record.issn or _issn(host.get("x"))

    def _notes(self, record: EditionRecord) -> None:
        notes = []
        for field in self.marc.get_fields("500"):
            text = field.get("a") or ""
            if _TRANSLATION_OF.match(text):
                continue  # the original's (``_original``)
            if text == "Translator not named.":
                record.translator_status = "not-named"
            elif text:
                notes.append(text)
        record.note = "\n\n".join(notes) or None
        for field in self.marc.get_fields("520"):
            if field.indicator1 == "3" and record.abstract is None:
                record.abstract = field.get("a")
            elif field.get("c") == writer.SOURCE and record.annotation is None:
                record.annotation = field.get("a")
        local = []
        self.original_notes = None
        for field in self.marc.get_fields("590"):
            text = field.get("a") or ""
            if text.startswith("On the original: ") and self.original_notes is None:
                self.original_notes = text.removeprefix("On the original: ")
            elif text:
                local.append(text)
        record.notes = "\n\n".join(local) or None

    def _original(self, record: EditionRecord, languages: Field | None) -> None:
        """The original, when the record is of a translation: its title from the
        "Translation of" note (with place, publisher and date), 240/130 $a or 765 $t; its
        language from 041 $h."""
        uniform = self.first("240", "130")
        link = self.first("765")
        note = next(
            (
                m
                for f in self.marc.get_fields("500")
                if (m := _TRANSLATION_OF.match(f.get("a") or ""))
            ),
            None,
        )
        original_language = languages.get("h") if languages is not None else None
        translated = bool(
            (languages is not None and (languages.indicator1 == "1" or original_language))
            or (uniform is not None and uniform.get("l"))
            or record.translators
            or note
            or link is not None
        )
        if not translated:
            return
        original = OriginalRecord(title="", form=record.form)
        if note is not None:
            self._translation_note(original, note.group(1))
        if not original.title and uniform is not None:
            original.title = _strip(uniform.get("a")) or ""
        if not original.title and link is not None:
            original.title = _strip(link.get("t")) or ""
        original.language = _language(original_language)
        original.notes = self.original_notes
        if not original.title:
            if original.language:
                self.warn(
                    "MARC original without a title, not linked",
                    "a translation (041 $h) whose original's title the record does not give "
                    "(no 240, 130, 765 or 'Translation of' note): no work is linked, and 041 "
                    "is kept as it came",
                    "041",
                )
            return
        record.original = original

    @staticmethod
    def _translation_note(original: OriginalRecord, text: str) -> None:
        """ "Naissance de notre force (Paris : Rieder, 1931)" -> title, place, publisher, date,
        as the writer's note names them."""
        details = re.match(r"^(.*\S)\s+\(([^()]*)\)$", text)
        title = text
        if details and (_YEAR.search(details.group(2)) or " : " in details.group(2)):
            title, where = details.group(1), details.group(2)
            place_publisher, _, when = where.rpartition(", ")
            if not _YEAR.fullmatch(when.strip()):
                place_publisher, when = where, ""
            original.date = when.strip() or None
            place, _, publisher = place_publisher.partition(" : ")
            original.place = place.strip() or None
            original.publisher = publisher.strip() or None
        title, _, subtitle = title.partition(" : ")
        original.title, original.subtitle = title.strip(), subtitle.strip() or None

    def _kept(self, record: EditionRecord, fixed_data: str) -> list[list[str]]:
        """Every field of each tag the writer, from the record's columns, would not give
        back exactly (008 compared with the writer's as of the record's own date entered);
        ``[tag]`` for a tag the writer would add that the record lacks; the Leader where
        its kept positions differ."""
        from ..queries import record_view

        entered = date.today()
        if re.fullmatch(r"\d{6}", fixed_data[:6]):
            year = int(fixed_data[:2])
            try:
                entered = date(year + (2000 if year < 70 else 1900), int(fixed_data[2:4]),
                               int(fixed_data[4:6]))  # fmt: skip
            except ValueError:
                pass
        view = record_view(record)
        given = writer.bibliographic_record(view, entered)
        came: dict[str, list[list[str]]] = {}
        for field in self.marc.fields:
            came.setdefault(field.tag, []).append(field_list(field))
        made: dict[str, list[list[str]]] = {}
        for field in given.fields:
            made.setdefault(field.tag, []).append(field_list(field))
        kept: list[list[str]] = []
        leader = str(self.marc.leader)
        if any(leader[i : i + 1] != str(given.leader)[i] for i in LEADER_POSITIONS):
            kept.append(["LDR", leader])
        for tag in dict.fromkeys([*came, *made]):
            if came.get(tag) == made.get(tag):
                continue
            kept += came.get(tag) or [[tag]]
        return kept


def _normalized(record: Record) -> Record:
    """``record`` with every value precomposed (NFC)."""
    for field in record.fields:
        if field.is_control_field():
            field.data = nfc(field.data or "")
        else:
            field.subfields = [Subfield(s.code, nfc(s.value)) for s in field.subfields]
    return record


_Read = tuple[int, Record | None, str | None, list[str]]
"""A record's number, the record (None when it cannot be read), pymarc's reason when it
cannot, and what pymarc warned of while reading it."""


def _read_records(marc_records: Iterator[_Read], file: str) -> tuple[list[Entry], list[Problem]]:
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for number, record, reason, warned in marc_records:
        for said in warned:
            message = f"record {number}: {said}"
            problems.append(warning(file, number, None, "MARC record read with a warning", message))
        if record is None:
            message = f"record {number} cannot be read: {reason}"
            problems.append(Problem(file, number, None, message))
            continue
        reader = _RecordReader(_normalized(record), file, number, seen)
        entry = reader.read()
        problems += reader.problems
        if not any(p.is_error for p in reader.problems):
            entries.append(entry)
    if not entries and not problems:
        problems.append(Problem(file, 1, None, "no MARC record in the file"))
    return entries, problems


_BETWEEN = b"\r\n\x1a\x00"
"""What some exports put between records or after the last (a line break, DOS's end of
file, padding), which pymarc's MARCReader takes for a record: skipped."""


def _iso2709(data: bytes, encoding: str | None = None) -> Iterator[_Read]:
    """Each record of ISO 2709 ``data``, split by its length as pymarc's MARCReader splits
    them, and read by pymarc; a record whose Leader says MARC-8 but whose bytes are UTF-8 is
    read as UTF-8 (``force_utf8``), with a warning. ``encoding`` (a Python codec) is that of
    the records whose Leader/09 is blank, instead of MARC-8 (pymarc's ``file_encoding``)."""
    import codecs
    import warnings

    legacy = "iso8859-1"  # what pymarc's file_encoding calls MARC-8
    if encoding is not None:
        try:
            legacy = codecs.lookup(encoding).name
        except LookupError:
            raise BiblioError(f"unknown encoding {encoding!r} (a Python codec name)") from None
        legacy = "latin-1" if legacy == "iso8859-1" else legacy
    position, number = 0, 0
    while position < len(data):
        while data[position : position + 1] and data[position : position + 1] in _BETWEEN:
            position += 1
        head = data[position : position + 5]
        if not head:
            return
        number += 1
        try:
            length = int(head)
        except ValueError:
            reason = f"{RecordLengthInvalid()}: the rest of the file cannot be split into records"
            yield number, None, reason, []
            return
        chunk = data[position : position + length]
        position += max(length, 5)
        if len(chunk) < length or length < 24:
            yield number, None, str(TruncatedRecord()), []
            return
        if chunk[-1:] != b"\x1d":
            yield number, None, str(EndOfRecordNotFound()), []
            continue
        warned = []
        utf8 = chunk[9:10] == b"a"
        if not utf8 and not chunk.isascii() and encoding is None:
            try:
                chunk.decode("utf-8")
            except UnicodeDecodeError:
                pass
            else:
                utf8 = True
                warned.append("Leader/09 is blank (MARC-8) but the record is UTF-8: read as UTF-8")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                record = Record(
                    chunk,
                    to_unicode=True,
                    force_utf8=utf8,
                    hide_utf8_warnings=True,
                    file_encoding=legacy,
                )
            except Exception as exc:  # pymarc's own reasons: RecordDirectoryInvalid...
                yield number, None, f"{type(exc).__name__}: {exc}", []
                continue
        warned += [f"pymarc: {w.message}" for w in caught]
        yield number, record, None, warned


def read_iso2709(
    data: bytes, file: str, encoding: str | None = None
) -> tuple[list[Entry], list[Problem]]:
    """The records of ISO 2709 ``data`` as entries, and every problem, each naming ``file``
    and the record's number (its "line"). A record that cannot be read is an error.
    ``encoding`` is that of records with a blank Leader/09, MARC-8 unless given."""
    return _read_records(_iso2709(data, encoding), file)


_SLIM = "{http://www.loc.gov/MARC21/slim}"


def _local(tag: str) -> str:
    return tag.removeprefix(_SLIM)


def _xml_record(element: ElementTree.Element) -> Record:
    """A MARCXML ``record`` element as a pymarc Record; ValueError saying what is wrong."""
    record = Record(force_utf8=True)
    leaders = [child for child in element if _local(child.tag) == "leader"]
    if not leaders or not (leaders[0].text or "").strip():
        raise ValueError("no leader")
    text = leaders[0].text or ""
    if len(text) != 24:
        raise ValueError(f"a leader of {len(text)} characters, not 24")
    record.leader = Leader(text)
    for child in element:
        kind = _local(child.tag)
        tag = child.get("tag")
        if kind == "leader":
            continue
        if kind not in ("controlfield", "datafield"):
            raise ValueError(f"an element <{kind}> in a record")
        if not tag or len(tag) != 3:
            raise ValueError(f"a <{kind}> with tag {tag!r}, not three characters")
        if kind == "controlfield":
            record.add_field(Field(tag, data=child.text or ""))
            continue
        subfields = []
        for sub in child:
            code = sub.get("code")
            if _local(sub.tag) != "subfield" or not code or len(code) != 1:
                raise ValueError(f"field {tag}: a subfield with code {code!r}")
            subfields.append(Subfield(code, sub.text or ""))
        indicators = Indicators(child.get("ind1") or " ", child.get("ind2") or " ")
        record.add_field(Field(tag, indicators, subfields))
    return record


def read_marcxml(data: bytes, file: str) -> tuple[list[Entry], list[Problem]]:
    """The records of a MARCXML ``collection`` (or a single ``record``) as entries, and every
    problem, each naming ``file`` and the record's number; an XML error names its line."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        line = exc.position[0]
        return [], [Problem(file, line, None, f"not MARCXML: {exc}")]
    if _local(root.tag) == "record":
        elements = [root]
    elif _local(root.tag) == "collection":
        elements = [e for e in root if _local(e.tag) == "record"]
    else:
        return [], [Problem(file, 1, None, f"not MARCXML: the root is <{_local(root.tag)}>")]

    def records() -> Iterator[_Read]:
        for number, element in enumerate(elements, start=1):
            try:
                yield number, _xml_record(element), None, []
            except ValueError as exc:
                yield number, None, str(exc), []

    return _read_records(records(), file)


def _read_bytes(path: str, what: str) -> bytes:
    from pathlib import Path

    file = Path(path)
    if file.is_dir():
        raise BiblioError(f"{path}: is a directory, not {what}")
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise BiblioError(f"{path}: no such file") from None
    except OSError as exc:
        raise BiblioError(f"{path}: cannot read: {exc.strerror}") from None


def read_marc_file(path: str, encoding: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Read one ISO 2709 file: each record in the encoding its Leader/09 says (UTF-8 or
    MARC-8), or ``encoding`` for those it says are MARC-8 (a library system's export in
    Latin-1 with a blank Leader/09)."""
    return read_iso2709(_read_bytes(path, "a MARC file"), path, encoding)


def read_marcxml_file(path: str, encoding: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """Read one MARCXML file (its XML declaration says its encoding)."""
    return read_marcxml(_read_bytes(path, "a MARCXML file"), path)
