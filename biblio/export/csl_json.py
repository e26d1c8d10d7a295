r"""CSL-JSON export (CSL 1.0.2) for pandoc --citeproc, Zotero and other CSL processors.

A translation is an item with ``translator`` (the styles print "Translated by Richard Greeman")
and the original's ``original-title``, ``original-date``, ``original-publisher`` and
``original-publisher-place``; ``note`` holds the annotation, which the annotated styles print
(``custom`` says so), unless the edition has a note of its own: then ``note`` is the note and
``annote`` the annotation. Variables a CSL-JSON import kept as written (``view.kept["csl"]``)
are written back as they came, the item's CSL id too. A title in another script than Latin, of
no known language, is protected from the English title case styles apply to such items.
A journal's special issue is an ``article-journal`` with ``container-title``, ``volume`` and
``issue``: CSL's ``periodical`` type would be closer in name, but pandoc's default style prints
neither volume nor issue for it. CSL has no subtitle, so title and subtitle are joined.

CSL has no variable for the original's language, an unnamed translator, alternate titles or
the biblatex type; those go in ``custom``, the CSL-JSON object for data without a variable,
which processors ignore and ``biblio import`` reads back (see biblio.csl).

Most CSL-JSON strings are rich text: pandoc 2.17 reads ``<i>``, ``<b>``, ``<sc>``, ``<sup>``,
``<sub>``, ``<span class="nocase">``... in them as markup and puts a narrow no-break space
before "; ? ! »" and after "«". ``rich_text`` breaks each such pattern with an empty
``<span class="nocase"></span>``, which prints nothing, so the value prints as itself. Straight
quotes cannot be protected: processors print them as typographic quotes. ``note``, the number
variables and names are plain text to pandoc 2.17 (measured; PLAIN_VARIABLES) and are written
as they are: an escape there would print. A .bib value's own markup (``\emph``, ``{DNA}``)
becomes CSL's (``rich_text_of_latex``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..csl_dates import csl_year
from ..names import Name
from ..queries import EditionView
from ..richtext import plain_text
from .tex import bib_inner, kept_value, with_parents

NOCASE_OPEN = '<span class="nocase">'
NOCASE_CLOSE = "</span>"
BREAK = NOCASE_OPEN + NOCASE_CLOSE
"""An empty nocase span: prints nothing, but no markup can run across it."""

_TAG_START = re.compile(r"<(?=/?(?:i|b|u|sc|sup|sub|span)\b)", re.IGNORECASE)
_BEFORE_NARROW_SPACE = re.compile(r" (?=[;?!\u00bb])")
_AFTER_NARROW_SPACE = re.compile(r"\u00ab(?= )")


def rich_text(value: str) -> str:
    """``value`` as CSL-JSON rich text that a CSL processor prints as ``value`` itself."""
    value = _TAG_START.sub("<" + BREAK, value)
    value = _BEFORE_NARROW_SPACE.sub(" " + BREAK, value)
    return _AFTER_NARROW_SPACE.sub("\u00ab" + BREAK, value)


#: Variables pandoc 2.17 prints as plain text, markup and all (measured): written unescaped.
PLAIN_VARIABLES = frozenset({
    "note", "volume", "issue", "number", "collection-number", "chapter-number", "edition",
    "page", "number-of-pages", "number-of-volumes", "section", "version",
    # Identifiers pandoc reads as rich text, written as they are all the same: programs read
    # them as data ("978-0-306-40615-7 (hbk) ; 0-306..." must not hold an empty span; pandoc
    # puts at worst a narrow space before its ";").
    "ISBN", "ISSN", "PMID", "PMCID", "call-number",
})  # fmt: skip


def csl_text(variable: str, value: str | None) -> str | None:
    """``value`` as the JSON string for ``variable``: rich text, unless pandoc reads the
    variable as plain text."""
    if not value:
        return None
    return value if variable in PLAIN_VARIABLES else rich_text(value)


#: The CSL-JSON tags for each kind of ``latex.markup`` ("" for a group that is no markup).
_CSL_TAGS = {
    "i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"), "sc": ('<span style="font-variant:small-caps;">', "</span>"),
    "nocase": (NOCASE_OPEN, NOCASE_CLOSE), "": ("", ""),
}  # fmt: skip


def rich_text_of_latex(latex: str) -> str:
    """A .bib value (LaTeX) as CSL-JSON rich text that prints as biber and pandoc print the
    .bib: its italics, bold, small capitals, superscripts and subscripts as CSL's tags, each
    group that protects its letters' case (``{DNA}``, ``{iPhone}``) as a nocase span, the
    text as ``decode_latex`` reads it. Where the markup would print other text than that
    (never seen), the text alone."""
    from ..latex import decode_latex, markup, markup_text

    plain = decode_latex(latex)
    if "{" not in latex and "\\" not in latex:
        return rich_text(plain)
    out: list[str] = []
    space = False  # whitespace met since the last text written, not yet written
    started = False  # whether any text is written

    def write(tree: Any) -> None:
        nonlocal space, started
        for i, piece in enumerate(tree):
            if not isinstance(piece, str):
                after = next((p for p in tree[i + 1 :] if not isinstance(p, str) or p), "")
                if any(q in markup_text([piece]) for q in "'\"") or (
                    isinstance(after, str) and after[:1] in ("'", '"')
                ):
                    # A straight quote in the markup, or right after it ("{NASA}'s"): pandoc
                    # pairs quotes across a tag (it printed "NASA‘s", or the tags themselves
                    # for "{'De} unitate'"): the text alone, without this markup
                    piece = ("", piece[1])
            if isinstance(piece, str):
                words = piece.split()
                if not words:
                    space = space or bool(piece)
                    continue
                space = (space or piece[0].isspace()) and started
                out.append(" " * space + rich_text(" ".join(words)))
                space, started = piece[-1].isspace(), True
                continue
            kind, content = piece
            opening, closing = _CSL_TAGS[kind]
            pending, before = space, len(out)
            if space and started:  # "a {B}": the space before the markup, not in it
                out.append(" ")
                space, started = False, False
            out.append(opening)
            inside = len(out)
            write(content)
            started = started or before < len(out)
            if len(out) == inside:  # nothing inside: no markup either
                del out[before:]
                space, started = pending, bool(out)
                continue
            out.append(closing)

    write(markup(latex))
    result = "".join(out)
    return result if plain_text(result) == plain else rich_text(plain)


def no_case(value: str) -> str:
    """Rich text for ``value`` that styles print without changing its case."""
    return NOCASE_OPEN + rich_text(value) + NOCASE_CLOSE


#: biblatex entry type -> CSL type.
CSL_TYPES = {
    "article": "article-journal", "periodical": "article-journal",
    "suppperiodical": "article-journal",
    "book": "book", "mvbook": "book", "collection": "book", "mvcollection": "book",
    "proceedings": "book", "mvproceedings": "book", "reference": "book", "mvreference": "book",
    "manual": "book",
    "inbook": "chapter", "bookinbook": "chapter", "suppbook": "chapter",
    "incollection": "chapter", "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference", "conference": "paper-conference",
    "booklet": "pamphlet",
    "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis",
    "report": "report", "techreport": "report",
    "unpublished": "manuscript",
    "online": "webpage", "electronic": "webpage", "www": "webpage",
    "patent": "patent", "software": "software", "dataset": "dataset",
    "artwork": "graphic", "image": "graphic", "audio": "song", "music": "musical_score",
    "movie": "motion_picture", "video": "motion_picture", "letter": "personal_communication",
    "review": "review", "standard": "standard", "legislation": "legislation",
    "jurisdiction": "legal_case", "performance": "performance",
}  # fmt: skip

#: CSL type -> the biblatex entry type an import gives it (see ``entry_type_for``).
BIBLATEX_TYPES = {
    "article-journal": "article", "article-magazine": "article",
    "article-newspaper": "article", "book": "book", "chapter": "incollection",
    "entry": "inreference", "entry-dictionary": "inreference", "entry-encyclopedia": "inreference",
    "paper-conference": "inproceedings", "pamphlet": "booklet", "thesis": "thesis",
    "report": "report", "manuscript": "unpublished", "webpage": "online", "post": "online",
    "post-weblog": "online", "patent": "patent", "software": "software", "dataset": "dataset",
    "graphic": "image", "song": "audio", "musical_score": "music",
    "motion_picture": "movie", "broadcast": "video", "personal_communication": "letter",
    "review": "review", "review-book": "review", "standard": "standard",
    "legislation": "legislation", "bill": "legislation", "regulation": "legislation",
    "treaty": "legislation", "legal_case": "jurisdiction", "performance": "performance",
    "periodical": "periodical", "article": "misc", "classic": "book", "collection": "misc",
    "document": "misc", "figure": "image", "hearing": "misc", "interview": "misc",
    "map": "misc", "speech": "misc",
}  # fmt: skip


def entry_type_for(csl_type: str, authors: bool, editors: bool) -> str:
    """The biblatex type of a CSL item: a ``book`` with editors and no authors is a
    ``collection`` (biblatex's edited volume), otherwise the type in BIBLATEX_TYPES."""
    if csl_type == "book" and editors and not authors:
        return "collection"
    return BIBLATEX_TYPES.get(csl_type, "misc")


#: CSL types whose ``number`` is the issue of a journal (else a number in a series).
ISSUE_TYPES = {"article-journal", "article-magazine", "article-newspaper", "periodical"}

#: CSL variables with no column that an import keeps as these biblatex fields (and this
#: exporter writes back): variable -> (field, kind); kind is how the .bib value is written.
BIBLATEX_FIELDS = {
    "number-of-pages": ("pagetotal", "text"),
    "number-of-volumes": ("volumes", "text"),
    "part": ("part", "text"), "chapter-number": ("chapter", "text"),
    "version": ("version", "text"), "status": ("pubstate", "text"),
    "genre": ("type", "text"),
    "title-short": ("shorttitle", "text"), "shortTitle": ("shorttitle", "text"),
    "container-title-short": ("shortjournal", "text"),
    "journalAbbreviation": ("shortjournal", "text"),
    "event-title": ("eventtitle", "text"),
    "event": ("eventtitle", "text"), "event-place": ("venue", "text"),
    "call-number": ("library", "text"), "accessed": ("urldate", "date"),
    "event-date": ("eventdate", "date"), "container-author": ("bookauthor", "names"),
}  # fmt: skip
#: biblatex field -> (CSL variable, kind), for exporting imported fields (editions imported
#: before these had columns of their own, or from readers that keep them as .bib fields).
CSL_OF_FIELD = {
    "booktitle": ("container-title", "text"), "doi": ("DOI", "verbatim"),
    "url": ("URL", "verbatim"), "isbn": ("ISBN", "text"), "issn": ("ISSN", "text"),
    "pages": ("page", "text"), "edition": ("edition", "text"), "keywords": ("keyword", "text"),
    "abstract": ("abstract", "text"),
}  # fmt: skip
for _variable, (_field, _kind) in BIBLATEX_FIELDS.items():
    CSL_OF_FIELD.setdefault(_field, (_variable, _kind))
# The body that publishes a thesis, a report or a manual, as pandoc reads a .bib: CSL's
# publisher where the entry names no publisher of its own.
CSL_OF_FIELD.update(
    {name: ("publisher", "text") for name in ("school", "institution", "organization")}
)

#: biblatex's keys that its styles print localised (english.lbx), as CSL's text: a ``type``
#: (CSL's genre) and a ``pubstate`` (CSL's status).
LOCALISED = {
    "phdthesis": "PhD thesis", "mathesis": "Master's thesis", "candthesis": "Candidate thesis",
    "techreport": "Technical report", "resreport": "Research report",
    "software": "Computer software", "datacd": "CD-ROM", "audiocd": "Audio CD",
    "patent": "Patent", "inpress": "in press", "submitted": "submitted",
    "forthcoming": "forthcoming", "inpreparation": "in preparation",
    "prepublished": "pre-published",
}  # fmt: skip

#: The genre of a thesis whose entry type says which (and no ``type`` field does).
THESIS_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}

