"""biblio.render: tables fitted to the terminal's width, measured in terminal cells.

Every width here is measured by wcwidth in the test itself: a Chinese or Japanese character
and an emoji take two cells, a combining accent none. A table's lines must fit the width, and
its columns must start at the same cell on every line.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from wcwidth import wcswidth

from biblio import render as rendering
from biblio.catalogue import import_records
from biblio.config import resolve
from biblio.db import open_catalogue, session_scope
from biblio.records import EditionRecord, OriginalRecord
from biblio.render import clip, render

from .conftest import invoke

COMBINING_ACUTE = "\u0301"
COMBINING_DIAERESIS = "\u0308"

#: Rows as ``biblio list`` prints them, in scripts that take two cells a character (Japanese,
#: Chinese, emoji) and with accents written as combining marks (zero cells).
ROWS = [
    {
        "key": "shiina1948mahiru",
        "year": 1951,
        "title": "真昼の暗黒: Darkness at Noon in Japanese, a long title to cut",
        "authors": "Koestler, Arthur",
        "translators": "中島, 賢二",
        "publisher": "岩波書店",
        "place": "東京",
        "original": "Darkness at Noon",
    },
    {
        "key": "cao1791hong",
        "year": 1958,
        "title": "红楼梦 📚 The Story of the Stone 🪨 with emoji",
        "authors": "Cao, Xueqin",
        "translators": "Hawkes, David; Minford, John",
        "publisher": "Penguin 🐧",
        "place": "Harmondsworth",
        "original": "紅樓夢",
    },
    {
        "key": "zoe2001cafe",
        "year": 2001,
        "title": f"Cafe{COMBINING_ACUTE} cre{COMBINING_ACUTE}me, Zoe{COMBINING_DIAERESIS} et "
        f"l'e{COMBINING_ACUTE}te{COMBINING_ACUTE} (combining accents throughout the title)",
        "authors": f"Mu{COMBINING_DIAERESIS}ller, Jo{COMBINING_DIAERESIS}rg",
        "translators": f"Ande{COMBINING_ACUTE}rez, Rene{COMBINING_ACUTE}e",
        "publisher": "Éditions de Minuit",
        "place": "Paris",
        "original": f"Der Cafe{COMBINING_ACUTE}",
    },
    {
        "key": "serge1967birth",
        "year": 1967,
        "title": "Birth of our Power",
        "authors": "Serge, Victor",
        "translators": "Greeman, Richard",
        "publisher": "Doubleday",
        "place": "Garden City, NY",
        "original": "Naissance de notre force",
    },
]
COLUMNS = list(ROWS[0])


def fields(line: str) -> list[tuple[int, str]]:
    """Each field of a table line, as (the cell it starts at, its text): fields are runs of
    text apart from the next by two spaces or more."""
    return [
        (wcswidth(line[: match.start()]), match.group())
        for match in re.finditer(r"\S+(?: \S+)*", line)
    ]


def assert_fits(text: str, rows: Sequence[dict[str, Any]], width: int | None) -> list[str]:
    """``text`` is a table of ``rows`` whose lines fit ``width`` cells, each column starting
    at the same cell on every line, each value whole or cut with an ellipsis; the columns
    shown, by name."""
    lines = text.splitlines()
    header, rule, body = lines[0], lines[1], lines[2 : 2 + len(rows)]
    if width is not None:
        assert all(wcswidth(line) <= width for line in lines), [wcswidth(x) for x in lines]
    shown = [name for _start, name in fields(header)]
    starts = [start for start, _name in fields(header)]
    assert [start for start, _dashes in fields(rule)] == starts
    for line, row in zip(body, rows, strict=True):
        found = fields(line)
        assert [start for start, _text in found] == starts, line
        for (_start, text), column in zip(found, shown, strict=True):
            value = str(row[column])
            assert text == value or (
                text.endswith("…") and value.startswith(text.removesuffix("…"))
            ), (column, text)
    return shown


@pytest.mark.parametrize("width", [80, 40])
def test_a_table_of_wide_and_combining_characters_fits_and_lines_up(width: int) -> None:
    text = render(ROWS, "table", COLUMNS, width=width)
    shown = assert_fits(text, ROWS, width)
    assert shown[:2] == ["key", "year"] and "title" in shown
    # Keys are never cut, titles are (the widest column, cut first).
    lines = text.splitlines()
    for row, line in zip(ROWS, lines[2:], strict=False):
        assert line.startswith(row["key"] + " ")
    assert any("…" in line for line in lines[2:6])
    left_out = [c for c in COLUMNS if c not in shown]
    if left_out:
        note = " ".join(lines[6:])
        assert note == f"({len(left_out)} columns left out for width: {', '.join(left_out)})"
    assert shown == COLUMNS[: len(shown)]  # left out from the right
    assert len(shown) == (4 if width == 80 else 3)


def test_wide_enough_a_table_is_not_cut() -> None:
    text = render(ROWS, "table", COLUMNS, width=1000)
    assert assert_fits(text, ROWS, None) == COLUMNS
    assert "…" not in text
    assert text == render(ROWS, "table", COLUMNS, width=None)
    assert max(wcswidth(line) for line in text.splitlines()) > 80


def test_a_key_is_never_cut() -> None:
    rows = [{"key": "averyveryverylongkey2001", "title": "A title"}]
    text = render(rows, "table", width=12)
    assert text.splitlines()[2] == "averyveryverylongkey2001"
    assert " ".join(text.splitlines()[3:]) == "(1 column left out for width: title)"


def test_clip_counts_cells_and_keeps_clusters_whole() -> None:
    assert clip("真昼の暗黒", 10) == "真昼の暗黒"
    assert clip("真昼の暗黒", 9) == "真昼の暗…" and wcswidth("真昼の暗…") == 9
    assert clip("真昼の暗黒", 8) == "真昼の…"  # a wide character is not split in two
    assert clip(f"Zoe{COMBINING_DIAERESIS} Zoe", 4) == f"Zoe{COMBINING_DIAERESIS}…"
    family = "\U0001f469\u200d\U0001f52c"  # woman scientist: one cluster, two cells
    assert clip(family * 3, 5) == family * 2 + "…"


def test_control_characters_become_spaces() -> None:
    rows = [{"key": "a", "title": "two\nlines\tand a tab"}]
    assert render(rows, "table", width=None).splitlines()[2] == "a    two lines and a tab"


def test_table_width_from_columns_a_terminal_or_none(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

        def fileno(self) -> int:
            raise io.UnsupportedOperation

    monkeypatch.delenv("COLUMNS", raising=False)
    assert rendering.table_width(io.StringIO()) is None  # a pipe or a file: never cut
    monkeypatch.setattr(rendering.shutil, "get_terminal_size", lambda: os.terminal_size((57, 20)))
    assert rendering.table_width(Terminal()) == 57
    monkeypatch.setenv("COLUMNS", "63")
    assert rendering.table_width(Terminal()) == 63
    # Not for a pipe: readline sets COLUMNS in processes without a terminal.
    assert rendering.table_width(io.StringIO()) is None
    monkeypatch.setenv("COLUMNS", "wide")
    assert rendering.table_width(Terminal()) == 57


def test_page_uses_the_pager_only_on_a_terminal_for_a_long_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    paged: list[str] = []
    monkeypatch.setattr(rendering.click, "echo_via_pager", paged.append)
    monkeypatch.setattr(rendering.shutil, "get_terminal_size", lambda: os.terminal_size((80, 10)))
    long, short = "".join(f"line {n}\n" for n in range(30)), "one\ntwo\n"
    rendering.page(long)  # captured: not a terminal
    assert capsys.readouterr().out == long and paged == []
    monkeypatch.setattr(rendering, "_is_terminal", lambda stream: True)
    rendering.page(short)
    assert capsys.readouterr().out == short and paged == []
    rendering.page(long)
    assert paged == [long.removesuffix("\n")] and capsys.readouterr().out == ""


# --------------------------------------------------------------------- biblio list


@pytest.fixture
def catalogue(tmp_path: Path) -> str:
    """A SQLite catalogue of ``ROWS``' editions."""
    db = str(tmp_path / "catalogue.db")
    entries = [
        EditionRecord(
            key=row["key"],
            title=row["title"],
            date=str(row["year"]),
            authors=[row["authors"]],
            translators=row["translators"].split("; "),
            publisher=row["publisher"],
            place=row["place"],
            language="en",
            original=OriginalRecord(title=row["original"], language="fr"),
        )
        for row in ROWS
    ]
    engine = open_catalogue(resolve(db), create=True)
    try:
        with session_scope(engine) as session:
            import_records(session, [], entries)
    finally:
        engine.dispose()
    return db


@pytest.mark.parametrize("width", [80, 40])
def test_list_on_a_terminal_fits_its_width(
    catalogue: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rendering, "_is_terminal", lambda stream: True)
    result = invoke(catalogue, "list", env={"COLUMNS": str(width), "LINES": "100"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(wcswidth(line) <= width for line in lines), result.stdout
    starts = [start for start, _name in fields(lines[0])]
    for line in lines[1:6]:
        assert [start for start, _text in fields(line)] == starts, line
    assert {line.split()[0] for line in lines[2:6]} == {row["key"] for row in ROWS}


def test_list_to_a_pipe_is_not_cut(catalogue: str) -> None:
    result = invoke(catalogue, "list", env={"COLUMNS": "40"})
    assert result.exit_code == 0, result.output
    assert "…" not in result.stdout
    assert "红楼梦 📚 The Story of the Stone 🪨 with emoji" in result.stdout
