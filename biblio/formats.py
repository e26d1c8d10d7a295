"""The formats biblio reads and writes, by name or file suffix: the one registry.

Each format lives in its own modules: its reader (``biblio.bibtex``, ``biblio.ris``,
``biblio.csl``) and its writer (``biblio.export.biblatex`` and ``bibtex``, ``ris``,
``csl_json``); MARC 21's reader and writer are one package, ``biblio.marc``. They depend
downward on the shared ``latex``, ``names``, ``languages``, ``records`` and ``problems``
modules, never on another format. ``read_files`` reads any mix of files as one import;
``biblio.export.export`` writes one format by name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .problems import Entry, Problem, warning

IMPORT_FORMATS = ("bibtex", "csl-json", "ris", "marc", "marcxml")
"""What ``biblio import`` reads; the format of a file is told by its suffix unless given."""

_BY_SUFFIX = {
    ".bib": "bibtex", ".json": "csl-json", ".ris": "ris",
    ".mrc": "marc", ".marc": "marc", ".iso": "marc", ".xml": "marcxml", ".marcxml": "marcxml",
}  # fmt: skip


def format_of(path: str, fmt: str | None = None) -> str:
    """The import format for ``path``: ``fmt`` if given, else by suffix (.bib, .json, .ris;
    .mrc, .marc, .iso for MARC 21 in ISO 2709; .xml, .marcxml for MARCXML), else by what the
    file begins with (``sniffed``)."""
    return fmt or _BY_SUFFIX.get(Path(path).suffix.lower()) or sniffed(path)


def sniffed(path: str) -> str:
    """The import format of a file whose suffix tells none (a Scopus or Web of Science RIS
    export saved as .txt, CSL-JSON as .csljson), by its first 8 KiB: RIS where a line opens
    with ``TY  -`` and no line with a BibTeX ``@entry{``; CSL-JSON where the text opens with
    ``[`` or ``{``; MARCXML where it opens with ``<``; MARC 21 where it opens with a record
    length and holds a field terminator; BibTeX otherwise (and where the file cannot be
    opened: its reader names the error)."""
    try:
        with open(path, "rb") as file:
            head = file.read(8192)
    except OSError:
        return "bibtex"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if _RIS_START.search(text) and not _BIB_ENTRY.search(text):
        return "ris"
    if text[:1] in (b"[", b"{"):
        return "csl-json"
    if text[:1] == b"<":
        return "marcxml"
    if text[:5].isdigit() and b"\x1e" in text:
        return "marc"
    return "bibtex"


_RIS_START = re.compile(rb"^TY {1,2}-", re.MULTILINE)  # one space too, as Zotero reads it
_BIB_ENTRY = re.compile(rb"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)


def read_file(
    path: str, fmt: str | None = None, encoding: str | None = None
) -> tuple[list[Entry], list[Problem]]:
    """Read one file in its import format (and ``encoding``, UTF-8 by default)."""
    chosen = format_of(path, fmt)
    if chosen == "csl-json":
        from .csl import read_csl_file

        return read_csl_file(path, encoding)
    if chosen == "ris":
        from .ris import read_ris_file

        return read_ris_file(path, encoding)
    if chosen == "marc":
        from .marc.reader import read_marc_file

        return read_marc_file(path, encoding)
    if chosen == "marcxml":
        from .marc.reader import read_marcxml_file

        return read_marcxml_file(path, encoding)
    from .bibtex import read_bib_file

    return read_bib_file(path, encoding)


def read_files(
    paths: Iterable[str],
    fmt: str | None = None,
    encoding: str | None = None,
    reading: Callable[[str], None] | None = None,
) -> tuple[list[Entry], list[Problem]]:
    """Read several files (.bib, CSL-JSON, RIS or MARC 21) as one import: a key in two files is left
    out after the first, with a warning, as BibTeX does; translations are linked to originals
    across files (biblatex's ``related``). ``reading`` is told each file as it starts."""
    from .bibtex import link_translations
    from .inheritance import inherit_from_parents

    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in paths:
        if reading is not None:
            reading(path)
        if os.path.isfile(path) and not _has_text(path):
            # nothing to read, in any format: said alike (an empty .ris or .json was an error)
            problems.append(warning(path, 1, None, NOTHING_READ, "the file is empty"))
            continue
        chosen = format_of(path, fmt)  # told once: the sniffing reads the file
        read, found = read_file(path, chosen, encoding)
        if not read and not found:  # a file with text (an empty one is said above)
            problems.append(_nothing_read(path, chosen, given=fmt is not None))
        entries += read
        problems += found
    seen: dict[str, Entry] = {}
    cased: dict[str, Entry] = {}  # by the key in lower case
    unique = []
    for entry in entries:
        key = entry.record.key
        if key is None:  # a key is generated for it
            unique.append(entry)
            continue
        other = cased.setdefault(key.lower(), entry)
        if other.record.key != key:
            problems.append(
                warning(
                    entry.file,
                    entry.line,
                    key,
                    "keys that differ only in case, both kept",
                    f"key {key!r} differs from {other.record.key!r} (at {other.file}:"
                    f"{other.line}) only in case: a typo? (biber warns of it too)",
                )  # fmt: skip
            )
        if key in seen:
            first = seen[key]
            problems.append(
                warning(
                    entry.file,
                    entry.line,
                    key,
                    "entry with a repeated key, left out",
                    f"key repeated (first at {first.file}:{first.line}): the first entry is "
                    "kept and this one left out, as BibTeX does",
                )  # fmt: skip
            )
        else:
            seen[key] = entry
            unique.append(entry)
    link_translations(unique)
    inherit_from_parents([entry.record for entry in unique])
    return unique, problems


NOTHING_READ = "file with no entries"
"""The kind of the warning for a file with text in it and no entry read from it: ``biblio
import`` prints it in full, as the file's whole outcome."""


def _has_text(path: str) -> bool:
    """Whether the file holds anything but white space (read until it does); a byte-order
    mark alone is no text."""
    try:
        with open(path, "rb") as file:
            data = file.read(65536)
            for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
                data = data.removeprefix(bom)
            while data:
                if data.strip().strip(b"\x00"):
                    return True
                data = file.read(65536)
    except OSError:
        return True  # for its reader to say what is wrong
    return False


def _nothing_read(path: str, chosen: str, given: bool) -> Problem:
    """The warning for a file with text in it and no entry read from it as ``chosen``
    (``given`` by --format, else told by ``format_of``)."""
    how = (
        "as given"
        if given
        else ("by its suffix" if Path(path).suffix.lower() in _BY_SUFFIX else "by its first lines")
    )
    return warning(
        path,
        1,
        None,
        NOTHING_READ,
        f"no entries found: read as {chosen} ({how}); if it is in another format, say which "
        f"with --format ({', '.join(IMPORT_FORMATS)})",
    )


def read_upload(
    filename: str, data: bytes, fmt: str | None = None, encoding: str | None = None
) -> tuple[list[Entry], list[Problem]]:
    """Read an uploaded file (the web's import) as ``read_files`` reads one on disk: its
    format by ``fmt`` or by the suffix of ``filename``, its problems named by ``filename``."""
    import tempfile
    from dataclasses import replace
    from pathlib import Path

    from .errors import BiblioError

    name = Path(filename.replace("\\", "/")).name or "upload"
    with tempfile.TemporaryDirectory(prefix="biblio-upload-") as directory:
        path = Path(directory) / name
        path.write_bytes(data)
        try:
            entries, problems = read_files([str(path)], fmt, encoding)
        except BiblioError as exc:  # named by the upload's name, not the server's path
            exc.args = (str(exc).replace(str(path), name),)
            raise
    for entry in entries:
        entry.file = name
    return entries, [replace(p, file=name) if p.file == str(path) else p for p in problems]
