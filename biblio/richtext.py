"""CSL-JSON's rich text: the markup CSL processors read in a string (``<i>``, ``<b>``,
``<sc>``, ``<sup>``, ``<sub>``, ``<span class="nocase">``...), read as ``latex.Markup`` so
that the .bib writers can write it as LaTeX, and the text it prints. A tag is markup only where
it is closed, as processors read it; anything else is text."""

from __future__ import annotations

import re

from .latex import Markup, markup_text

#: CSL-JSON rich-text tags (as CSL processors read them): opening pattern -> closing tag
#: (None: the tag's own name closed) and the kind of markup (None: the tag's own name).
_TAGS: list[tuple[re.Pattern[str], str | None, str | None]] = [
    (re.compile(r"<(i|b|u|sc|sup|sub)>"), None, None),
    (re.compile(r'<span\s*class="nocase"\s*>'), "</span>", "nocase"),
    (re.compile(r'<span\s*class="nodecor"\s*>'), "</span>", ""),
    (re.compile(r'<span\s*style="font-variant:\s*small-caps;\s*"\s*>'), "</span>", "sc"),
    (re.compile(r'<span\s*style="baseline"\s*>'), "</span>", ""),
]
#: The kind of markup of each tag named by its own name ("" for underline, which LaTeX's .bib
#: styles do not print).
_NAMED = {"i": "i", "b": "b", "u": "", "sc": "sc", "sup": "sup", "sub": "sub"}


def markup(value: str) -> Markup:
    """Rich text ``value`` as its text and markup."""
    tree, _end = _until(value, 0, None)
    return tree


def plain_text(value: str) -> str:
    """The text a CSL processor prints for rich text ``value``, markup removed."""
    return markup_text(markup(value)) if "<" in value else value


def _until(value: str, start: int, closing: str | None) -> tuple[Markup, int]:
    """The markup from ``start`` up to ``closing`` (None: the end); (markup, index after the
    closing tag), or (markup, -1) if ``closing`` never comes."""
    out: Markup = []
    text: list[str] = []
    i = start
    while i < len(value):
        if closing is not None and value.startswith(closing, i):
            return [*out, "".join(text)], i + len(closing)
        if value[i] == "<":
            tagged = _tagged(value, i)
            if tagged is not None:
                out += ["".join(text), tagged[0]]
                text, i = [], tagged[1]
                continue
        text.append(value[i])
        i += 1
    return [*out, "".join(text)], (-1 if closing is not None else i)


def _tagged(value: str, i: int) -> tuple[tuple[str, Markup], int] | None:
    for pattern, closing, kind in _TAGS:
        match = pattern.match(value, i)
        if match:
            end_tag = closing or f"</{match.group(1)}>"
            inner, end = _until(value, match.end(), end_tag)
            if end >= 0:
                return (kind if kind is not None else _NAMED[match.group(1)], inner), end
    return None
