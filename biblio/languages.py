"""Languages: every ISO 639 language (parts 1, 2/B, 2/T and 3, through pycountry's data).

The catalogue stores a language as its ISO 639-1 code where it has one ("fr", "ar", "he",
"ja", "zh") and as its ISO 639-3 code otherwise ("grc" for Ancient Greek). Any code of the
ISO 639 parts, its English name, or biblatex's or babel's name is read. biblatex prints
``origlanguage`` with its localisation strings ("Trans. from the French by"), which exist for
the languages in ``BIBLATEX_NAMES``; the exporters use those names where biblatex has one.
"""

from __future__ import annotations

from functools import cache, lru_cache

from .errors import InvalidValue

#: Our code -> biblatex's language name, for the languages biblatex localises (its .lbx
#: files: TeX Live 2022's biblatex 3.18).
BIBLATEX_NAMES: dict[str, str] = {
    "af": "afrikaans", "eu": "basque", "bg": "bulgarian", "ca": "catalan", "hr": "croatian",
    "cs": "czech", "da": "danish", "nl": "dutch", "en": "english", "et": "estonian",
    "fi": "finnish", "fr": "french", "gl": "galician", "de": "german", "el": "greek",
    "hu": "hungarian", "is": "icelandic", "it": "italian", "la": "latin", "lv": "latvian",
    "lt": "lithuanian", "mr": "marathi", "no": "norwegian", "nb": "norsk", "nn": "nynorsk",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "sk": "slovak", "sl": "slovene", "es": "spanish", "sv": "swedish", "tr": "turkish",
    "uk": "ukrainian",
}  # fmt: skip

#: Other names .bib files give in ``langid``/``language``/``origlanguage`` (babel's variants).
_ALIASES = {
    "american": "en", "british": "en", "usenglish": "en", "ukenglish": "en", "australian": "en",
    "canadian": "en", "newzealand": "en", "ngerman": "de", "austrian": "de",
    "naustrian": "de", "swissgerman": "de", "nswissgerman": "de", "brazil": "pt",
    "brazilian": "pt", "portuges": "pt", "magyar": "hu", "slovenian": "sl", "serbianc": "sr",
    "francais": "fr", "français": "fr", "deutsch": "de", "polutonikogreek": "grc",
    "ancientgreek": "grc", "ancient greek": "grc", "greek, ancient": "grc", "farsi": "fa",
    "persian": "fa", "chinese": "zh", "hebrew": "he", "arabic": "ar", "japanese": "ja",
    "castilian": "es", "spanish; castilian": "es", "dutch; flemish": "nl", "flemish": "nl",
}  # fmt: skip

#: Kept for callers that list biblatex's languages: code -> (biblatex name, English name).
LANGUAGES: dict[str, tuple[str, str]] = {
    "af": ("afrikaans", "Afrikaans"),
    "eu": ("basque", "Basque"),
    "bg": ("bulgarian", "Bulgarian"),
    "ca": ("catalan", "Catalan"),
    "hr": ("croatian", "Croatian"),
    "cs": ("czech", "Czech"),
    "da": ("danish", "Danish"),
    "nl": ("dutch", "Dutch"),
    "en": ("english", "English"),
    "et": ("estonian", "Estonian"),
    "fi": ("finnish", "Finnish"),
    "fr": ("french", "French"),
    "gl": ("galician", "Galician"),
    "de": ("german", "German"),
    "el": ("greek", "Greek"),
    "hu": ("hungarian", "Hungarian"),
    "is": ("icelandic", "Icelandic"),
    "it": ("italian", "Italian"),
    "la": ("latin", "Latin"),
    "lv": ("latvian", "Latvian"),
    "lt": ("lithuanian", "Lithuanian"),
    "mr": ("marathi", "Marathi"),
    "no": ("norwegian", "Norwegian"),
    "nb": ("norsk", "Norwegian Bokmål"),
    "nn": ("nynorsk", "Norwegian Nynorsk"),
    "pl": ("polish", "Polish"),
    "pt": ("portuguese", "Portuguese"),
    "ro": ("romanian", "Romanian"),
    "ru": ("russian", "Russian"),
    "sr": ("serbian", "Serbian"),
    "sk": ("slovak", "Slovak"),
    "sl": ("slovene", "Slovenian"),
    "es": ("spanish", "Spanish"),
    "sv": ("swedish", "Swedish"),
    "tr": ("turkish", "Turkish"),
    "uk": ("ukrainian", "Ukrainian"),
}  # fmt: skip


@cache
def _table() -> dict[str, str]:
    """Every code and lower-cased name -> our code."""
    import pycountry

    table: dict[str, str] = {}
    names: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None) or language.alpha_3
        for attribute in ("alpha_2", "alpha_3", "bibliographic"):
            value = getattr(language, attribute, None)
            if value:
                table[value.lower()] = code
        for attribute in ("name", "common_name", "inverted_name"):
            value = getattr(language, attribute, None)
            if value:
                names.setdefault(value.lower(), code)
                # "Spanish; Castilian" is read as either name
                for part in value.split(";"):
                    names.setdefault(part.strip().lower(), code)
                    names.setdefault(part.split(" (")[0].strip().lower(), code)
    # ISO 639-2/B codes not in pycountry's 639-3 table (collective codes) stay unknown.
    for value, code in names.items():
        table.setdefault(value, code)
    for code, name in BIBLATEX_NAMES.items():
        table.setdefault(name, code)
    for alias, code in _ALIASES.items():
        table.setdefault(alias, code)
    return table


@lru_cache(maxsize=4096)
def read_language(value: str | None) -> str | None:
    """Our code for a code or name, leniently ("fre", "ger", "eng", "ja", "French",
    "ngerman", "en-US", "Ancient Greek (to 1453)"); None when it names no ISO 639 language
    (the caller keeps the value as written)."""
    if value is None:
        return None
    lowered = " ".join(value.strip().lower().split())
    if not lowered:
        return None
    table = _table()
    if lowered in table:
        return table[lowered]
    # BCP 47 / locale tags: "en-US", "pt_BR", "zh-Hans-CN"
    primary = lowered.replace("_", "-").split("-")[0]
    if primary != lowered and primary in table and len(primary) in (2, 3):
        return table[primary]
    return None


def language_code(value: str) -> str:
    """Our code for a code or name ("fr", "fre", "French", "french"); InvalidValue for one
    that names no ISO 639 language."""
    code = read_language(value)
    if code is None:
        raise InvalidValue(
            f"unknown language {value!r} (use an ISO 639 code or its English name: fr, fre, French)"
        )
    return code


def biblatex_name(code: str) -> str | None:
    """biblatex's name for a language code ("fr" -> "french"), or None where biblatex has
    no localisation strings for it."""
    return BIBLATEX_NAMES.get(code)


@lru_cache(maxsize=4096)
def english_name(code: str) -> str:
    """The English name of a language code: "fr" -> "French", "grc" -> "Ancient Greek";
    the code itself where ISO 639 has none."""
    import pycountry

    if code in LANGUAGES:
        return LANGUAGES[code][1]
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    language = language or pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    name = getattr(language, "common_name", None) or language.name
    return name.split(";")[0].split(" (")[0].strip()


def marc_code(code: str) -> str | None:
    """The MARC (ISO 639-2/B) code of a language code: "fr" -> "fre", "de" -> "ger"."""
    import pycountry

    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    language = language or pycountry.languages.get(alpha_3=code)
    if language is None:
        return None
    return getattr(language, "bibliographic", None) or language.alpha_3