#: Every CSL 1.0.2 item variable (csl-data.json), with its kind: how an import keeps one that
#: has neither a column nor a biblatex field (as a .bib field of its own name).
CSL_VARIABLES = {
    **{name: "names" for name in (
        "author", "chair", "collection-editor", "compiler", "composer", "container-author",
        "contributor", "curator", "director", "editor", "editorial-director",
        "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
        "organizer", "original-author", "performer", "producer", "recipient",
        "reviewed-author", "script-writer", "series-creator", "translator")},
    **{name: "date" for name in (
        "accessed", "available-date", "event-date", "issued", "original-date", "submitted")},
    **{name: "text" for name in (
        "abstract", "annote", "archive", "archive_collection", "archive_location",
        "archive-place", "authority", "call-number", "chapter-number", "citation-key",
        "collection-number", "collection-title", "container-title", "container-title-short",
        "dimensions", "division", "DOI", "edition", "event", "event-title", "event-place",
        "genre", "ISBN", "ISSN", "issue", "jurisdiction", "keyword", "language", "license",
        "medium", "note", "number", "number-of-pages", "number-of-volumes",
        "original-publisher", "original-publisher-place", "original-title", "page", "part",
        "part-title", "PMCID", "PMID", "printing", "publisher", "publisher-place",
        "references", "reviewed-genre", "reviewed-title", "scale", "section", "source",
        "status", "supplement", "title", "title-short", "URL", "version", "volume",
        "volume-title", "year-suffix")},
}  # fmt: skip

