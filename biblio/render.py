"""One renderer for what commands print: rows as a table, JSON or CSV, and single records.

A table is laid out in terminal cells, measured with wcwidth: a Chinese or Japanese character
or an emoji takes two cells, a combining accent none, so columns line up whatever the script.
On a terminal it is fitted to a width (``table_width``: ``COLUMNS``, or the terminal's): the
widest columns (titles, most often) are cut first, to one width, with an ellipsis; a key is
never cut; columns that would be too narrow are left out from the right, and a last line
names them. Output to a pipe or a file is never cut.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, Literal, TextIO

import click
from wcwidth import iter_graphemes, wcswidth

FORMATS = ("table", "json", "csv")

GAP = "  "
"""Between two columns."""

NARROWEST = 10
"""Cells a cut column keeps at least, its ellipsis included (a shorter column keeps its own
width); beyond that, columns are left out instead."""

ROOMY = 30
"""Cells of its own width that a wide column (a title) keeps, when columns to its right can be
left out instead."""

ELLIPSIS = "…"

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(_cell(v) for v in value.values() if v not in (None, ""))
    return str(value)


def display_width(text: str) -> int:
    """The cells ``text`` takes on a terminal: two for a wide (CJK) character or an emoji,
    none for a combining mark. Control characters count as one cell each (tables print them
    as spaces)."""
    width = wcswidth(text)
    if width < 0:
        width = wcswidth(_CONTROL.sub(lambda m: " " * len(m.group()), text))
    return width


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` cells, ending with an ellipsis when cut; never inside
    a character cluster (a letter and its accents, an emoji sequence)."""
    if display_width(text) <= width:
        return text
    room = width - display_width(ELLIPSIS)
    if room < 0:
        return ""
    if text.isascii():  # one cell a character (control characters aside)
        return text[:room].rstrip() + ELLIPSIS
    kept: list[str] = []
    used = 0
    for cluster in iter_graphemes(text):
        cells = display_width(cluster)
        if used + cells > room:
            break
        kept.append(cluster)
        used += cells
    return "".join(kept).rstrip() + ELLIPSIS


def pad(text: str, width: int) -> str:
    """``text`` followed by spaces up to ``width`` cells."""
    return text + " " * (width - display_width(text))


def _fitted(text: str, cells: int, width: int) -> str:
    """``text``, ``cells`` wide, cut or padded to ``width`` cells."""
    if cells > width:
        return pad(clip(text, width), width)
    return text + " " * (width - cells)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def table_width(stream: TextIO | None = None) -> int | None:
    """The width tables are fitted to, in cells, when ``stream`` (stdout by default) is a
    terminal: ``COLUMNS`` when it is set to a number, else the terminal's width. None for a
    pipe or a file: such output is never cut, so nothing is lost to ``grep`` or a file, and
    ``COLUMNS`` is not read for it, since GNU readline sets it (to 80) in processes that have
    no terminal at all (pytest-xdist's workers, for one)."""
    stream = sys.stdout if stream is None else stream
    if not _is_terminal(stream):
        return None
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return shutil.get_terminal_size().columns


def page(text: str) -> None:
    """Print ``text`` to stdout: through the pager (``$PAGER``, else ``less``) when stdout is a
    terminal and ``text`` is taller than it, as git does; straight out otherwise (to a pipe or a
    file, or when it fits). ``PAGER=cat`` turns the pager off."""
    if _is_terminal(sys.stdout) and text.count("\n") >= shutil.get_terminal_size().lines:
        click.echo_via_pager(text.removesuffix("\n"))  # the pager adds the last newline
    else:
        click.echo(text, nl=False)


def _is_key(column: str) -> bool:
    return column == "key" or column.endswith("_key")


def _fit(columns: Sequence[str], natural: Sequence[int], limit: int) -> dict[int, int]:
    """The columns kept, by index, with their widths, so that the table fits ``limit`` cells.

    Keys keep their width. The other columns are cut to one common width, so the widest are
    cut first, each keeping at least half its width (up to ``ROOMY`` cells, at least
    ``NARROWEST``); when that is not enough, columns are left out from the right (never the
    first, nor a key). Rather than leave out the first wide column (the title, most often),
    every column may be cut down to ``NARROWEST``."""

    def total(widths: dict[int, int]) -> int:
        return sum(widths.values()) + len(GAP) * (len(widths) - 1)

    cut = [i for i, column in enumerate(columns) if i > 0 and not _is_key(column)]
    first_wide = next((i for i in cut if natural[i] > 2 * NARROWEST), None)
    for roomy in (True, False):
        floors = {
            i: width
            if _is_key(column)
            else min(width, max(NARROWEST, min(width // 2, ROOMY) if roomy else 0))
            for i, (column, width) in enumerate(zip(columns, natural, strict=True))
        }
        while total(floors) > limit:
            droppable = [i for i in cut if i in floors]
            if not droppable or (roomy and droppable[-1] == first_wide):
                break  # only keys are left: printed whole, wider than asked
            del floors[droppable[-1]]
        if total(floors) <= limit:
            break

    def capped(cap: int) -> dict[int, int]:
        return {
            i: natural[i] if _is_key(columns[i]) else min(natural[i], max(cap, floor))
            for i, floor in floors.items()
        }

    low, high = 0, max(natural)  # the widest common cap that fits
    while low < high:
        middle = (low + high + 1) // 2
        if total(capped(middle)) <= limit:
            low = middle
        else:
            high = middle - 1
    widths = capped(low)
    spare = limit - total(widths)
    for i, width in widths.items():  # the cells left over go to the cut columns
        if spare > 0 and width < natural[i]:
            widths[i] += 1
            spare -= 1
    return widths


def _table(rows: Sequence[dict[str, Any]], columns: Sequence[str], limit: int | None) -> str:
    header = list(columns)
    cells = [[_CONTROL.sub(" ", _cell(row.get(c))) for c in columns] for row in rows]
    sizes = [[display_width(value) for value in values] for values in (header, *cells)]
    natural = [max(column) for column in zip(*sizes, strict=True)]
    widths = dict(enumerate(natural))
    if limit is not None and sum(natural) + len(GAP) * (len(natural) - 1) > limit:
        widths = _fit(columns, natural, limit)

    def line(values: Sequence[str], cells: Sequence[int]) -> str:
        return GAP.join(_fitted(values[i], cells[i], w) for i, w in widths.items()).rstrip()

    lines = [line(header, sizes[0]), GAP.join("-" * w for w in widths.values())]
    lines += [line(values, size) for values, size in zip(cells, sizes[1:], strict=True)]
    left_out = [c for i, c in enumerate(columns) if i not in widths]
    if left_out:
        columns_word = "column" if len(left_out) == 1 else "columns"
        note = f"({len(left_out)} {columns_word} left out for width: {', '.join(left_out)})"
        lines += textwrap.wrap(note, limit) if limit else [note]
    return "\n".join(lines) + "\n"


def render(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[str] | None = None,
    width: int | None | Literal["terminal"] = "terminal",
) -> str:
    """Render rows (dicts with the same keys) as ``table``, ``json`` or ``csv`` text.

    ``columns`` chooses and orders the table's and CSV's columns; JSON always has every key.
    A table is fitted to ``width`` cells: by default ``table_width()``, None for no limit.
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
    return _table(rows, columns, table_width() if width == "terminal" else width)


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
