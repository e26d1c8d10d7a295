"""What the .bib exporters share: escaping values for TeX and writing entries.

Every value goes through ``escape`` so that it prints literally and can neither break the .bib
file nor run TeX: the ten special characters become text commands. Braces become
``\\textbraceleft{}``/``\\textbraceright{}`` rather than ``\\{``/``\\}`` because BibTeX and
biber count braces even after a backslash, so ``\\{`` alone would unbalance the field.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from ..latex import GREEK_TEXT_COMMANDS, Markup
from ..names import Name

_SPECIALS = {
    "=": "{=}",  # "xdata=key" in any field is an XDATA reference to biber, "family=" a loop
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LIGATURE = re.compile(r"(?<=[-`'<>,!?])(?=[-`'<>,])")
_SPACE = re.compile(r"\s+")
#: Anything ``escape`` would change in a printable, NFC, stripped value.
_CHANGES = re.compile(r"[=\\{}%$&#_~^]|\s\s|[^\S ]|[-`'<>,!?][-`'<>,]")


def escape(value: str) -> str:
    """``value`` as TeX text that prints literally (UTF-8 kept; specials escaped; whitespace,
    newlines included, folded to one space; TeX ligatures such as ``--`` and ``''`` broken)."""
    if (
        value.isprintable()
        and not _CHANGES.search(value)
        and value[:1] != " "
        and value[-1:] != " "
        and unicodedata.is_normalized("NFC", value)
    ):
        return value  # most values: nothing to escape (the same result, measured faster)
    value = _SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()
    text = "".join(_SPECIALS.get(ch, ch) for ch in value if ch.isprintable() or ch == " ")
    return _LIGATURE.sub("{}", text)


#: The Greek letters shaped like Latin ones, for which LaTeX has no command outside the LGR
#: encoding (pylatexenc writes Kappa as K, which can only read back as a Latin K), by the text
#: command greek-fontenc's textalpha package defines for each, with the Latin letter printed
#: where textalpha is not loaded: the BibTeX export provides each it uses so
#: (``\providecommand``, which leaves textalpha's real letter alone).
LATIN_SHAPED_GREEK = {
    "textAlpha": "A", "textBeta": "B", "textEpsilon": "E", "textZeta": "Z", "textEta": "H",
    "textIota": "I", "textKappa": "K", "textMu": "M", "textNu": "N", "textOmicron": "O",
    "textRho": "P", "textTau": "T", "textChi": "X", "textomicron": "o",
}  # fmt: skip


def _unihex(code: int) -> str:
    """What pylatexenc writes for a character LaTeX has no command for (``unihex_to_text``)."""
    return rf"\ensuremath{{\langle}}\texttt{{U+{code:04X}}}\ensuremath{{\rangle}}"


#: What the ASCII encoder writes where pylatexenc (2.10, 2.11) writes a character so that it
#: reads back as another or does not compile: the Latin-shaped Greek letters above (Kappa as
#: K); the Greek letters with tonos or dialytika built on them (Ό as \'{}O and Ά as \'{}A, read
#: back without accent as O and A; ό as \'{o}, Ϊ as \ddot{I}, read back as ó and Ï), on Υ and
#: Ω (\'{}\ensuremath{\Omega}, read back as Ω) or on \epsilon (έ, read back as ϵ́: ε itself is
#: \varepsilon); ΐ, whose math accents it leaves outside math; ϒ and ϰ, which it writes as
#: \Upsilon outside math and as amssymb's \varkappa, as the stand-ins of characters without a
#: LaTeX command; Ű and ű, which it writes as \'{U} and \'{u} (printed Ú and ú): the double
#: acute is \H, as it already writes for Ő and ő; Macedonian's Ѓ ѓ Ќ ќ, which it writes with
#: a grave accent where they take an acute.
_ENCODER_FIXES = {
    **{ord(GREEK_TEXT_COMMANDS[name]): f"\\{name}" for name in LATIN_SHAPED_GREEK},
    0x386: r"\'{\textAlpha}", 0x388: r"\'{\textEpsilon}", 0x389: r"\'{\textEta}",
    0x38A: r"\'{\textIota}", 0x38C: r"\'{\textOmicron}", 0x38E: r"\'{\ensuremath{\Upsilon}}",
    0x38F: r"\'{\ensuremath{\Omega}}", 0x3AA: r'\"{\textIota}',
    0x3AB: r'\"{\ensuremath{\Upsilon}}', 0x3AD: r"\ensuremath{\acute\varepsilon}",
    0x3CC: r"\'{\textomicron}", 0x390: r"\ensuremath{\acute{\ddot{\iota}}}",
    0x3D2: _unihex(0x3D2), 0x3F0: _unihex(0x3F0),
    0x170: r"\H{U}", 0x171: r"\H{u}",
    0x403: r"\'\CYRG", 0x453: r"\'\cyrg", 0x40C: r"\'\CYRK", 0x45C: r"\'\cyrk",
}  # fmt: skip


def _stand_in(text: str, pos: int) -> tuple[int, str] | None:
    """pylatexenc rule: the ``unihex`` stand-in for a character whose command (pylatexenc's,
    or one of ``_ENCODER_FIXES``) would not read back as that character (Ħ as H with a macron,
    the historic Cyrillic letters as nothing, Devanagari's नक़ as two characters), so that an
    ASCII export always reads back to itself; None for the others, left to the next rules. A
    character followed by a combining mark is left to them too, with its mark."""
    code = ord(text[pos])
    if code < 0x80 or _reads_back(code):
        return None
    if pos + 1 < len(text) and unicodedata.combining(text[pos + 1]):
        return None
    return 1, _unihex(code)


@functools.cache
def _reads_back(code: int) -> bool:
    """Whether the ASCII encoder's command for ``chr(code)`` reads back as it (each character
    tried once per process)."""
    from ..latex import decode_latex

    return decode_latex(_commands_encoder().unicode_to_latex(chr(code))) == chr(code)


@functools.cache
def _ascii_encoder():  # type: ignore[no-untyped-def]
    """The encoder ``ascii_latex`` uses: ``_ENCODER_FIXES``, then ``_stand_in``, then
    pylatexenc's defaults."""
    from pylatexenc.latexencode import RULE_CALLABLE, UnicodeToLatexConversionRule

    return _encoder([UnicodeToLatexConversionRule(RULE_CALLABLE, _stand_in)])


