"""Personal names and folded match keys.

Names are split into parts with bibtexparser's BibTeX name grammar ("Family, Given",
"Given Family", "von Family, Jr., Given", braced family names such as
"{Ortega y Gasset}, José"). A name from a .bib file is split on its raw text first and each
part decoded from LaTeX afterwards (``parse_bib_name``): decoding first would drop the braces
that hold "Ortega y Gasset" together. Initials are written one way ("D.J." becomes "D. J.").

Matching is done on *folded* text: case-folded, accents removed, punctuation turned into
spaces, so "Rétif", "RETIF" and "retif" meet, and so do "Lukács" and "Luk{\\'a}cs" once decoded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from .errors import InvalidValue
from .latex import (
    expand_shorthand,
    fast_latex_to_text,
    latex_context,
    pylatexenc_text,
    split_top_level,
    unihex_to_text,
)

if TYPE_CHECKING:
    from bibtexparser.middlewares.names import NameParts
    from pylatexenc.latex2text import LatexNodes2Text

_NON_WORD = re.compile(r"[^\w]+")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc, exactly


def fold(text: str | None) -> str:
    """Lower-case, accent-free, punctuation-free form of ``text`` with single spaces."""
    if not text:
        return ""
    return _fold(text)


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:  # cached: names, publishers and places come again and again
    if text.isascii():  # nothing to decompose (the same result, faster)
        return " ".join(_NON_WORD.sub(" ", text.lower()).replace("_", " ").split())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = decomposed.translate(_combining_marks())
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d")
    return " ".join(_NON_WORD.sub(" ", stripped).replace("_", " ").split())


COMBINING_LIMIT = 0x20000
"""Every combining mark lies below this code point (a test checks the whole of Unicode)."""


@lru_cache(maxsize=1)
def _combining_marks() -> dict[int, None]:
    """``str.translate`` table deleting every combining mark (what unicodedata.combining
    tells apart), a tenth of the time of testing each character."""
    return {i: None for i in range(COMBINING_LIMIT) if unicodedata.combining(chr(i))}


def search_text(texts: Iterable[str | None]) -> str:
    """The folded text that ``--search`` looks in: every non-empty text, space-separated."""
    return " ".join(folded for folded in (fold(text) for text in texts) if folded)


@dataclass(frozen=True)
class Name:
    """A personal name split into its parts (family is required)."""

    family: str
    given: str | None = None
    prefix: str | None = None
    suffix: str | None = None

    @property
    def display(self) -> str:
        """The name as printed in running text: "Richard Greeman", "Arnold van Gennep"."""
        parts = [self.given, self.prefix, self.family]
        text = " ".join(p for p in parts if p)
        return f"{text}, {self.suffix}" if self.suffix else text

    @property
    def inverted(self) -> str:
        """The name in catalogue order: "Greeman, Richard", "van Gennep, Arnold"."""
        family = " ".join(p for p in (self.prefix, self.family) if p)
        return ", ".join(p for p in (family, self.suffix, self.given) if p)

    @cached_property
    def sort_name(self) -> str:
        """The form to sort by: family first, particle after ("Gennep, Arnold van")."""
        given = " ".join(p for p in (self.given, self.prefix) if p)
        return ", ".join(p for p in (self.family, self.suffix, given) if p)

    @cached_property
    def match_key(self) -> str:
        """Sorted folded tokens of the whole name: word order does not matter."""
        return " ".join(sorted(fold(self.display).split()))

    @cached_property
    def family_key(self) -> str:
        """The folded family name, without particle."""
        return fold(self.family)

    @cached_property
    def authority_key(self) -> str:
        """The key under which one person is catalogued: folded "family|given".

        A suffix is added when there is one ("king|martin luther|jr"), so that a father and a
        son of the same name stay two people.
        """
        family = fold(" ".join(p for p in (self.prefix, self.family) if p))
        key = f"{family}|{fold(self.given)}"
        return f"{key}|{fold(self.suffix)}" if self.suffix else key


# A stand-in for a literal backslash while a plain name goes through BibTeX's splitter, which
# would otherwise read it as the start of an escape. Control characters are refused in names.
_BACKSLASH = "\x00"


def parse_name(text: str) -> Name:
    """Split one plain Unicode name (a command-line value, the seed), or raise InvalidValue.

    The BibTeX grammar decides the parts, so braces group words ("{Ortega y Gasset}, José");
    they are removed from the result. Nothing else is interpreted: a backslash stays a backslash.

    >>> parse_name("Greeman, Richard") == parse_name("Richard Greeman")
    True
    """
    cleaned = _clean(text)
    parts = _split(cleaned.replace("\\", _BACKSLASH), text)

    def plain(words: list[str]) -> str:
        joined = " ".join(words).replace("{", "").replace("}", "")
        return joined.replace(_BACKSLASH, "\\")

    return _build(text, plain, parts.first, parts.von, parts.last, parts.jr)


def parse_bib_name(raw: str) -> Name:
    """Split one name as written in a .bib file, LaTeX markup and all, or raise InvalidValue.

    The name is split on its raw text, so a braced family name stays whole, and only then is
    each part decoded to Unicode: ``parse_bib_name("{Ortega y Gasset}, Jos{\\'e}")`` is
    family "Ortega y Gasset", given "José". (Decoding first would let the braces go and split
    "Ortega y" off as a particle.)
    """
    parts = _split(_clean(raw), raw)

    def decoded(words: list[str]) -> str:
        written = " ".join(words)
        text = _latex_to_text(written, raw)
        if not text.strip() and written.strip("{} "):
            # A name that is only a command with no text ("\\Thanh", which the file's
            # @preamble defines, as BibTeX reads it): kept as written.
            return written
        return text

    return _build(raw, decoded, parts.first, parts.von, parts.last, parts.jr)


def split_bib_names(raw_field: str) -> tuple[list[Name], bool]:
    """The names of a .bib name list ("A and B and others") and whether it ends in "and others".

    An "and" inside braces belongs to the name: "{Barnes and Noble}" is one name.
    """
    people, others = _split_bib_names(raw_field)
    return list(people), others


@lru_cache(maxsize=65536)
def _split_bib_names(raw_field: str) -> tuple[tuple[Name, ...], bool]:
    # Cached: a catalogue names the same people again and again.
    from bibtexparser.middlewares.names import split_multiple_persons_names

    texts = split_multiple_persons_names(_clean(raw_field, allow_empty=True))
    others = bool(texts) and texts[-1] == "others"
    if others:
        texts = texts[:-1]
    people: list[Name] = []
    for text in texts:
        if text == "others":
            raise InvalidValue(f"'and others' can only end a name list: {raw_field!r}")
        if _EXTENDED.search(text):
            people.append(parse_extended_name(text))
            continue
        if _OPTION_ITEM.fullmatch(text):
            continue  # a list's option ("useprefix=false"), or a name given by xdata reference
        words = text.split()
        if not words or words[0].casefold() == "and" or words[-1].casefold() == "and":
            raise InvalidValue(f"empty name in the name list {raw_field!r}")
        people.append(parse_bib_name(text))
    return tuple(people), others


#: A name in biblatex's extended name format ("family=Heuvel, given=Charles, prefix=van den,
#: useprefix=false"), as biber tells one: a name part's name, then "=" (its default xnamesep).
_EXTENDED = re.compile(r"\b(?:family|given|prefix|suffix)\s*=", re.I)

#: An item of a name list that is not a name but "option=value": one of biblatex's options
#: of a name list or a name, as biber reads "useprefix=false and Simon Smith", or a name
#: taken from an @xdata entry ("xdata=gxd1-author-2"). Any other "a=b" is read as a name.
_OPTION_ITEM = re.compile(
    r"\s*(?:useprefix|sortingnamekeytemplatename|uniquename|uniquelist|nohashothers"
    r"|nosortothers|xdata)\s*=\s*[^\s=]+\s*",
    re.I,
)

_NAME_PARTS = ("given", "prefix", "family", "suffix")


def parse_extended_name(raw: str) -> Name:
    """Read a name in biblatex's extended name format (biblatex manual, 3.4; what Better
    BibLaTeX writes for a name with a particle): "part=value" items separated by commas, a
    value braced or the item quoted where it holds a comma. The name parts are family, given,
    prefix and suffix; initials ("given-i"), the name's hash id and per-name options
    ("useprefix=false") are not name parts, and the caller keeps them as written, with the
    field. InvalidValue for an item that is not "part=value", or a name without a family."""
    found: dict[str, str] = {}
    whole = raw.strip()
    if whole.startswith("{") and _closing_brace(whole) == len(whole) - 1:
        whole = whole[1:-1]  # braced whole by Better BibLaTeX, so that BibTeX reads one name
    for item in split_top_level(whole, ","):
        item = item.strip()
        if len(item) > 1 and item[0] == item[-1] == '"':
            item = item[1:-1].strip()
        if not item:
            continue
        part, equals, value = item.partition("=")
        if not equals:
            raise InvalidValue(f"cannot read {item!r} in the extended name {raw!r} (part=value)")
        if part.strip().lower() in _NAME_PARTS:
            found[part.strip().lower()] = value.strip()

    def decoded(words: list[str]) -> str:
        written = " ".join(words)
        text = _latex_to_text(written, raw)
        return written if not text.strip() and written.strip("{} ") else text

    given, prefix, family, suffix = ([found[p]] if p in found else [] for p in _NAME_PARTS)
    return _build(raw, decoded, given, prefix, family, suffix)


def _closing_brace(text: str) -> int:
    """Where the brace that opens ``text`` closes (-1: it does not)."""
    depth = 0
    for i, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return i
    return -1


def _clean(text: str, *, allow_empty: bool = False) -> str:
    cleaned = " ".join(text.split())
    if not cleaned and not allow_empty:
        raise InvalidValue("empty person name")
    if _CONTROL.search(cleaned):
        raise InvalidValue(f"person name {text!r} contains a control character")
    return cleaned


def _split(cleaned: str, original: str) -> NameParts:
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    try:
        return parse_single_name_into_parts(cleaned)
    except InvalidNameError as exc:
        raise InvalidValue(f"cannot read person name {original!r}: {exc.reason}") from None


def _build(
    original: str,
    render: Callable[[list[str]], str],
    first: list[str],
    von: list[str],
    last: list[str],
    jr: list[str],
) -> Name:
    def part(words: list[str]) -> str | None:
        text = " ".join(unicodedata.normalize("NFC", render(words)).split())
        return text or None

    family = part(last)
    if family is None:
        raise InvalidValue(f"person name {original!r} has no family name")
    given = part(first)
    return Name(
        family=family,
        given=_normalize_initials(given) if given else None,
        prefix=part(von),
        suffix=part(jr),
    )


def _normalize_initials(given: str) -> str:
    """Write initials one way: "D.J.", "D.J", "D. J." and "D J" all become "D. J."."""
    out: list[str] = []
    for word in given.split():
        pieces = word.split(".")
        if pieces[-1] == "":
            pieces.pop()
        if len(word) == 1 and word.isalpha() and word.isupper():
            out.append(word + ".")
        elif (
            "." in word
            and (len(pieces) > 1 or word.endswith("."))
            and all(_is_abbreviation(piece) for piece in pieces)
        ):
            out.extend(piece + "." for piece in pieces)
        else:
            out.append(word)
    return " ".join(out)


def _is_abbreviation(piece: str) -> bool:
    # One capital ("D") or a capital and a small letter ("Th", "Ch"): German and French
    # catalogues abbreviate Theodor, Christian, Charles that way.
    return (
        0 < len(piece) <= 2
        and piece.isalpha()
        and piece[0].isupper()
        and (len(piece) == 1 or piece[1].islower())
    )


def _latex_to_text(latex: str, original: str) -> str:
    if "\\" not in latex and "{" not in latex and "}" not in latex:
        return latex  # most names: nothing to decode, and no need to load pylatexenc
    try:
        return _decode(latex)
    except Exception as exc:  # pylatexenc is tolerant, but a name must never crash an import
        raise InvalidValue(f"cannot decode the LaTeX in person name {original!r}: {exc}") from None


@lru_cache(maxsize=4096)
def _decode(latex: str) -> str:
    latex = expand_shorthand(latex)
    fast = fast_latex_to_text(latex)
    return fast if fast is not None else pylatexenc_text(name_decoder(), unihex_to_text(latex))


@lru_cache(maxsize=1)
def name_decoder() -> LatexNodes2Text:
    """pylatexenc's decoder for names (math read as text), in biblio's ``latex_context``."""
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text", latex_context=latex_context())


_PARTICLES = {"van", "von", "de", "da", "del", "della", "der", "den", "du", "di", "le", "la", "ter"}


def query_keys(query: str) -> tuple[set[str], set[str]]:
    """The match keys and family keys a name query should find.

    "Richard Greeman" and "Greeman, Richard" give the same match key; a single family name
    ("Greeman", "van Gennep" or "Gennep") is looked up among family keys.
    """
    folded = fold(query)
    match_keys = {" ".join(sorted(folded.split()))} if folded else set()
    family_keys = {folded} if folded else set()
    words = folded.split()
    while words and words[0] in _PARTICLES and len(words) > 1:
        words = words[1:]
        family_keys.add(" ".join(words))
    return match_keys, family_keys
