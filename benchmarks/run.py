#!/usr/bin/env python
"""Benchmark biblio against its floors (bibtexparser, bare start-up) and print a Markdown table.

    python benchmarks/run.py --sizes 10k,100k --query-only-sizes 1M --pubs-venv DIR \
        [--workdir DIR [--reuse]] [--postgres-url URL] [--repeat 5] [--keep]

For every size N a deterministic synthetic biblatex file of N editions is generated (streamed
to disk) and:

* import:   ``python -m biblio --db X import FILE``  vs  a process that runs
            ``bibtexparser.parse_string`` on the same file (the floor);
* export:   ``python -m biblio --db X export --format biblatex -o OUT``  vs  a process that
            runs ``bibtexparser.write_string`` on the parsed library (parse time subtracted);
* query:    ``python -m biblio --db X list --translator NAME``  vs  ``python -m biblio --version``,
            and ``biblio.queries.list_editions`` by translator, publisher and original inside
            the library (median of 20, ms);
* start-up: ``python -m biblio --version`` / ``--help``  vs  ``python -c "import click"``;
* with ``--pubs-venv``/``--pubs``: ``biblio import`` vs ``pubs import`` of the same file at
  ``--pubs-size`` (10k), each in a fresh process, pubs with a throw-away config and repository;
* with ``--postgres-url``: import and query against a fresh PostgreSQL database too.

At ``--query-only-sizes`` (meant for 1M) the catalogue is still built by a real ``biblio
import`` of the generated file (timed, informative), then only the queries are measured.

Every measured step runs in a fresh subprocess, so wall times include interpreter start-up
on both sides of each ratio, and peak memory is that child's own ``ru_maxrss`` (read with
``os.wait4``), not a cumulative maximum over all children. Generated files and catalogues go
to a temporary directory (or ``--workdir``), never the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

# ----------------------------------------------------------------------------- targets

TARGETS = {
    "import_time": 1.25,  # import <= 1.25x parse time
    "import_mem": 1.5,  # import <= 1.5x parse memory
    "export_time": 1.0,  # export <= 1x bibtexparser's writer
    "list_time": 1.2,  # list --translator <= 1.2x biblio --version
    "startup_time": 2.0,  # --version / --help <= 2x `import click`
    "query_ms": 5.0,  # list_editions inside the library <= 5 ms
    "pubs_import_time": 0.05,  # import at least 20x faster than `pubs import`
}

# ----------------------------------------------------------------------------- data

GIVEN = [
    "Anna",
    "Jean",
    "Pieter",
    "Marie",
    "Jürgen",
    "Zoé",
    "Søren",
    "Łucja",
    "Héloïse",
    "Björn",
    "Maja",
    "Tomasz",
    "Inès",
    "Ole",
    "Günter",
    "Agnès",
    "Wojciech",
    "Liv",
    "René",
    "Käthe",
    "Stanisław",
    "Ingrid",
    "Émile",
    "Karl",
    "Dörte",
    "Michał",
    "Astrid",
    "Hélène",
    "Lars",
    "Paweł",
    "François",
    "Gonçalo",
    "Ólafur",
    "Bożena",
    "Jiří",
    "Ágnes",
]
FAMILY = [
    "Müller",
    "Sørensen",
    "Łukasiewicz",
    "Béranger",
    "Dubois",
    "Schütz",
    "Kowalski",
    "Lefèvre",
    "Hølmebakk",
    "Straßer",
    "Wróblewski",
    "Mérimée",
    "Jørgensen",
    "Krüger",
    "Małecki",
    "Séguin",
    "Brøndum",
    "Fürst",
    "Gałczyński",
    "Thérond",
    "Nilsen",
    "Hübner",
    "Szymański",
    "Géraud",
    "Løvland",
    "Bäcker",
    "Zieliński",
    "Lévêque",
    "Ødegaard",
    "Wüst",
    "Michaux",
    "Bergström",
    "Dvořák",
    "Nuñez",
    "Garçon",
    "Żeleński",
    "Sauvé",
    "Ørbæk",
]
PARTICLES = ["van", "de", "van der", "de la", "von"]
PUBLISHER_WORDS = [
    "Gallimard",
    "Suhrkamp",
    "Penguin",
    "Czytelnik",
    "Gyldendal",
    "Rieder",
    "Doubleday",
    "Aschehoug",
    "Querido",
    "Seuil",
    "Fischer",
    "Znak",
    "Verso",
    "Merlin",
    "Bonnier",
    "Minuit",
]
PUBLISHER_SUFFIX = ["Press", "Verlag", "Éditions", "& Co.", "Books", "Forlag", "Uitgeverij", ""]
LOCATIONS = [
    "Paris",
    "London",
    "New York",
    "Berlin",
    "Kraków",
    "København",
    "Oslo",
    "Amsterdam",
    "Zürich",
    "Frankfurt am Main",
    "Warszawa",
    "Stockholm",
    "Lyon",
    "München",
    "Bruxelles",
    "Garden City, NY",
    "Łódź",
    "Genève",
    "Wien",
    "Århus",
]
LANGS = ["french", "german", "polish", "norwegian", "dutch", "danish", "swedish", "russian"]
TITLE_A = [
    "Silent",
    "Red",
    "Last",
    "Distant",
    "Broken",
    "Northern",
    "Hidden",
    "Long",
    "Bitter",
    "Small",
    "Burning",
    "Forgotten",
    "Winter",
    "Open",
    "Iron",
    "Quiet",
]
TITLE_B = [
    "House",
    "River",
    "Prison",
    "Harbour",
    "Years",
    "Letters",
    "Century",
    "Road",
    "City",
    "Garden",
    "Voices",
    "Shadows",
    "Fields",
    "Island",
    "Storm",
    "Journey",
]
TITLE_C = [
    "the Sea",
    "Our Power",
    "the Conquered City",
    "Childhood",
    "Exile",
    "the Morning",
    "Memory",
    "the Revolution",
    "Glass",
    "the Fathers",
    "Salt",
    "the Plain",
]
ORIG_WORDS = [
    "Les",
    "Die",
    "De",
    "Ludzie",
    "Huset",
    "Naissance",
    "Ville",
    "Stille",
    "Zimowe",
    "Nocy",
    "Jahre",
    "Havet",
    "Miasto",
    "Conquise",
    "Ojców",
    "Ånder",
    "Frühling",
]
LOREM = (
    "A careful translation that keeps the rhythm of the original while smoothing its idioms; "
    "the translator's preface discusses earlier versions, the censorship of the first edition, "
    "and the choices made for dialect, names and songs. Reviewed widely at the time; reprinted "
    "with corrections. Notes on sources and a glossary of places follow the text."
).split()

# Words for titles, each with whether it is a proper noun (braced to keep its capitals).
ACCENTED_WORDS = [
    ("Café", False),
    ("Déjà Vu", False),
    ("Naïveté", False),
    ("Fête", False),
    ("Façade", False),
    ("Rôle", False),
    ("Élan", False),
    ("Émigré", False),
    ("Mañana", False),
    ("Tête-à-tête", False),
    ("Über Alles", False),
    ("Smörgåsbord", False),
    ("Molière", True),
    ("Brontë", True),
    ("Dvořák", True),
    ("Gdańsk", True),
    ("Ibsen's Ålesund", True),
    ("Żeromski", True),
    ("Čapek", True),
    ("Ørsted", True),
]
ACRONYMS = ["DNA", "USSR", "BBC", "UNESCO", "NATO", "PEN", "GDR", "NRF", "BBC Radio"]
JOURNALS = [
    "Translation Studies",
    "Babel",
    "Meta: Journal des traducteurs",
    "Target",
    "Revue de Littérature Comparée",
    "Przekładaniec",
    "Nordisk Tidskrift",
    "Arcadia & Co",
]
# Bits of annotations as exporters write them: % & $ _ # escaped, accents spelled, and
# LaTeX of their own (an en dash, a tie, \emph, a thin space).
ANNOTE_BITS = [
    "about 40% of the print run was pulped",
    "reissued by Faber & Faber",
    "a résumé of the plot",
    "a naïve reading",
    "the café scenes cut",
    "priced at $2.50",
    "scans kept as notes_1987.pdf",
    "pp.~12--45",
    r"cf.\ \emph{Ulysses}",
    "copy #2 annotated",
    r"3\,000 copies",
    "Gallimard's série noire",
    "the Łódź edition",
    "a Kraków reprint",
    "rôle of the émigré press",
]
KEYWORDS = [
    "translation",
    "exile",
    "censorship",
    "Polish literature",
    "Résistance",
    "Österreich",
    "émigré literature",
    "World War 1939--1945",
    "children's books",
    "Nobel Prize",
    "modernism",
    "Łódź",
    "retranslation",
    "self_translation",
]
# A few years that are not numbers, as real files have them (each warns on import):
# {c} is the century, {d} the decade, {year} the year, {n} the year after.
ODD_YEARS = [
    "{c}xx",
    "{d}?",
    r"{{\noopsort{{{year}a}}}}{year}",
    "{year}a",
    "{year}/{n}",
    "n.d.",
    "[{year}]",
    "c. {year}",
]
MONTH_MACROS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
ISBN_GROUPS = ["0", "1", "2", "3", "82", "83", "87", "90", "91", "952"]
# DOIs (verbatim: never escaped) as (prefix, suffix with a {} for a number).
DOI_SHAPES = [
    ("10.1515/", "9783110{:08d}"),
    ("10.1093/", "acprof:oso/9780199{:08d}.001.0001"),
    ("10.1017/", "CBO9780511{:08d}"),
    ("10.1007/", "978-3-658-{:08d}_4"),
    ("10.2307/", "{:08d}"),
    ("10.4324/", "97813150{:08d}"),
]
# URLs (verbatim: raw % _ & ? =) with {0} a number and {1} the year.
URL_SHAPES = [
    "https://archive.org/details/silenthouse{0}_{1}",
    "https://books.google.com/books?id=Xq{0}AAJ&pg=PA12",
    "https://www.worldcat.org/oclc/{0}",
    "https://gallica.bnf.fr/ark:/12148/bpt6k{0}.texteBrut",
    "https://de.wikipedia.org/wiki/Stille_Jahre_%28{1}%29",
    "http://www.jstor.org/stable/{0}",
]


# ----------------------------------------------------------------------------- LaTeX

# How real exporters spell an accented letter: an accent command and the letter it goes on
# (é -> \' e, ç -> \c c, ï -> \" \i), or a letter macro of its own (ø -> \o, ß -> \ss).
ACCENTS: dict[str, tuple[str, str]] = {
    "é": ("'", "e"), "è": ("`", "e"), "ê": ("^", "e"), "ë": ('"', "e"), "É": ("'", "E"),
    "á": ("'", "a"), "à": ("`", "a"), "â": ("^", "a"), "ä": ('"', "a"), "ã": ("~", "a"),
    "í": ("'", "i"), "ï": ('"', "\\i"), "î": ("^", "\\i"), "ó": ("'", "o"), "ô": ("^", "o"),
    "ö": ('"', "o"), "Ö": ('"', "O"), "ő": ("H", "o"), "ú": ("'", "u"), "ü": ('"', "u"),
    "Ü": ('"', "U"), "ñ": ("~", "n"), "ń": ("'", "n"), "ç": ("c", "c"), "ś": ("'", "s"),
    "ć": ("'", "c"), "ź": ("'", "z"), "ż": (".", "z"), "ą": ("k", "a"), "ę": ("k", "e"),
    "š": ("v", "s"), "č": ("v", "c"), "ř": ("v", "r"), "Á": ("'", "A"), "Ó": ("'", "O"),
    "Č": ("v", "C"), "Ż": (".", "Z"),
    "ø": ("", "o"), "Ø": ("", "O"), "ł": ("", "l"), "Ł": ("", "L"), "ß": ("", "ss"),
    "å": ("", "aa"), "Å": ("", "AA"), "æ": ("", "ae"),
}  # fmt: skip
# Characters that every exporter escapes, in any field but the verbatim ones (doi, url).
SPECIALS = {"&": r"\&", "%": r"\%", "$": r"\$", "_": r"\_", "#": r"\#"}
# The spelling conventions of the files people import: Zotero and Better BibTeX write
# Caf{\'e} and Fran{\c c}ois, JabRef Caf{\'{e}} and Fran{\c{c}}ois, hand-kept files Caf\'e
# and Fran\c{c}ois. An entry is written in one of them (weights: how often each is met).
UNICODE, BBT, JABREF, HAND = range(4)
STYLES, STYLE_WEIGHTS = (BBT, JABREF, HAND), (5, 3, 2)


def _spell(letter: str, style: int) -> str:
    """``letter`` (a key of ACCENTS) as ``style`` writes it in LaTeX."""
    command, base = ACCENTS[letter]
    if not command:  # a letter macro: {\o}, or \o{} by hand
        return f"\\{base}{{}}" if style == HAND else f"{{\\{base}}}"
    if command.isalpha():  # \c, \v, \k, \H: {\c c}, {\c{c}}, \c{c}
        if style == BBT:
            return f"{{\\{command} {base}}}"
        return f"{{\\{command}{{{base}}}}}" if style == JABREF else f"\\{command}{{{base}}}"
    if style == BBT or command == "~":  # {\'e}, {\"\i}; {\~n} (a bare ~ splits a name)
        return f"{{\\{command}{base}}}"
    if style == JABREF:  # {\'{e}}, {\"{\i}}
        return f"{{\\{command}{{{base}}}}}"
    return f"\\{command}{base}" if base.isalpha() else f"\\{command}{{{base}}}"  # \'e, \"{\i}


# Per style: character -> its spelling. UNICODE keeps the letters and escapes the specials
# only (Better BibTeX's "export unicode as plain text" option, or a hand-typed UTF-8 file).
SPELLINGS: list[dict[str, str]] = [
    {**({} if style == UNICODE else {ch: _spell(ch, style) for ch in ACCENTS}), **SPECIALS}
    for style in (UNICODE, BBT, JABREF, HAND)
]


def latexify(text: str, style: int = BBT) -> str:
    """``text`` as a .bib value of ``style``: accented letters spelled as LaTeX (é -> {\\'e},
    ł -> {\\l}; none with UNICODE) and &, %, $, _, # escaped. LaTeX already in ``text``
    (``--``, ``~``, ``\\emph{...}``) is left as it is."""
    table = SPELLINGS[style]
    return "".join(table.get(ch, ch) for ch in text)


def protect(text: str, style: int = BBT) -> str:
    """A word whose capitals the bibliography style must keep, braced: {DNA}, {Krak{\\'o}w}."""
    return "{" + latexify(text, style) + "}"


# ----------------------------------------------------------------------------- people


def make_people(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct names "[particle ]Family, Given", some with particles, many accented."""
    people: list[str] = []
    seen: set[str] = set()
    while len(people) < count:
        family = rng.choice(FAMILY)
        if rng.random() < 0.15:
            family = f"{rng.choice(PARTICLES)} {family}"
        given = rng.choice(GIVEN)
        if rng.random() < 0.4:  # a second given name or initial for variety and uniqueness
            given += " " + rng.choice(GIVEN)[0] + "."
        name = f"{family}, {given}"
        if name in seen:  # make it unique with a (realistic-looking) double-barrelled family
            name = f"{family}-{rng.choice(FAMILY)}, {given}"
            if name in seen:
                continue
        seen.add(name)
        people.append(name)
    return people


def make_isbn(rng: random.Random) -> str:
    """A valid ISBN (check digit computed by python-stdnum), hyphenated as publishers print
    it, sometimes compact, sometimes in its 10-digit form (which may end in X)."""
    from stdnum import ean, isbn

    group = rng.choice(ISBN_GROUPS)
    digits = "978" + group + "".join(rng.choice("0123456789") for _ in range(9 - len(group)))
    number = digits + ean.calc_check_digit(digits)
    roll = rng.random()
    if roll < 0.3:
        return isbn.format(isbn.to_isbn10(number))
    return number if roll < 0.45 else isbn.format(number)


# Bump when the generated text changes, so that --reuse never takes an older file for a newer.
GENERATOR_VERSION = 3


def generate_bib(n: int, seed: int = 1) -> tuple[dict[str, str], Iterator[str]]:
    """A deterministic biblatex catalogue of ``n`` editions, as (query values, text chunks),
    written the way Zotero, Better BibTeX, JabRef and people by hand write real files.

    Authors come from a pool of ~n/10 names, translators from ~n/20, publishers from ~n/50;
    ~70% have an original (origtitle/origdate/origlocation/origlanguage); dates 1850-2020.
    The markup (see the README for the shares): accents spelled in LaTeX in three exporters'
    conventions, braces protecting capitals in titles, escaped \\% \\& \\$ \\_, ``--`` ranges,
    ``@string`` macros, ``month = aug``, ``year`` beside ``date`` and a few years such as
    ``19xx``; pages, DOI, URL, valid ISBNs and keywords on some entries; a few @incollection
    and @article entries among the @book ones.

    The chunks are produced lazily (one per entry), so a million entries never sit in memory
    at once. The query values are a translator and a publisher that occur in the file, and
    (filled in while the chunks are produced) the ``origtitle`` of the first entry with one,
    all as the decoded (Unicode) text that a query is typed in.
    """
    rng = random.Random(seed * 1_000_003 + n)
    authors = make_people(rng, max(5, n // 10))
    translators = make_people(rng, max(3, n // 20))
    publishers = []
    for i in range(max(2, n // 50)):
        suffix = rng.choice(PUBLISHER_SUFFIX)
        word = PUBLISHER_WORDS[i % len(PUBLISHER_WORDS)]
        serial = f" {i // len(PUBLISHER_WORDS)}" if i >= len(PUBLISHER_WORDS) else ""
        publishers.append(f"{word} {suffix}".strip() + serial)
    # translators[0] is on every (n/25)th edition; the last publisher has the highest serial,
    # so a "name contains" match finds it and no other.
    queries = {"translator": translators[0], "publisher": publishers[-1]}
    # @string macros for the first publishers (as a JabRef user defines them), used for half
    # of their occurrences; the rest of the time the name is written out.
    macros = {
        publisher: re.sub(r"[^a-z]", "", publisher.split()[0].lower())
        for publisher in publishers[: len(PUBLISHER_WORDS)]
    }

    def spelled(text: str, style: int, share: float = 1.0) -> str:
        """``text`` braced, in ``style`` for a ``share`` of the calls, else in UNICODE."""
        return "{" + latexify(text, style if rng.random() < share else UNICODE) + "}"

    def people(names: list[str], style: int) -> str:
        # ~60% of name occurrences come out with LaTeX accents (most names have some)
        spelled_names = (
            latexify(name, style if rng.random() < 0.62 else UNICODE) for name in names
        )
        return "{" + " and ".join(spelled_names) + "}"

    def title_of(i: int, style: int) -> str:
        """A title, ~70% with a protected (braced) word or a LaTeX accent, some with \\&,
        a ``--`` range or \\emph."""
        title = f"The {rng.choice(TITLE_A)} {rng.choice(TITLE_B)}"
        if rng.random() < 0.1:
            title += r" \& " + rng.choice(TITLE_B)
        elif rng.random() < 0.5:
            title += f" of {rng.choice(TITLE_C)}"
        if rng.random() < 0.35:
            title += f" {rng.choice(('in', 'of', 'from'))} {protect(rng.choice(LOCATIONS), style)}"
        if rng.random() < 0.12:
            title = f"{protect(rng.choice(ACRONYMS))} and {title[0].lower()}{title[1:]}"
        if rng.random() < 0.2:
            title += " " + protect(("I", "II", "III", "IV", "V", "VI", "VII")[i % 7])
        if rng.random() < 0.35:
            word, proper = rng.choice(ACCENTED_WORDS)
            word = protect(word, style) if proper else latexify(word, style)
            title = f"{word}: {title}" if rng.random() < 0.5 else f"{title}: {word}"
        roll = rng.random()
        if roll < 0.08:
            start = rng.randint(1890, 1990)
            title += f", {start}--{start + rng.randint(3, 30)}"
        elif roll < 0.11:
            title += r": Reading \emph{" + rng.choice(TITLE_B) + "}"
        return title

    def annotation(style: int) -> str:
        """~200 characters; about half with an escaped \\% \\& \\$ \\_ or a LaTeX accent."""
        words: list[str] = []
        length = 0
        while length < 195:
            word = rng.choice(LOREM)
            words.append(word)
            length += len(word) + 1
        if rng.random() < 0.66:
            for _ in range(rng.choice((1, 1, 2))):
                words.insert(rng.randrange(len(words)), rng.choice(ANNOTE_BITS))
        text = " ".join(words)
        return latexify(text, style if rng.random() < 0.85 else UNICODE)

    def year_fields(year: int) -> list[tuple[str, str]]:
        """biblatex's date (78%), BibTeX's year, bare or braced, half with a month macro
        (20%), or a year that is not a number (2%)."""
        roll = rng.random()
        if roll < 0.78:
            month = rng.randint(1, 12)
            return [("date", f"{{{year}}}" if rng.random() < 0.7 else f"{{{year}-{month:02d}}}")]
        if roll < 0.98:
            fields = [("year", str(year) if rng.random() < 0.5 else f"{{{year}}}")]
            if rng.random() < 0.5:
                fields.append(("month", MONTH_MACROS[rng.randrange(12)]))
            return fields
        odd = rng.choice(ODD_YEARS).format(year=year, c=year // 100, d=year // 10, n=year + 1)
        return [("year", "{" + odd + "}")]

    def identifiers(year: int) -> list[tuple[str, str]]:
        """ISBN (valid), DOI, URL with urldate, as often as library exports have them."""
        fields = []
        if rng.random() < (0.6 if year >= 1970 else 0.15):
            fields.append(("isbn", "{" + make_isbn(rng) + "}"))
        if rng.random() < 0.2:
            prefix, suffix = rng.choice(DOI_SHAPES)
            fields.append(("doi", "{" + prefix + suffix.format(rng.randrange(10**8)) + "}"))
        if rng.random() < 0.3:
            url = rng.choice(URL_SHAPES).format(rng.randrange(10**9), year)
            fields.append(("url", "{" + url + "}"))
            if rng.random() < 0.6:
                day = f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                fields.append(("urldate", "{" + day + "}"))
        return fields

    def chunks() -> Iterator[str]:
        yield f"% Encoding: UTF-8\n% Synthetic benchmark catalogue: {n} editions, seed {seed}.\n"
        for publisher, macro in macros.items():
            yield f"\n@string{{{macro} = {spelled(publisher, BBT)}}}\n"
        every = max(1, n // 25)
        for i in range(n):
            style = rng.choices(STYLES, STYLE_WEIGHTS)[0]
            kind = rng.random()
            entry_type = "book" if kind < 0.85 else "incollection" if kind < 0.95 else "article"
            year = rng.randint(1850, 2020)
            nauth = 1 if rng.random() < 0.85 else 2
            trans = [translators[0] if i % every == 0 else rng.choice(translators)]
            other = rng.choice(translators)
            if rng.random() < 0.1 and other != trans[0]:
                trans.append(other)
            fields = [
                ("author", people(rng.sample(authors, nauth), style)),
                ("title", "{" + title_of(i, style) + "}"),
                *year_fields(year),
            ]
            if entry_type == "incollection":
                fields.append(("booktitle", "{" + title_of(i + 1, style) + "}"))
                fields.append(("editor", people([rng.choice(authors)], style)))
            elif entry_type == "article":
                fields.append(("journaltitle", spelled(rng.choice(JOURNALS), style)))
                fields.append(("volume", f"{{{rng.randint(1, 80)}}}"))
                fields.append(("number", f"{{{rng.randint(1, 12)}}}"))
            if entry_type != "book" or rng.random() < 0.1:  # a range: 123--145
                first = rng.randint(1, 400)
                fields.append(("pages", f"{{{first}--{first + rng.randint(2, 60)}}}"))
            elif rng.random() < 0.3:
                fields.append(("pagetotal", f"{{{rng.randint(60, 900)}}}"))
            if entry_type != "article":
                fields.append(("location", spelled(rng.choice(LOCATIONS), style, 0.6)))
                publisher = rng.choice(publishers)
                if publisher in macros and rng.random() < 0.5:
                    fields.append(("publisher", macros[publisher]))
                else:
                    fields.append(("publisher", spelled(publisher, style, 0.6)))
            fields.append(("langid", "{english}"))
            fields.append(("translator", people(trans, style)))
            if rng.random() < 0.7:
                orig_year = rng.randint(max(1800, year - 120), year)
                origtitle = " ".join(rng.sample(ORIG_WORDS, rng.randint(2, 4)))
                queries.setdefault("original", origtitle)
                fields += [
                    ("origtitle", spelled(origtitle, style, 0.7)),
                    ("origdate", f"{{{orig_year}}}"),
                    ("origlocation", spelled(rng.choice(LOCATIONS), style)),
                    ("origlanguage", "{" + rng.choice(LANGS) + "}"),
                ]
            fields += identifiers(year)
            if rng.random() < 0.4:
                keywords = rng.sample(KEYWORDS, rng.randint(1, 4))
                fields.append(
                    ("keywords", spelled((", " if style != HAND else "; ").join(keywords), style))
                )
            annote = "annotation" if style == BBT else "annote"
            fields.append((annote, "{" + annotation(style) + "}"))
            if style == JABREF:  # JabRef aligns the = signs; the others do not
                body = ",\n".join(f"  {name:<12} = {value}" for name, value in fields)
            else:
                body = ",\n".join(f"  {name} = {value}" for name, value in fields)
            yield f"\n@{entry_type}{{bench{i:06d},\n{body},\n}}\n"
        yield "\n@comment{jabref-meta: databaseType:biblatex;}\n"

    return queries, chunks()


@dataclass
class BibFile:
    """A generated .bib file and the values that the queries look for in it."""

    path: Path
    n: int
    queries: dict[str, str]
    reused: bool

    @property
    def mib(self) -> float:
        return self.path.stat().st_size / 2**20


def prepare_bib(n: int, workdir: Path, reuse: bool, seed: int = 1) -> BibFile:
    """Write ``bench-N.bib`` (streamed) with a sidecar ``bench-N.json``; with ``reuse``, keep
    a file that an earlier run of the same generator wrote completely."""
    bib = workdir / f"bench-{n}.bib"
    sidecar = workdir / f"bench-{n}.json"
    stamp = {"n": n, "seed": seed, "generator": GENERATOR_VERSION}
    if reuse and bib.exists() and sidecar.exists():
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        if meta.get("stamp") == stamp and meta.get("bytes") == bib.stat().st_size:
            print(
                f"size {n}: reusing {bib} ({bib.stat().st_size / 2**20:.1f} MiB)", file=sys.stderr
            )
            return BibFile(bib, n, meta["queries"], reused=True)
    sidecar.unlink(missing_ok=True)
    t0 = time.perf_counter()
    queries, chunks = generate_bib(n, seed)
    with open(bib, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
        handle.writelines(chunks)
    sidecar.write_text(
        json.dumps({"stamp": stamp, "bytes": bib.stat().st_size, "queries": queries}),
        encoding="utf-8",
    )
    result = BibFile(bib, n, queries, reused=False)
    print(
        f"size {n}: generated {bib} ({result.mib:.1f} MiB) in {time.perf_counter() - t0:.1f} s;"
        f" queries {queries}",
        file=sys.stderr,
        flush=True,
    )
    return result


# ----------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One finished child process: wall seconds, peak RSS in MiB, its output and exit code."""

    wall: float
    rss_mib: float
    stdout: str
    stderr: str = ""
    code: int = 0


def run_child_rusage(args: list[str], env: dict[str, str] | None = None, check: bool = True) -> Run:
    """Run ``args`` to completion; return its wall time, its own peak RSS and its output.

    The child is reaped with ``os.wait4``, which gives the rusage of exactly this child, so
    the peaks of successive steps are separate (``RUSAGE_CHILDREN`` would be the maximum over
    all of them, and ``subprocess`` reaps without keeping the rusage). Its standard input is
    /dev/null, so nothing can wait on a prompt. With ``check``, a non-zero exit raises.
    """
    out = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    err = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    start = time.perf_counter()
    pid = os.posix_spawn(
        args[0],
        args,
        env if env is not None else os.environ,
        file_actions=[
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ],
    )
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
    out.close()
    err.close()
    code = os.waitstatus_to_exitcode(status)
    if check and code != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({code}):\n{stderr[-2000:]}")
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(wall, usage.ru_maxrss * scale / 2**20, stdout, stderr, code)


def py(*args: str) -> list[str]:
    """A command line for this interpreter."""
    return [sys.executable, *args]


def median_run(args: list[str], repeat: int) -> Run:
    """Median wall time (and the max peak memory) of ``repeat`` runs of ``args``."""
    runs = [run_child_rusage(args) for _ in range(repeat)]
    return Run(
        statistics.median(r.wall for r in runs), max(r.rss_mib for r in runs), runs[-1].stdout
    )


PARSE_FLOOR = """
import json, sys, time
t0 = time.perf_counter()
import bibtexparser
text = open(sys.argv[1], encoding="utf-8").read()
t1 = time.perf_counter()
library = bibtexparser.parse_string(text)
t2 = time.perf_counter()
out = {"parse": t2 - t1, "setup": t1 - t0, "entries": len(library.entries)}
if len(sys.argv) > 2:
    written = bibtexparser.write_string(library)
    t3 = time.perf_counter()
    open(sys.argv[2], "w", encoding="utf-8").write(written)
    out["write"] = t3 - t2
print(json.dumps(out))
"""

# argv: catalogue, JSON {filter name: value}, "export" or "no-export". A filter that
# queries.Filters does not have (yet) is reported as null rather than failing.
LIBRARY_QUERY = """
import dataclasses, json, statistics, sys, time
from biblio import config, db, queries
from biblio.export import export
from biblio.models import Edition
from sqlalchemy import func, select
engine = db.open_catalogue(config.resolve(sys.argv[1]))
wanted = json.loads(sys.argv[2])
known = {f.name for f in dataclasses.fields(queries.Filters)}
out = {"queries": {}}
with db.session_scope(engine, commit=False) as session:
    out["editions"] = session.scalar(select(func.count()).select_from(Edition))
    for name, value in wanted.items():
        if name not in known:
            out["queries"][name] = None
            continue
        filters = queries.Filters(**{name: value})
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            views = queries.list_editions(session, filters)
            times.append(time.perf_counter() - t0)
        out["queries"][name] = {"median_ms": statistics.median(times) * 1000,
                                "found": len(views)}
    if sys.argv[3] == "export":
        t0 = time.perf_counter()
        everything = queries.list_editions(session, queries.Filters())
        text = export(everything, "biblatex").text
        out["export_s"] = time.perf_counter() - t0
        out["exported"] = len(everything)
engine.dispose()
print(json.dumps(out))
"""

# The library queries: the "editions by translator, publisher or original".
LIBRARY_FILTERS = ("translator", "publisher", "original")


# ----------------------------------------------------------------------------- steps


@dataclass
class Row:
    """One line of the result table."""

    size: str
    step: str
    ours: str
    floor: str
    ratio: float | None
    target: float | None
    note: str = ""

    def cells(self) -> list[str]:
        """The Markdown cells; a ratio over its target is marked ❌, within it ✅."""
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}×"
        target = "" if self.target is None else f"≤ {self.target:g}×"
        verdict = ""
        if self.ratio is not None and self.target is not None:
            verdict = "✅" if self.ratio <= self.target else "❌"
        return [self.size, self.step, self.ours, self.floor, ratio, target, verdict, self.note]


@dataclass
class Results:
    """All rows, in the order measured, and notes for under the table."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args: object, **kwargs: object) -> None:
        """Append a Row (and echo it to stderr as progress)."""
        row = Row(*args, **kwargs)  # type: ignore[arg-type]
        self.rows.append(row)
        print("  " + " | ".join(row.cells()), file=sys.stderr, flush=True)


def secs(value: float) -> str:
    """Seconds, human-sized."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def mib(value: float) -> str:
    """MiB."""
    return f"{value:.0f} MiB"


def progress(message: str) -> None:
    """A line on stderr, at once."""
    print(message, file=sys.stderr, flush=True)


def bench_startup(results: Results, repeat: int) -> Run:
    """--version and --help vs `python -c "import click"` (median of ``repeat``)."""
    click_run = median_run(py("-c", "import click"), repeat)
    version = median_run(py("-m", "biblio", "--version"), repeat)
    helps = median_run(py("-m", "biblio", "--help"), repeat)
    for name, run in (("--version", version), ("--help", helps)):
        results.add(
            "–",
            f"start-up `biblio {name}`",
            secs(run.wall),
            f"{secs(click_run.wall)} (import click)",
            run.wall / click_run.wall,
            TARGETS["startup_time"],
            f"median of {repeat}",
        )
    return version


def biblio_import(db: str, bib: BibFile) -> Run:
    """``python -m biblio --db DB import FILE`` into an empty catalogue, checked complete."""
    progress(f"size {bib.n}: biblio import into {db} …")
    run = run_child_rusage(py("-m", "biblio", "--db", db, "import", str(bib.path)))
    said = re.search(r"imported (\d+) entries", run.stdout + run.stderr)
    if said is None or int(said.group(1)) != bib.n:
        raise RuntimeError(f"biblio import of {bib.n} entries said: {run.stderr[-500:]}")
    return run


@dataclass
class Options:
    """What every size needs from the command line."""

    workdir: Path
    version: Run
    repeat: int
    reuse: bool
    pg_url: str | None
    pubs: Pubs | None


def bench_size(results: Results, n: int, opts: Options, full: bool) -> None:
    """All measurements for one size.

    ``full``: generate, parse and write floors, import, export, queries (+ PostgreSQL).
    Otherwise (a query-only size): generate, build the catalogue with ``biblio import``
    (timed, but without a floor), then the queries only.
    """
    label = f"{n:,}"
    bib = prepare_bib(n, opts.workdir, opts.reuse)

    parse = write = None
    write_info: dict[str, float] = {}
    if full:  # floor: parse (and, in a second process, parse + write)
        progress(f"size {n}: bibtexparser floors …")
        parse = run_child_rusage(py("-c", PARSE_FLOOR, str(bib.path)))
        parse_info = json.loads(parse.stdout)
        if parse_info["entries"] != n:
            raise RuntimeError(f"bibtexparser found {parse_info['entries']} of {n} entries")
        written = opts.workdir / f"bench-{n}-bibtexparser.bib"
        write = run_child_rusage(py("-c", PARSE_FLOOR, str(bib.path), str(written)))
        write_info = json.loads(write.stdout)
        written.unlink(missing_ok=True)

    # biblio import into an empty SQLite catalogue (a query-only size may reuse one that an
    # earlier run with the same .bib finished)
    catalogue = opts.workdir / f"bench-{n}.db"
    done = opts.workdir / f"bench-{n}.db.done"
    stamp = bib.path.with_suffix(".json").read_text(encoding="utf-8")
    imp = None
    if not full and opts.reuse and done.exists() and done.read_text(encoding="utf-8") == stamp:
        progress(f"size {n}: reusing the catalogue {catalogue}")
        results.add(label, "import (SQLite)", "reused", "", None, None, "--reuse: earlier run")
    else:
        done.unlink(missing_ok=True)
        catalogue.unlink(missing_ok=True)
        imp = biblio_import(str(catalogue), bib)
        done.write_text(stamp, encoding="utf-8")
        if parse is not None:
            results.add(
                label,
                "import (SQLite), time",
                secs(imp.wall),
                f"{secs(parse.wall)} (parse_string {secs(parse_info['parse'])} inside)",
                imp.wall / parse.wall,
                TARGETS["import_time"],
                "whole processes",
            )
            results.add(
                label,
                "import (SQLite), peak RSS",
                mib(imp.rss_mib),
                mib(parse.rss_mib),
                imp.rss_mib / parse.rss_mib,
                TARGETS["import_mem"],
                "ru_maxrss of each child",
            )
        else:
            results.add(
                label,
                "import (SQLite), builds the catalogue",
                f"{secs(imp.wall)}, {mib(imp.rss_mib)}",
                "",
                None,
                None,
                "query-only size: no floor run, informative",
            )

    if opts.pubs is not None and n == opts.pubs.size:
        if imp is None:  # a reused catalogue: import afresh beside pubs
            imp = biblio_import(str(opts.workdir / f"bench-{n}-beside-pubs.db"), bib)
        bench_pubs(results, opts.pubs, bib, imp, opts.workdir)

    if full and write is not None:
        write_floor = write.wall - write_info["parse"]  # start-up + write, the parse left out
        out = opts.workdir / f"bench-{n}-biblio.bib"
        progress(f"size {n}: biblio export …")
        exp = run_child_rusage(
            py("-m", "biblio", "--db", str(catalogue), "export", "--format", "biblatex")
            + ["-o", str(out)]
        )
        out.unlink(missing_ok=True)
        results.add(
            label,
            "export biblatex, time",
            secs(exp.wall),
            f"{secs(write_floor)} (write_string {secs(write_info['write'])} + start-up)",
            exp.wall / write_floor,
            TARGETS["export_time"],
            "floor: parse time subtracted",
        )
        results.add(
            label,
            "export biblatex, peak RSS",
            mib(exp.rss_mib),
            mib(write.rss_mib),
            exp.rss_mib / write.rss_mib,
            None,
            "floor holds parsed library",
        )

    # queries
    translator = bib.queries["translator"]
    lst = median_run(
        py("-m", "biblio", "--db", str(catalogue), "list", "--translator", translator),
        opts.repeat,
    )
    results.add(
        label,
        "`list --translator`, time",
        secs(lst.wall),
        f"{secs(opts.version.wall)} (--version)",
        lst.wall / opts.version.wall,
        TARGETS["list_time"],
        f"median of {opts.repeat}; {lst.stdout.count(chr(10))} lines out",
    )
    library_queries(results, label, str(catalogue), bib, "", with_export=full, write=write_info)

    if opts.pg_url and full:  # a query-only size (1M) is built on SQLite only
        bench_postgres(results, label, bib, opts, parse)


def library_queries(
    results: Results,
    label: str,
    db: str,
    bib: BibFile,
    backend: str,
    with_export: bool,
    write: dict[str, float],
) -> None:
    """``list_editions`` by translator, publisher and original (median of 20 each), and with
    ``with_export`` the informative in-library export of everything."""
    wanted = {name: bib.queries[name] for name in LIBRARY_FILTERS if name in bib.queries}
    args = [db, json.dumps(wanted), "export" if with_export else "no-export"]
    lib = json.loads(run_child_rusage(py("-c", LIBRARY_QUERY, *args)).stdout)
    if lib["editions"] != bib.n:
        raise RuntimeError(f"{db} holds {lib['editions']} editions, not {bib.n}")
    for name, value in wanted.items():
        got = lib["queries"][name]
        step = f"list_editions({name}) in library{backend}"
        if got is None:
            results.add(label, step, "–", "", None, None, f"queries.Filters has no `{name}`")
            continue
        if got["found"] == 0:  # the value is in the file (maybe spelled in LaTeX there)
            raise RuntimeError(f"list_editions({name}={value!r}) found nothing in {db}")
        results.add(
            label,
            step,
            f"{got['median_ms']:.2f} ms",
            f"{TARGETS['query_ms']:g} ms target",
            got["median_ms"] / TARGETS["query_ms"],
            1.0,
            f"median of 20; {got['found']} editions for {value!r}",
        )
    if with_export and write:
        results.add(
            label,
            f"export in library (list_editions + export){backend}",
            secs(lib["export_s"]),
            f"{secs(write['write'])} (write_string)",
            lib["export_s"] / write["write"],
            TARGETS["export_time"],
            f"{lib['exported']} editions; informative",
        )


def bench_postgres(
    results: Results, label: str, bib: BibFile, opts: Options, parse: Run | None
) -> None:
    """Import and query against a fresh PostgreSQL database, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    assert opts.pg_url
    name = f"biblio_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(opts.pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(opts.pg_url).set(database=name).render_as_string(hide_password=False)
    try:
        imp = biblio_import(url, bib)
        if parse is not None:
            results.add(
                label,
                "import (PostgreSQL), time",
                secs(imp.wall),
                f"{secs(parse.wall)} (parse)",
                imp.wall / parse.wall,
                TARGETS["import_time"],
                "whole processes",
            )
            results.add(
                label,
                "import (PostgreSQL), peak RSS",
                mib(imp.rss_mib),
                mib(parse.rss_mib),
                imp.rss_mib / parse.rss_mib,
                TARGETS["import_mem"],
                "client process only",
            )
        else:
            results.add(
                label,
                "import (PostgreSQL), builds the catalogue",
                f"{secs(imp.wall)}, {mib(imp.rss_mib)}",
                "",
                None,
                None,
                "query-only size: no floor run, informative",
            )
        lst = median_run(
            py("-m", "biblio", "--db", url, "list", "--translator", bib.queries["translator"]),
            opts.repeat,
        )
        results.add(
            label,
            "`list --translator` (PostgreSQL)",
            secs(lst.wall),
            f"{secs(opts.version.wall)} (--version)",
            lst.wall / opts.version.wall,
            TARGETS["list_time"],
            f"median of {opts.repeat}",
        )
        library_queries(results, label, url, bib, " (PostgreSQL)", with_export=False, write={})
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# ----------------------------------------------------------------------------- pubs

# pubs 0.9.0 (the latest release) declares bibtexparser>=1.0 but only works with 1.x: it
# imports pyparsing and bibtexparser.bparser, which bibtexparser 2 no longer has or needs.
PUBS_REQUIREMENTS = ["pubs==0.9.0", "bibtexparser>=1.4,<2"]
# pubs prints these for every entry it imports; any other line is worth showing.
PUBS_ROUTINE = (re.compile(r"^info: \S+ imported\.$"), re.compile(r"^warning: No file for \S+\.$"))


@dataclass
class Pubs:
    """A usable ``pubs`` executable, its version, and the size to compare at."""

    exe: Path
    version: str
    size: int


def pubs_env(home: Path) -> dict[str, str]:
    """The environment for pubs: a throw-away HOME (so ~/.pubsrc is never read or written),
    and editors that return at once."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        EDITOR="true",
        VISUAL="true",
        PYTHONIOENCODING="utf-8",
    )
    return env


def find_pubs(args: argparse.Namespace, workdir: Path) -> tuple[Pubs | None, str]:
    """The pubs to compare with, or None and why not.

    ``--pubs PATH`` names an executable; ``--pubs-venv DIR`` uses DIR/bin/pubs, creating the
    venv and installing PUBS_REQUIREMENTS into it from the package index first if missing.
    """
    if args.pubs:
        exe = Path(args.pubs).absolute()
    elif args.pubs_venv:
        venv = Path(args.pubs_venv).absolute()
        exe = venv / "bin" / "pubs"
        if not exe.exists():
            progress(f"creating {venv} with {' '.join(PUBS_REQUIREMENTS)} …")
            made = subprocess.run(
                [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True
            )
            if made.returncode == 0:
                made = subprocess.run(
                    [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
                    + PUBS_REQUIREMENTS,
                    capture_output=True,
                    text=True,
                )
            if made.returncode != 0:
                return None, f"could not install pubs into {venv}: {made.stderr.strip()[-300:]}"
    else:
        return None, "no pubs given (pass --pubs-venv DIR or --pubs PATH)"
    if not exe.exists():
        return None, f"no pubs at {exe}"
    home = workdir / "pubs-home"
    home.mkdir(parents=True, exist_ok=True)
    try:
        got = run_child_rusage([str(exe), "--version"], env=pubs_env(home), check=False)
    except OSError as error:
        return None, f"{exe} does not run: {error}"
    if got.code != 0:
        return None, f"`{exe} --version` failed: {(got.stderr or got.stdout).strip()[-300:]}"
    return Pubs(exe, got.stdout.strip() or got.stderr.strip(), args.pubs_size), ""


def bench_pubs(results: Results, pubs: Pubs, bib: BibFile, imp: Run, workdir: Path) -> None:
    """``pubs import`` of the same file into a new repository, next to biblio's import.

    pubs runs with its own config file and repository under the work directory, HOME pointed
    there too, stdin from /dev/null and EDITOR=true. The import is checked: one .bib per entry
    in the repository and as many lines from ``pubs list -k``.
    """
    n = bib.n
    base = workdir / f"pubs-{n}"
    shutil.rmtree(base, ignore_errors=True)
    home = base / "home"
    home.mkdir(parents=True)
    env = pubs_env(home)
    config, repo = base / "pubsrc", base / "repo"
    exe = str(pubs.exe)
    run_child_rusage([exe, "--config", str(config), "init", "-p", str(repo)], env=env)
    progress(f"size {n}: pubs import into {repo} …")
    run = run_child_rusage(
        [exe, "--config", str(config), "import", str(bib.path)], env=env, check=False
    )
    files = len(list((repo / "bib").glob("*.bib")))
    listed = run_child_rusage([exe, "--config", str(config), "list", "-k"], env=env, check=False)
    in_list = sum(1 for line in listed.stdout.splitlines() if line.strip())
    problems = [
        line
        for line in (run.stdout + "\n" + run.stderr).splitlines()
        if line.strip() and not any(pattern.match(line) for pattern in PUBS_ROUTINE)
    ]
    for line in problems[:20]:
        progress(f"  pubs: {line}")
    complete = run.code == 0 and files == n and in_list == n
    note = f"pubs {pubs.version}: {files}/{n} bib files, {in_list} in `pubs list`"
    if not complete:
        note += f", exit {run.code}; NOT comparable"
        note += f": {problems[0][:100]}" if problems else ""
        results.notes.append(
            f"pubs import of {n} entries was incomplete (exit {run.code}, {files} bib files, "
            f"{in_list} listed); its messages: " + "; ".join(problems[:5])
        )
    results.add(
        f"{n:,}",
        "import vs `pubs import`, time",
        secs(imp.wall),
        f"{secs(run.wall)} (pubs import, {mib(run.rss_mib)})",
        imp.wall / run.wall if complete else None,
        TARGETS["pubs_import_time"],
        note,
    )
    shutil.rmtree(base, ignore_errors=True)


# ----------------------------------------------------------------------------- report


def version_of(package: str) -> str:
    """Installed version of ``package``, or '?'."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def machine() -> str:
    """One Markdown paragraph describing where the figures were taken."""
    return (
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()} ({platform.python_implementation()}); "
        f"biblio {version_of('biblio')}, bibtexparser {version_of('bibtexparser')}, "
        f"SQLAlchemy {version_of('SQLAlchemy')}, psycopg {version_of('psycopg')}."
    )


def markdown(results: Results) -> str:
    """The results as a Markdown table, with the machine and the targets."""
    head = ["N", "step", "biblio", "floor or peer", "ratio", "target", "", "note"]
    lines = [machine(), "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in results.rows]
    lines += [
        "",
        "Targets (from the issue): import ≤ 1.25× parse time and ≤ 1.5× parse memory; "
        "at least 20× faster than `pubs import` (ratio ≤ 0.05×); "
        "export ≤ 1× bibtexparser's writer; `list --translator` ≤ 1.2× `biblio --version`; "
        "`--version`/`--help` ≤ 2× `import click`; queries inside the library ≤ 5 ms "
        "(shown as a ratio to 5 ms, target ≤ 1×).",
    ]
    lines += ["", *(f"Note: {note}" for note in results.notes)] if results.notes else []
    return "\n".join(lines)


def sizes_arg(value: str) -> list[int]:
    """'10000,100000' or '10k,1M' -> [10000, 100000] (argparse type)."""
    sizes = []
    for part in value.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        scale = {"k": 1_000, "m": 1_000_000}.get(part[-1], 1)
        try:
            number = int(part[:-1] if scale > 1 else part) * scale
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a size: {part!r}") from None
        if number < 1:
            raise argparse.ArgumentTypeError(f"sizes are at least 1: {part!r}")
        sizes.append(number)
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every size, print the table."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Full run: python benchmarks/run.py --sizes 10k,100k --query-only-sizes 1M "
        "--pubs-venv /tmp/pubs-venv --workdir /tmp/biblio-bench --reuse",
    )
    parser.add_argument(
        "--sizes",
        type=sizes_arg,
        default=[1000, 10000],
        help="sizes N for every measurement: import, export, queries (default 1000,10000)",
    )
    parser.add_argument(
        "--query-only-sizes",
        type=sizes_arg,
        default=[],
        metavar="SIZES",
        help="sizes at which the catalogue is built with `biblio import` (timed, no floor) "
        "and only the queries are measured, e.g. 1M",
    )
    parser.add_argument("--workdir", help="where to write .bib and catalogues (default: temp)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --workdir: keep generated .bib files from an earlier run, and at "
        "query-only sizes the catalogue an earlier run finished importing",
    )
    parser.add_argument("--postgres-url", help="also benchmark on a fresh database of this server")
    parser.add_argument("--repeat", type=int, default=5, help="runs for medians (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    peers = parser.add_mutually_exclusive_group()
    peers.add_argument(
        "--pubs-venv",
        metavar="DIR",
        help="compare with `pubs import` from this venv (created, with "
        f"{' '.join(PUBS_REQUIREMENTS)}, if it has no bin/pubs)",
    )
    peers.add_argument("--pubs", metavar="PATH", help="compare with this `pubs` executable")
    parser.add_argument(
        "--pubs-size",
        type=int,
        default=10_000,
        help="N for the pubs comparison (default 10000, the issue's)",
    )
    args = parser.parse_args(argv)
    both = set(args.sizes) & set(args.query_only_sizes)
    if both:
        parser.error(f"sizes in both --sizes and --query-only-sizes: {sorted(both)}")
    if args.reuse and not args.workdir:
        parser.error("--reuse needs --workdir")

    own_tmp = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-bench-")).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    progress(f"workdir: {workdir}")
    results = Results()
    try:
        pubs, why_not = find_pubs(args, workdir)
        if pubs is None:
            progress(why_not)
            results.notes.append(f"`pubs import` comparison skipped: {why_not}.")
        else:
            progress(f"pubs {pubs.version} at {pubs.exe}")
        version = bench_startup(results, args.repeat)
        opts = Options(workdir, version, args.repeat, args.reuse, args.postgres_url, pubs)
        plan = sorted([(n, True) for n in args.sizes] + [(n, False) for n in args.query_only_sizes])
        for n, full in plan:
            bench_size(results, n, opts, full)
        if pubs is not None and pubs.size not in args.sizes + args.query_only_sizes:
            bib = prepare_bib(pubs.size, workdir, args.reuse)
            catalogue = workdir / f"bench-{pubs.size}-beside-pubs.db"
            catalogue.unlink(missing_ok=True)
            bench_pubs(results, pubs, bib, biblio_import(str(catalogue), bib), workdir)
    finally:
        if own_tmp and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