@functools.cache
def _commands_encoder():  # type: ignore[no-untyped-def]
    """``_ENCODER_FIXES`` then pylatexenc's defaults: the commands ``_stand_in`` tries."""
    return _encoder([])


def _encoder(rules: list[Any]):  # type: ignore[no-untyped-def]
    from pylatexenc.latexencode import (
        RULE_DICT,
        UnicodeToLatexConversionRule,
        UnicodeToLatexEncoder,
    )

    fixes = UnicodeToLatexConversionRule(RULE_DICT, _ENCODER_FIXES)
    return UnicodeToLatexEncoder(
        conversion_rules=[fixes, *rules, "defaults"],
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="unihex",
        unknown_char_warning=False,
    )


def ascii_latex(text: str) -> str:
    """``text`` (already TeX) with every non-ASCII character as a LaTeX command (pylatexenc),
    braced as BibTeX wants (``{\\'e}``), so the result is pure ASCII."""
    return text if text.isascii() else _ascii_encoder().unicode_to_latex(text)


def escape_ascii(value: str) -> str:
    """``escape`` then ``ascii_latex``: any value as pure-ASCII TeX that prints literally."""
    return ascii_latex(escape(value))


#: LaTeX's command for each kind of markup (``latex.Markup``); a nocase span is a group that
#: protects its letters' case.
_MARKUP_LATEX = {
    "i": "\\emph{", "b": "\\textbf{", "sc": "\\textsc{", "sup": "\\textsuperscript{",
    "sub": "\\textsubscript{", "nocase": "{",
}  # fmt: skip


def latex_of_markup(tree: Markup, write: Callable[[str], str] = escape) -> str:
    """Text with its markup (CSL's rich text, read by ``richtext.markup``) as .bib LaTeX: each
    piece of text as ``write`` writes it (``escape``, ``escape_ascii``), italics as ``\\emph``,
    bold as ``\\textbf``, small capitals as ``\\textsc``, super- and subscripts as
    ``\\textsuperscript`` and ``\\textsubscript``, a nocase span as a protective group."""

    def written(tree: Markup) -> str:
        out = []
        for piece in tree:
            if isinstance(piece, str):
                if piece.strip():
                    lead = " " if piece[0].isspace() else ""
                    out.append(lead + write(piece) + (" " if piece[-1].isspace() else ""))
                elif piece:
                    out.append(" ")
                continue
            kind, content = piece
            inner = written(content)
            if not inner.strip():
                out.append(inner)
            elif kind in _MARKUP_LATEX:
                stripped = inner.strip()
                lead, trail = (
                    inner[: len(inner) - len(inner.lstrip())],
                    inner[len(inner.rstrip()) :],
                )
                out.append(f"{lead and ' '}{_MARKUP_LATEX[kind]}{stripped}}}{trail and ' '}")
            else:
                out.append(inner)
        return "".join(out)

    return re.sub(" {2,}", " ", written(tree)).strip()


