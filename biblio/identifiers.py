"""Identifiers of catalogue records in authority files: Wikidata QIDs (people, works,
publishers), VIAF and ISNI (people).

Each reader takes what a librarian pastes (the bare identifier, or its URI) and gives the
form the catalogue stores, or raises InvalidValue: a QID as "Q42", a VIAF cluster id as its
digits, an ISNI as its 16 characters without spaces, its ISO 7064 check character verified
(python-stdnum).
"""

from __future__ import annotations

import re

from .errors import InvalidValue

_QID = re.compile(r"^Q[1-9][0-9]*$")
_VIAF = re.compile(r"^[1-9][0-9]*$")
_URI = re.compile(
    r"^(https?://)?(www\.)?(wikidata\.org/(wiki|entity)/|viaf\.org/viaf/|isni\.org/isni/)",
    re.IGNORECASE,
)

KINDS = ("qid", "viaf", "isni")
"""The identifiers a person may carry; works and publishers carry a QID only."""

URIS = {
    "qid": "http://www.wikidata.org/entity/{}",
    "viaf": "http://viaf.org/viaf/{}",
    "isni": "https://isni.org/isni/{}",
}
"""Each identifier's real-world-object URI (what MARC's $1 and linked data name)."""


def _bare(value: str) -> str:
    return _URI.sub("", value.strip()).strip("/ ")


def qid(value: str) -> str:
    """A Wikidata item id: "Q42" from "Q42", "q42" or "https://www.wikidata.org/wiki/Q42"."""
    text = _bare(value).upper()
    if not _QID.match(text):
        raise InvalidValue(f"invalid Wikidata QID {value.strip()!r} (expected Q and digits: Q42)")
    return text


def viaf(value: str) -> str:
    """A VIAF cluster id: its digits, from "66480498" or "https://viaf.org/viaf/66480498"."""
    text = _bare(value)
    if not _VIAF.match(text):
        raise InvalidValue(f"invalid VIAF id {value.strip()!r} (expected digits: 66480498)")
    return text


def isni(value: str) -> str:
    """An ISNI's 16 characters, from "0000 0001 2103 2683" or its isni.org URI; InvalidValue
    for a wrong length or check character."""
    from stdnum import isni as stdnum_isni
    from stdnum.exceptions import ValidationError

    try:
        return str(stdnum_isni.validate(_bare(value)))
    except ValidationError as exc:
        raise InvalidValue(f"invalid ISNI {value.strip()!r}: {exc}") from None


READERS = {"qid": qid, "viaf": viaf, "isni": isni}


def read(kind: str, value: str | None) -> str | None:
    """``value`` read as identifier ``kind`` (a key of READERS); None for an empty value."""
    if value is None or not value.strip():
        return None
    return READERS[kind](value)


def display(kind: str, value: str) -> str:
    """An identifier as printed: an ISNI in four groups ("0000 0001 2103 2683")."""
    if kind == "isni":
        from stdnum import isni as stdnum_isni

        return str(stdnum_isni.format(value))
    return value
