"""biblatex export (UTF-8): translations as biblatex models them.

``translator`` with ``origlanguage`` (biblatex's language name) makes the standard styles print
"Trans. from the French by ..."; ``origtitle``, ``origdate``, ``origlocation`` and
``origpublisher`` keep the original's facts; a journal's special issue is a ``@periodical``
whose ``title`` is the journal and ``issuetitle`` the issue's own title.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from ..inheritance import own_facts
from ..languages import biblatex_name, english_name
from ..queries import EditionView
from .tex import (
    Raw,
    bib_inner,
    canonical,
    escape,
    kept_csl_date,
    keyword_list,
    name_list,
    page_range,
    rich_or_plain,
    verbatim,
    write_bib,
)


def _title(title: str, subtitle: str | None) -> str:
    return f"{title}. {subtitle}" if subtitle else title


FIELD_ORDER = {
    name: i
    for i, name in enumerate(
        [
            "author", "editor", "translator", "title", "subtitle", "journaltitle",
            "issuetitle", "issuesubtitle", "series", "volume", "number", "location",
            "publisher", "edition", "date", "month", "pages", "langid", "language", "isbn",
            "issn", "doi", "url", "note", "origlanguage", "origtitle", "origdate", "origlocation",
            "origpublisher", "keywords", "abstract", "annotation",
        ]
    )
}  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def _rank(name: str) -> int:
    """Where a field goes in an entry: FIELD_ORDER's place, unknown fields after."""
    return FIELD_ORDER.get(canonical(name.lower()), len(FIELD_ORDER))


# Places and publishers recur across a catalogue: each is escaped once.
@functools.lru_cache(maxsize=1 << 16)
def _literal(value: str | None) -> str | None:
    """One item of a biblatex literal list (location, publisher, origlocation...): braced, so
    "Readers and Writers" stays one publisher."""
    return f"{{{escape(value)}}}" if value else None


def _language_name(code: str) -> str:
    return f"{{{english_name(code)}}}"


def _language_key(code: str) -> str:
    """biblatex's localisation key for the language, else its English name as text."""
    return biblatex_name(code) or _language_name(code)


#: Fields that carry one fact of the catalogue between them: an entry imported with either
#: keeps what it had, and the other is not made from the column (a language field prints:
#: "y. Sanskrit. 2001." where the file's langid = {sanskrit} printed "y. 2001.").
_LANGUAGE_FIELDS = frozenset({"langid", "language"})

#: The original's facts an entry that names its original by ``related`` (``relatedtype =
#: translationof``) is not given: the related entry holds them, and biblatex prints it. Its
#: origlanguage is, so that the standard styles print "Trans. from the French by ...".
_RELATED_HOLDS = frozenset({"origtitle", "origdate", "origlocation", "origpublisher"})


def _original_from_related(view: EditionView) -> bool:
    """Whether the entry names its original with ``related`` (``relatedtype =
    translationof``), from which the import made the catalogue's original."""
    return any(
        name.lower() == "relatedtype" and bib_inner(raw).strip().lower() == "translationof"
        for name, raw in view.extra_fields
    )


