"""RIS export (UTF-8), in the tags Zotero and EndNote both read.

Who reads what (Zotero: ``RIS.js`` in zotero/translators, 2023; EndNote: the RIS specification
it publishes, per reference type):

- translators: ``A4``, Zotero's translator for every type we write and EndNote's "Translator";
- editors: ``A3`` on ``BOOK`` (Zotero's editor for a book, EndNote's "Editor"); on ``EDBOOK``,
  an editor-only collection, ``AU`` (EndNote's "Editor"; Zotero moves an EDBOOK's ``AU`` to
  editors); ``A2`` on a journal's issue (Zotero's editor; EndNote's Journal Article has none,
  so "Edited by ..." is in a note too);
- a subtitle joins the title in ``TI`` ("Title: Subtitle") with the title alone in ``ST``, as
  Zotero writes them; the reader splits them again;
- the original: RIS has no tags for it. It goes into a note ("Translated from the French by
  ...; originally published as Naissance de notre force (Paris, 1931)."), into ``OP``
  (EndNote's "Original Publication"; Zotero drops it), and into ``M2`` lines, which Zotero
  reads into Extra, as the CSL variables it cites from there (``original-title: ...``,
  ``original-date: 1931``, ``original-publisher-place: Paris``). EndNote reads ``M2`` of a
  journal article as its start page, so those lines are left out for journals;
- the abstract is ``AB``; the annotation, which is no abstract, is a note (``N1``,
  "Annotation: ..."), as is the note imported from elsewhere; ``N1`` notes become separate
  child notes in Zotero, so they carry what is folded. The catalogue's own notes are ``RN``,
  EndNote's research notes (a note in Zotero too);
- a part of a book (``CHAP``) or a conference paper (``CPAPER``): ``T2`` is the title of the
  volume it is in, the imported ``booktitle`` (of a .bib entry, or a CSL chapter's
  ``container-title``), and ``T3`` the series: Zotero's bookTitle and series of a chapter.
  Of a conference paper Zotero reads ``T2`` as the conference's name, ``C3`` as the
  proceedings' title and ``T3`` as the series; the RIS specification has ``T2`` alone, the
  "Conference Name", which exporters fill with either. A ``C3`` is read as the title of the
  volume where there is one (``biblio.ris``). A part's journal is a note ("Published in
  ..."), as for every type with no journal tag; a book's ``T2`` is its series;
- the year is ``PY`` as the entry gives it ("1931", "-44", "20000"); a date that says more is
  ``DA`` too: RIS's "YYYY/MM/DD/other" where it fits (a four-digit year), else as written
  ("20000-05", or an imported biblatex date: "1999-uu", "1988-03/1992-07");
- the form (novel, poetry...) is the type of work (``M3``, EndNote's "Type of Work"; Zotero
  keeps it in a note), never a keyword, so that a keyword "novel" stays one; the keywords
  are ``KW``, one a line; the section of the bibliography is the label (``LB``), the
  citation key ``ID``; pages are ``SP`` and
  ``EP`` ("12--34") or ``SP`` alone, ISBN and ISSN each an ``SN``, DOI ``DO``, URL ``UR`` and
  the edition statement ``ET``;
- what a RIS import kept as it came (``EditionView.kept["ris"]``: tags with no column, and
  groups of tags the columns would not give back exactly, see ``TAG_GROUPS``) is written
  back as it came, in place of the columns' tags of its group, so that an import written out
  again gives back every tag's value; a group kept as ``[group]`` alone, which the imported
  entry did not have, is not written (no DA made of a PY "1948/07//", no IS of a SER's M1),
  the key (``ID``) excepted. Every entry's tags are in one order (``TAG_ORDER``),
  whether the columns give them or they were kept, the kept tags that no column has last, as
  they came: an export imported and exported again is the same file. An edit of a field
  drops the kept groups of the tags it replaces (``kept_after_edit``), so that the export
  writes them from the columns, the edited value included.

Values are written as they are: RIS escapes nothing. A value's line breaks become
continuation lines, as Zotero writes multi-line notes, each indented by one space so that no
line of text can read as a tag; readers trim the lines. What cannot be carried as such is
reported by ``lost_facts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..languages import english_name
from ..names import Name
from ..queries import EditionView
from ..records import sortable_year
from .tex import canonical, kept_value, with_parents

#: biblatex entry type -> RIS type. A collection with authors is a BOOK (an EDBOOK's AU is
#: its editors). A proceedings volume is a BOOK, as Zotero keeps one: Zotero and EndNote read
#: ``CONF`` as a paper in it.
RIS_TYPES = {
    "book": "BOOK", "mvbook": "BOOK", "collection": "EDBOOK", "mvcollection": "EDBOOK",
    "periodical": "JFULL", "article": "JOUR", "incollection": "CHAP", "inbook": "CHAP",
    "bookinbook": "CHAP", "suppbook": "CHAP", "suppcollection": "CHAP",
    "thesis": "THES", "phdthesis": "THES", "mastersthesis": "THES",
    "report": "RPRT", "techreport": "RPRT", "proceedings": "BOOK", "mvproceedings": "BOOK",
    "inproceedings": "CPAPER", "conference": "CPAPER", "online": "ELEC", "electronic": "ELEC",
    "www": "ELEC", "unpublished": "UNPB", "booklet": "PAMP",
}  # fmt: skip
DEFAULT_TYPE = "GEN"

JOURNAL_TYPES = frozenset({"JOUR", "JFULL", "EJOUR", "MGZN", "NEWS"})
"""RIS types whose T2 is the journal, T3 the series and IS the number."""
BOOK_TYPES = frozenset({"BOOK", "EBOOK", "CLSWK"})
"""RIS types whose editors are A3 (Zotero and EndNote); other types' editors are A2."""
SECTION_TYPES = frozenset({"CHAP", "ECHAP", "CPAPER", "CONF"})
"""RIS types of a part of a volume, a chapter or a conference paper: T2 is the volume's title
(the .bib ``booktitle``), T3 the series."""
PAPER_TYPES = frozenset({"CPAPER", "CONF"})
"""RIS types of a conference paper, whose C3 is the proceedings' title (Zotero's
proceedingsTitle, which Zotero's .bib exports write as booktitle; its T2 is the conference's
name): C3 is read as the volume's title where there is one, else T2, and is in T2's group."""

