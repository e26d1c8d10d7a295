"""LaTeX shared by the .bib reader, the name parser and the writers (no other dependency)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from typing import Any, NamedTuple

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


#: Accent commands and the combining mark each puts on its letter.
_ACCENTS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
    "r": "\u030a", "d": "\u0323",
}  # fmt: skip
#: Letter commands and the letter each stands for.
_LETTERS = {
    "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "ss": "ß", "ae": "æ", "AE": "Æ", "oe": "œ",
    "OE": "Œ", "aa": "å", "AA": "Å", "i": "ı", "j": "ȷ",
}  # fmt: skip
#: Font commands the fast path reads as their argument's text.
_FONT_COMMANDS = ("emph", "textit", "textbf", "textsc", "textsl", "textrm", "textnormal")
_TOKEN = re.compile(
    r"""
      \\(?P<sym>['`^"~=.])\s*(?:\{\s*(?P<sarg>\\[ij]|[A-Za-z])\s*\}|(?P<sdotless>\\[ij])(?![A-Za-z])\s*|(?P<sbare>[A-Za-z]))
    | \\(?P<word>[cvuHkrd])(?:\s*\{\s*(?P<warg>\\[ij]|[A-Za-z])\s*\}|\s+(?P<wbare>[A-Za-z]))
    | \\(?P<letter>ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])(?:\{\}|\s*)
    | \\(?P<escaped>[&%$_\#{}])
    | \\(?P<space>[,\ ])
    | \\(?P<font>FONTS)\s*(?=\{)
    | (?P<dashes>---?)
    | (?P<quotes>``|'')
    | (?P<tilde>~)
    | (?P<brace>[{}])
    | (?P<text>[^\\{}~`'\-&%$\#_^]+|[`'-])
    """.replace("FONTS", "|".join(_FONT_COMMANDS)),
    re.X,
)


def fast_latex_to_text(latex: str) -> str | None:
    """The text of ``latex`` when it holds only what real .bib values mostly hold (accents
    in any of the three spellings, letters such as ``\\o`` and ``\\ss``, escaped ``\\&``, dashes,
    ties, quotes, thin and control spaces, font commands such as ``\\emph{...}`` and
    protective braces), exactly as pylatexenc's ``latex_to_text`` gives it;
    None for anything else, which pylatexenc must read. Tested against pylatexenc on every
    value of the real-file corpus and the benchmark's."""
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(latex):
        if match.start() != position:
            return None
        position = match.end()
        out.append(_token_text(match))
    if position != len(latex):
        return None
    return "".join(out)


def _token_text(match: re.Match[str]) -> str:
    """The text of one of ``_TOKEN``'s tokens ("" for a brace or a font command)."""
    import unicodedata

    kind = match.lastgroup
    if match.group("sym") is not None or match.group("word") is not None:
        accent = match.group("sym") or match.group("word")
        base = next(g for g in match.group("sarg", "sdotless", "sbare", "warg", "wbare") if g)
        base = _LETTERS[base[1]] if base.startswith("\\") else base
        if base in "ıȷ":
            base = "i" if base == "ı" else "j"  # an accent replaces the dot
        return unicodedata.normalize("NFC", base + _ACCENTS[accent])
    if kind == "letter":
        return _LETTERS[match.group("letter")]
    if kind == "escaped":
        return match.group("escaped")
    if kind == "space":
        return " "
    if kind == "dashes":
        return "—" if len(match.group("dashes")) == 3 else "–"
    if kind == "quotes":
        return "“" if match.group("quotes") == "``" else "”"
    if kind == "tilde":
        return "\xa0"
    if kind == "text":
        return match.group("text")
    return ""


#: Text with its markup: a piece of text, or (the kind of markup, what it holds). The kinds
#: are those of ``MARKUP_COMMANDS``, "nocase" for a group that protects its letters' case,
#: and "" for a group that is no markup.
Markup = list["str | tuple[str, Markup]"]

#: LaTeX's and biblatex's font commands by the kind of markup each prints: italics, bold,
#: small capitals, superscript, subscript ("" for the ones that print upright text).
MARKUP_COMMANDS = {
    "emph": "i", "textit": "i", "textsl": "i", "mkbibemph": "i", "mkbibitalic": "i",
    "textbf": "b", "mkbibbold": "b", "textsc": "sc", "textsuperscript": "sup",
    "mkbibsuperscript": "sup", "textsubscript": "sub", "mkbibsubscript": "sub",
    "textrm": "", "textnormal": "",
}  # fmt: skip
#: Font switches, which mark the rest of their group ("{\\em Hamlet}").
MARKUP_SWITCHES = {
    "em": "i", "it": "i", "itshape": "i", "sl": "i", "slshape": "i", "bf": "b",
    "bfseries": "b", "sc": "sc", "scshape": "sc",
}  # fmt: skip


def markup(latex: str) -> Markup:
    """``latex`` as its text and markup: font commands and switches by the kind of markup they
    print, and each group at the value's top level that starts with no command as "nocase":
    BibTeX and biber change no letter's case inside it (``{DNA}``; a group that starts with a
    command, ``{\\'E}``, is an accented letter, whose case they change). The text is what
    ``decode_latex`` reads, its whitespace not yet folded. The fast path's tokens where the
    value holds only those, pylatexenc's parse else."""
    latex = expand_shorthand(latex)
    fast = _fast_markup(latex)
    return fast if fast is not None else _parsed_markup(latex)


def markup_text(tree: Markup) -> str:
    """The text of ``tree``, its markup left out."""
    return "".join(piece if isinstance(piece, str) else markup_text(piece[1]) for piece in tree)


def _fast_markup(latex: str) -> Markup | None:
    root: Markup = []
    stack = [root]
    font: str | None = None  # the kind of the font command the next group is the argument of
    position = 0
    for match in _TOKEN.finditer(latex):
        if match.start() != position:
            return None
        position = match.end()
        brace = match.group("brace")
        if match.lastgroup == "font":
            font = MARKUP_COMMANDS[match.group("font")]
        elif brace == "{":
            if font is not None:
                kind = font
            elif len(stack) == 1 and latex[position : position + 1] != "\\":
                kind = "nocase"  # a group that starts with a command is an accented letter
            else:
                kind = ""
            font = None
            group: Markup = []
            stack[-1].append((kind, group))
            stack.append(group)
        elif brace == "}":
            if len(stack) == 1:
                return None
            stack.pop()
        elif text := _token_text(match):
            stack[-1].append(text)
    if position != len(latex) or len(stack) != 1:
        return None
    return root


class _Argument(NamedTuple):
    """A group that is the argument of a font command pylatexenc's parser gives none."""

    kind: str
    group: Any


def _parsed_markup(latex: str) -> Markup:
    from pylatexenc.latexwalker import LatexCharsNode, LatexGroupNode, LatexMacroNode

    decoder = latex_decoder()

    def walk(nodes, top: bool) -> Markup:  # type: ignore[no-untyped-def]
        out: Markup = []
        nodes = [node for node in nodes or () if node is not None]
        for i, node in enumerate(nodes):
            if isinstance(node, _Argument):
                out.append((node.kind, walk(node.group.nodelist, False)))
                continue
            arguments = _arguments(node) if node.isNodeType(LatexMacroNode) else []
            if (
                not arguments
                and node.isNodeType(LatexMacroNode)
                and node.macroname in MARKUP_COMMANDS
                and i + 1 < len(nodes)
                and nodes[i + 1].isNodeType(LatexGroupNode)
            ):  # a command whose argument the parser does not know: the group after it
                nodes[i + 1] = _Argument(MARKUP_COMMANDS[node.macroname], nodes[i + 1])
                continue
            if arguments and node.macroname in MARKUP_COMMANDS:
                argument = arguments[-1]
                inner = argument.nodelist if argument.isNodeType(LatexGroupNode) else [argument]
                out.append((MARKUP_COMMANDS[node.macroname], walk(inner, False)))
            elif node.isNodeType(LatexGroupNode):
                inner = [
                    n for n in node.nodelist
                    if not (n.isNodeType(LatexCharsNode) and not n.chars.strip())
                ]  # fmt: skip
                first = inner[0] if inner else None
                if first is not None and first.isNodeType(LatexMacroNode):
                    switch = MARKUP_SWITCHES.get(first.macroname)
                    if switch is not None:
                        rest = node.nodelist[node.nodelist.index(first) + 1 :]
                        out.append((switch, walk(rest, False)))
                    else:
                        out.append(("", walk(node.nodelist, False)))
                else:
                    out.append(("nocase" if top else "", walk(node.nodelist, False)))
            elif text := str(decoder.nodelist_to_text([node])):
                out.append(text)
        return out

    from pylatexenc.latexwalker import LatexWalker

    nodes = LatexWalker(unihex_to_text(latex), latex_context=parsing_context()).get_latex_nodes()[0]
    return walk(nodes, True)


def split_top_level(text: str, separator: str) -> list[str]:
    """``text`` split at each ``separator`` outside braces and outside a double-quoted
    string, the parts as they are: a .bib value's ``#`` concatenation, the comma-separated
    parts of an extended name ("family={Robert and Sons, Inc.}, given=...")."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == separator and depth == 0 and not quoted:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def decode_latex(text: str) -> str:
    """LaTeX to Unicode text (pylatexenc), only where there is markup; whitespace folded."""
    if "\\" in text or "{" in text or "~" in text or "--" in text or "``" in text or "''" in text:
        return _decode_markup(text)  # each distinct value decoded once
    return " ".join(text.split())


def decode_paragraphs(text: str) -> str:
    """``decode_latex`` paragraph by paragraph: where a blank line or ``\\par`` (outside any
    group) parts an abstract's or an annotation's paragraphs, the text keeps one blank line."""
    if "\n" not in text and "\\par" not in text:
        return decode_latex(text)
    paragraphs, depth, start = [], 0, 0
    for match in _BRACE_OR_BREAK.finditer(text):
        mark = match.group()
        if mark in ("\\{", "\\}"):
            continue  # an escaped brace: text
        if mark == "{":
            depth += 1
        elif mark == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            paragraphs.append(text[start : match.start()])
            start = match.end()
    paragraphs.append(text[start:])
    return "\n\n".join(p for p in (decode_latex(p) for p in paragraphs) if p)


_BRACE_OR_BREAK = re.compile(r"\\[{}]|[{}]|\n[ \t]*\n\s*|\\par(?![A-Za-z])\s*")


def _decode_markup(text: str) -> str:
    return _decoded(text)[0]


def unknown_commands(text: str) -> tuple[str, ...]:
    """The LaTeX commands in ``text`` that the decoder does not know and so leaves out of
    the text it gives (a ``\\mark`` the file's @preamble defines, ``\\ding``): none for the
    values the fast path reads, nor where every command is an accent, a letter or another
    that the fast path reads (known to pylatexenc too): a name list is then not decoded
    whole besides its names."""
    if "\\" not in text or _WITH_TEXT.issuperset(_COMMAND.findall(text)):
        return ()
    return _decoded(text)[1]


_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.S)
#: The commands the fast path reads (``_TOKEN``): each has text.
_WITH_TEXT = frozenset({*_ACCENTS, *_LETTERS, *"&%$_#{}, ", *_FONT_COMMANDS})


_GERMAN_SHORTHAND = re.compile(r'\{"([aouAOUs])\}')
r"""babel-german's (and german.sty's) ``"a`` for ä and ``"s`` for ß, braced as a .bib value
writes them (TeX Live's texbook1.bib: ``zeitgem{"a}{\ss}``); a quote outside braces is text."""


def _umlaut(match: re.Match[str]) -> str:
    letter = match.group(1)
    return "{\\ss}" if letter == "s" else '{\\"' + letter + "}"


def expand_shorthand(latex: str) -> str:
    """``latex`` with babel-german's braced shorthand (``_GERMAN_SHORTHAND``) written as the
    commands it stands for, before any decoding of a value or a name."""
    return _GERMAN_SHORTHAND.sub(_umlaut, latex) if '{"' in latex else latex


@lru_cache(maxsize=65536)
def _decoded(text: str) -> tuple[str, tuple[str, ...]]:
    """The text of ``text`` (whitespace folded) and the commands its decoding left out."""
    text = expand_shorthand(text)
    fast = fast_latex_to_text(text)  # most values: no pylatexenc parse (a tenth of the time)
    if fast is not None:
        return " ".join(fast.split()), ()
    from pylatexenc.latexwalker import LatexWalker

    nodes = LatexWalker(unihex_to_text(text), latex_context=parsing_context()).get_latex_nodes()[0]
    decoded = str(latex_decoder().nodelist_to_text(nodes))
    return " ".join(decoded.split()), tuple(dict.fromkeys(_unknown(nodes, latex_context())))


def _unknown(nodes, context) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The names of the macros among ``nodes`` (and in their arguments and groups) that
    ``context`` has no text for."""
    from pylatexenc.latexwalker import LatexEnvironmentNode, LatexGroupNode, LatexMacroNode

    for node in nodes or ():
        if node is None:
            continue
        if node.isNodeType(LatexMacroNode):
            if context.get_macro_spec(node.macroname) is None:
                yield node.macroname
            if node.nodeargd:
                yield from _unknown(node.nodeargd.argnlist, context)
        elif node.isNodeType(LatexGroupNode) or node.isNodeType(LatexEnvironmentNode):
            yield from _unknown(node.nodelist, context)


def pylatexenc_text(decoder, latex: str) -> str:  # type: ignore[no-untyped-def]
    """``latex`` read by pylatexenc's ``decoder``, its macros' arguments parsed by
    ``parsing_context``."""
    return str(decoder.latex_to_text(latex, latex_context=parsing_context()))


@cache
def parsing_context():  # type: ignore[no-untyped-def]
    """pylatexenc's parsing context, with the arguments of the macros its decoder formats
    but its parser does not know: ``\\textfrac{1}{3}`` (read "1/3"; without them, "%s/%s13"),
    ``\\href{url}{text}``, the quoting commands."""
    from pylatexenc.latexwalker import get_default_latex_context_db
    from pylatexenc.macrospec import MacroSpec

    context = get_default_latex_context_db()
    macros = [
        MacroSpec("textfrac", "{{"),
        MacroSpec("symbol", "{"),
        MacroSpec("href", "{{"),  # pylatexenc's text for it wants both (an IndexError else)
        *(MacroSpec(name, "*{") for name in QUOTING_COMMANDS),
        *(MacroSpec(name, "*[[{") for name in CITING_COMMANDS),
    ]
    context.add_context_category("biblio", macros=macros, prepend=True)
    return context


#: Text commands that print one character, read as that character: the ones the writers'
#: ``escape`` writes for TeX's special characters, of which pylatexenc's decoder drops
#: ``\textbraceleft`` and ``\textbraceright`` and reads ``\textasciicircum`` as U+02C6 (a later
#: entry of its table overriding ``^``); and ``\textperiodcentered``, which its encoder writes
#: for the middle dot and its decoder reads as U+02D9 (the same override).
TEXT_COMMANDS = {
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textperiodcentered": "\N{MIDDLE DOT}",
}


_GREEK_NAMES = (
    "Alpha Beta Gamma Delta Epsilon Zeta Eta Theta Iota Kappa Lambda Mu Nu Xi Omicron Pi Rho "
    "Sigma Tau Upsilon Phi Chi Psi Omega"
).split()
_GREEK_CAPITALS = [chr(c) for c in range(0x391, 0x3AA) if c != 0x3A2]  # U+03A2 is unassigned
#: The Greek alphabet by the text commands of greek-fontenc's textalpha package (the LGR
#: encoding's names): ``\textKappa`` is Κ, ``\textomicron`` ο, ``\textvarsigma`` ς. Read as
#: those letters (pylatexenc drops them), so that the ASCII writer's ``\textKappa`` for the
#: capitals that LaTeX otherwise has no command for reads back. ``\textmu`` is left to
#: pylatexenc: textcomp's micro sign, as most documents mean it.
GREEK_TEXT_COMMANDS = {
    **{f"text{name}": letter for name, letter in zip(_GREEK_NAMES, _GREEK_CAPITALS, strict=True)},
    **{
        f"text{name.lower()}": letter.lower()
        for name, letter in zip(_GREEK_NAMES, _GREEK_CAPITALS, strict=True)
        if name != "Mu"
    },
    "textvarsigma": "\N{GREEK SMALL LETTER FINAL SIGMA}",
    "textfinalsigma": "\N{GREEK SMALL LETTER FINAL SIGMA}",
}


#: Commands real titles and notes hold that pylatexenc leaves out, read as their text: the TeX
#: logos of LaTeX and texnames.sty, which TeX Live's own bibliographies use ("The \TeX{}book"
#: would read "The book"), breaks, the italic correction ``\/``, biblatex's ``\slash`` and
#: ``\hyphen``, and the font commands and switches of LaTeX and biblatex (``\texttt``,
#: ``\mkbibemph``, ``\sc``), which print their argument, read as the group it is
#: ("19\textsuperscript{th}").
TEXT_OF_COMMANDS: dict[str, str | None] = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2\N{GREEK SMALL LETTER EPSILON}",
    "BibTeX": "BibTeX", "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX",
    "LuaLaTeX": "LuaLaTeX", "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX", "ConTeXt": "ConTeXt",
    "eTeX": "\N{GREEK SMALL LETTER EPSILON}-TeX", "AllTeX": "(La)TeX", "SliTeX": "SLiTeX",
    "SLiTeX": "SLiTeX", "AmSTeX": "AMS-TeX", "AMSTeX": "AMS-TeX", "AMS": "AMS",
    "MF": "METAFONT", "METAFONT": "METAFONT", "MP": "MetaPost", "PiCTeX": "PiCTeX",
    "TUB": "TUGboat",
    "par": " ", "newline": " ", "linebreak": " ", "slash": "/", "hyphen": "-",
    "thinspace": " ", "/": "",
    **dict.fromkeys(
        "texttt textup textmd textsf textnormal textsuperscript textsubscript mbox relax "
        "mkbibemph mkbibitalic mkbibbold mkbibacro mkbibsuperscript mkbibsubscript "
        "sc it bf tt sl sf rm em itshape bfseries upshape scshape slshape ttfamily sffamily "
        "rmfamily mdseries normalfont".split(),
        None,  # their arguments' text (``_arguments_text``)
    ),
}  # fmt: skip
#: Quoting commands (csquotes' ``\enquote``, biblatex's ``\mkbibquote``): their argument in
#: quotation marks.
QUOTING_COMMANDS = ("enquote", "mkbibquote")
#: Citing commands (LaTeX's, natbib's, biblatex's): the keys cited, in brackets, with the
#: page or note after them ("[knuth84, p. 3]"); pylatexenc's decoder read "<cit.>", or the
#: key alone, and the catalogue's text lost which work a note cites.
CITING_COMMANDS = (
    "cite", "citep", "citet", "citealp", "citealt", "citeauthor", "citeyear", "parencite",
    "textcite", "autocite", "footcite", "fullcite", "smartcite", "supercite", "cites",
)  # fmt: skip


def _arguments(node) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The arguments pylatexenc's parser gave a command node (none where it knows none)."""
    return [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]


def _arguments_text(node, l2tobj) -> str:  # type: ignore[no-untyped-def]
    """The text of a command's arguments, where the parser gave it any (``\\texttt{x}``);
    else nothing, and the group after it is read as text."""
    arguments = _arguments(node)
    return "".join(l2tobj.nodelist_to_text([argument]) for argument in arguments)


def _quoted(node, l2tobj) -> str:  # type: ignore[no-untyped-def]
    arguments = _arguments(node)
    text = l2tobj.nodelist_to_text([arguments[-1]]) if arguments else ""
    return f"\N{LEFT DOUBLE QUOTATION MARK}{text}\N{RIGHT DOUBLE QUOTATION MARK}"


def _citation(node, l2tobj) -> str:  # type: ignore[no-untyped-def]
    r"""``\cite[p.~3]{knuth84}`` as "[knuth84, p. 3]"; with two optional arguments, the
    first is a prenote ("[see knuth84, p. 3]")."""
    arguments = _arguments(node)
    if not arguments:
        return ""
    texts = [" ".join(l2tobj.nodelist_to_text([a]).split()) for a in arguments]
    if texts[0] == "*" and len(texts) > 1:  # \cite*{...}: the star is no note
        texts = texts[1:]
    keys = ", ".join(k.strip() for k in texts[-1].split(",") if k.strip())
    notes = [t for t in texts[:-1] if t]
    if len(texts) == 3 and texts[0]:  # [prenote][postnote]{keys}
        keys = f"{texts[0]} {keys}"
        notes = [texts[1]] if texts[1] else []
    return f"[{', '.join([keys, *notes])}]"


def _math_text(node, l2tobj) -> str:  # type: ignore[no-untyped-def]
    """``\\ensuremath{-}`` as the minus sign TeX sets for ``-`` in math (pylatexenc's encoder
    writes U+2212 so; its decoder reads a hyphen); any other argument as its text."""
    arguments = _arguments(node)
    if len(arguments) == 1 and arguments[0].latex_verbatim() == "{-}":
        return "\N{MINUS SIGN}"
    return "".join(l2tobj.nodelist_to_text([argument]) for argument in arguments)


def _symbol(node, l2tobj) -> str:  # type: ignore[no-untyped-def]
    """``\\symbol{44}`` as the character of that code, which it prints in an ASCII-compatible
    font encoding (the .bib writers write a comma inside a name part so, for biber); an
    argument that is no code below 128 as its text."""
    text = _arguments_text(node, l2tobj).strip()
    if text.isdigit() and int(text) < 128:
        return chr(int(text))
    return text


@cache
def latex_context():  # type: ignore[no-untyped-def]
    """pylatexenc's LaTeX context, reading back what the ASCII writer writes: the text
    commands of ``TEXT_COMMANDS`` and ``GREEK_TEXT_COMMANDS`` and ``\\ensuremath{-}``, the
    minus sign."""
    from pylatexenc.latex2text import MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    commands = {**TEXT_COMMANDS, **GREEK_TEXT_COMMANDS, **TEXT_OF_COMMANDS}
    macros = [
        MacroTextSpec(name, text if text is not None else _arguments_text)
        for name, text in commands.items()
    ]
    macros.append(MacroTextSpec("ensuremath", _math_text))
    macros.append(MacroTextSpec("symbol", _symbol))
    macros += [MacroTextSpec(name, _quoted) for name in QUOTING_COMMANDS]
    macros += [MacroTextSpec(name, _citation) for name in CITING_COMMANDS]
    context.add_context_category("biblio", macros=macros, prepend=True)
    return context


@cache
def latex_decoder():  # type: ignore[no-untyped-def]
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(
        math_mode="verbatim", strict_latex_spaces=True, latex_context=latex_context()
    )
