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
