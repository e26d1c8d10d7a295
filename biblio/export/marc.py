"""MARC 21 as an export format: the writer lives with the reader in ``biblio.marc``."""

from ..marc.writer import lost_facts, render, render_authorities, render_xml

__all__ = ["lost_facts", "render", "render_authorities", "render_xml"]