#: .bib fields whose value the catalogue's columns hold (title, date, people...): they need no
#: variable of their own. ``related`` and other imported fields have no CSL home.
MODELLED_FIELDS = {
    "title", "subtitle", "series", "volume", "number", "annotation", "annote", "journaltitle",
    "journal", "location", "address", "publisher", "origtitle", "origdate", "origyear",
    "origlocation", "origpublisher", "origlanguage", "langid", "date", "year", "month",
    "author", "editor", "translator",
}  # fmt: skip
#: CSL variables that are also biblatex fields of another meaning (biblatex's ``note`` is not
#: the annotation, its ``issue`` not the number): an imported field of that name is biblatex's.
_BIBLATEX_MEANING = {"note", "language", "issue", "annote"}


def own_name_variable(name: str) -> bool:
    """Whether an imported field named ``name`` is a CSL variable an import kept under its own
    name (one with neither a column nor a biblatex field)."""
    lowered = name.lower()
    return (
        name in CSL_VARIABLES
        and lowered not in MODELLED_FIELDS
        and lowered not in _BIBLATEX_MEANING
        and name not in BIBLATEX_FIELDS
    )


def join_title(title: str, subtitle: str | None) -> str:
    """A title and subtitle as one CSL title: "Revolution in Danger: Writings from Russia";
    no colon after a title that ends in punctuation ("Why?" "Why? An Answer")."""
    if not subtitle:
        return title
    return f"{title} {subtitle}" if title[-1:] in "?!.:" else f"{title}: {subtitle}"


