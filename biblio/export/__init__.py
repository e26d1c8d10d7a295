"""Exporters: pure functions from EditionViews to text, one module per format.

Each format module provides ``render(views) -> str`` (bytes for a binary format: MARC's ISO
2709) and ``lost_facts(view) -> {fact: how}``,
saying which of the view's facts (see ``FACTS``) the format cannot carry as such: ``"folded"``
into a note or another field, or ``"dropped"``. ``export`` returns the text with a count of
those losses by fact, which the command line reports on stderr (and refuses with --strict).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from importlib import import_module
from typing import Any

from ..csl_dates import edtf_of_csl
from ..queries import EditionView, gc_paused
from .tex import RICH_VARIABLES

FORMATS = {
    "biblatex": "biblatex",
    "bibtex": "bibtex",
    "csl-json": "csl_json",
    "ris": "ris",
    "marc": "marc",
    "marcxml": "marc:render_xml",
    "quickstatements": "quickstatements",
}
"""Export format name -> module in biblio.export (and its function, when not ``render``);
``marc-authority`` writes people, not editions (``export_selection``)."""

MARC_FORMATS = ("marc", "marcxml")
"""The formats whose records link to the catalogued editions of the originals (765)."""

FACTS = (
    "author",
    "translator",
    "translator-not-named",
    "editor",
    "subtitle",
    "original-title",
    "original-date",
    "original-place",
    "original-publisher",
    "original-language",
    "alternate-titles",
    "journal-issue",
    "series",
    "annotation",
    "imported-fields",
)
"""The facts of an edition whose fate an exporter reports."""


def present_facts(view: EditionView) -> set[str]:
    """Which of FACTS ``view`` has."""
    original = view.original
    present = {
        "author": bool(view.authors),
        "translator": bool(view.translators),
        "translator-not-named": view.translator_status == "not-named",
        "editor": bool(view.editors),
        "subtitle": bool(view.subtitle),
        "original-title": original is not None,
        "original-date": bool(original and original.date),
        "original-place": bool(original and original.place),
        "original-publisher": bool(original and original.publisher),
        "original-language": bool(original and original.language),
        "alternate-titles": bool(view.also_published_as),
        "journal-issue": bool(view.journal and (view.volume or view.number)),
        "series": bool(view.series),
        "annotation": bool(view.annotation),
        "imported-fields": bool(view.extra_fields),
    }
    return {fact for fact, has in present.items() if has}


@dataclass
class ExportResult:
    """An export's text and what it could not carry: entries per fact folded or dropped."""

    text: str
    entries: int
    data: bytes | None = None  # a binary format's output (then text is its UTF-8 decoding)
    folded: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    entries_with_losses: int = 0

    def loss_summary(self) -> str | None:
        """One line for stderr, or None when nothing was lost: "17 of 21 entries: folded:
        translator (17), ...; dropped: author (1)", entries counted per fact."""
        parts = [f"{self.entries_with_losses} of {self.entries} entries"]
        for label, counts in (("folded", self.folded), ("dropped", self.dropped)):
            if counts:
                listed = ", ".join(f"{fact} ({n})" for fact, n in sorted(counts.items()))
                parts.append(f"{label}: {listed}")
        return "; ".join(parts) if self.entries_with_losses else None

    @property
    def content(self) -> str | bytes:
        """What to write: the bytes of a binary format, else the text."""
        return self.data if self.data is not None else self.text


BIB_FORMATS = ("biblatex", "bibtex")
"""The formats that carry a .bib file's @preamble and @comment blocks."""


def bib_header(blocks: Sequence[tuple[str, str]]) -> str:
    """@preamble and @comment blocks as .bib text, each as it was written, a blank line after
    each: what the entries after them may call (``\\noopsort``)."""
    return "".join(f"@{kind}{{{text}}}\n\n" for kind, text in blocks)


