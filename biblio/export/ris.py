"""RIS export (UTF-8), in the tags Zotero and EndNote both read, written with rispy.

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
- the annotation is the abstract, ``AB``: one text on the record in both programs, which
  Zotero keeps as written and CSL's "annotated with abstracts" styles print. ``N1`` notes
  become separate child notes in Zotero, so they carry what is folded, and the catalogue's notes;
- the form (novel, poetry...) is a keyword (``KW``), the section of the bibliography the label
  (``LB``), the citation key ``ID``; of the fields kept from a .bib import, ISBN or ISSN
  (``SN``), DOI (``DO``), URL (``UR``), edition (``ET``) and keywords (``KW``) have tags.

Values are written as they are: RIS escapes nothing. A value's line breaks become
continuation lines, as Zotero writes multi-line notes, each indented by one space so that no
line of text can read as a tag; readers trim the lines. What cannot be carried as such is
reported by ``lost_facts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import rispy

from ..languages import english_name
from ..names import Name
from ..queries import EditionView
from .tex import canonical

#: rispy's tag names, and M2 (Zotero reads its lines into Extra).
TAG_NAMES = {**rispy.TAG_KEY_MAPPING, "M2": "extra"}
#: Tags that may repeat, one value each.
LIST_TAGS = [*rispy.LIST_TYPE_TAGS, "M2"]

#: biblatex entry type -> RIS type. A collection with authors is a BOOK (an EDBOOK's AU is
#: its editors).
RIS_TYPES = {
    "book": "BOOK", "mvbook": "BOOK", "collection": "EDBOOK", "mvcollection": "EDBOOK",
    "periodical": "JFULL", "article": "JOUR", "incollection": "CHAP", "inbook": "CHAP",
    "bookinbook": "CHAP", "suppbook": "CHAP", "suppcollection": "CHAP",
    "thesis": "THES", "phdthesis": "THES", "mastersthesis": "THES",
    "report": "RPRT", "techreport": "RPRT", "proceedings": "CONF", "mvproceedings": "CONF",
    "inproceedings": "CPAPER", "conference": "CPAPER", "online": "ELEC", "electronic": "ELEC",
    "www": "ELEC", "unpublished": "UNPB", "booklet": "PAMP",
}  # fmt: skip
DEFAULT_TYPE = "GEN"

JOURNAL_TYPES = frozenset({"JOUR", "JFULL", "EJOUR", "MGZN", "NEWS"})
"""RIS types whose T2 is the journal, T3 the series and IS the number."""
BOOK_TYPES = frozenset({"BOOK", "EBOOK", "CLSWK"})
"""RIS types whose editors are A3 (Zotero and EndNote); other types' editors are A2."""

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


#: Fields of an imported entry that the catalogue's columns carry (so RIS does too).
_COLUMN_FIELDS = frozenset({
    "title", "subtitle", "series", "volume", "number", "annotation", "journaltitle",
    "location", "publisher", "origtitle", "origdate", "origyear", "origlocation",
    "origpublisher", "origlanguage", "langid", "date", "month", "author", "editor",
    "translator", "issuetitle", "issuesubtitle",
})  # fmt: skip
#: Fields of an imported entry that have a RIS tag: field -> rispy name.
_FIELD_TAGS = {
    "isbn": "issn", "issn": "issn", "doi": "doi", "url": "urls", "edition": "edition",
    "keywords": "keywords",
}  # fmt: skip
_VERBATIM_FIELDS = frozenset({"doi", "url"})


def _imported_fields(
    extra_fields: Iterable[tuple[str, str]],
) -> tuple[dict[str, list[str]], bool]:
    """The imported fields RIS has tags for (rispy name -> values) and whether any other
    field, which RIS drops, is left."""
    from ..bibtex import decode_latex, resolve_value

    tags: dict[str, list[str]] = {}
    dropped = False
    for name, raw in extra_fields:
        field = canonical(name.lower())
        if field in _COLUMN_FIELDS:
            continue
        if field not in _FIELD_TAGS:
            dropped = True
            continue
        _raw, inner = resolve_value(raw, {})
        value = " ".join(inner.split()) if field in _VERBATIM_FIELDS else decode_latex(inner)
        values = [v.strip() for v in value.split(",")] if field == "keywords" else [value]
        tags.setdefault(_FIELD_TAGS[field], []).extend(v for v in values if v)
    return tags, dropped


def ris_type(view: EditionView) -> str:
    """The RIS type for an edition: its entry type's, except that a collection with authors
    is a BOOK (an EDBOOK's AU are its editors)."""
    ris = RIS_TYPES.get(view.entry_type, DEFAULT_TYPE)
    return "BOOK" if ris == "EDBOOK" and view.authors else ris