def kept_csl_date(view: Any, variable: str, column: str | None) -> str | None:
    """The date a CSL-JSON import kept as written for ``variable`` (a range, circa, a
    season: more than the catalogue's ``column`` date holds) as biblatex's EDTF date, where
    it starts with that date; None else (the column's date is the whole of it)."""
    import json

    from ..csl_dates import edtf_of_csl

    for pair in view.kept.get("csl", ()):
        if pair[0] == variable and len(pair) > 1:
            edtf = edtf_of_csl(json.loads(pair[1]))
            if edtf is not None and (not column or edtf.startswith(column)):
                return edtf
    return None


#: The CSL variables whose rich text (kept as a CSL-JSON import read it) the .bib writers
#: write as LaTeX (``rich_or_plain``): a title, a journal's, a series'.
RICH_VARIABLES = frozenset({"title", "container-title", "collection-title"})


def rich_or_plain(view: Any, variable: str, write: Callable[[str], str]) -> Callable[[str], str]:
    """How a .bib writer writes a column's text: from the rich text a CSL-JSON import kept
    for ``variable`` (its italics as ``\\emph``...: ``latex_of_markup``) where that prints
    the column's text, else as ``write`` writes the text."""
    from ..richtext import markup, plain_text

    kept = next(
        (pair[1] for pair in view.kept.get("csl", ()) if pair[0] == variable and len(pair) > 1),
        None,
    )
    if kept is None or "<" not in kept:
        return write
    import json

    rich = json.loads(kept)

    def rich_write(text: str) -> str:
        if isinstance(rich, str) and plain_text(rich) == text:
            return latex_of_markup(markup(rich), write)
        return write(text)

    return rich_write


def _needs_braces(part: str) -> bool:
    return bool(re.search(r"[\s,]|^[^A-Z\W]", part)) or " and " in f" {part.lower()} "


#: Characters after which biber's initials code would grab a backslash or a brace (a name part
#: starting "\\%" would get the initial "\\bibinitperiod"); an invisible U+FEFF before them
#: keeps the initials sane (measured with biber 2.18).
_BIBER_INITIAL_TRAPS = re.compile(
    r"(\\[%&$#_]|[`\xa8\xaf\xb4\xb7\xb8\u02c6\u02c7\u02d8\u02d9\u02db\u02dc\u02dd])"
)
_AND_WORD = re.compile(r"(?i)(?<!\S)and(?!\S)")


def bib_inner(raw: str) -> str:
    """A kept .bib value's text inside its enclosure (``{...}`` or ``"..."``), where it has
    one; the value stripped, else."""
    inner = raw.strip()
    if len(inner) >= 2 and (inner[0], inner[-1]) in (("{", "}"), ('"', '"')):
        inner = inner[1:-1]
    return inner


def kept_value(extra_fields: Iterable[Sequence[str]], *names: str) -> str | None:
    """The text inside the enclosure of the first kept .bib field named one of ``names``
    (lower case), or None where the import kept none."""
    for name, raw in extra_fields:
        if name.lower() in names:
            return bib_inner(raw)
    return None


def parent_keys(extra_fields: Iterable[tuple[str, str]], fields: Iterable[str]) -> list[str]:
    """The keys an entry's kept .bib ``fields`` (``crossref``, ``xdata``) name as its parents,
    in order: the exports that resolve them, or must order them, read them here."""
    wanted = set(fields)
    keys = []
    for name, raw in extra_fields:
        if name.lower() in wanted:
            keys += [key.strip() for key in bib_inner(raw).split(",") if key.strip()]  # xdata
    return keys


_Made = TypeVar("_Made")


def with_parents(views: Sequence[Any], made: Sequence[_Made]) -> Iterator[tuple[Any, _Made, _Made]]:
    """For the exports that resolve ``crossref`` and ``xdata`` (formats that have neither):
    each (view, what was made of it, what was made of a parent it names among ``views``),
    in order; ``made`` holds what was made of each view, in the same order."""
    by_key = {view.key: one for view, one in zip(views, made, strict=True)}
    for view, child in zip(views, made, strict=True):
        for key in parent_keys(view.extra_fields, ("crossref", "xdata")):
            parent = by_key.get(key)
            if parent is not None and parent is not child:
                yield view, child, parent