def biblatex_entry(view: EditionView) -> tuple[str, str, list[tuple[str, str]]]:
    """The biblatex entry type, key and (field, escaped value) pairs for one edition."""
    view = own_facts(view)  # what its crossref parent gives is the parent's
    # Fields kept as imported are .bib text already, and win over generated ones that mean
    # the same (an imported "address" over a generated "location"): those are not generated.
    kept = {canonical(name) for name, _ in view.extra_fields}
    if kept & _LANGUAGE_FIELDS:
        kept |= _LANGUAGE_FIELDS
    if _original_from_related(view):
        kept |= _RELATED_HOLDS
    fields: list[tuple[str, str]] = []

    def add(name: str, value: str | None, write: Callable[[str], str | None] = escape) -> None:
        if value and canonical(name) not in kept:
            written = write(value)
            if written:
                fields.append((name, written))

    entry_type = view.entry_type
    for role, people in (
        ("author", view.authors if entry_type != "periodical" else []),
        ("editor", view.editors),
        ("translator", view.translators),
    ):
        if people and role not in kept:
            fields.append((role, name_list(people, escape, role in view.others)))
    # CSL's rich text as LaTeX (a CSL-JSON import's "<i>Hamlet</i>" as \emph{Hamlet})
    title, journal = (
        rich_or_plain(view, "title", escape),
        rich_or_plain(view, "container-title", escape),
    )
    if entry_type == "periodical" and view.journal:  # an issue: the journal's title, then its own
        add("title", view.journal, journal)
        add("issuetitle", view.title, title)
        add("issuesubtitle", view.subtitle)
    elif entry_type == "periodical":  # the periodical itself (an imported @periodical)
        add("title", view.title, title)
        add("subtitle", view.subtitle)
    else:
        add("title", view.title, title)
        add("subtitle", view.subtitle)
        add("journaltitle", view.journal, journal)
    notes = []
    if view.also_published_as:
        notes.append("Also published as " + "; ".join(view.also_published_as))
    if view.translator_status == "not-named":
        notes.append("Translator not named")
    add("series", view.series, rich_or_plain(view, "collection-title", escape))
    add("volume", view.volume)
    add("number", view.number)
    add("location", view.place, _literal)
    add("publisher", view.publisher, _literal)
    add("date", kept_csl_date(view, "issued", view.date) or view.date, str)  # EDTF as it is
    add("langid", view.language, biblatex_name)
    if view.language and biblatex_name(view.language) is None:
        add("language", view.language, _language_name)  # biblatex has no langid for it
    add("edition", view.edition_statement)
    add("pages", view.pages, lambda pages: page_range(pages, escape))
    add("isbn", view.isbn)
    add("issn", view.issn)
    add("doi", view.doi, verbatim)
    add("url", view.url, verbatim)
    add("note", ". ".join(p for p in (view.note, *notes) if p))
    add("keywords", ", ".join(view.keywords), lambda _: keyword_list(view.keywords, escape))
    add("abstract", view.abstract)
    original = view.original
    if original is not None:
        add("origlanguage", original.language, _language_key)
        add("origtitle", _title(original.title, original.subtitle))
        add("origdate", kept_csl_date(view, "original-date", original.date) or original.date, str)
        add("origlocation", original.place, _literal)
        add("origpublisher", original.publisher, _literal)
    else:  # a CSL-JSON item's original-date with no original-title: no original recorded
        add("origdate", kept_csl_date(view, "original-date", None), str)
    add("annotation", view.annotation)
    fields += [(name, Raw(value)) for name, value in view.extra_fields if value]
    # One order for the fields biblio knows, whether generated or kept as imported, so that
    # an export re-imported and exported again is the same text; the rest follow as they came.
    fields.sort(key=lambda pair: _rank(pair[0]))
    return entry_type, view.key, fields


def render(views: Sequence[EditionView]) -> str:
    """The editions as a UTF-8 biblatex .bib file."""
    return write_bib(biblatex_entry(view) for view in views)


def lost_facts(view: EditionView) -> dict[str, str]:
    """What biblatex cannot carry as such: a journal issue's authors (``@periodical`` has
    none in biblatex's data model); alternate titles and an unnamed translator go to ``note``."""
    view = own_facts(view)  # what its crossref parent gives is the parent's
    lost = {}
    kept = {name for name, _ in view.extra_fields}
    if view.entry_type == "periodical" and view.authors and "author" not in kept:
        lost["author"] = "dropped"  # unless the .bib spelling is kept: written as it came
    if view.also_published_as and "note" not in kept:
        lost["alternate-titles"] = "folded"
    if view.translator_status == "not-named":
        lost["translator-not-named"] = "folded"
    return lost
