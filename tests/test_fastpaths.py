"""The shortcuts taken for speed give what the general code gives.

``escape`` returns most values untouched and ``fold`` skips Unicode decomposition for ASCII;
both are compared here, on seeded random strings full of the characters that matter, with the
general algorithm written out in full.
"""

from __future__ import annotations

import random
import re
import unicodedata

from biblio.export.tex import escape
from biblio.names import fold

SPECIALS = {
    "=": "{=}", "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "%": r"\%", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}  # fmt: skip


def escape_in_full(value: str) -> str:
    value = re.sub(r"\s+", " ", unicodedata.normalize("NFC", value)).strip()
    text = "".join(SPECIALS.get(ch, ch) for ch in value if ch.isprintable() or ch == " ")
    return re.sub(r"(?<=[-`'<>,!?])(?=[-`'<>,])", "{}", text)


def fold_in_full(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d")
    return " ".join(re.sub(r"[^\w]+", " ", stripped).replace("_", " ").split())


def test_escape_shortcut_agrees_with_the_full_algorithm() -> None:
    alphabet = list("ab AZ=\\{}%$&#_~^-`'<>,!?.\t\n\u00a0é\u0301\u200b\x07Ωß")
    rng = random.Random(1)
    samples = ["".join(rng.choices(alphabet, k=rng.randint(0, 8))) for _ in range(50_000)]
    samples += ["Birth of our Power", "Naissance de notre force", "L'An I", "A--B", " x "]
    wrong = [s for s in samples if escape(s) != escape_in_full(s)]
    assert not wrong, wrong[:5]


def test_fold_shortcut_agrees_with_the_full_algorithm() -> None:
    rng = random.Random(2)
    samples = [
        "".join(chr(rng.randint(0, 127)) for _ in range(rng.randint(1, 10))) for _ in range(50_000)
    ]
    samples += ["Rétif", "RETIF", "Łukasiewicz", "Straße", "Ørsted", "Lukács"]
    wrong = [s for s in samples if fold(s) != fold_in_full(s)]
    assert not wrong, wrong[:5]


def _corpus_values() -> set[str]:
    """Every field value of the real .bib files, inside its enclosure."""
    from pathlib import Path

    import bibtexparser

    values: set[str] = set()
    for path in sorted((Path(__file__).parent / "data" / "real" / "bib").glob("*.bib")):
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for entry in bibtexparser.parse_string(text).entries:
            for field in entry.fields:
                value = field.value.strip()
                values.add(value[1:-1] if value[:1] == "{" and value[-1:] == "}" else value)
    return values


def _random_markup(rng: random.Random) -> str:
    pieces = [
        "Caf", r"{\'e}", r"\'e", r"\'{e}", r"{\"u}", r"\c{c}", r"\c c", r"{\o}", r"\o{}",
        r"\ss{}", r"{\l}", r"\v{r}", r"\~n", r"\'{\i}", r"\"\i", r"{\AA}", "{DNA}", "{II}",
        r"\&", r"\%", r"\$", r"\_", r"\#", "--", "---", "~", "``", "''", "'", "`", " ", "  ",
        "x", "-", "{", "}", r"\emph{y}", "&", "$x$", r"\\", r"\o x", r"\H{o}", r"\k{a}",
        r"\,", "\\ ", r"\emph{", r"\textbf {", r"\emph x", r"\textit{}", "cf.", ".",
        r"{\textKappa}", r"{\'{\textomicron}}", r"\textit{\textomicron}", r"{\ensuremath{\alpha}}",
    ]  # fmt: skip
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))


def test_the_latex_fast_path_reads_what_pylatexenc_reads() -> None:
    """Where the fast path reads a value at all, it gives pylatexenc's text exactly: every
    value of the real .bib corpus, and 50,000 seeded random strings of the markup real
    files hold (the benchmark's 10k file, 435,246 values, was checked the same way once)."""
    from biblio.latex import (
        fast_latex_to_text,
        latex_decoder,  # the general decoder, as the reader uses it
        pylatexenc_text,
    )
    from biblio.names import name_decoder

    rng = random.Random(20261202)
    values = _corpus_values() | {_random_markup(rng) for _ in range(50_000)}
    read = 0
    for value in values:
        fast = fast_latex_to_text(value)
        if fast is None:
            continue
        read += 1
        general = pylatexenc_text(latex_decoder(), value)
        assert " ".join(fast.split()) == " ".join(general.split()), value
        assert fast == pylatexenc_text(name_decoder(), value), value  # the name parser's decoder
    assert read > len(values) // 3  # the fast path is taken, not always declined


