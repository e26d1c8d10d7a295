#!/usr/bin/env python
"""Time `biblio check` on a synthetic catalogue (100k editions by default) and print a table.

    python benchmarks/check.py [--size 100k] [--workdir DIR] [--repeat 3] [--postgres-url URL]

The catalogue is the one ``benchmarks/run.py`` builds: its generator writes ``bench-N.bib``
and ``biblio import`` reads it into ``bench-N.db``. With ``--workdir`` both are kept and the
next run (of this script, or of run.py with ``--reuse``) reuses them; without it they go to a
temporary directory. The generated file has no edition twice, so the checks run on a copy in
which one edition in a hundred (those whose id is a multiple of 100) is catalogued a second
time under another key, with its people: ``duplicate-edition`` has as many groups to report.

Measured, each in a fresh process (wall time including start-up, and the child's own peak
memory), median of ``--repeat``:

* ``biblio check --format json``: every check, the whole catalogue;
* the baseline, ``biblio list --format json``: every edition read with its people, originals
  and publishers and written out, so the least that a command reading the whole catalogue
  costs (``biblio --version`` is shown too, for start-up alone);
* inside the library, each check on its own (``run_checks(session, [id])``, one run each):
  what each costs, reading included, and how many findings it has.

With ``--postgres-url`` the same file is imported into a fresh database of that server (not
kept) and check and list are timed there too.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

# benchmarks/ is on sys.path when this script runs: reuse run.py's generator and measuring
from run import (
    BibFile,
    Run,
    biblio_import,
    mib,
    prepare_bib,
    progress,
    py,
    run_child_rusage,
    secs,
    sizes_arg,
)

PLANTED_EVERY = 100
"""One edition in this many is copied under a new key before the checks are timed."""

CHECK = ("check", "--format", "json")
BASELINE = ("list", "--format", "json")


def size_arg(value: str) -> int:
    """'100k' -> 100000 (argparse type)."""
    sizes = sizes_arg(value)
    if len(sizes) != 1:
        raise argparse.ArgumentTypeError(f"one size, not {value!r}")
    return sizes[0]


def catalogue_for(bib: BibFile, workdir: Path) -> Path:
    """``bench-N.db`` imported from ``bib``: reused when an earlier run (this script's or
    run.py's, which stamp it the same way) finished importing this very file."""
    catalogue = workdir / f"bench-{bib.n}.db"
    done = workdir / f"bench-{bib.n}.db.done"
    stamp = bib.path.with_suffix(".json").read_text(encoding="utf-8")
    if done.exists() and done.read_text(encoding="utf-8") == stamp and catalogue.exists():
        progress(f"reusing the catalogue {catalogue}")
        return catalogue
    done.unlink(missing_ok=True)
    catalogue.unlink(missing_ok=True)
    run = biblio_import(str(catalogue), bib)
    progress(f"imported {bib.n:,} editions in {secs(run.wall)}")
    done.write_text(stamp, encoding="utf-8")
    return catalogue


def plant_duplicates(db: str) -> int:
    """Copy every edition whose id is a multiple of PLANTED_EVERY, with its own credits,
    under its key + "-copy" (two set-based INSERT ... SELECT); the number of copies."""
    from sqlalchemy import func, insert, select

    from biblio.config import resolve
    from biblio.db import open_catalogue
    from biblio.models import Contribution, Edition

    edition, contribution = Edition.__table__, Contribution.__table__
    original, copy = edition.alias("original"), edition.alias("copy")
    columns = [c.name for c in edition.c if c.name != "id"]
    copies = select(
        *[(original.c.key + "-copy").label("key") if c == "key" else original.c[c] for c in columns]
    ).where(original.c.id % PLANTED_EVERY == 0)
    credit_columns = [c.name for c in contribution.c if c.name != "id"]
    credits = select(
        *[copy.c.id if c == "edition_id" else contribution.c[c] for c in credit_columns]
    ).select_from(
        contribution.join(original, contribution.c.edition_id == original.c.id).join(
            copy, copy.c.key == original.c.key + "-copy"
        )
    )
    engine = open_catalogue(resolve(db))
    try:
        with engine.begin() as connection:
            connection.execute(insert(edition).from_select(columns, copies))
            connection.execute(insert(contribution).from_select(credit_columns, credits))
            planted = connection.execute(
                select(func.count()).where(edition.c.key.like("%-copy"))
            ).scalar_one()
    finally:
        engine.dispose()
    return int(planted)


def timed(db: str, args: tuple[str, ...], repeat: int) -> tuple[Run, int]:
    """Median wall time and largest peak memory of ``repeat`` runs of ``biblio --db DB ARGS``
    (check exits 1 when it finds something), and the number of JSON rows it printed."""
    runs = []
    for _ in range(repeat):
        run = run_child_rusage(py("-m", "biblio", "--db", db, *args), check=False)
        if run.code not in (0, 1) or not run.stdout.startswith("["):
            raise RuntimeError(f"biblio {' '.join(args)} failed ({run.code}): {run.stderr[-2000:]}")
        runs.append(run)
    median = Run(statistics.median(r.wall for r in runs), max(r.rss_mib for r in runs), "")
    return median, len(json.loads(runs[-1].stdout))


def each_check(db: str) -> list[tuple[str, float, int]]:
    """(check id, seconds, findings) for every check run on its own inside the library, in a
    child process: Linux counts the memory of the process that spawns a child in the child's
    peak, so this one stays small for the next ``biblio`` runs."""
    run = run_child_rusage(py(__file__, "--each-check", db))
    return [(check, seconds, found) for check, seconds, found in json.loads(run.stdout)]


def print_each_check(db: str) -> None:
    """Print each_check's measurements as JSON (the child's side)."""
    from biblio.checks import CHECKS, run_checks
    from biblio.config import resolve
    from biblio.db import open_catalogue, session_scope

    engine = open_catalogue(resolve(db))
    measured = []
    try:
        for check in CHECKS:
            with session_scope(engine) as session:
                start = time.perf_counter()
                findings = run_checks(session, [check])
                measured.append((check, time.perf_counter() - start, len(findings)))
    finally:
        engine.dispose()
    print(json.dumps(measured))


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """The URL of a fresh database on the server of ``admin_url``, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"biblio_check_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def table(backends: list[tuple[str, str]], n: int, repeat: int) -> Iterator[str]:
    """The table rows for each (backend, catalogue of ``n`` editions), once duplicates are
    planted. Every ``biblio check`` run comes before every ``list``: Linux counts the peak
    memory of the process that spawns a child into the child's, and reading list's output
    makes this one large."""
    planted = {backend: plant_duplicates(db) for backend, db in backends}
    progress(f"timing check ({repeat} runs on each backend) …")
    checks = {backend: timed(db, CHECK, repeat) for backend, db in backends}
    progress(f"timing list --format json ({repeat} runs on each backend) …")
    baselines = {backend: timed(db, BASELINE, repeat) for backend, db in backends}
    for backend, db in backends:
        (check, found), (baseline, listed) = checks[backend], baselines[backend]
        if listed != n + planted[backend]:
            raise RuntimeError(f"list printed {listed} editions, not {n + planted[backend]}")
        yield (
            f"| {backend} | `biblio check` | {secs(check.wall)} | {mib(check.rss_mib)} | "
            f"{check.wall / baseline.wall:.2f}× | {found:,} findings "
            f"({planted[backend]:,} duplicates planted) |"
        )
        yield (
            f"| {backend} | `biblio list --format json` (baseline) | {secs(baseline.wall)} | "
            f"{mib(baseline.rss_mib)} | 1× | {listed:,} editions |"
        )
        progress(f"{backend}: each check inside the library …")
        for check_id, seconds, findings in each_check(db):
            yield f"| {backend} | `{check_id}` alone | {secs(seconds)} | | | {findings:,} |"


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the catalogue, time check against the baseline, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", type=size_arg, default=100_000, help="editions (default 100k; k and M work)"
    )
    parser.add_argument(
        "--workdir", help="keep the .bib and the catalogue here and reuse them (default: temp)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs for medians (default 3)")
    parser.add_argument("--postgres-url", help="also time a fresh database on this server")
    parser.add_argument("--each-check", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.each_check:
        print_each_check(args.each_check)
        return 0

    own_tmp = args.workdir is None
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-check-bench-")).absolute()
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        bib = prepare_bib(args.size, workdir, reuse=not own_tmp)
        catalogue = catalogue_for(bib, workdir)
        version = run_child_rusage(py("-m", "biblio", "--version"))
        planted = workdir / f"bench-{bib.n}-planted.db"
        shutil.copyfile(catalogue, planted)  # the imported catalogue stays reusable
        with ExitStack() as stack:
            backends = [("SQLite", str(planted))]
            if args.postgres_url:
                url = stack.enter_context(postgres_database(args.postgres_url))
                run = biblio_import(url, bib)
                progress(f"PostgreSQL: imported in {secs(run.wall)}")
                backends.append(("PostgreSQL", url))
            rows = list(table(backends, bib.n, args.repeat))
        planted.unlink()
    finally:
        if own_tmp:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"`biblio check` on {bib.n:,} synthetic editions (benchmarks/run.py's generator),")
    print(f"median of {args.repeat} fresh processes; `biblio --version` took {secs(version.wall)}.")
    print()
    print("| backend | step | time | peak RSS | against the baseline | found |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
