"""Exporters: pure functions from EditionViews to text, one module per format."""

from __future__ import annotations

from collections.abc import Sequence

from ..queries import EditionView


def export_text(views: Sequence[EditionView], fmt: str) -> str:
    """Render ``views`` in export format ``fmt`` ("biblatex" or "bibtex")."""
    if fmt == "biblatex":
        from .biblatex import to_biblatex

        return to_biblatex(views)
    if fmt == "bibtex":
        from .bibtex import to_bibtex

        return to_bibtex(views)
    raise ValueError(f"unknown export format {fmt!r}")
