"""Reading input files and writing output files whole or not at all."""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from pathlib import Path

from .errors import BiblioError


def umask() -> int:
    """The process's file-creation mask (read without changing it for good)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: str | os.PathLike[str], content: str | bytes) -> None:
    """Write ``content`` (text as UTF-8) to ``path`` through a temporary file in the same
    directory, so a failure never leaves a half-written file; the file gets the permissions
    a plain write would (not the temporary file's 0600). BiblioError if it cannot."""
    target = Path(path)
    try:
        fd, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.")
    except OSError as exc:
        raise BiblioError(f"{target}: cannot write: {exc.strerror}") from None
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o666 & ~umask())
        os.replace(temporary, target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise BiblioError(f"{target}: cannot write: {exc.strerror}") from None


def read_text(path: str, what: str, encoding: str | None = None) -> str:
    """The text of the file at ``path``: UTF-8 (a BOM dropped) unless ``encoding`` names
    another Python codec ("latin-1", "cp1252"); BiblioError naming the file for a missing,
    unreadable or binary one, or one not in its encoding (``what`` it should be: "a .bib
    file")."""
    file = Path(path)
    if file.is_dir():
        raise BiblioError(f"{path}: is a directory, not {what}")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise BiblioError(f"{path}: no such file") from None
    except OSError as exc:
        raise BiblioError(f"{path}: cannot read: {exc.strerror}") from None
    if encoding is not None:
        return _decode(path, data, encoding)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(path, data, codec)
    if b"\x00" in data:
        head = data[:400]
        if (
            len(head) % 2 == 0
            and head[0::2].count(0) == len(head) // 2
            and head[1::2].count(0) == 0
        ):
            return _decode(path, data, "utf-16-be")  # UTF-16 without a BOM (JabRef writes it)
        if (
            len(head) % 2 == 0
            and head[1::2].count(0) == len(head) // 2
            and head[0::2].count(0) == 0
        ):
            return _decode(path, data, "utf-16-le")
        raise BiblioError(f"{path}: binary file, not {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = _DECLARED.search(data[:2000])
        if declared and declared.group(1).decode("ascii").lower().replace("_", "-") not in (
            "utf-8",
            "utf8",
        ):  # JabRef's "% Encoding: windows-1252" header, honoured as JabRef does
            return _decode(path, data, declared.group(1).decode("ascii"))
        line = data[: exc.start].count(b"\n") + 1
        raise BiblioError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "give its encoding, e.g. --encoding latin-1"
        ) from None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"^%\s*Encoding:\s*([A-Za-z0-9_.:-]+)\s*$", re.M)


def _decode(path: str, data: bytes, encoding: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise BiblioError(f"unknown encoding {encoding!r} (a Python codec name)") from None
    if codec.name == "utf-8":
        codec = codecs.lookup("utf-8-sig")
    try:
        text = data.decode(codec.name)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BiblioError(
            f"{path}:{line}: not {encoding} text (byte 0x{data[exc.start]:02x})"
        ) from None
    return text.removeprefix("\ufeff")