def page_range(pages: str, escape_text: Callable[[str], str]) -> str:
    """Pages as a .bib value: a range's en dash (the catalogue's text of a .bib "12--34", of
    RIS's SP and EP) written "--", as .bib files write it."""
    return "--".join(escape_text(part) for part in pages.split("\u2013"))


def keyword_list(keywords: Sequence[str], escape_text: Callable[[str], str]) -> str:
    """Keywords as one .bib value, separated by commas: a keyword that holds a comma or a
    semicolon ("Smith, John, 1950-", a subject heading) braced, so that it stays one."""
    return ", ".join(
        f"{{{escape_text(k)}}}" if "," in k or ";" in k else escape_text(k) for k in keywords
    )


def name_list(
    people: Sequence[Name], esc: Callable[[str], str], others: bool = False, biber: bool = True
) -> str:
    """A BibTeX name list ("Family, Given and ..."), each part escaped so that it stays one
    person with the right parts: a family name is braced where a space, a comma, a lower-case
    start or the word "and" would split it wrongly; a lone "and" in a given name is braced;
    a person named exactly "others" is not taken for "et al."; ``others`` ends the list with
    "and others" (et al.). For ``biber``, commas inside a part are written ``\\symbol{44}``,
    since biber counts commas even inside braces (BibTeX does not)."""
    formatted = [_bib_name(person, esc, biber) for person in people]
    if others:
        formatted.append("others")
    return " and ".join(formatted)


# The same translators, authors and editors come back entry after entry: each is formatted once.
@functools.lru_cache(maxsize=1 << 16)
def _bib_name(person: Name, esc: Callable[[str], str], biber: bool) -> str:
    """One person of ``name_list``."""

    def part(text: str | None, brace: bool) -> str | None:
        if not text:
            return None
        escaped = esc(text)
        if biber:
            escaped = _BIBER_INITIAL_TRAPS.sub("\ufeff\\1", escaped)
            escaped = escaped.replace(",", r"\symbol{44}")
        if brace and _needs_braces(text):
            return f"{{{escaped}}}"
        return _AND_WORD.sub("{and}", escaped) if not brace else escaped

    family = part(person.family, brace=True)
    if person.family.lower() == "others":  # not "et al.", even braced
        family = person.family[0] + "{}" + person.family[1:]
    if person.prefix:
        family = f"{esc(person.prefix)} {family}"
    given = part(person.given, brace=False)
    if given and not biber and "," in given:
        given = f"{{{given}}}"
    return ", ".join(p for p in (family, part(person.suffix, True), given) if p)


class Raw(str):
    """A field value that is .bib text already, enclosure included (``{...}``, ``"..."``, a
    number or a macro): written as it is, where other values are escaped and braced."""


#: Field names that mean the same thing (classic BibTeX's and biblatex's).
CANONICAL = {
    "address": "location",
    "annote": "annotation",
    "journal": "journaltitle",
    "school": "institution",
    "year": "date",
}


def verbatim(value: str) -> str | None:
    """A URL or DOI as a biblatex verbatim value: braced as it is, or None where its braces
    do not balance (a verbatim field cannot escape them)."""
    depth = 0
    for ch in value:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return None
    return Raw(f"{{{value}}}") if depth == 0 else None


def canonical(name: str) -> str:
    """The biblatex name of a field ("address" -> "location")."""
    return CANONICAL.get(name, name)


def write_bib(entries: Iterable[tuple[str, str, list[tuple[str, str]]]]) -> str:
    """Write (entry type, key, [(field, value)]) as .bib text in the layout of bibtexparser's
    writer with a two-space indent, values aligned after the longest field name and a blank
    line between entries; values are braced, except ``Raw`` ones, which are written as they
    are. The text is joined here rather than through bibtexparser's model objects, which cost
    more than the rest of an export (tests compare the two byte for byte)."""
    entries = list(entries)
    keys = [key for _, key, _ in entries]
    if len(set(keys)) != len(keys):  # what bibtexparser's Library refuses too
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        raise ValueError(f"Duplicate keys found: {duplicates}")
    width = max((len(name) for _, _, fields in entries for name, _ in fields), default=0)
    starts: dict[str, str] = {}  # field name -> "  name   = "
    blocks = []
    for entry_type, key, fields in entries:
        lines = []
        for name, value in fields:
            start = starts.get(name)
            if start is None:
                start = starts[name] = f"  {name:<{width}} = "
            lines.append(start + value if isinstance(value, Raw) else f"{start}{{{value}}}")
        body = ",\n".join(lines) + "\n" if lines else ""
        blocks.append(f"@{entry_type}{{{key},\n{body}}}\n")
    return "\n".join(blocks)
