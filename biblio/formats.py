"""The formats biblio reads and writes, by name or file suffix: the one registry.

Each format lives in its own modules: its reader (``biblio.bibtex``, ``biblio.ris``,
``biblio.csl``) and its writer (``biblio.export.biblatex`` and ``bibtex``, ``ris``,
``csl_json``); MARC 21's reader and writer are one package, ``biblio.marc``. They depend
downward on the shared ``latex``, ``names``, ``languages``, ``records`` and ``problems``
modules, never on another format. ``read_files`` reads any mix of files as one import;
``biblio.export.export`` writes one format by name.
"""

from __future__ import annotations

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
    .mrc, .marc, .iso for MARC 21 in ISO 2709; .xml, .marcxml for MARCXML), else BibTeX."""
    return fmt or _BY_SUFFIX.get(Path(path).suffix.lower(), "bibtex")


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

    entries: list[Entry] = []
    problems: list[Problem] = []
    for path in paths:
        if reading is not None:
            reading(path)
        read, found = read_file(path, fmt, encoding)
        entries += read
        problems += found
    seen: dict[str, Entry] = {}
    unique = []
    for entry in entries:
        key = entry.record.key
        if key is None:  # a key is generated for it
            unique.append(entry)
            continue
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
    return unique, problems


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
