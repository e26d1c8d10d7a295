"""Reading input files and writing output files whole or not at all."""

from __future__ import annotations

import os
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
    if b"\x00" in data:
        raise BiblioError(f"{path}: binary file, not {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BiblioError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); "
            "give its encoding, e.g. --encoding latin-1"
        ) from None


def _decode(path: str, data: bytes, encoding: str) -> str:
    import codecs

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
