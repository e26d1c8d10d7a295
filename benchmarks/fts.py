#!/usr/bin/env python
"""What the full-text index (migration 0011) costs an import on SQLite.

    python benchmarks/fts.py [--size 10k] [--workdir DIR] [--repeat 3]

The file is the one ``benchmarks/run.py`` generates (``bench-N.bib``); its records are
imported in this process into fresh catalogues, alternately with SQLite's FTS5 triggers and
with them dropped (the baseline, measured in the same run), and the median times printed
with their ratio. Reading the file is outside both timings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import prepare_bib, sizes_arg  # noqa: E402
from sqlalchemy import text  # noqa: E402

from biblio.catalogue import import_records  # noqa: E402
from biblio.config import resolve  # noqa: E402
from biblio.db import open_catalogue, session_scope  # noqa: E402
from biblio.formats import read_files  # noqa: E402


def import_once(bib: Path, path: Path, with_index: bool) -> float:
    path.unlink(missing_ok=True)
    engine = open_catalogue(resolve(str(path)), create=True)
    try:
        if not with_index:
            with engine.begin() as connection:
                for name in ("insert", "delete", "update"):
                    connection.execute(text(f"DROP TRIGGER edition_fts_{name}"))
        records = [entry.record for entry in read_files([str(bib)])[0]]
        start = time.perf_counter()
        with session_scope(engine) as session:
            import_records(session, [], records)
        return time.perf_counter() - start
    finally:
        engine.dispose()
        path.unlink(missing_ok=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=sizes_arg, default=[10_000])
    parser.add_argument("--workdir", help="where the generated .bib is kept (default: temp)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-fts-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for n in args.size:
        bib = prepare_bib(n, workdir, reuse=True).path
        times: dict[bool, list[float]] = {True: [], False: []}
        for i in range(args.repeat):
            for with_index in (True, False) if i % 2 == 0 else (False, True):
                times[with_index].append(import_once(bib, workdir / "fts.db", with_index))
        with_, without = statistics.median(times[True]), statistics.median(times[False])
        print(f"| {n:,} | import with the full-text index | {with_:.2f} s | without "
              f"{without:.2f} s | {with_ / without:.2f}× |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
