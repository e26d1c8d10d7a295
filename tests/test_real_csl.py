"""Every real CSL-JSON file of the corpus (tests/data/real/csl, see SOURCES.md): read, imported
into a SQLite catalogue and exported again, the export compared item by item and variable by
variable with an independent ``json.load`` of the original; then export -> import -> export
must give the same bytes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from biblio.csl import read_csl_file

from .conftest import invoke

CORPUS = Path(__file__).parent / "data" / "real" / "csl"
FILES = sorted(p.name for p in CORPUS.iterdir())

#: Files refused as a whole, with the words of the reason.
REFUSED = {
    # citeproc-js's demo lookup table; pandoc says "expected Array, but encountered Object".
    "citeproc-js-citations.json": "an object keyed by item id",
}


def _original_items(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8-sig"))
    assert isinstance(data, list)
    return data


def _same(a: Any, b: Any) -> bool:
    """JSON values equal as written (types and object key order aside, as a reader sees them)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _export(db: str) -> str:
    result = invoke(db, "export", "--format", "csl-json")
    assert result.exit_code == 0, result.output
    return result.stdout


def _import(db: str, path: Path) -> None:
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output


def test_the_corpus_has_csl_files() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("name", FILES)
def test_a_real_file_comes_back_variable_by_variable(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = CORPUS / name
    entries, problems = read_csl_file(str(path))
    errors = [p for p in problems if p.is_error]
    if name in REFUSED:
        assert entries == [] and len(errors) == 1, errors
        assert REFUSED[name] in errors[0].message
        with capsys.disabled():
            print(f"\n{name}: refused: {errors[0].message}")
        return
    assert errors == [], errors[:5]
    original = _original_items(path)
    assert len(entries) == len(original)

    first = str(tmp_path / "first.db")
    _import(first, path)
    exported = _export(first)
    by_id = {json.dumps(item["id"]): item for item in json.loads(exported)}
    assert len(by_id) == len(original)
    total = equal = 0
    unequal: list[tuple[Any, str, Any, Any]] = []
    for source in original:
        item = by_id[json.dumps(source["id"])]
        for variable, value in source.items():
            total += 1
            if variable in item and _same(item[variable], value):
                equal += 1
            else:
                unequal.append((source["id"], variable, value, item.get(variable)))
    ratio = equal / total
    as_written = sum(len(pair) == 2 for e in entries for pair in e.record.kept.get("csl", []))
    with capsys.disabled():
        print(f"\n{name}: {len(entries)}/{len(original)} items, {equal}/{total} values equal "
              f"({ratio:.2%}); {total - as_written} given back by the columns, {as_written} "
              "kept as written")  # fmt: skip
    assert ratio >= 0.99, unequal[:10]

    again = tmp_path / "export.json"
    again.write_text(exported, encoding="utf-8")
    second = str(tmp_path / "second.db")
    _import(second, again)
    assert _export(second) == exported
