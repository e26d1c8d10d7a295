"""Every real RIS file of tests/data/real/ris (see SOURCES.md) read, imported into a SQLite
catalogue, exported and compared, tag by tag, with rispy's own reading of the original; and
exported again from a second catalogue, byte for byte the same."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import rispy

from biblio.problems import Entry
from biblio.ris import read_ris_file

from .conftest import invoke

REAL = Path(__file__).parent / "data" / "real" / "ris"
FILES = sorted(REAL.glob("*.ris"))

#: The reasons a real file, or some of its entries, may be refused for.
REFUSALS = ("not a RIS file (no 'TY  - ' line)", "no title (TI, T1 or CT)")
#: How much of the original's (tag, value) pairs the export must give back.
RATIO = 0.99
COUNTS = ("created", "updated")
#: A tag line as Zotero's RIS.js reads one: one or two spaces before the dash.
TAG_LINE = re.compile(r"([A-Z][A-Z0-9]) {1,2}-(?: (.*))?")


class ZoteroTagLines(rispy.RisParser):
    """rispy, told tag lines as Zotero tells them ("KW - history" included), so that a file
    written with one space before the dash is compared tag by tag too."""

    def parse_line(self, line: str) -> tuple[str, str] | tuple[None, str]:
        found = TAG_LINE.fullmatch(line)
        return (found[1], (found[2] or "").strip()) if found else super().parse_line(line)


def tag_values(text: str) -> list[Counter[tuple[str, str]]]:
    """The (tag, value) pairs of each entry as rispy reads them, independently of biblio: every
    tag as an unknown tag, so none is mapped, joined or dropped (a continuation line is a value
    of its own)."""
    pairs = []
    loaded = rispy.loads(
        text, implementation=ZoteroTagLines, mapping={"TY": "TY", "UK": "tags"}, list_tags=[]
    )
    for entry in loaded:
        found = Counter({("TY", entry["TY"]): 1})
        for tag, values in entry.get("tags", {}).items():
            found.update((tag, value) for value in values if value.strip())
        pairs.append(found)
    return pairs


def read_in_original(text: str, entries: list[Entry]) -> list[Counter[tuple[str, str]]]:
    """``tag_values`` of the lines of the original that each entry read comes from: from its TY
    to the next ER or TY (a malformed file may leave out its ERs)."""
    lines = text.splitlines()
    pairs = []
    for entry in entries:
        end = entry.line
        while end < len(lines) and not re.match(r"(TY|ER) {1,2}-", lines[end]):
            end += 1
        (found,) = tag_values("\n".join([*lines[entry.line - 1 : end], "ER  - "]))
        pairs.append(found)
    return pairs


def matched(
    originals: list[Counter[tuple[str, str]]],
    exported: list[Counter[tuple[str, str]]],
    replaced: set[str],
) -> tuple[int, int]:
    """(pairs given back, pairs of the originals read): each exported entry matched with the
    original entry it shares the most pairs with (the catalogue orders entries by year). An ID
    in ``replaced``, which repeats an earlier entry's, comes back as the key generated in its
    place: the same pair, equivalently."""
    free = list(range(len(originals)))
    back = total = 0
    for entry in exported:
        best = max(free, key=lambda i: sum((originals[i] & entry).values()))
        free.remove(best)
        same = originals[best] & entry
        back += sum(same.values())
        back += sum(1 for tag, value in originals[best] - same if tag == "ID" and value in replaced)
        total += sum(originals[best].values())
    return back, total


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_real_file_comes_back_tag_for_tag(path: Path, tmp_path: Path) -> None:
    entries, problems = read_ris_file(str(path))
    original = path.read_text(encoding="utf-8-sig")
    refused = [p for p in problems if p.is_error]
    assert all(p.message in REFUSALS for p in refused), refused
    starts = [TAG_LINE.fullmatch(line) for line in original.splitlines()]
    in_file = sum(1 for start in starts if start and start[1] == "TY")
    print(f"{path.name}: {len(entries)} entries read of {in_file}")
    assert len(entries) == in_file  # every entry Zotero reads ("TY - JOUR" too) is read
    if not entries:
        assert refused
        return

    first, second = str(tmp_path / "first.db"), str(tmp_path / "second.db")
    result = invoke(first, "import", "--skip-invalid", str(path))
    assert result.exit_code == 0, result.output
    created, updated = (int(re.search(rf"(\d+) {n}", result.output)[1]) for n in COUNTS)
    # The catalogue takes an entry with no key for one it has of the same title and year.
    assert created + updated == len(entries)
    exported = invoke(first, "export", "--format", "ris")
    assert exported.exit_code == 0, exported.output
    assert len(tag_values(exported.stdout)) == created

    originals = read_in_original(original, entries)
    replaced = {p.key for p in problems if p.kind == "RIS ID repeated, key generated"}
    back, total = matched(originals, tag_values(exported.stdout), replaced)
    print(f"{path.name}: {back}/{total} tag values back ({back / total:.2%})")
    assert back / total >= RATIO

    again = tmp_path / "again.ris"
    again.write_text(exported.stdout, encoding="utf-8")
    result = invoke(second, "import", str(again))
    assert result.exit_code == 0, result.output
    assert invoke(second, "export", "--format", "ris").stdout == exported.stdout
