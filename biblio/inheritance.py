"""What a .bib entry inherits from its ``crossref`` and ``xdata`` parents, as biber resolves
it, for the catalogue's columns: the .bib reader resolves the entries of one import, the
catalogue the children whose parent it holds (``catalogue.refresh_inherited``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from .export.tex import bib_inner
from .records import EditionRecord

INHERITED = (
    "date", "place", "publisher", "language", "series", "volume", "number",
    "edition_statement", "journal", "authors", "editors", "translators",
)  # fmt: skip
"""The catalogue's facts a ``crossref`` or ``xdata`` child takes from its parent where it has
none, as biber does (besides the title, below). Identifiers, pages, notes, annotations and
keywords are the parent's own in the catalogue: a chapter's DOI or annotation is not its
book's."""

_TITLE_GOES: dict[tuple[str, str], str] = {
    (parent, child): target
    for parents, children, target in (
        (("mvbook",), ("book", "inbook", "bookinbook", "suppbook"), "maintitle"),
        (("mvcollection", "mvreference"),
         ("collection", "reference", "incollection", "inreference", "suppcollection"),
         "maintitle"),
        (("mvproceedings",), ("proceedings", "inproceedings"), "maintitle"),
        (("book",), ("inbook", "bookinbook", "suppbook"), "booktitle"),
        (("collection", "reference"), ("incollection", "inreference", "suppcollection"),
         "booktitle"),
        (("proceedings",), ("inproceedings",), "booktitle"),
        (("periodical",), ("article", "suppperiodical"), "journaltitle"),
    )
    for parent in parents
    for child in children
}  # fmt: skip
"""biber's default inheritance of a parent's title, by (parent type, child type): the
parent's title becomes the child's ``booktitle``, ``maintitle`` or ``journaltitle``, not its
title (biblatex manual, appendix B). Other pairs inherit the title as the title."""


def parents_of(record: EditionRecord) -> list[str]:
    """The keys an entry inherits from, first first: its ``xdata`` entries (whose fields are
    as its own to biber), then its ``crossref``; from its kept .bib fields."""
    found: list[str] = []
    for name in ("xdata", "crossref"):
        for field_name, raw in record.extra_fields:
            if field_name.lower() == name:
                inner = bib_inner(raw)
                items = inner.split(",") if name == "xdata" else [inner]
                found += [key.strip() for key in items if key.strip()]
    return found


def inherit_from_parents(records: Iterable[EditionRecord]) -> None:
    """Give each record with a ``crossref`` or ``xdata`` parent among ``records`` (an import)
    the facts it lacks from that parent (``INHERITED``, and the title where biber inherits it
    as the title), resolving the parent's own parents first; each is named in
    ``record.inherited``. A parent not among them, or a loop of parents, gives nothing."""
    by_key = {r.key: r for r in records if r.key}
    done: set[str] = set()

    def resolve(record: EditionRecord, path: tuple[str, ...]) -> None:
        key = record.key or ""
        if key in done:
            return
        done.add(key)
        for parent_key in parents_of(record):
            parent = by_key.get(parent_key)
            if parent is None or parent_key in path:
                continue
            resolve(parent, (*path, parent_key))
            take(record, parent)

    for record in list(by_key.values()):
        resolve(record, (record.key or "",))


def take(child: EditionRecord, parent: EditionRecord) -> None:
    """Give ``child`` the facts it lacks that biber would take from ``parent``."""
    names_ = list(INHERITED)
    target = _TITLE_GOES.get((parent.entry_type, child.entry_type))
    if target == "journaltitle" and not child.journal and parent.title:
        child.journal = parent.title
        child.inherited.append("journal")
    elif target is None:
        names_ += ["title", "subtitle"]
    if child.translator_status == "not-named":  # it says so itself
        names_.remove("translators")
    for name in names_:
        if getattr(child, name) or not getattr(parent, name):
            continue
        value = getattr(parent, name)
        setattr(child, name, list(value) if isinstance(value, list) else value)
        if name not in child.inherited:
            child.inherited.append(name)
        if name == "translators" and child.translator_status in (None, "unknown"):
            child.translator_status = "named"


_EMPTY: dict[str, Any] = {"authors": [], "editors": [], "translators": [], "title": ""}


def cleared(facts: Iterable[str]) -> dict[str, Any]:
    """The values that take inherited ``facts`` away again: no people, an empty title, else
    None."""
    return {
        fact: list(empty) if isinstance(empty := _EMPTY.get(fact), list) else empty
        for fact in facts
    }


def own_facts(view: Any) -> Any:
    """An ``EditionView`` without the facts it took from its ``crossref`` or ``xdata`` parent
    (``view.inherited``), for the .bib exports, which leave them to the parent as biber and
    BibTeX resolve them; ``view`` itself where it took none."""
    if not view.inherited:
        return view
    values = cleared(view.inherited)
    if "date" in values:
        values["year"] = None  # a view's year is its date's
    return dataclasses.replace(view, **values)
