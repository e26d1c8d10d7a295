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
        # UTF-16 without a BOM (JabRef writes it): one byte of each pair is mostly zero (the
        # ASCII and Latin-1 text of a .bib file; not all, where “quotes” or Cyrillic come in),
        # the other hardly ever
        head = data[: min(len(data), 4000) // 2 * 2]
        pairs = len(head) // 2
        for codec, high, low in (("utf-16-be", 0, 1), ("utf-16-le", 1, 0)):
            if (
                len(data) % 2 == 0
                and pairs
                and head[high::2].count(0) >= 0.7 * pairs
                and head[low::2].count(0) <= 0.02 * pairs
            ):
                return _decode(path, data, codec)
        raise BiblioError(f"{path}: binary file, not {what}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        declared = declared_encoding(data)
        if declared is not None and _codec(declared) not in (None, "utf-8"):
            # JabRef's header or Emacs's coding: honoured, as they honour it, where the bytes
            # are not UTF-8 (JabRef's own tests declare MacRoman in UTF-8 files)
            return _decode(path, data, str(_codec(declared)))
        line = data[: exc.start].count(b"\n") + 1
        raise BiblioError(f"{path}:{line}: {_not_utf8(data[exc.start], declared)}") from None


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: JabRef's header line ("% Encoding: windows-1252"), anywhere near the top.
_JABREF_HEADER = re.compile(rb"^%\s*Encoding:\s*([A-Za-z0-9_.:-]+)\s*$", re.M)
#: Emacs's file variables on the first line, or the second after a "#!" line:
#: "% -*- mode: bibtex; coding: latin-9 -*-".
_EMACS_LINE = re.compile(rb"-\*-(.*?)-\*-")
_EMACS_CODING = re.compile(rb"(?:^|;)\s*coding:\s*([A-Za-z0-9_.:-]+)", re.I)
#: Emacs's names of coding systems that Python spells otherwise.
_EMACS_CODECS = {
    "utf-8-with-signature": "utf-8-sig", "mule-utf-8": "utf-8", "chinese-gbk": "gbk",
    "chinese-iso-8bit": "gb2312", "chinese-big5": "big5", "cyrillic-koi8": "koi8-r",
    "japanese-shift-jis": "shift_jis", "japanese-iso-8bit": "euc-jp",
    "korean-iso-8bit": "euc-kr", "mac-roman": "mac-roman",
}  # fmt: skip
#: What a file in a Western European single-byte encoding most likely uses; the refusal of
#: a file that declares none shows what its first bad byte is in each.
_COMMON_CODECS = ("cp1252", "iso-8859-15", "latin-1")


def declared_encoding(data: bytes) -> str | None:
    """The encoding a file's bytes declare, as written: JabRef's ``% Encoding: X`` header,
    else an Emacs file-variables line (``-*- coding: X -*-``) first (or second, after ``#!``);
    None where they declare none."""
    header = _JABREF_HEADER.search(data[:2000])
    if header:
        return header.group(1).decode("ascii")
    lines = data[:2000].split(b"\n", 2)
    for line in lines[:2] if lines[0].startswith(b"#!") else lines[:1]:
        variables = _EMACS_LINE.search(line)
        coding = _EMACS_CODING.search(variables.group(1)) if variables else None
        if coding:
            return coding.group(1).decode("ascii")
    return None


def _codec(name: str) -> str | None:
    """Python's name for an encoding as files declare it, Emacs's names included
    (``latin-9``, ``iso-latin-1-unix``, ``utf-8-dos``); None for one Python lacks."""
    name = re.sub(r"-(unix|dos|mac)$", "", name.strip().lower())
    name = _EMACS_CODECS.get(name, name)
    for candidate in (name, name.removeprefix("iso-").replace("latin-", "latin")):
        try:
            found = codecs.lookup(candidate).name
        except LookupError:
            continue
        return "utf-8" if found == "utf-8-sig" else found
    return None


def _not_utf8(byte: int, declared: str | None) -> str:
    """Why bytes that are not UTF-8 are refused, and how to give their encoding: the one
    they declare where Python has no such codec, else common ones, with what ``byte`` is in
    each, since a wrong single-byte codec reads the file silently wrong."""
    if declared is not None and _codec(declared) is None:
        return (
            f"not UTF-8 text (byte 0x{byte:02x}), and its declared encoding {declared!r} is "
            "not one Python knows; give it by a Python codec name, e.g. --encoding NAME"
        )
    said = f", though it declares {declared}" if declared is not None else ""
    readings: dict[str, list[str]] = {}
    for codec in _COMMON_CODECS:
        try:
            char = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            continue
        if char.isprintable():
            readings.setdefault(char, []).append(codec)
    options = ", ".join(f"--encoding {codec}" for codec in _COMMON_CODECS[:-1])
    meaning = ", ".join(f"{char} in {' and '.join(names)}" for char, names in readings.items())
    if [len(names) for names in readings.values()] == [len(_COMMON_CODECS)]:
        meaning = f"{next(iter(readings))} in each"
    return (
        f"not UTF-8 text (byte 0x{byte:02x}{said}); give its encoding, e.g. {options} or "
        f"--encoding {_COMMON_CODECS[-1]}, whichever reads right"
        + (f" (0x{byte:02x} is {meaning})" if meaning else "")
        + ", or another Python codec"
    )


def _decode(path: str, data: bytes, encoding: str) -> str:
    try:
        codec = codecs.lookup(_codec(encoding) or encoding)  # Emacs's names too: latin-9
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
