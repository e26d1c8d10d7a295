"""biblatex export (UTF-8): translations as biblatex models them.

``translator`` with ``origlanguage`` (biblatex's language name) makes the standard styles print
"Trans. from the French by ..."; ``origtitle``, ``origdate``, ``origlocation`` and
``origpublisher`` keep the original's facts; a journal's special issue is a ``@periodical``
whose ``title`` is the journal and ``issuetitle`` the issue's own title.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..languages import biblatex_name
from ..queries import EditionView
from .tex import Raw, canonical, escape, name_list, write_bib


def _title(title: str, subtitle: str | None) -> str:
    return f"{title}. {subtitle}" if subtitle else title


FIELD_ORDER = {
    name: i
    for i, name in enumerate(
        [
            "author", "editor", "translator", "title", "subtitle", "journaltitle",
            "issuetitle", "issuesubtitle", "series", "volume", "number", "location",
            "publisher", "date", "month", "langid", "note", "origlanguage", "origtitle",
            "origdate", "origlocation", "origpublisher", "annotation",
        ]
    )
}  # fmt: skip


def _literal(value: str | None) -> str | None:
    """One item of a biblatex literal list (location, publisher, origlocation...): braced, so
    "Readers and Writers" stays one publisher."""
    return f"{{{escape(value)}}}" if value else None


def biblatex_entry(view: EditionView) -> tuple[str, str, list[tuple[str, str]]]:
    """The biblatex entry type, key and (field, escaped value) pairs for one edition."""
    fields: list[tuple[str, str | None]] = []
    entry_type = view.entry_type
    for role, field, people in (
        ("author", "author", view.authors if entry_type != "periodical" else []),
        ("editor", "editor", view.editors),
        ("translator", "translator", view.translators),
    ):
        if people:
            fields.append((field, name_list(people, escape, role in view.others)))
    if entry_type == "periodical":
        fields += [
            ("title", escape(view.journal or view.title)),
            ("issuetitle", escape(view.title)),
            ("issuesubtitle", escape(view.subtitle) if view.subtitle else None),
        ]
    else:
        fields += [
            ("title", escape(view.title)),
            ("subtitle", escape(view.subtitle) if view.subtitle else None),
            ("journaltitle", escape(view.journal) if view.journal else None),
        ]
    notes = []
    if view.also_published_as:
        notes.append("Also published as " + "; ".join(view.also_published_as))
    if view.translator_status == "not-named":
        notes.append("Translator not named")
    fields += [
        ("series", escape(view.series) if view.series else None),
        ("volume", escape(view.volume) if view.volume else None),
        ("number", escape(view.number) if view.number else None),
        ("location", _literal(view.place)),
        ("publisher", _literal(view.publisher)),
        ("date", escape(view.date) if view.date else None),
        ("langid", biblatex_name(view.language) if view.language else None),
        ("note", escape(". ".join(notes)) if notes else None),
    ]
    original = view.original
    if original is not None:
        fields += [
            ("origlanguage", biblatex_name(original.language) if original.language else None),
            ("origtitle", escape(_title(original.title, original.subtitle))),
            ("origdate", escape(original.date) if original.date else None),
            ("origlocation", _literal(original.place)),
            ("origpublisher", _literal(original.publisher)),
        ]
    if view.annotation:
        fields.append(("annotation", escape(view.annotation)))
    # Fields kept as imported are .bib text already, and win over generated ones that mean
    # the same (an imported "address" over a generated "location").
    kept = {canonical(name) for name, _ in view.extra_fields}
    fields = [(n, v) for n, v in fields if canonical(n) not in kept]
    fields += [(name, Raw(value)) for name, value in view.extra_fields]
    # One order for the fields biblio knows, whether generated or kept as imported, so that
    # an export re-imported and exported again is the same text; the rest follow as they came.
    fields.sort(key=lambda pair: FIELD_ORDER.get(canonical(pair[0].lower()), len(FIELD_ORDER)))
    return entry_type, view.key, [(name, value) for name, value in fields if value]


def render(views: Sequence[EditionView]) -> str:
    """The editions as a UTF-8 biblatex .bib file."""
    return write_bib(biblatex_entry(view) for view in views)


def lost_facts(view: EditionView) -> dict[str, str]:
    """What biblatex cannot carry as such: a journal issue's authors (``@periodical`` has
    none in biblatex's data model); alternate titles and an unnamed translator go to ``note``."""
    lost = {}
    if view.entry_type == "periodical" and view.authors:
        lost["author"] = "dropped"
    if view.also_published_as and not any(n == "note" for n, _ in view.extra_fields):
        lost["alternate-titles"] = "folded"
    if view.translator_status == "not-named":
        lost["translator-not-named"] = "folded"
    return lost