ORIGINAL_NOTE = "On the original: "
"""How the note on the original work (the catalogue's notes about it) starts."""
ALSO_PUBLISHED = "Also published as "
ORIGINAL_KEYS = (
    "original-title",
    "original-date",
    "original-publisher",
    "original-publisher-place",
)
"""The CSL variables Zotero reads from Extra lines that the M2 tags carry."""

_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def ris_text(value: str) -> str:
    """``value`` as RIS text: its line breaks (of any kind) as continuation lines indented by
    one space, so that no line can read as a tag; other control characters, which no RIS
    reader keeps, left out."""
    lines = _LINE_BREAKS.sub("\n", _CONTROL.sub("", value)).split("\n")
    return "\n ".join(line.strip() for line in lines).strip()


def ris_name(name: Name) -> str:
    """A name as RIS writes it: "Family, Given, Suffix", the particle with the family name
    ("van Gennep, Arnold")."""
    family = " ".join(p for p in (name.prefix, name.family) if p)
    if name.suffix:
        return f"{family}, {name.given or ''}, {name.suffix}"
    return f"{family}, {name.given}" if name.given else family


def _people(people: Sequence[Name]) -> str:
    names = [p.display for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def original_where(place: str | None, publisher: str | None, date: str | None) -> str | None:
    """ "Paris, Rieder, 1931": where and when the original came out, as far as known."""
    return ", ".join(p for p in (place, publisher, date) if p) or None


def original_publication(title: str, where: str | None) -> str:
    """The original as one line: "Naissance de notre force (Paris, 1931)"."""
    return f"{title} ({where})" if where else title


def translation_note(
    language: str | None,
    translators: Sequence[Name],
    status: str,
    original: str | None,
) -> str | None:
    """The note saying what is translated, from what and by whom: "Translated from the French
    by Richard Greeman; originally published as Naissance de notre force (Paris, 1931)."; for
    an edition that is no translation, "Not a translation (the original is in Spanish); ...".
    ``original`` is ``original_publication``'s line; None when there is nothing to say."""
    if original is None and not translators and status not in ("not-named", "none"):
        return None
    if status == "none":
        text = "Not a translation"
        if language:
            text += f" (the original is in {english_name(language)})"
    else:
        text = "Translated"
        if language:
            text += f" from the {english_name(language)}"
        if translators:
            text += f" by {_people(translators)}"
        elif status == "not-named":
            text += "; translator not named"
    if original is not None:
        text += f"; originally published as {original}"
    return text + "."


def editors_note(editors: Sequence[Name]) -> str:
    """ "Edited by Al Richardson.", for types whose editors EndNote has no tag for."""
    return f"Edited by {_people(editors)}."


ANNOTATION_NOTE = "Annotation: "
"""How the note carrying the annotation starts (``AB`` is the abstract, a column of its own)."""


PUBLISHED_IN = "Published in "
"""How the note naming the journal of a type that has no journal tag starts."""


def published_in(journal: str) -> str:
    """ "Published in Critique.": the note naming the journal of a type that has no journal tag."""
    return f"{PUBLISHED_IN}{journal}."


#: Tags read into the same columns, as a tag -> the group it belongs to (a tag not listed is
#: its own group). A group the columns do not give back exactly as it came is kept whole, as
#: RIS tags (``EditionView.kept["ris"]``), and then written instead of the columns' tags: the
#: people (AU, A1, A2, A3, A4, ED: which tag holds the editors depends on the type), the title
#: (TI, T1, CT), the year (PY, Y1), the abstract (AB, N2), the journal and series (T2, T3, JF,
#: JO) and the pages (SP, EP).
TAG_GROUPS = {
    "A1": "AU", "A2": "AU", "A3": "AU", "A4": "AU", "ED": "AU", "T1": "TI", "CT": "TI",
    "Y1": "PY", "N2": "AB", "T3": "T2", "JF": "T2", "JO": "T2", "EP": "SP",
}  # fmt: skip


def tag_group(tag: str, ty: str = "") -> str:
    """The group of a tag (see ``TAG_GROUPS``) in an entry of RIS type ``ty``: a conference
    paper's C3 (its proceedings' title) is in T2's."""
    if tag == "C3" and ty in PAPER_TYPES:
        return "T2"
    return TAG_GROUPS.get(tag, tag)


_PEOPLE_TAGS = ("AU", "A1", "A2", "A3", "A4", "ED")

#: The RIS tags the reader (``biblio.ris``) reads a catalogue field from in an entry of any
#: type, by the names ``biblio edit --set`` gives the fields; the journal, the series and the
#: number are read from tags that depend on the type (``edited_tags``).
FIELD_TAGS: dict[str, tuple[str, ...]] = {
    "title": ("TI", "T1", "CT", "ST"), "subtitle": ("TI", "T1", "CT", "ST"),
    "year": ("PY", "Y1", "DA"), "place": ("CY", "PP"), "publisher": ("PB",),
    "language": ("LA",), "volume": ("VL",), "type": ("TY",), "authors": _PEOPLE_TAGS,
    "translators": _PEOPLE_TAGS, "editors": _PEOPLE_TAGS, "pages": ("SP", "EP"),
    "doi": ("DO",), "isbn": ("SN",), "issn": ("SN",), "url": ("UR",), "abstract": ("AB", "N2"),
    "keywords": ("KW",), "edition": ("ET",),
}  # fmt: skip


def edited_tags(field: str, ty: str) -> frozenset[str]:
    """The RIS tags that stand for the catalogue's ``field`` (as ``biblio edit --set`` names
    it) in an entry of RIS type ``ty``, which an edit of the field replaces: ``FIELD_TAGS``,
    and the journal JF, JO and the abbreviations JA and J2, with T2 of a journal's type (a
    part's T2 is the title of the volume it is in, a book's its series); the series T3 of a
    journal or a part of a volume (``SECTION_TYPES``), T2 of another type; the number IS of
    a journal, M1 of another type."""
    if field == "journal":
        return frozenset({"JF", "JO", "JA", "J2"} | ({"T2"} if ty in JOURNAL_TYPES else set()))
    if field == "series":
        return frozenset({"T3"} if ty in JOURNAL_TYPES | SECTION_TYPES else {"T2"})
    if field == "number":
        return frozenset({"IS"} if ty in JOURNAL_TYPES else {"M1"})
    return frozenset(FIELD_TAGS.get(field, ()))


_NOTE_FIELDS = frozenset({
    "journal", "editors", "translators", "translator-status", "also-published-as",
    "annotation", "work-annotation", "note", "orig-title", "orig-year", "orig-place",
    "orig-publisher", "orig-language",
})  # fmt: skip
"""The fields (as ``biblio edit --set`` names them) the columns write in ``N1`` notes, on some
type or other (``column_tags``): an edit of one lifts a kept ``["N1"]`` (the imported entry
had no note), so that the notes the columns make are written."""


def kept_after_edit(
    kept: Iterable[Sequence[str]], fields: Iterable[str], entry_type: str
) -> list[list[str]]:
    """The RIS lines an import kept as they came (``EditionView.kept["ris"]``) that stand once
    the catalogue's ``fields`` are edited: every kept line of a group (``tag_group``) of
    which an edited field replaces a kept line (``edited_tags``) goes, so that the export
    writes that group whole from the columns, the edited value with the rest (what is left of
    a group is written instead of all the columns' tags of the group). The entry's type is
    its kept ``TY`` unless the type is edited, else the RIS type of its biblatex
    ``entry_type`` (``ris_type`` tells a collection with authors, BOOK, from an EDBOOK: both
    replace the same tags). A kept ``[group]`` alone (the entry had none of the group's tags)
    goes as its group's lines do, and ``["N1"]`` also with an edit of a field the columns
    write in a note (``_NOTE_FIELDS``) or of the tags a journal was kept in (a book's JO
    beside its series: the journal is then the columns' "Published in" note)."""
    edited = set(fields)
    lines = [list(line) for line in kept]
    given = [line[1] for line in lines if line[0] == "TY" and len(line) > 1]
    given = [] if "type" in edited else given
    ty = given[0].strip().upper() if given else RIS_TYPES.get(entry_type, DEFAULT_TYPE)
    replaced = {tag for field in edited for tag in edited_tags(field, ty)}
    groups = {tag_group(line[0], ty) for line in lines if line[0] in replaced}
    journal = {tag_group(tag, ty) for tag in edited_tags("journal", ty)}
    if edited & _NOTE_FIELDS or groups & journal:  # the columns' notes may say something new
        lines = [line for line in lines if line != ["N1"]]
    return [line for line in lines if tag_group(line[0], ty) not in groups]


#: The groups of tags (``tag_group``) in the order an entry's tags are written, the order
#: ``column_tags`` gives them in. Tags kept as they came take their group's place (in the
#: order they came); kept tags of a group not here (tags no column has) follow, as they came.
TAG_ORDER = (
    "TY", "ID", "TI", "ST", "AU", "T2", "IS", "M1", "VL", "SP", "PY", "DA", "CY", "PB", "LA",
    "OP", "SN", "DO", "UR", "ET", "M3", "KW", "LB", "AB", "N1", "RN", "M2",
)  # fmt: skip
_RANK = {group: rank for rank, group in enumerate(TAG_ORDER)}


def _rank(line: tuple[str, str], ty: str = "") -> int:
    """Where a (tag, value) line goes among the lines of an entry of RIS type ``ty``
    (``TAG_ORDER``)."""
    return _RANK.get(tag_group(line[0], ty), len(TAG_ORDER))


#: Fields of an imported entry that the catalogue's columns carry (so RIS does too).
_COLUMN_FIELDS = frozenset({
    "title", "subtitle", "series", "volume", "number", "annotation", "journaltitle",
    "location", "publisher", "origtitle", "origdate", "origyear", "origlocation",
    "origpublisher", "origlanguage", "langid", "date", "month", "author", "editor",
    "translator", "issuetitle", "issuesubtitle", "pages", "doi", "isbn", "issn", "url",
    "abstract", "edition", "note", "keywords",
})  # fmt: skip


_ABBREVIATION_TAGS = frozenset({"JO", "JA", "J2"})
"""The tags of a journal's abbreviation (biblatex's ``shortjournal``): a RIS import keeps
them as they came (the columns write none)."""


def _dropped_fields(
    extra_fields: Iterable[tuple[str, str]], ty: str, kept: Iterable[Sequence[str]] = ()
) -> bool:
    """Whether an imported .bib field that RIS does not carry (no column holds it, nor, for a
    part of a volume, ``T2``, nor a journal's abbreviation kept as its RIS tag) is left."""
    carried = _COLUMN_FIELDS | {"booktitle"} if ty in SECTION_TYPES else _COLUMN_FIELDS
    carried |= {"eventtitle"} if ty in PAPER_TYPES else set()
    if any(line[0] in _ABBREVIATION_TAGS for line in kept):
        carried |= {"shortjournal"}
    return any(canonical(name.lower()) not in carried for name, _ in extra_fields)


def book_title(view: EditionView) -> str | None:
    """The title of the book (or proceedings) an edition is part of, where an import gave one:
    the .bib ``booktitle`` (a CSL chapter's ``container-title`` is kept as one), as text."""
    return _imported_text(view, "booktitle")


def _event_title(view: EditionView) -> str | None:
    """A conference paper's conference, where an import gave one: biblatex's ``eventtitle``."""
    return _imported_text(view, "eventtitle")


def _imported_text(view: EditionView, field_name: str) -> str | None:
    from ..latex import decode_latex

    kept = kept_value(view.extra_fields, field_name)
    return decode_latex(kept) or None if kept is not None else None


_ISO_DATE = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?(?:T(.+))?")
_LEADING_YEAR = re.compile(r"-?\d+(?![\duX])")


def _given_date(view: EditionView) -> str | None:
    """The edition's date as the entry gave it: an imported biblatex ``date`` that the
    catalogue's date holds only the year of ("1999-uu", "1988-03/1992-07"), else the date."""
    text = kept_value(view.extra_fields, "date")
    if text and sortable_year(text) == view.year:
        return text
    return view.date or None


def date_tags(view: EditionView) -> list[tuple[str, str]]:
    """``PY``, the year as the entry gives it ("1931", "-44", "20000"), and, for a date that
    says more, ``DA``: "1931/05/02/" (a time is its other part) where RIS's YYYY/MM/DD/other
    holds it, else the date as written ("20000-05", "1999-uu", "../2004-01-01")."""
    date = _given_date(view)
    leading = _LEADING_YEAR.match(date) if date else None
    year = leading.group() if leading else None
    if year is None and view.year is not None:
        year = f"{view.year:04d}" if view.year >= 0 else str(view.year)
    lines = [("PY", year)] if year else []
    if date and date != year:
        iso = _ISO_DATE.fullmatch(date)
        if iso:
            yyyy, month, day, other = iso.groups()
            date = f"{yyyy}/{month or ''}/{day or ''}/{other or ''}"
        lines.append(("DA", date))
    return lines


def ris_type(view: EditionView) -> str:
    """The RIS type for an edition: its entry type's, except that a collection with authors
    is a BOOK (an EDBOOK's AU are its editors)."""
    ris = RIS_TYPES.get(view.entry_type, DEFAULT_TYPE)
    return "BOOK" if ris == "EDBOOK" and view.authors else ris


def _pages(pages: str) -> list[tuple[str, str]]:
    """``SP`` and ``EP`` of a "12–34" range (an en dash, as the catalogue's text holds a .bib
    "12--34"; or "12--34"); any other pages ("12-34", "e0815") in ``SP``."""
    first, sep, last = pages.partition("\u2013" if "\u2013" in pages else "--")
    dashes = "-\u2013"
    if sep and first and last and first[-1] not in dashes and last[0] not in dashes:
        return [("SP", first), ("EP", last)]
    return [("SP", pages)]  # not one range ("225-\u2013240", a typo): as it is


def column_tags(view: EditionView) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """The (tag, value) lines the catalogue's columns give an edition, in the order written,
    without the RIS tags it keeps; and the facts RIS cannot carry as such (``lost_facts``)."""
    from . import present_facts

    present = present_facts(view)
    lost: dict[str, str] = {}
    ty = ris_type(view)
    journal_type = ty in JOURNAL_TYPES
    lines: list[tuple[str, str | None]] = [("TY", ty), ("ID", view.key)]

    lines.append(("TI", f"{view.title}: {view.subtitle}" if view.subtitle else view.title))
    if view.subtitle:
        lines.append(("ST", view.title))  # Zotero's short title
        lost["subtitle"] = "folded"

    notes: list[str] = []
    if ty == "EDBOOK":
        lines += [("AU", ris_name(n)) for n in view.editors]
    else:
        lines += [("AU", ris_name(n)) for n in view.authors]
        editors_tag = "A3" if ty in BOOK_TYPES else "A2"
        lines += [(editors_tag, ris_name(n)) for n in view.editors]
        if view.editors and journal_type:
            notes.append(editors_note(view.editors))
            lost["editor"] = "folded"
    lines += [("A4", ris_name(n)) for n in view.translators]

    if journal_type:
        lines += [("T2", view.journal), ("T3", view.series), ("IS", view.number)]
    else:
        if ty in SECTION_TYPES:
            event = _event_title(view) if ty in PAPER_TYPES else None
            if event:  # Zotero's: C3 the proceedings' title, T2 the conference's name
                lines += [("C3", book_title(view)), ("T2", event), ("T3", view.series)]
            else:
                lines += [("T2", book_title(view)), ("T3", view.series)]
        else:
            lines.append(("T2", view.series))
        lines.append(("M1", view.number))  # the number in the series (Zotero, EndNote)
        if view.journal:
            notes.append(published_in(view.journal))
            if "journal-issue" in present:
                lost["journal-issue"] = "folded"
    lines.append(("VL", view.volume))
    lines += _pages(view.pages) if view.pages else []

    lines += date_tags(view)
    lines += [("CY", view.place), ("PB", view.publisher), ("LA", view.language)]

    original = view.original
    publication = None
    extra: list[str] = []
    if original is not None:
        title = f"{original.title}: {original.subtitle}" if original.subtitle else original.title
        publication = original_publication(
            title, original_where(original.place, original.publisher, original.date)
        )
        lines.append(("OP", publication))
        if not journal_type:
            facts = (title, original.date, original.publisher, original.place)
            extra = [f"{k}: {v}" for k, v in zip(ORIGINAL_KEYS, facts, strict=True) if v]
        for fact in ("title", "date", "place", "publisher", "language"):
            if f"original-{fact}" in present:
                lost[f"original-{fact}"] = "folded"
    translated = translation_note(
        original.language if original else None,
        view.translators,
        view.translator_status,
        publication,
    )
    if view.translator_status == "not-named":
        lost["translator-not-named"] = "folded"
    notes[:0] = [translated] if translated else []
    notes += [f"{ALSO_PUBLISHED}{title}." for title in view.also_published_as]
    if view.also_published_as:
        lost["alternate-titles"] = "folded"
    if view.annotation:
        notes.append(ANNOTATION_NOTE + view.annotation)
        lost["annotation"] = "folded"
    notes += [ORIGINAL_NOTE + original.notes] if original and original.notes else []
    notes += [view.note] if view.note else []

    if _dropped_fields(view.extra_fields, ty, view.kept.get("ris", [])):
        lost["imported-fields"] = "dropped"
    lines += [("SN", view.isbn), ("SN", view.issn), ("DO", view.doi), ("UR", view.url)]
    lines += [("ET", view.edition_statement), ("M3", view.form)]
    lines += [("KW", keyword) for keyword in view.keywords]
    lines += [("LB", view.section), ("AB", view.abstract)]
    lines += [("N1", note) for note in notes]
    lines.append(("RN", view.notes))  # EndNote's research notes: the catalogue's own
    lines += [("M2", line) for line in extra]
    return [(tag, ris_text(v)) for tag, v in lines if v and ris_text(v)], lost


def ris_tags(view: EditionView) -> list[tuple[str, str]]:
    """An edition's RIS lines, ``TY`` first: the columns' tags and the RIS tags it keeps as
    they came (which take the place of the columns' tags of their group), in ``TAG_ORDER``.
    A group kept as ``[group]`` alone, which the imported entry did not have, is left out."""
    kept_lines = view.kept.get("ris", [])
    kept = [(line[0], ris_text(line[1])) for line in kept_lines if len(line) > 1]
    columns = column_tags(view)[0]
    first = [line for line in kept if line[0] == "TY"][:1] or columns[:1]
    ty = first[0][1].strip().upper()
    replaced = {tag_group(line[0], ty) for line in kept_lines}
    lines = [line for line in columns if tag_group(line[0], ty) not in replaced]
    rest = (line for line in lines + kept if line[0] != "TY")
    return first + sorted(rest, key=lambda line: _rank(line, ty))


def render(views: Sequence[EditionView]) -> str:
    """The editions as a UTF-8 RIS file, a .bib entry's ``crossref`` and ``xdata`` resolved
    (``inherit``): RIS has neither."""
    tags = [ris_tags(view) for view in views]
    inherit(views, tags)
    entries = [
        "".join(f"{tag}  - {value}\n" for tag, value in lines) + "ER  - \n" for lines in tags
    ]
    return "\n".join(entries)


#: Tag groups a child never takes from its parent: its own identity and texts, and the
#: title (biber gives a parent's title to a part of a book as the book's: ``T2`` of CHAP).
_OWN_GROUPS = frozenset(
    tag_group(tag) for tag in ("TY", "ID", "TI", "ST", "N1", "AB", "KW", "LB", "DO", "UR", "SN",
                               "SP", "RN", "M2")
)  # fmt: skip


def inherit(views: Sequence[EditionView], tags: list[list[tuple[str, str]]]) -> None:
    """Give the lines of each entry of ``views`` that names a parent among them in
    ``crossref`` or ``xdata`` the tags it lacks, from the parent's lines, as biber gives a .bib
    entry its parent's fields (the title of a chapter's parent as its ``T2``): an exported
    child had nothing but its own few fields."""
    for view, lines, parent in with_parents(views, tags):
        ty = lines[0][1].upper()
        have = {tag_group(tag, ty) for tag, _ in lines}
        added = [
            (tag, value) for tag, value in parent
            if tag_group(tag, ty) not in have and tag_group(tag, ty) not in _OWN_GROUPS
        ]  # fmt: skip
        if ris_type(view) in SECTION_TYPES and "T2" not in have:
            added += [("T2", value) for tag, value in parent if tag == "TI"][:1]
        lines[1:] = sorted([*lines[1:], *added], key=lambda line: _rank(line, ty))


def lost_facts(view: EditionView) -> dict[str, str]:
    """What RIS cannot carry as such: a subtitle (joined to the title), the original's facts,
    an unnamed translator, alternate titles, the annotation and a journal's editors (in notes,
    and the original's in Zotero's Extra lines too), a journal's issue on a type that has no
    journal tag (a note), and imported .bib fields that no column carries (dropped)."""
    return column_tags(view)[1]