def csl_name(name: Name) -> dict[str, str]:
    """A CSL name: family, given, non-dropping-particle ("van" in "van Gennep"), suffix.

    The catalogue's parts are final, and pandoc re-parses names that lack a part: it takes a
    lower-case first word of the family name for a particle ("ter Borch" prints as "Borch,
    Gerard ter") and what follows a comma in the given name for a suffix. An empty particle
    or suffix, which prints nothing, stops that (measured on pandoc 2.17)."""
    parts = {
        "family": name.family,
        "given": name.given,
        "non-dropping-particle": name.prefix,
        "suffix": name.suffix,
    }
    found = {part: value for part, value in parts.items() if value}
    if not name.prefix and len(name.family.split()) > 1:
        found["non-dropping-particle"] = ""
    if not name.suffix and "," in (name.given or ""):
        found["suffix"] = ""
    return found


#: One date of biblatex's (EDTF) date fields: a year (long years after "Y", unspecified
#: digits "199X", "19uu"), a month or season (21-24), a day, a time, qualifiers (? ~ %).
_EDTF_DATE = re.compile(
    r"^Y?(-?\d+)([uX]*)(?:-(\d{2}|uu|XX)(?:-(\d{2}|uu|XX))?)?(?:T[\d:.]+(?:Z|[+-][\d:]+)?)?"
    r"([?~%]*)$"
)


