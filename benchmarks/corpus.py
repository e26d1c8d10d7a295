"""Import every file of the real-file corpus (tests/data/real) and print a Markdown table.

    python benchmarks/corpus.py [--db-dir DIR]

For each format: files, files read (the rest refused, with the reason), entries in the files
(as an independent count: ``@type{`` blocks for .bib, ``TY  -`` lines, with one space or
two, for RIS, items for CSL-JSON), entries imported, warnings by kind, and the import time of
the whole corpus (``biblio import`` per file into a new SQLite catalogue, in this process).
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from biblio.cli import cli
from biblio.errors import BiblioError
from biblio.files import read_text
from biblio.formats import read_file

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "real"
ENCODINGS = {
    "bibtexparser-gbk_test.bib": "gbk",
    "jabref-encoding-windows-1252-but-utf-8-declared-decoding-fails.bib": "windows-1252",
}
FORMATS = {"bib": "bibtex", "ris": "ris", "csl": "csl-json"}


def count_in_text(fmt: str, text: str) -> int:
    """Entries in a file, counted without the readers under test."""
    if fmt == "bib":
        blocks = re.findall(r"^\s*@\s*([A-Za-z]+)\s*[{(]", text, re.M)
        return sum(b.lower() not in ("string", "preamble", "comment") for b in blocks)
    if fmt == "ris":
        return len(re.findall(r"^TY {1,2}-", text, re.M))
    data = json.loads(text)
    return len(data) if isinstance(data, list) else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-dir", default=None)
    args = parser.parse_args()
    workdir = Path(args.db_dir or tempfile.mkdtemp(prefix="biblio-corpus-"))
    print("| format | files | read | refused | entries in files | imported | share | time |")
    print("|---|---|---|---|---|---|---|---|")
    kinds: Counter[str] = Counter()
    refusals = []
    for folder, fmt in FORMATS.items():
        files = sorted((CORPUS / folder).iterdir())
        files = [f for f in files if f.suffix in (".bib", ".ris", ".json")]
        read = in_files = imported = 0
        started = time.perf_counter()
        for path in files:
            encoding = ENCODINGS.get(path.name)
            try:
                text = read_text(str(path), "a file", encoding)
                entries, problems = read_file(str(path), fmt, encoding)
            except BiblioError as exc:
                refusals.append(f"{path.name}: {exc}")
                continue
            in_files += count_in_text(folder, text)
            kinds.update(p.kind or "error" for p in problems if not p.is_error)
            errors = [p for p in problems if p.is_error]
            db = workdir / f"{path.stem}.db"
            options = ["--encoding", encoding] if encoding else []
            result = CliRunner().invoke(
                cli, ["--db", str(db), "import", "--skip-invalid", "--format", fmt, *options,
                      str(path)],
            )  # fmt: skip
            if result.exit_code != 0 or (errors and not entries):
                refusals.append(f"{path.name}: {(result.stderr or '').strip()[:160]}")
                continue
            read += 1
            imported += len(entries)
        took = time.perf_counter() - started
        share = imported / in_files if in_files else 1.0
        print(
            f"| {fmt} | {len(files)} | {read} | {len(files) - read} | {in_files} | {imported} "
            f"| {share:.1%} | {took:.1f} s |"
        )
    print("\nRefused:")
    for line in refusals:
        print(f"- {line}")
    print("\nWarnings by kind:")
    for kind, n in kinds.most_common():
        print(f"- {n} × {kind}")


if __name__ == "__main__":
    main()
