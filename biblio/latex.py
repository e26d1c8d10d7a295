"""LaTeX shared by the .bib reader, the name parser and the writers (no other dependency)."""

from __future__ import annotations

import re

#: What ``ascii_latex`` writes for a character LaTeX has no command for (pylatexenc's
#: "unihex" policy): read back as that character, so an ASCII export reads back to itself.
_UNIHEX = re.compile(
    r"\\ensuremath\{\\langle\}\\texttt\{U\+([0-9A-Fa-f]{4,6})\}\\ensuremath\{\\rangle\}"
)


def unihex_to_text(latex: str) -> str:
    """``latex`` with ``ascii_latex``'s stand-ins for characters without a LaTeX command
    (``\\ensuremath{\\langle}\\texttt{U+963F}\\ensuremath{\\rangle}``) turned back into them."""
    if "texttt{U+" not in latex:
        return latex
    return _UNIHEX.sub(lambda m: chr(int(m.group(1), 16)), latex)