def export(
    views: Sequence[EditionView],
    fmt: str,
    blocks: Sequence[tuple[str, str]] = (),
    linked: Sequence[EditionView] = (),
) -> ExportResult:
    """Render ``views`` in format ``fmt`` (a key of FORMATS) and count what it lost; a .bib
    format starts with the @preamble and @comment ``blocks`` the entries came with; MARC links
    to the editions of originals among ``linked``."""
    module_name, _, function = FORMATS[fmt].partition(":")
    module = import_module(f"{__name__}.{module_name}")
    render = getattr(module, function or "render")
    with gc_paused():
        rendered = render(views, linked) if fmt in MARC_FORMATS else render(views)
        data = rendered if isinstance(rendered, bytes) else None
        text = data.decode("utf-8") if data is not None else rendered
        if fmt == "bibtex":
            blocks = module.header_blocks(text, blocks)
        if blocks and fmt in BIB_FORMATS:
            text = bib_header(blocks) + text
        result = ExportResult(text, len(views), data)
        for view in views:
            lost = {**module.lost_facts(view), **_kept_elsewhere(view, fmt)}
            for fact, how in lost.items():
                (result.folded if how == "folded" else result.dropped)[fact] += 1
            result.entries_with_losses += bool(lost)
    return result


KEPT_BY = {"csl": ("csl-json",), "ris": ("ris",), "marc": MARC_FORMATS}
"""The formats whose import keeps values as written (``EditionView.kept``: a CSL date range,
a RIS tag with no column, a MARC field), and the exports that write them back."""


def _kept_elsewhere(view: EditionView, fmt: str) -> dict[str, str]:
    """The values another format's import kept as written that ``fmt`` cannot write: each
    such format's, as one fact ("csl-as-written") dropped. (A kept ``[variable]`` alone says
    the source had none: nothing to lose.)"""
    carried = RICH_VARIABLES if fmt in ("biblatex", "bibtex") else set()

    def lost(pair: Sequence[str]) -> bool:
        if len(pair) < 2 or pair[0] in carried:
            return False
        if fmt == "biblatex" and pair[0] in ("issued", "original-date"):
            return edtf_of_csl(json.loads(pair[1])) is None  # a range, circa: EDTF carries it
        return True

    return {
        f"{kept}-as-written": "dropped"
        for kept, own in KEPT_BY.items()
        if fmt not in own and any(lost(pair) for pair in view.kept.get(kept, ()))
    }


def export_text(views: Sequence[EditionView], fmt: str) -> str:
    """Just the text of ``export``."""
    return export(views, fmt).text


def export_selection(
    session: Any,
    filters: Any,
    fmt: str,
    style: str = "chicago-notes-bibliography-annotated",
    target: str = "markdown",
    *,
    references: bool = True,
) -> ExportResult:
    """The editions ``filters`` select (with the entries they refer to, for biber, unless
    ``references`` is false), in ``fmt``: a .bib format starts with the @preamble and
    @comment blocks they came with; the annotated bibliography is rendered in a CSL ``style``
    for ``target`` (markdown, html or text) and loses what CSL-JSON loses; MARC links to the
    catalogued editions of the originals (765), and ``marc-authority`` gives the people
    credited on the editions, one authority record each. The one export the command line and
    the web call."""
    from ..queries import (
        bib_blocks,
        credited_people,
        list_editions,
        other_editions_of_their_works,
        with_references,
    )

    views = list_editions(session, replace(filters, containers=True))
    if references:
        views = with_references(session, views)
    if fmt == "marc-authority":
        from .marc import render_authorities

        people = credited_people(session, views)
        data = render_authorities(people, views)
        return ExportResult(data.decode("utf-8"), len(people), data)
    if fmt in MARC_FORMATS:
        return export(views, fmt, linked=other_editions_of_their_works(session, views))
    if fmt == "annotated":
        from .annotated import annotated

        # What CSL cannot carry is what an annotated bibliography cannot show.
        result = export(views, "csl-json")
        result.text = annotated(views, style, target)
        return result
    return export(views, fmt, bib_blocks(session, views))


def annotated_keys(session: Any, filters: Any) -> list[str]:
    """The keys of the entries ``export_selection(session, filters, "annotated")`` shows, in
    the order it shows them. A page of the annotated bibliography is the export of a slice of
    them: ``Filters(keys=page)`` with ``references=False`` (they are among the keys already),
    under the same headings in the same order."""
    from ..queries import list_editions, with_references
    from .annotated import in_order

    views = list_editions(session, replace(filters, containers=True))
    return [view.key for view in in_order(with_references(session, views))]
