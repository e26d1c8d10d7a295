"""Languages: ISO 639-1 codes in the catalogue, biblatex's names in exports.

biblatex prints ``origlanguage`` with its localisation strings ("Trans. from the French by"),
which exist for the language names below.
"""

from __future__ import annotations

from .errors import InvalidValue

# code: (biblatex name, English name)
LANGUAGES: dict[str, tuple[str, str]] = {
    "ca": ("catalan", "Catalan"),
    "cs": ("czech", "Czech"),
    "da": ("danish", "Danish"),
    "de": ("german", "German"),
    "el": ("greek", "Greek"),
    "en": ("english", "English"),
    "es": ("spanish", "Spanish"),
    "et": ("estonian", "Estonian"),
    "fi": ("finnish", "Finnish"),
    "fr": ("french", "French"),
    "hr": ("croatian", "Croatian"),
    "hu": ("hungarian", "Hungarian"),
    "it": ("italian", "Italian"),
    "la": ("latin", "Latin"),
    "nl": ("dutch", "Dutch"),
    "no": ("norwegian", "Norwegian"),
    "pl": ("polish", "Polish"),
    "pt": ("portuguese", "Portuguese"),
    "ru": ("russian", "Russian"),
    "sl": ("slovene", "Slovene"),
    "sv": ("swedish", "Swedish"),
    "uk": ("ukrainian", "Ukrainian"),
}

_BY_NAME = {name: code for code, names in LANGUAGES.items() for name in map(str.lower, names)}


def language_code(value: str) -> str:
    """The ISO 639-1 code for a code or name ("fr", "French", "french"); else InvalidValue."""
    lowered = value.strip().lower()
    if lowered in LANGUAGES:
        return lowered
    if lowered in _BY_NAME:
        return _BY_NAME[lowered]
    known = ", ".join(sorted(LANGUAGES))
    raise InvalidValue(f"unknown language {value!r} (use an ISO 639-1 code: {known})")


def biblatex_name(code: str) -> str:
    """biblatex's name for a language code: "fr" -> "french"."""
    return LANGUAGES[code][0]


def english_name(code: str) -> str:
    """The English name of a language code: "fr" -> "French"."""
    return LANGUAGES[code][1]
