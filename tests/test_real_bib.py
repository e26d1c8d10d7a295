"""Real .bib files from public sources (tests/data/real/SOURCES.md) through import and export.

For every file: it is read (or refused for a reason named at its line); its entries come into a
real SQLite catalogue; the biblatex export gives back, field by field, the values of an
independent parse of the original (bibtexparser with no middleware, @strings resolved by
bibtexparser's own middleware); and export -> import -> export is byte-identical in biblatex and
BibTeX.
"""

from __future__ import annotations

import re
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.middlewares import ResolveStringReferencesMiddleware

from biblio.bibtex import read_bib_file
from biblio.errors import BiblioError

from .conftest import invoke

CORPUS = Path(__file__).parent / "data" / "real" / "bib"
FILES = sorted(CORPUS.glob("*.bib"))

#: Files that are not UTF-8 and say so nowhere a reader could see: their encoding is given,
#: as a user gives --encoding.
ENCODINGS = {
    "bibtexparser-gbk_test.bib": "gbk",
    "jabref-encoding-windows-1252-but-utf-8-declared-decoding-fails.bib": "windows-1252",
}


def _expand(value: str, strings: dict[str, str]) -> str:
    """A concatenation ``a # "b" # {c}`` as the text it stands for (macros expanded)."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        depth += (ch == "{") - (ch == "}")
        if ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append(value[start:i].strip())
            start = i + 1
    parts.append(value[start:].strip())
    text = []
    for part in parts:
        if part[:1] in '{"':
            text.append(part[1:-1])
        else:
            text.append(strings.get(part.lower(), part))
    return "".join(text)


def _fields(text: str) -> dict[str, dict[str, str]]:
    """key -> {field: value inside its enclosure, whitespace folded}, by bibtexparser alone."""
    library = bibtexparser.parse_string(
        text, parse_stack=[ResolveStringReferencesMiddleware(allow_inplace_modification=True)]
    )
    strings = {s.key.lower(): s.value.strip()[1:-1] for s in library.strings}
    found: dict[str, dict[str, str]] = {}
    blocks = [*library.entries]
    blocks += [b.ignore_error_block for b in library.failed_blocks if hasattr(b, "duplicate_keys")]
    for entry in blocks:
        values: dict[str, str] = {}
        for field in entry.fields:
            value = field.value.strip()
            if "#" in value:
                value = _expand(value, strings)
            elif value[:1] in '{"' and value[-1:] in '}"':
                value = value[1:-1]
            values.setdefault(field.key.lower(), " ".join(value.split()))
        found.setdefault(entry.key, values)
    return found


def test_the_corpus_has_thirty_files_or_more() -> None:
    assert len(FILES) >= 30


def test_undeclared_encodings_are_refused_naming_the_option() -> None:
    for name in ENCODINGS:
        with pytest.raises(BiblioError, match=r":\d+: not UTF-8 text .* --encoding"):
            read_bib_file(str(CORPUS / name))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_real_file_comes_in_whole_and_goes_out_the_same(tmp_path: Path, path: Path) -> None:
    encoding = ENCODINGS.get(path.name)
    entries, problems = read_bib_file(str(path), encoding)
    errors = [p for p in problems if p.is_error]
    assert not errors, errors
    options = ["--encoding", encoding] if encoding else []
    db = str(tmp_path / "catalogue.db")
    result = invoke(db, "import", *options, str(path))
    assert result.exit_code == 0, result.output
    exported = invoke(db, "export", "--format", "biblatex").stdout

    from biblio.files import read_text

    original = _fields(read_text(str(path), "a .bib file", encoding))
    back = _fields(exported)
    keyed = {k: v for k, v in original.items() if k and not k.startswith("biblio-no-key")}
    total = same = 0
    missing = []
    for key, values in keyed.items():
        got = back.get(key)
        assert got is not None, f"entry {key!r} not exported"
        for name, value in values.items():
            total += 1
            if got.get(name) == value or _equivalent(name, value, got):
                same += 1
            else:
                missing.append((key, name, value, got.get(name)))
    ratio = same / total if total else 1.0
    print(f"{path.name}: {len(entries)} entries, {same}/{total} values back ({ratio:.1%})")
    assert ratio >= 0.99, missing[:5]

    _round_trip(db, tmp_path, "biblatex")


def _round_trip(db: str, tmp_path: Path, fmt: str) -> None:
    """export -> import into a new catalogue -> export gives the same bytes."""
    first = invoke(db, "export", "--format", fmt).stdout
    again = str(tmp_path / f"again-{fmt}.db")
    source = tmp_path / f"export-{fmt}.bib"
    source.write_text(first, encoding="utf-8")
    result = invoke(again, "import", str(source))
    assert result.exit_code == 0, result.output
    assert invoke(again, "export", "--format", fmt).stdout == first, fmt


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_bibtex_export_reads_back_to_itself(tmp_path: Path, path: Path) -> None:
    encoding = ENCODINGS.get(path.name)
    db = str(tmp_path / "catalogue.db")
    options = ["--encoding", encoding] if encoding else []
    assert invoke(db, "import", *options, str(path)).exit_code == 0
    _round_trip(db, tmp_path, "bibtex")


def _equivalent(name: str, value: str, exported: dict[str, str]) -> bool:
    """Whether a value comes back meaning the same under biblatex's name for its field
    (address -> location...) or with only its enclosure changed."""
    from biblio.export.tex import canonical

    for other, got in exported.items():
        if canonical(other) == canonical(name) and re.sub(r"\s", "", got) == re.sub(
            r"\s", "", value
        ):
            return True
    return False
