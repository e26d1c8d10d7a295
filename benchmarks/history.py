#!/usr/bin/env python
"""What recording the history costs an import: the same file imported with and without it.

    python benchmarks/history.py [--size 10k] [--workdir DIR] [--repeat 3]

The file is the one ``benchmarks/run.py`` generates (``bench-N.bib``, realistic LaTeX, braces
and escapes), read once with ``biblio.formats.read_files``; its records are then imported
into fresh SQLite catalogues, in this process, alternately:

* **with history**: as every biblio command does (a ``change`` and one ``change_row`` per row
  written);
* **without**: the same import inside ``history.suspended()``, which records nothing, the
  baseline measured in the same run.

Printed: the median import time of each (``--repeat`` runs), their ratio, and the history
rows written. The reading of the file is outside both timings: it is the same work either way.
The two imports alternate which goes first, so neither always finds the caches warm.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from run import prepare_bib, sizes_arg  # noqa: E402

from biblio import history  # noqa: E402
from biblio.catalogue import import_records  # noqa: E402
from biblio.config import resolve  # noqa: E402
from biblio.db import open_catalogue, session_scope  # noqa: E402
from biblio.formats import read_files  # noqa: E402


def import_once(records: list[Any], path: Path) -> tuple[float, int]:
    engine = open_catalogue(resolve(str(path)), create=True)
    try:
        start = time.perf_counter()
        with session_scope(engine) as session:
            history.start(session, "import", "benchmarks/history.py")
            import_records(session, [], records)
        elapsed = time.perf_counter() - start
        with engine.connect() as connection:
            from sqlalchemy import text

            rows = connection.execute(text("SELECT count(*) FROM change_row")).scalar() or 0
        return elapsed, rows
    finally:
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=sizes_arg, default=[10_000])
    parser.add_argument("--workdir", help="where the generated .bib is kept (default: temp)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-history-"))
    workdir.mkdir(parents=True, exist_ok=True)
    for n in args.size:
        bib = prepare_bib(n, workdir, reuse=True)
        entries, _problems = read_files([str(bib.path)])
        times: dict[str, list[float]] = {"with": [], "without": []}
        rows = 0
        for i in range(args.repeat):
            for mode in ("with", "without") if i % 2 == 0 else ("without", "with"):
                path = workdir / f"history-{n}-{mode}-{i}.db"
                path.unlink(missing_ok=True)
                records = [e.record for e in read_files([str(bib.path)])[0]] if i else [
                    e.record for e in entries
                ]  # fmt: skip
                if mode == "with":
                    elapsed, rows = import_once(records, path)
                else:
                    with history.suspended():
                        elapsed, _ = import_once(records, path)
                times[mode].append(elapsed)
                path.unlink(missing_ok=True)
        with_, without = (statistics.median(times[m]) for m in ("with", "without"))
        print(f"| {n:,} | import with history | {with_:.2f} s | without {without:.2f} s | "
              f"{with_ / without:.2f}× | {rows:,} history rows |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