def ris_entry(view: EditionView) -> tuple[dict[str, Any], dict[str, str]]:
    """One edition as a rispy reference (rispy's tag names -> values) and the facts RIS
    cannot carry as such (see ``lost_facts``)."""
    from . import present_facts

    present = present_facts(view)
    lost: dict[str, str] = {}
    ty = ris_type(view)
    journal_type = ty in JOURNAL_TYPES
    ref: dict[str, Any] = {"type_of_reference": ty, "id": view.key}

    ref["title"] = f"{view.title}: {view.subtitle}" if view.subtitle else view.title
    if view.subtitle:
        ref["short_title"] = view.title
        lost["subtitle"] = "folded"

    notes: list[str] = []
    if ty == "EDBOOK":
        ref["authors"] = [ris_name(n) for n in view.editors]
    else:
        ref["authors"] = [ris_name(n) for n in view.authors]
        editors_tag = "tertiary_authors" if ty in BOOK_TYPES else "secondary_authors"
        ref[editors_tag] = [ris_name(n) for n in view.editors]
        if view.editors and journal_type:
            notes.append(editors_note(view.editors))
            lost["editor"] = "folded"
    ref["subsidiary_authors"] = [ris_name(n) for n in view.translators]

    if journal_type:
        ref["secondary_title"] = view.journal
        ref["tertiary_title"] = view.series
        ref["number"] = view.number
    else:
        ref["secondary_title"] = view.series
        ref["note"] = view.number  # M1: the number in the series (Zotero, EndNote)
        if view.journal:
            notes.append(f"Published in {view.journal}.")
            if "journal-issue" in present:
                lost["journal-issue"] = "folded"
    ref["volume"] = view.volume

    if view.year is not None:
        ref["year"] = f"{view.year:04d}"
    if view.date and len(view.date) > 4:
        year, month, *day = view.date.split("-")
        ref["date"] = f"{year}/{month}/{day[0] if day else ''}/"
    ref["place_published"] = view.place
    ref["publisher"] = view.publisher
    ref["language"] = view.language

    original = view.original
    publication = None
    extra: list[str] = []
    if original is not None:
        title = f"{original.title}: {original.subtitle}" if original.subtitle else original.title
        publication = original_publication(
            title, original_where(original.place, original.publisher, original.date)
        )
        ref["original_publication"] = publication
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
    notes += [view.notes] if view.notes else []
    notes += [ORIGINAL_NOTE + original.notes] if original and original.notes else []

    imported, dropped = _imported_fields(view.extra_fields)
    if dropped:
        lost["imported-fields"] = "dropped"
    for name in ("issn", "doi", "edition"):  # SN (an ISBN or an ISSN), DO, ET: one value
        values = imported.get(name, [])
        ref[name] = values[0] if values else None
        if len(values) > 1:
            lost["imported-fields"] = "dropped"
    ref["urls"] = imported.get("urls", [])
    keywords = [view.form] if view.form else []
    ref["keywords"] = keywords + [k for k in imported.get("keywords", []) if k not in keywords]
    ref["label"] = view.section
    ref["abstract"] = view.annotation
    if view.annotation:
        lost["annotation"] = "folded"
    ref["notes"] = notes
    ref["extra"] = extra
    return _written(ref), lost


def _written(ref: dict[str, Any]) -> dict[str, Any]:
    """The reference without empty values, every value as RIS text."""
    written: dict[str, Any] = {}
    for name, value in ref.items():
        if isinstance(value, list):
            items = [ris_text(v) for v in value if v and ris_text(v)]
            if items:
                written[name] = items
        elif value and ris_text(value):
            written[name] = ris_text(value)
    return written


class _Writer(rispy.RisWriter):  # type: ignore[misc]
    """rispy's writer without its "1." line before each entry, which is not RIS."""

    def set_header(self, count: int) -> str:
        return ""


def render(views: Sequence[EditionView]) -> str:
    """The editions as a UTF-8 RIS file."""
    references = [ris_entry(view)[0] for view in views]
    return str(
        rispy.dumps(
            references,
            implementation=_Writer,
            mapping=TAG_NAMES,
            list_tags=LIST_TAGS,
            delimiter_tags_mapping={},  # one URL a line, not ";"-joined
        )
    )


def lost_facts(view: EditionView) -> dict[str, str]:
    """What RIS cannot carry as such: a subtitle (joined to the title), the original's facts,
    an unnamed translator, alternate titles and a journal's editors (in notes, and the
    original's in Zotero's Extra lines too), the annotation (the abstract), a journal on a
    type that has none (a note), and imported fields that have no tag (dropped)."""
    return ris_entry(view)[1]