def test_every_combining_mark_lies_below_the_folding_tables_limit() -> None:
    import sys

    from biblio.names import COMBINING_LIMIT

    marks = [i for i in range(sys.maxunicode + 1) if unicodedata.combining(chr(i))]
    assert marks and max(marks) < COMBINING_LIMIT


def _unknown_in_full(value: str) -> list[str]:
    """The macros of ``value`` pylatexenc has no text for, found by walking its whole parse."""
    from pylatexenc.latexwalker import LatexMacroNode, LatexWalker

    from biblio.latex import latex_context, parsing_context, unihex_to_text

    context = latex_context()
    walker = LatexWalker(unihex_to_text(value), latex_context=parsing_context())
    found: list[str] = []
    stack = list(walker.get_latex_nodes()[0] or [])
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.isNodeType(LatexMacroNode):
            if context.get_macro_spec(node.macroname) is None:
                found.append(node.macroname)
            stack += list(node.nodeargd.argnlist if node.nodeargd else [])
        else:
            stack += list(getattr(node, "nodelist", None) or [])
    return found


def test_commands_with_no_text_are_found_without_decoding_where_all_have_text() -> None:
    """``unknown_commands`` skips decoding a value whose every command the fast path reads
    (a name list of accents, mostly): it finds what a walk of pylatexenc's whole parse finds,
    on every value of the real .bib corpus and on seeded random markup with unknown commands
    mixed in."""
    from biblio.latex import unknown_commands

    rng = random.Random(20261205)
    extra = [r"\Thanh", r"\ding{1}", r"\noopsort{a}", r"\url{x}", r"\TeX", r"\mark"]
    values = _corpus_values() | {
        _random_markup(rng) + rng.choice(["", "", *extra]) for _ in range(5_000)
    }
    known, unknown = 0, 0
    for value in values:
        found = _unknown_in_full(value)
        assert set(unknown_commands(value)) == set(found), value
        known += "\\" in value and not found
        unknown += bool(found)
    assert known > 1000 and unknown > 1000


def test_the_markup_fast_path_finds_what_pylatexenc_finds() -> None:
    """``latex.markup`` reads a value's italics, bold, superscripts... and protective braces
    from the fast path's tokens where it can: the same markup, and the same text once its
    whitespace is folded, as from pylatexenc's parse, on every value of the real .bib corpus
    and on seeded random markup; and the CSL rich text made from it prints the value's text
    (``rich_text_of_latex`` never falls back to the bare text on these)."""
    from biblio.export.csl_json import _CSL_TAGS, plain_text, rich_text, rich_text_of_latex
    from biblio.latex import _fast_markup, _parsed_markup, decode_latex, expand_shorthand

    def folded(tree: list) -> list:  # type: ignore[type-arg]
        """Pieces of text joined and folded, empty groups left out: what the CSL writer keeps."""
        out: list = []  # type: ignore[type-arg]
        for piece in tree:
            if isinstance(piece, str):
                if out and isinstance(out[-1], str):
                    out[-1] += piece
                else:
                    out.append(piece)
            elif (inner := folded(piece[1])) and any(
                isinstance(p, tuple) or p.strip() for p in inner
            ):
                out.append((piece[0], inner))
        return [" ".join(p.split()) if isinstance(p, str) else p for p in out]

    rng = random.Random(20261206)
    extra = [r"\textsuperscript{st}", r"{\em x}", r"\mkbibemph{y}", r"\textsc{Unesco}", "{iPhone}"]
    values = _corpus_values() | {
        _random_markup(rng) + rng.choice(extra) + _random_markup(rng) for _ in range(8_000)
    }
    fast_read = marked = 0
    for value in values:
        value = expand_shorthand(value)
        fast = _fast_markup(value)
        if fast is not None:
            fast_read += 1
            try:
                parsed = _parsed_markup(value)
            except Exception:  # a value pylatexenc cannot parse (unbalanced): compared nowhere
                continue
            assert [p for p in folded(fast) if p] == [p for p in folded(parsed) if p], value
        rich = rich_text_of_latex(value)
        assert plain_text(rich) == decode_latex(value), value
        if rich != rich_text(decode_latex(value)):
            marked += 1
    assert fast_read > len(values) // 5 and marked > len(values) // 10, (fast_read, marked)
    assert set(_CSL_TAGS) >= {"i", "b", "sc", "sup", "sub", "nocase", ""}