def csl_date(date: str | None, year: int | None = None) -> dict[str, Any] | None:
    """A date as biblatex writes it (ISO 8601 and EDTF: "1931", "1931-05-02", "-0043" for 44
    BCE) as a CSL date, its years by era (``csl_year``): a range ("1988/1992") as two
    date-parts, a season ("2004-22") as CSL's season, an approximate date ("1723~") as circa,
    a date-time as its day, unspecified parts left out ("1999-01-uu" as January 1999) and an
    unspecified decade or century ("199X") as its span of years; where ``date`` is none of
    these, ``year`` alone."""
    found = _edtf_date(date.strip()) if date else None
    if found is not None:
        return found
    return {"date-parts": [[csl_year(year)]]} if year is not None else None


def _edtf_date(text: str) -> dict[str, Any] | None:
    start, slash, end = text.partition("/")
    if slash:  # a range, open at one end ("../2004") or at none
        given = [part for part in (start, end) if part not in ("", "..")]
        known = [found for found in map(_edtf_part, given) if found is not None]
        if not known or len(known) < len(given):
            return None
        date: dict[str, Any] = {"date-parts": [parts for parts, _, _, _ in known]}
        if any(circa for _, _, circa, _ in known):
            date["circa"] = True
        return date
    found = _edtf_part(text)
    if found is None:
        return None
    parts, season, circa, span = found
    date = {"date-parts": [parts, span] if span else [parts]}
    if season:
        date["season"] = season
    if circa:
        date["circa"] = True
    return date


def _edtf_part(text: str) -> tuple[list[int], int | None, bool, list[int] | None] | None:
    """One EDTF date as (its date-parts, its season 1-4, whether approximate, the last year
    of an unspecified decade or century), or None."""
    match = _EDTF_DATE.match(text.strip())
    if match is None:
        return None
    sign_digits, unspecified, month, day, qualifiers = match.groups()
    circa = "~" in qualifiers or "%" in qualifiers
    if unspecified:  # "199X": the 1990s, 1990 to 1999
        first = int(sign_digits + "0" * len(unspecified))
        last = first + 10 ** len(unspecified) - 1
        return [csl_year(first)], None, circa, [csl_year(last)]
    parts = [csl_year(int(sign_digits))]
    season = None
    if month and month.isdigit():
        if 21 <= int(month) <= 24:
            season = int(month) - 20
        elif 1 <= int(month) <= 12:
            parts.append(int(month))
            if day and day.isdigit():
                parts.append(int(day))
        else:
            return None
    return parts, season, circa, None


def _decode_field(raw: str, kind: str) -> Any:
    """An imported .bib value (enclosure included) as a CSL value of ``kind``."""
    from ..latex import decode_latex

    inner = bib_inner(raw)
    if kind == "verbatim":
        return inner
    if kind == "names":
        from ..names import split_bib_names

        return [csl_name(person) for person in split_bib_names(inner)[0]]
    if kind == "text":
        return rich_text_of_latex(inner)  # written as it is: rich text already
    text = decode_latex(inner)
    if kind == "date":
        return csl_date(text)
    return text


def _carried_field(name: str, raw: str) -> bool:
    """Whether CSL carries an imported .bib field: a column holds it (a biblatex list as its
    styles print it), or a CSL variable does."""
    lowered = name.lower()
    return lowered in MODELLED_FIELDS or lowered in CSL_OF_FIELD or own_name_variable(name)


def _imported_variables(view: EditionView) -> dict[str, Any]:
    """CSL variables for the imported .bib fields that have one (doi, url, isbn, pages...)."""
    found: dict[str, Any] = {}
    for name, raw in view.extra_fields:
        if name.lower() in CSL_OF_FIELD:
            variable, kind = CSL_OF_FIELD[name.lower()]
        elif own_name_variable(name):
            variable, kind = name, CSL_VARIABLES[name]
        else:
            continue
        try:
            value = _decode_field(raw, kind)
        except Exception:  # a kept value that does not read as its kind: not exported
            continue
        if isinstance(value, str) and name.lower() in ("type", "pubstate"):
            value = LOCALISED.get(value.strip(), value)
        if isinstance(value, str) and variable in PLAIN_VARIABLES:
            value = plain_text(value)
        if value:
            found.setdefault(variable, value)
    return found


_ABSENT = object()


