"""Personal names and folded match keys.

Names are split into parts with bibtexparser's BibTeX name grammar ("Family, Given",
"Given Family", "von Family, Jr., Given", braced family names such as
"{Ortega y Gasset}, José"). Matching is done on *folded* text: case-folded, accents removed,
punctuation turned into spaces, so "Rétif", "RETIF" and "retif" meet, and initials
"D.J." and "D. J." give the same tokens.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import InvalidValue

_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str | None) -> str:
    """Lower-case, accent-free, punctuation-free form of ``text`` with single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("ß", "ss").replace("ø", "o").replace("ł", "l").replace("đ", "d")
    return " ".join(_NON_WORD.sub(" ", stripped).replace("_", " ").split())


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

    @property
    def sort_name(self) -> str:
        """The form to sort by: family first, particle after ("Gennep, Arnold van")."""
        given = " ".join(p for p in (self.given, self.prefix) if p)
        return ", ".join(p for p in (self.family, self.suffix, given) if p)

    @property
    def match_key(self) -> str:
        """Sorted folded tokens of the whole name: word order does not matter."""
        return " ".join(sorted(fold(self.display).split()))

    @property
    def family_key(self) -> str:
        """The folded family name, without particle."""
        return fold(self.family)

    @property
    def authority_key(self) -> str:
        """The key under which one person is catalogued: folded "family, given"."""
        return f"{fold(' '.join(p for p in (self.prefix, self.family) if p))}|{fold(self.given)}"


def _unbrace(part: str) -> str:
    if part.startswith("{") and part.endswith("}"):
        return part[1:-1]
    return part


def parse_name(text: str) -> Name:
    """Split one personal name into its parts, or raise InvalidValue.

    >>> parse_name("Greeman, Richard") == parse_name("Richard Greeman")
    True
    """
    from bibtexparser.middlewares.names import InvalidNameError, parse_single_name_into_parts

    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidValue("empty person name")
    try:
        parts = parse_single_name_into_parts(cleaned)
    except InvalidNameError as exc:
        raise InvalidValue(f"cannot read person name {text!r}: {exc}") from None

    def join(words: list[str]) -> str | None:
        return " ".join(_unbrace(word) for word in words) or None

    family = join(parts.last)
    if family is None:
        raise InvalidValue(f"person name {text!r} has no family name")
    return Name(
        family=family, given=join(parts.first), prefix=join(parts.von), suffix=join(parts.jr)
    )


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
