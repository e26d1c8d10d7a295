"""Files in encodings other than UTF-8: what they declare is honoured, and a refusal says how
to give the encoding without naming one codec as if it were the file's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from biblio.errors import BiblioError
from biblio.files import declared_encoding, read_text

from .conftest import invoke

#: "Šome title" in ISO-8859-15, where Š is 0xa6 (in latin-1 and cp1252 0xa6 is ¦).
SOME_TITLE = "@book{k,\n  title = {Šome title}\n}\n".encode("iso-8859-15")


def _titles(db: str) -> list[str]:
    listed = invoke(db, "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    return [row["title"] for row in json.loads(listed.stdout)]


def test_an_emacs_coding_line_is_honoured(db: str, tmp_path: Path) -> None:
    path = tmp_path / "emacs.bib"
    path.write_bytes(b"% -*- coding: latin-9 -*-\n" + SOME_TITLE)
    result = invoke(db, "import", str(path))
    assert result.exit_code == 0, result.output
    assert _titles(db) == ["Šome title"]


@pytest.mark.parametrize(
    "first_line",
    [
        b"% -*- mode: bibtex; coding: iso-latin-9-unix -*-",
        b"% -*- coding: iso-8859-15 -*-",
        b"%% -*- Coding: Latin-9; fill-column: 80 -*-",
    ],
)
def test_emacs_names_and_line_forms(tmp_path: Path, first_line: bytes) -> None:
    path = tmp_path / "emacs.bib"
    path.write_bytes(first_line + b"\n" + SOME_TITLE)
    assert "{Šome title}" in read_text(str(path), "a .bib file")


def test_a_coding_line_below_the_first_is_not_one(tmp_path: Path) -> None:
    # Emacs reads file variables on the first line only (the second after "#!")
    path = tmp_path / "late.bib"
    path.write_bytes(b"% a comment\n% -*- coding: latin-9 -*-\n" + SOME_TITLE)
    assert declared_encoding(path.read_bytes()) is None
    with pytest.raises(BiblioError, match="not UTF-8 text"):
        read_text(str(path), "a .bib file")


def test_utf8_bytes_stay_utf8_whatever_the_coding_line_says(sqlite_db: str, tmp_path: Path) -> None:
    # as with JabRef's header: its own test files declare MacRoman in UTF-8 files
    path = tmp_path / "utf8.bib"
    path.write_bytes(b"% -*- coding: latin-9 -*-\n" + SOME_TITLE.decode("iso-8859-15").encode())
    assert invoke(sqlite_db, "import", str(path)).exit_code == 0
    assert _titles(sqlite_db) == ["Šome title"]


def test_the_refusal_shows_what_the_byte_is_in_each_common_codec(
    sqlite_db: str, tmp_path: Path
) -> None:
    path = tmp_path / "undeclared.bib"
    path.write_bytes(SOME_TITLE)
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line == (
        f"Error: {path}:2: not UTF-8 text (byte 0xa6); give its encoding, e.g. --encoding "
        "cp1252, --encoding iso-8859-15 or --encoding latin-1, whichever reads right (0xa6 is ¦ "
        "in cp1252 and latin-1, Š in iso-8859-15), or another Python codec"
    )
    # the reading that is right, followed, reads the file right
    assert invoke(sqlite_db, "import", str(path), "--encoding", "iso-8859-15").exit_code == 0
    assert _titles(sqlite_db) == ["Šome title"]


def test_a_byte_the_same_in_each_is_said_once(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "cafe.bib"
    path.write_bytes("@book{k, title = {Café}}\n".encode("latin-1"))
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1
    assert "(0xe9 is é in each)" in result.stderr


def test_a_declared_utf8_that_is_not_is_refused_saying_so(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "liar.bib"
    path.write_bytes(b"% -*- coding: utf-8 -*-\n" + SOME_TITLE)
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1
    assert f"{path}:3: not UTF-8 text (byte 0xa6, though it declares utf-8); " in result.stderr


def test_a_declared_encoding_python_lacks_is_named(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "odd.bib"
    path.write_bytes(b"% -*- coding: klingon-8 -*-\n" + SOME_TITLE)
    result = invoke(sqlite_db, "import", str(path))
    assert result.exit_code == 1
    assert "its declared encoding 'klingon-8' is not one Python knows" in result.stderr


def test_emacs_names_are_read_in_the_option_too(sqlite_db: str, tmp_path: Path) -> None:
    path = tmp_path / "plain.bib"
    path.write_bytes(SOME_TITLE)
    result = invoke(sqlite_db, "import", str(path), "--encoding", "latin-9")
    assert result.exit_code == 0, result.output
    assert _titles(sqlite_db) == ["Šome title"]