def _latin_or_caseless(text: str) -> bool:
    """Whether every letter of ``text`` is Latin (English title case can apply to it)."""
    import unicodedata

    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def column_item(view: EditionView) -> dict[str, Any]:
    """One edition as a CSL-JSON item made from the catalogue's columns alone (no variable
    kept as imported): what ``item`` writes where the import kept nothing."""
    csl_type = CSL_TYPES.get(view.entry_type, "document")
    original = view.original
    number_variable = "issue" if csl_type in ISSUE_TYPES else "collection-number"
    title = join_title(view.title, view.subtitle)
    rich_title = _rich(view, ("title",), view.title) or ""
    if view.subtitle:  # joined as ``join_title`` joins the plain text
        separator = title[len(view.title or "") : len(title) - len(view.subtitle)]
        rich_title += separator + (_rich(view, ("subtitle",), view.subtitle) or "")
    if title and view.language is None and not _latin_or_caseless(title):
        # Styles title-case items of unknown language as English ("Полночь Века"): a title in
        # another script cannot be English.
        title_value: str | None = NOCASE_OPEN + rich_title + NOCASE_CLOSE
    else:
        title_value = rich_title or None
    note, annote = view.note, view.annotation
    if not note:  # the descriptive text of annotated styles (CSL's ``note``)
        note, annote = annote, None
    fields: dict[str, Any] = {
        "id": view.key,
        "type": csl_type,
        "author": [csl_name(p) for p in view.authors],
        "editor": [csl_name(p) for p in view.editors],
        "translator": [csl_name(p) for p in view.translators],
        "title": title_value,
        "container-title": _rich(view, ("journaltitle", "journal"), view.journal),
        "collection-title": _rich(view, ("series",), view.series),
        "volume": csl_text("volume", view.volume),
        number_variable: csl_text(number_variable, view.number),
        "edition": csl_text("edition", view.edition_statement),
        "page": csl_text("page", view.pages),
        # A biblatex list as its styles print it ("Harper and Row"), which the column holds
        "publisher": csl_text("publisher", view.publisher),
        "publisher-place": csl_text("publisher-place", view.place),
        # biblatex's date as the file wrote it, where the column could not hold it (a range)
        "issued": csl_date(kept_value(view.extra_fields, "date") or view.date, view.year),
        "language": view.language,
    }
    if original is not None:
        # Kept in its own case: styles title-case English items' titles, and the item's
        # language is the translation's, not the original's.
        fields["original-title"] = no_case(join_title(original.title, original.subtitle))
        fields["original-publisher"] = csl_text("original-publisher", original.publisher)
        fields["original-publisher-place"] = csl_text("original-publisher-place", original.place)
        fields["original-date"] = csl_date(original.date, original.year)
    else:  # an origdate with no origtitle: no original recorded, the date kept as written
        fields["original-date"] = csl_date(kept_value(view.extra_fields, "origdate"))
    fields["ISBN"] = view.isbn
    fields["ISSN"] = view.issn
    fields["DOI"] = view.doi
    fields["URL"] = view.url
    fields["keyword"] = csl_text("keyword", ", ".join(view.keywords))
    fields["abstract"] = csl_text("abstract", view.abstract)
    fields["note"] = csl_text("note", note)
    fields["annote"] = csl_text("annote", annote)
    for variable, value in _imported_variables(view).items():
        if fields.get(variable) is None:
            fields[variable] = value
    if not fields.get("genre") and view.entry_type in THESIS_GENRE:
        fields["genre"] = THESIS_GENRE[view.entry_type]
    fields["custom"] = _custom(view, csl_type) or None
    return {name: value for name, value in fields.items() if value}


def _rich(view: EditionView, names: Sequence[str], text: str | None) -> str | None:
    """A column's ``text`` as CSL rich text: from the imported .bib value it was read from
    (one of the fields ``names``), its markup and protective braces kept
    (``rich_text_of_latex``), where that prints the same text; ``rich_text(text)`` else."""
    if not text:
        return None
    for name, raw in view.extra_fields:
        if name.lower() in names:
            rich = rich_text_of_latex(bib_inner(raw))
            if plain_text(rich) == text:
                return rich
    return rich_text(text)


def with_kept(fields: dict[str, Any], kept: Sequence[Sequence[str]]) -> dict[str, Any]:
    """``fields`` with the variables an import kept as written: ``[variable, JSON text]`` in
    its place (or at the end, for a variable the columns do not make), ``[variable]`` left
    out (the source had none)."""
    out: dict[str, Any] = dict(fields)
    for pair in kept:
        if len(pair) == 1:
            out.pop(pair[0], None)
        else:
            out[pair[0]] = json.loads(pair[1])
    return out


