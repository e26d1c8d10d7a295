"""Classic BibTeX export (pure ASCII) for the standard styles (plain, alpha...).

BibTeX has no fields for originals and its standard styles ignore ``translator``, so the
translation facts are folded into ``note``, which they print: "Translated from the French by
Richard Greeman; originally published as Naissance de notre force (Paris, 1931)". The
annotation goes to ``annote``, the classic annotation field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..bibtex import MONTH_MACROS
from ..inheritance import own_facts
from ..languages import english_name
from ..names import Name
from ..queries import EditionView
from .tex import (
    LATIN_SHAPED_GREEK,
    Raw,
    ascii_latex,
    bib_inner,
    canonical,
    escape_ascii,
    keyword_list,
    name_list,
    page_range,
    parent_keys,
    rich_or_plain,
    verbatim,
    write_bib,
)


def _people(people: Sequence[Name]) -> str:
    names = [p.display for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def translation_note(view: EditionView) -> str | None:
    """The sentence(s) that carry what BibTeX has no field for: translation, original,
    alternate titles, special issue, editors beside authors, unnamed translator."""
    sentences = []
    original = view.original
    translated = "Translated"
    if original is not None and original.language and original.language != view.language:
        translated += f" from the {english_name(original.language)}"
    if view.translators:
        translated += f" by {_people(view.translators)}"
    elif view.translator_status == "not-named":
        translated += "; translator not named"
    else:
        translated = ""
    if original is not None:
        title = f"{original.title}. {original.subtitle}" if original.subtitle else original.title
        where = ", ".join(str(p) for p in (original.place, original.publisher, original.year) if p)
        published = f"originally published as {title}" + (f" ({where})" if where else "")
        translated = (
            f"{translated}; {published}" if translated else published[0].upper() + published[1:]
        )
    if translated:
        sentences.append(translated)
    if view.editors and not _editor_field(view):
        sentences.append(f"Edited by {_people(view.editors)}")
    if view.also_published_as:
        sentences.append("Also published as " + "; ".join(view.also_published_as))
    return ". ".join(sentences) if sentences else None


_FOLDED = re.compile(r"(^|\. )(Translated\b|Originally published as )")


def _note(own: str | None, generated: str | None) -> str | None:
    """The entry's own note and the generated one, the latter once: a BibTeX export read
    back has it in its note already."""
    if own and generated and (generated in own or _FOLDED.search(own)):
        return own  # a BibTeX export read back: its note carries the translation already
    if own and generated:  # one stop between them, none after "First edition." or "Why?"
        return f"{own} {generated}" if own.rstrip()[-1:] in ".?!" else f"{own}. {generated}"
    return own or generated or None


def _year(view: EditionView) -> str | None:
    """The year as the entry gave it ("{\\noopsort{1973c}}1981" sorts as 1973 with the
    file's preamble), else the catalogue's."""
    for name, value in view.extra_fields:
        if name.lower() == "year":
            return Raw(value)
    return str(view.year) if view.year is not None else None


def _month(view: EditionView) -> str | None:
    """The month of a date that has one ("1931-05-02"), as BibTeX's macro (``may``), which
    the standard styles print; a day has no field (``lost_facts`` says so)."""
    date = view.date or ""
    month = date[5:7] if len(date) >= 7 and date[4] == "-" else ""
    return Raw(MONTH_MACROS[int(month) - 1]) if month.isdigit() and 1 <= int(month) <= 12 else None


_PLAIN_DATE = re.compile(r"-?\d+(-\d\d){0,2}")
"""A date the year and month fields say whole (a day is counted apart)."""


def _one_literal(value: str | None) -> str | None:
    """A publisher or place as one literal for biblatex too (which reads "and" in them as a
    list): "Harper and Row" braced once more; BibTeX prints it the same."""
    if not value:
        return None
    escaped = escape_ascii(value)
    return f"{{{escaped}}}" if " and " in escaped else escaped


def _special_issue(view: EditionView) -> str | None:
    if view.entry_type != "periodical" or not view.journal:
        return None
    volume = view.volume and f"vol. {view.volume}"
    number = view.number and f"no. {view.number}"
    return "Special issue of " + ", ".join(p for p in (view.journal, volume, number) if p)


#: BibTeX's standard entry types; biblatex-only types map to their nearest.
BIBTEX_TYPES = {
    "article", "book", "booklet", "inbook", "incollection", "inproceedings", "manual",
    "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
}  # fmt: skip
NEAREST_TYPE = {
    "collection": "book", "mvbook": "book", "mvcollection": "book", "bookinbook": "inbook",
    "suppbook": "inbook", "suppcollection": "incollection", "mvproceedings": "proceedings",
    "report": "techreport", "thesis": "phdthesis", "conference": "inproceedings",
    "electronic": "misc", "online": "misc", "www": "misc",
}  # fmt: skip


def _bibtex_type(entry_type: str, has_publisher: bool) -> str:
    """The classic type for an entry: its own where BibTeX has it, else the nearest; a book
    without a publisher (a journal's special issue, a memoir never published as such) is
    ``misc``, which plain.bst prints without asking for one (``lost_facts`` counts it)."""
    entry_type = NEAREST_TYPE.get(entry_type, entry_type)
    if entry_type not in BIBTEX_TYPES:
        return "book" if has_publisher else "misc"
    if entry_type == "book" and not has_publisher:
        return "misc"
    return entry_type


#: The classic types whose editors the standard styles print beside the authors ("In John
#: Smith, editor, Proc. of Things"): written as ``editor``, not folded into ``note``.
_EDITOR_TYPES = frozenset({"incollection", "inproceedings", "proceedings"})


def _editor_field(view: EditionView) -> bool:
    """Whether the classic export writes the editors as ``editor`` (a book's without authors,
    or those of an ``_EDITOR_TYPES`` entry), rather than as "Edited by" in ``note``."""
    book = bool(view.publisher)
    return (book and not view.authors) or _bibtex_type(view.entry_type, book) in _EDITOR_TYPES


def _names(people: Sequence[Name], others: bool) -> str | None:
    return name_list(people, escape_ascii, others, biber=False) if people else None


def bibtex_entry(view: EditionView) -> tuple[str, str, list[tuple[str, str]]]:
    """The BibTeX entry type, key and (field, escaped ASCII value) pairs for one edition.

    An edition with a publisher is a ``@book``; one without (a journal's special issue) is a
    ``@misc``, which plain.bst prints without asking for a publisher, its journal details in
    ``howpublished`` and its editors in ``note``.
    """
    view = own_facts(view)  # what its crossref parent gives is the parent's
    title = f"{view.title}: {view.subtitle}" if view.subtitle else view.title
    note = _note(view.note, translation_note(view))
    book = bool(view.publisher)
    editors = view.editors if _editor_field(view) else []
    howpublished = _special_issue(view)
    journal = rich_or_plain(view, "container-title", escape_ascii)  # CSL's rich text as LaTeX
    fields: list[tuple[str, str | None]] = [
        ("author", _names(view.authors, "author" in view.others)),
        ("editor", _names(editors, "editor" in view.others)),
        ("translator", _names(view.translators, "translator" in view.others)),
        # Braced twice: styles such as plain lower-case article titles, which would lose
        # the capitals of names and of other languages' nouns.
        # (none where there is none: a crossref child inherits its parent's)
        ("title", f"{{{rich_or_plain(view, 'title', escape_ascii)(title)}}}" if title else None),
        ("journal", journal(view.journal) if view.journal and not howpublished else None),
        (
            "series",
            rich_or_plain(view, "collection-title", escape_ascii)(view.series)
            if view.series
            else None,
        ),
        # a special issue's volume and number are in its ``howpublished``
        ("volume", escape_ascii(view.volume) if view.volume and not howpublished else None),
        ("number", escape_ascii(view.number) if view.number and not howpublished else None),
        ("publisher", _one_literal(view.publisher)),
        ("address", _one_literal(view.place)),
        ("howpublished", escape_ascii(howpublished) if howpublished else None),
        ("year", _year(view)),
        ("month", _month(view)),
        ("edition", escape_ascii(view.edition_statement) if view.edition_statement else None),
        ("pages", page_range(view.pages, escape_ascii) if view.pages else None),
        ("isbn", view.isbn),
        ("issn", view.issn),
        ("doi", verbatim(view.doi) if view.doi else None),
        ("url", verbatim(view.url) if view.url else None),
        ("note", escape_ascii(note) if note else None),
        ("keywords", keyword_list(view.keywords, escape_ascii) if view.keywords else None),
        ("abstract", escape_ascii(view.abstract) if view.abstract else None),
        ("annote", escape_ascii(view.annotation) if view.annotation else None),
    ]
    fields = _as_given(view, fields, translation_note(view) is None)
    entry_type = _bibtex_type(view.entry_type, book)
    # Fields kept as imported are .bib text already: only their non-ASCII characters change;
    # the generated fields, which plain and its kin print, win over ones that mean the same.
    made = {canonical(name) for name, value in fields if value}
    if view.subtitle:
        made.add("subtitle")  # in the title already
    # A kept field of a generated one's name stands in its place, so that an export read back
    # (its ``howpublished`` kept, not made again) writes its fields in the same order.
    slots = {canonical(name): i for i, (name, _) in enumerate(fields)}
    fields += [
        (_CLASSIC_NAMES.get(name.lower(), name), Raw(ascii_latex(value)))
        for name, value in view.extra_fields
        if canonical(name) not in made
    ]
    fields.sort(key=lambda field: slots.get(canonical(field[0]), len(slots)))
    return entry_type, view.key, [(name, value) for name, value in fields if value]


#: A kept field of biblatex's name that classic BibTeX's styles read under another (a
#: @periodical's journaltitle, kept as written by the reader): written under BibTeX's.
_CLASSIC_NAMES = {"journaltitle": "journal", "location": "address"}

#: Generated fields that say what one kept field says: written as the entry gave that field.
_SAME_AS_KEPT = frozenset(
    {"journal", "series", "volume", "number", "month", "publisher", "address", "edition", "pages",
     "isbn", "issn", "doi", "url", "keywords", "abstract", "annote"}
)  # fmt: skip


def _as_given(
    view: EditionView, fields: list[tuple[str, str | None]], own_note: bool
) -> list[tuple[str, str | None]]:
    """``fields`` with a generated value replaced by the field the entry was imported with,
    where it kept one (a .bib import keeps what its text does not give back exactly, and
    every name list, as the entry spelt it): its
    LaTeX as written (a ``\\mark`` its @preamble defines, ``\\url{...}``, protective braces,
    an ISBN's hyphens), only its non-ASCII characters made ASCII. The title stays braced
    twice, with its subtitle after a colon; the note with the translation note after it."""
    kept: dict[str, str] = {}
    exact: dict[str, str] = {}  # by the entry's own name: its address over its location
    for kept_name, kept_value in view.extra_fields:
        kept.setdefault(canonical(kept_name.lower()), kept_value)
        exact.setdefault(kept_name.lower(), kept_value)
    if not kept:
        return fields
    given: list[tuple[str, str | None]] = []
    for name, value in fields:
        raw = exact.get(name, kept.get(canonical(name))) if value else None
        if raw is not None and _BIBLATEX_ONLY.search(raw):
            raw = None  # a biblatex or csquotes command, which a BibTeX document lacks
        if raw is not None and (name in _SAME_AS_KEPT or (name == "note" and own_note)):
            value = Raw(ascii_latex(raw))
        elif raw is not None and name == "note":
            value = _kept_note(raw, view) or value
        elif raw is not None and name in ("author", "editor", "translator") and "=" not in raw:
            value = Raw(ascii_latex(raw))  # as spelt (biblatex's "family=..." form excepted)
        elif raw is not None and name == "title":
            title = _unprotected(_inner(raw))
            subtitle = kept.get("subtitle")
            sub = _inner(subtitle) if subtitle else escape_ascii(view.subtitle or "")
            if title is not None and sub is not None:
                text = f"{title}: {sub}" if sub else title
                value = Raw(ascii_latex(f"{{{{{text}}}}}"))
        given.append((name, value))
    return given


def _kept_note(raw: str, view: EditionView) -> str | None:
    """The note as the entry spelt it, with the translation note after it where it does not
    carry it already (a BibTeX export read back); None where the kept value is not one
    group or string (a concatenation)."""
    inner = _inner(raw)
    if inner is None:
        return None
    generated = translation_note(view)
    if _note(view.note, generated) == view.note:  # the translation note is in it
        return Raw(ascii_latex(f"{{{inner}}}"))
    return Raw(ascii_latex(f"{{{inner}. {escape_ascii(generated or '')}}}"))


#: Commands of biblatex and csquotes that a classic BibTeX document does not define: a kept
#: value holding one is written from the catalogue's text instead.
_BIBLATEX_ONLY = re.compile(
    r"\\(?:mkbib[a-z]+|enquote|textcite|parencite|autocite|footcite|smartcite|supercite"
    r"|hyphen|bibstring|nopunct|add(?:comma|dot|space|period|colon|semicolon))(?![a-zA-Z])"
)


def _unprotected(text: str | None) -> str | None:
    """A title's text without the one pair of braces that protects all of it (the export
    braces it twice: read back, it must not gain a pair each time)."""
    inner = _inner(text) if text and text[0] == "{" else None
    return inner if inner is not None else text


def _inner(raw: str) -> str | None:
    """The text of a .bib value that is one braced group or one quoted string, else None (a
    concatenation, a macro)."""
    if len(raw) >= 2 and raw[0] == '"' and raw[-1] == '"':
        depth = 0
        for ch in raw[1:-1]:
            depth += (ch == "{") - (ch == "}")
            if ch == '"' and depth == 0:
                return None  # '"The " # {\TeX} # "book"': a concatenation
        return raw[1:-1]
    if len(raw) >= 2 and raw[0] == "{" and raw[-1] == "}":
        depth = 0
        for i, ch in enumerate(raw):
            depth += (ch == "{") - (ch == "}")
            if depth == 0 and i < len(raw) - 1:
                return None  # "{a} # {b}": more than one group
        return raw[1:-1]
    return None


def render(views: Sequence[EditionView]) -> str:
    """The editions as a classic, ASCII-only BibTeX .bib file, each entry another's
    ``crossref`` names after that one (``crossref_order``)."""
    return write_bib(bibtex_entry(view) for view in crossref_order(views))


def crossref_order(views: Sequence[EditionView]) -> list[EditionView]:
    """``views`` in their order, but with each entry that another's kept ``crossref`` names
    after that one: BibTeX reads a crossref only to an entry later in the file (and a
    parent's parent after the parent)."""
    by_key = {view.key: view for view in views}
    referrers: dict[str, list[str]] = {}
    for view in views:
        for parent in parent_keys(view.extra_fields, ("crossref",)):
            if parent in by_key and parent != view.key:
                referrers.setdefault(parent, []).append(view.key)
    if not referrers:
        return list(views)
    levels: dict[str, int] = {}

    def level(key: str, seen: frozenset[str] = frozenset()) -> int:
        if key not in levels:
            children = [c for c in referrers.get(key, ()) if c not in seen]
            levels[key] = max((level(c, seen | {key}) + 1 for c in children), default=0)
        return levels[key]

    return sorted(views, key=lambda view: level(view.key))


_LATIN_SHAPED = re.compile(r"\\(" + "|".join(LATIN_SHAPED_GREEK) + r")(?![A-Za-z])")
#: A command a @preamble defines: ``\providecommand{\textKappa}``, ``\newcommand*\x``, ``\def\x``.
_DEFINED = re.compile(r"\\(?:(?:provide|new|renew)command\*?\s*\{?|def\s*)\\([A-Za-z]+)")


def header_blocks(text: str, blocks: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The @preamble and @comment blocks to write before the entries ``text``: the kept
    ``blocks``, then, where the entries use Greek letters shaped like Latin ones
    (``\\textKappa``) that no kept @preamble defines, a @preamble providing each as its Latin
    look-alike, so that the file compiles without textalpha and prints Greek with it. An
    export read back keeps that @preamble as one of its blocks: written again, it is not
    added twice. A kept block's non-ASCII characters are written as LaTeX commands
    (``ascii_latex``), as the entries' are: the file stays pure ASCII."""
    blocks = [(kind, ascii_latex(block)) for kind, block in blocks]
    used = set(_LATIN_SHAPED.findall(text)) if "\\text" in text else set()
    if not used:
        return blocks
    provided = {
        name for kind, block in blocks if kind == "preamble" for name in _DEFINED.findall(block)
    }
    missing = [name for name in LATIN_SHAPED_GREEK if name in used and name not in provided]
    if not missing:
        return blocks
    definitions = "".join(
        f"\\providecommand{{\\{name}}}{{{LATIN_SHAPED_GREEK[name]}}}" for name in missing
    )
    return [*blocks, ("preamble", f'"{definitions}"')]


def lost_facts(view: EditionView) -> dict[str, str]:
    """What classic BibTeX cannot carry as such: the translation facts, editors beside
    authors and alternate titles go into ``note``, a special issue's journal, volume and
    number into ``howpublished``, and a subtitle into the title; a day, a type BibTeX lacks
    (or a book's without a publisher, written ``@misc``) and a date beyond a year and month
    ("1723?~", a range) are dropped."""
    view = own_facts(view)  # what its crossref parent gives is the parent's
    from . import present_facts

    folded = {
        "translator", "translator-not-named", "original-title", "original-date",
        "original-place", "original-publisher", "original-language", "alternate-titles",
        "subtitle",
    }  # fmt: skip
    lost = {fact: "folded" for fact in present_facts(view) & folded}
    if view.date and len(view.date) > 7 and view.date[:1] != "-":
        lost["day"] = "dropped"  # BibTeX has year and month
    if _bibtex_type(view.entry_type, bool(view.publisher)) != view.entry_type:
        # the nearest of BibTeX's types (@thesis as @phdthesis), or @misc for a book
        # without a publisher, which BibTeX would ask for
        lost["entry-type"] = "dropped"
    kept = {name.lower(): bib_inner(value) for name, value in view.extra_fields}
    date = kept.get("date", view.date)
    if date and "year" not in kept and not _PLAIN_DATE.fullmatch(date):
        # "1723?~", "1999-uu", "1988/1992", "../2004": written as the year alone
        lost["date-as-written"] = "dropped"
    if _special_issue(view):
        lost["journal-issue"] = "folded"  # into howpublished; an article's are its fields
    if view.editors and not _editor_field(view):
        lost["editor"] = "folded"
    return lost
