"""One renderer for what commands print: rows as a table, JSON or CSV, and single records."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

FORMATS = ("table", "json", "csv")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(_cell(v) for v in value.values() if v not in (None, ""))
    return str(value)


def render(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """Render rows (dicts with the same keys) as ``table``, ``json`` or ``csv`` text.

    ``columns`` chooses and orders the table's and CSV's columns; JSON always has every key.
    """
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c)) for c in columns])
        return out.getvalue()
    if not rows:
        return "(no entries)\n"
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def render_record(record: dict[str, Any], fmt: str) -> str:
    """Render one record: ``json``, or aligned ``field: value`` lines (nested objects indented)."""
    if fmt == "json":
        return json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    lines: list[str] = []

    def emit(data: dict[str, Any], indent: str) -> None:
        width = max((len(k) for k in data), default=0)
        for name, value in data.items():
            if value in (None, "", []):
                continue
            if isinstance(value, dict):
                lines.append(f"{indent}{name}:")
                emit(value, indent + "  ")
            elif isinstance(value, list) and all(isinstance(v, dict) for v in value):
                lines.append(f"{indent}{name}:")
                for item in value:
                    lines.append(f"{indent}  -")
                    emit(item, indent + "    ")
            else:
                lines.append(f"{indent}{name.ljust(width)}  {_cell(value)}")

    emit(record, "")
    return "\n".join(lines) + "\n"