def item(view: EditionView) -> dict[str, Any]:
    """One edition as a CSL-JSON item (an ordered dict, absent values left out); variables
    kept by a CSL-JSON import are written back as they came."""
    return with_kept(column_item(view), view.kept.get("csl", []))


def _custom(view: EditionView, csl_type: str) -> dict[str, Any]:
    """What CSL has no variable for, for ``biblio import`` to read back exactly."""
    original = view.original
    inferred_status = "named" if view.translators else "unknown"
    custom: dict[str, Any] = {
        "entry-type": view.entry_type
        if entry_type_for(csl_type, bool(view.authors), bool(view.editors)) != view.entry_type
        else None,
        "subtitle": view.subtitle,
        "original-subtitle": original.subtitle if original else None,
        "original-language": original.language if original else None,
        "translator-status": view.translator_status
        if view.translator_status != inferred_status
        else None,
        "also-published-as": list(view.also_published_as),
        "others": list(view.others),
    }
    if original is not None and original.annotation and view.edition_annotation:
        custom["edition-annotation"] = view.edition_annotation  # where ``note`` splits
    if view.annotation and not view.note:
        custom["annotation-in-note"] = True
    return {key: value for key, value in custom.items() if value}


def items(views: Sequence[EditionView]) -> list[dict[str, Any]]:
    """The editions as CSL-JSON items, a .bib entry's ``crossref`` and ``xdata`` resolved
    (``inherit``): CSL has neither."""
    made = [item(view) for view in views]
    inherit(views, made)
    return made


#: biblatex types of a part of a book, whose crossref parent's title is the book's title
#: (biber's default inheritance: ``title`` to ``booktitle``): CSL's ``container-title``.
PART_TYPES = frozenset({
    "inbook", "incollection", "inproceedings", "bookinbook", "suppbook", "suppcollection",
    "inreference",
})  # fmt: skip
#: Variables a child never takes from its parent: its own identity and texts, and the title
#: (biber gives a parent's title to a part as its book's title, to a volume as its main title).
_OWN_VARIABLES = frozenset({
    "id", "type", "citation-key", "custom", "title", "title-short", "note", "annote",
    "abstract", "keyword", "DOI", "URL", "ISBN", "page", "version",
})  # fmt: skip


def inherit(views: Sequence[EditionView], made: list[dict[str, Any]]) -> None:
    """Give each item of ``made`` (the items of ``views``) whose entry names a parent among
    them in ``crossref`` or ``xdata`` the variables it lacks, from the parent's item, as biber
    gives them to a .bib entry (the title of a part's parent as its ``container-title``):
    an exported child had nothing but its own few fields."""
    for view, child, parent in with_parents(views, made):
        if view.entry_type in PART_TYPES and parent.get("title"):
            child.setdefault("container-title", parent["title"])
        for variable, value in parent.items():
            if variable not in _OWN_VARIABLES:
                child.setdefault(variable, value)


def render(views: Sequence[EditionView]) -> str:
    """The editions as a CSL-JSON file (UTF-8, indented, one item per edition)."""
    return json.dumps(items(views), ensure_ascii=False, indent=2) + "\n"


def lost_facts(view: EditionView) -> dict[str, str]:
    """What CSL cannot carry as such: a subtitle is folded into its title (the original's into
    ``original-title``); the original's language, an unnamed translator, alternate titles and
    imported .bib fields with no CSL variable are dropped (no style can print them; ``custom``
    keeps the first three for biblio's own re-import only)."""
    original = view.original
    lost = {}
    if view.subtitle:
        lost["subtitle"] = "folded"
    if original is not None and original.subtitle:
        lost["original-title"] = "folded"
    if original is not None and original.language:
        lost["original-language"] = "dropped"
    if view.translator_status == "not-named":
        lost["translator-not-named"] = "dropped"
    if view.also_published_as:
        lost["alternate-titles"] = "dropped"
    if any(not _carried_field(name, raw) for name, raw in view.extra_fields):
        lost["imported-fields"] = "dropped"
    return lost
