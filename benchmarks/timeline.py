#!/usr/bin/env python
"""Time ``biblio stats timeline`` and ``stats translators --plot`` on large catalogues and
report each picture's size in pixels.

    python benchmarks/timeline.py --sizes 20k,100k [--workdir DIR [--reuse]] [--repeat 1]

For every size N a SQLite catalogue of N works is built through the library's import path
(``biblio.catalogue.import_records``, not timed): each work an original in French, German,
Russian, Japanese or Chinese from 1800 to 1999 with one to three dated translations (English,
German, Italian, Spanish) by translators from a pool of about N/10 names. Then each command
runs in a fresh process, as a user runs it, and its wall and CPU times (medians of
``--repeat``; the CPU time is the child's user + system time, steadier than the wall time on a
shared machine) and the PNG's width and height are printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from biblio.records import EditionRecord

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fr", "de", "ru", "ja", "zh")
TARGETS = ("en", "de", "it", "es")
TITLE_WORDS = {
    "fr": ("La", "Nuit", "Ville", "Mer", "Route", "du", "Siècle", "Naissance", "Été", "Forêt"),
    "de": ("Der", "Weg", "Stadt", "Nacht", "Zauberberg", "über", "Jahre", "Gärten", "Bücher"),
    "ru": ("Дело", "Тулаева", "Город", "Ночь", "Годы", "Море", "Дорога", "Лес"),
    "ja": ("真昼の", "暗黒", "雪国", "夜明け", "海辺の", "街", "物語"),
    "zh": ("红楼", "梦", "城市", "夜", "海", "路", "故事"),
}


def entries(works: int, seed: int = 1) -> list[EditionRecord]:
    """EditionRecords for ``works`` works, each with one to three dated translations."""
    from biblio.records import EditionRecord, OriginalRecord

    rng = random.Random(seed)
    translators = [f"Family{n}, Given{n % 37}" for n in range(max(1, works // 10))]
    records = []
    for n in range(works):
        language = LANGUAGES[n % len(LANGUAGES)]
        words = TITLE_WORDS[language]
        original_title = " ".join(rng.choice(words) for _ in range(rng.randint(2, 5))) + f" {n}"
        year = rng.randint(1800, 1999)
        for t in range(rng.randint(1, 3)):
            records.append(
                EditionRecord(
                    key=f"w{n}t{t}",
                    title=f"Translated title {n}.{t}",
                    date=str(min(2024, year + rng.randint(1, 90))),
                    language=TARGETS[(n + t) % len(TARGETS)],
                    authors=[f"Author{n % (works // 5 + 1)}, Anne"],
                    translators=[rng.choice(translators)],
                    original=OriginalRecord(
                        title=original_title, date=str(year), language=language
                    ),
                )
            )
    return records


def build(path: Path, works: int) -> None:
    """Create the catalogue at ``path`` with ``works`` works (replacing any file there)."""
    from biblio.catalogue import import_records
    from biblio.config import resolve
    from biblio.db import open_catalogue, session_scope

    path.unlink(missing_ok=True)
    engine = open_catalogue(resolve(str(path)), create=True)
    try:
        with session_scope(engine) as session:
            import_records(session, [], entries(works))
    finally:
        engine.dispose()


def timed(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``python -m biblio ARGS`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "biblio", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def size(value: str) -> int:
    """'20k' -> 20000, '1M' -> 1000000."""
    factor = {"k": 1_000, "m": 1_000_000}.get(value[-1:].lower(), 1)
    return int(float(value.rstrip("kKmM")) * factor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20k", help="numbers of works, e.g. 20k,100k")
    parser.add_argument("--workdir", help="where to keep catalogues and pictures (default: temp)")
    parser.add_argument("--reuse", action="store_true", help="reuse catalogues in --workdir")
    parser.add_argument("--repeat", type=int, default=1, help="runs for the median (default 1)")
    args = parser.parse_args()
    from PIL import Image

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="biblio-timeline-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print("| works | command | wall | CPU | picture (px) |\n|---|---|---|---|---|")
    for works in (size(s) for s in args.sizes.split(",")):
        db = workdir / f"timeline-{works}.db"
        if not (args.reuse and db.exists()):
            start = time.perf_counter()
            build(db, works)
            print(f"built {db} in {time.perf_counter() - start:.1f} s", file=sys.stderr)
        for command in ("timeline", "translators"):
            picture = workdir / f"{command}-{works}.png"
            argv = ["--db", str(db), "stats", command, "--plot", str(picture)]
            if command == "translators":
                argv += ["--format", "csv"]
            runs = [timed(argv) for _ in range(args.repeat)]
            wall = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[1] for run in runs)
            with Image.open(picture) as image:
                width, height = image.size
            print(
                f"| {works:,} | stats {command} --plot | {wall:.2f} s | {cpu:.2f} s "
                f"| {width} × {height} |"
            )


if __name__ == "__main__":
    main()
