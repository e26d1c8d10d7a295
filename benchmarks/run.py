#!/usr/bin/env python
"""Benchmark biblio against its floors (bibtexparser, bare start-up) and print a Markdown table.

    python benchmarks/run.py --sizes 1000,10000 [--workdir DIR] [--postgres-url URL]

For every size N a deterministic synthetic biblatex file of N editions is generated and:

* import:   ``python -m biblio --db X import FILE``  vs  a process that runs
            ``bibtexparser.parse_string`` on the same file (the floor);
* export:   ``python -m biblio --db X export --format biblatex -o OUT``  vs  a process that
            runs ``bibtexparser.write_string`` on the parsed library (parse time subtracted);
* query:    ``python -m biblio --db X list --translator NAME``  vs  ``python -m biblio --version``,
            and ``biblio.queries.list_editions`` inside the library (median of 20, ms);
* start-up: ``python -m biblio --version`` / ``--help``  vs  ``python -c "import click"``;
* with ``--postgres-url``: import and query against a fresh PostgreSQL database too.

Every measured step runs in a fresh subprocess of ``sys.executable``, so wall times include
interpreter start-up on both sides of each ratio, and peak memory is that child's own
``ru_maxrss`` (read with ``os.wait4``), not a cumulative maximum over all children.
Generated files and catalogues go to a temporary directory (or ``--workdir``), never the repo.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
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

# LaTeX spellings of the accented letters we generate (used for ~10% of name occurrences)
LATEX = {
    "é": r"{\'e}",
    "è": r"{\`e}",
    "ê": r"{\^e}",
    "ë": r"{\"e}",
    "ï": r"{\"i}",
    "ü": r"{\"u}",
    "ö": r"{\"o}",
    "ä": r"{\"a}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ß": r"{\ss}",
    "å": r"{\aa}",
    "É": r"{\'E}",
    "ó": r"{\'o}",
    "ń": r"{\'n}",
}


def latexify(text: str) -> str:
    """Spell the accented letters of ``text`` as LaTeX macros (é -> {\\'e}, ł -> {\\l})."""
    return "".join(LATEX.get(ch, ch) for ch in text)


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


def bib_value(text: str) -> str:
    """A braced biblatex field value."""
    return "{" + text + "}"


def generate_bib(n: int, seed: int = 1) -> tuple[str, str]:
    """A deterministic biblatex file of ``n`` editions and a translator that appears in it.

    Authors come from a pool of ~n/10 names, translators from ~n/20, publishers from ~n/50;
    ~70% have an original (origtitle/origdate/origlocation/origlanguage); dates 1850-2020;
    annotations of ~200 characters; 10% of names are written with LaTeX accents.
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
    query_translator = translators[0]

    def person(name: str) -> str:
        return latexify(name) if rng.random() < 0.10 else name

    out = [f"% Synthetic benchmark catalogue: {n} editions, seed {seed}.\n"]
    for i in range(n):
        year = rng.randint(1850, 2020)
        date = str(year) if rng.random() < 0.7 else f"{year}-{rng.randint(1, 12):02d}"
        title = f"The {rng.choice(TITLE_A)} {rng.choice(TITLE_B)}"
        if rng.random() < 0.6:
            title += f" of {rng.choice(TITLE_C)}"
        if rng.random() < 0.2:
            title += " " + ("I", "II", "III", "IV", "V", "VI", "VII")[i % 7]
        nauth = 1 if rng.random() < 0.85 else 2
        auth = " and ".join(person(a) for a in rng.sample(authors, nauth))
        trans = translators[0] if i % max(1, n // 25) == 0 else rng.choice(translators)
        other = rng.choice(translators)
        if rng.random() < 0.1 and other != trans:
            trans = f"{trans} and {other}"
        trans = " and ".join(person(t) for t in trans.split(" and "))
        words = []
        while sum(len(w) + 1 for w in words) < 195:
            words.append(rng.choice(LOREM))
        annote = " ".join(words)
        fields = [
            ("author", auth),
            ("title", title),
            ("date", date),
            ("location", rng.choice(LOCATIONS)),
            ("publisher", rng.choice(publishers)),
            ("langid", "english"),
            ("translator", trans),
        ]
        if rng.random() < 0.7:
            orig_year = rng.randint(max(1800, year - 120), year)
            fields += [
                ("origtitle", " ".join(rng.sample(ORIG_WORDS, rng.randint(2, 4)))),
                ("origdate", str(orig_year)),
                ("origlocation", rng.choice(LOCATIONS)),
                ("origlanguage", rng.choice(LANGS)),
            ]
        fields.append(("annote", annote))
        body = ",\n".join(f"  {name:<12} = {bib_value(value)}" for name, value in fields)
        out.append(f"\n@book{{bench{i:06d},\n{body},\n}}\n")
    return "".join(out), query_translator


# ----------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One finished child process: wall seconds, peak RSS in MiB, its stdout."""

    wall: float
    rss_mib: float
    stdout: str


def run_child_rusage(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run ``args`` to completion; return its wall time, its own peak RSS and its stdout.

    The child is reaped with ``os.wait4``, which gives the rusage of exactly this child, so
    the peaks of successive steps are separate (``RUSAGE_CHILDREN`` would be the maximum over
    all of them, and ``subprocess`` reaps without keeping the rusage).
    """
    start = time.perf_counter()
    out = tempfile.TemporaryFile(mode="w+")
    err = tempfile.TemporaryFile(mode="w+")
    pid = os.posix_spawn(
        args[0],
        args,
        env if env is not None else os.environ,
        file_actions=[
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ],
    )
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    out.seek(0)
    err.seek(0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({code}):\n{err.read()[-2000:]}")
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(wall, usage.ru_maxrss * scale / 2**20, out.read())


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

LIBRARY_QUERY = """
import json, statistics, sys, time
from biblio import config, db, queries
from biblio.export import export
engine = db.open_catalogue(config.resolve(sys.argv[1]))
filters = queries.Filters(translator=sys.argv[2])
times = []
with db.session_scope(engine, commit=False) as session:
    for _ in range(20):
        t0 = time.perf_counter()
        views = queries.list_editions(session, filters)
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    everything = queries.list_editions(session, queries.Filters())
    text = export(everything, "biblatex").text
    export_s = time.perf_counter() - t0
engine.dispose()
print(json.dumps({"median_ms": statistics.median(times) * 1000, "found": len(views),
                  "export_s": export_s, "exported": len(everything)}))
"""


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
    """All rows, in the order measured."""

    rows: list[Row] = field(default_factory=list)

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


def bench_size(
    results: Results, n: int, workdir: Path, version: Run, repeat: int, pg_url: str | None
) -> None:
    """All measurements for one size: generate, parse floor, import, export, query (+ PG)."""
    label = f"{n:,}"
    t0 = time.perf_counter()
    text, translator = generate_bib(n)
    bib = workdir / f"bench-{n}.bib"
    bib.write_text(text, encoding="utf-8")
    print(
        f"size {n}: generated {bib} ({len(text) / 2**20:.1f} MiB) in "
        f"{time.perf_counter() - t0:.1f} s; query translator {translator!r}",
        file=sys.stderr,
    )

    # floor: parse (and, in a second process, parse + write)
    parse = run_child_rusage(py("-c", PARSE_FLOOR, str(bib)))
    parse_info = json.loads(parse.stdout)
    assert parse_info["entries"] == n, parse_info
    written = workdir / f"bench-{n}-bibtexparser.bib"
    write = run_child_rusage(py("-c", PARSE_FLOOR, str(bib), str(written)))
    write_info = json.loads(write.stdout)
    write_floor = write.wall - write_info["parse"]  # start-up + write, the parse left out

    # biblio import into an empty SQLite catalogue
    catalogue = workdir / f"bench-{n}.db"
    catalogue.unlink(missing_ok=True)
    imp = run_child_rusage(py("-m", "biblio", "--db", str(catalogue), "import", str(bib)))
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

    # export
    out = workdir / f"bench-{n}-biblio.bib"
    exp = run_child_rusage(
        py("-m", "biblio", "--db", str(catalogue), "export", "--format", "biblatex", "-o", str(out))
    )
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

    # query
    lst = median_run(
        py("-m", "biblio", "--db", str(catalogue), "list", "--translator", translator), repeat
    )
    results.add(
        label,
        "`list --translator`, time",
        secs(lst.wall),
        f"{secs(version.wall)} (--version)",
        lst.wall / version.wall,
        TARGETS["list_time"],
        f"median of {repeat}; {lst.stdout.count(chr(10))} lines out",
    )
    lib = json.loads(run_child_rusage(py("-c", LIBRARY_QUERY, str(catalogue), translator)).stdout)
    results.add(
        label,
        "list_editions in library",
        f"{lib['median_ms']:.2f} ms",
        f"{TARGETS['query_ms']:g} ms target",
        lib["median_ms"] / TARGETS["query_ms"],
        1.0,
        f"median of 20; {lib['found']} editions found",
    )
    results.add(
        label,
        "export in library (list_editions + export)",
        secs(lib["export_s"]),
        f"{secs(write_info['write'])} (write_string)",
        lib["export_s"] / write_info["write"],
        TARGETS["export_time"],
        f"{lib['exported']} editions; informative",
    )

    if pg_url:
        bench_postgres(results, label, bib, translator, version, parse, repeat, pg_url)


def bench_postgres(
    results: Results,
    label: str,
    bib: Path,
    translator: str,
    version: Run,
    parse: Run,
    repeat: int,
    pg_url: str,
) -> None:
    """Import and query against a fresh PostgreSQL database, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"biblio_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    try:
        imp = run_child_rusage(py("-m", "biblio", "--db", url, "import", str(bib)))
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
        lst = median_run(
            py("-m", "biblio", "--db", url, "list", "--translator", translator), repeat
        )
        results.add(
            label,
            "`list --translator` (PostgreSQL)",
            secs(lst.wall),
            f"{secs(version.wall)} (--version)",
            lst.wall / version.wall,
            TARGETS["list_time"],
            f"median of {repeat}",
        )
        lib = json.loads(run_child_rusage(py("-c", LIBRARY_QUERY, url, translator)).stdout)
        results.add(
            label,
            "list_editions in library (PostgreSQL)",
            f"{lib['median_ms']:.2f} ms",
            f"{TARGETS['query_ms']:g} ms target",
            lib["median_ms"] / TARGETS["query_ms"],
            1.0,
            f"median of 20; {lib['found']} editions found",
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
    head = ["N", "step", "biblio", "floor", "ratio", "target", "", "note"]
    lines = [machine(), "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in results.rows]
    lines += [
        "",
        "Targets (from the issue): import ≤ 1.25× parse time and ≤ 1.5× parse memory; "
        "export ≤ 1× bibtexparser's writer; `list --translator` ≤ 1.2× `biblio --version`; "
        "`--version`/`--help` ≤ 2× `import click`; query inside the library ≤ 5 ms "
        "(shown as a ratio to 5 ms, target ≤ 1×).",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run every size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated N (editions)")
    parser.add_argument("--workdir", help="where to write .bib and catalogues (default: temp)")
    parser.add_argument("--postgres-url", help="also benchmark on a fresh database of this server")
    parser.add_argument("--repeat", type=int, default=5, help="runs for medians (default 5)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    own_tmp = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"workdir: {workdir}", file=sys.stderr)
    results = Results()
    try:
        version = bench_startup(results, args.repeat)
        for n in sizes:
            bench_size(results, n, workdir, version, args.repeat, args.postgres_url)
    finally:
        if own_tmp and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
