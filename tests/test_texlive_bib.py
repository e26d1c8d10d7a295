"""Every .bib file of TeX Live's bibliography tree (Debian's texlive-bibtex-extra and
texlive-latex-recommended, which CI installs: Beebe's TeX bibliographies, biblatex's and
jurabib's examples, archaeologie's corpora...): each imports as BibTeX reads it, every entry in,
or is refused for a genuine reason named at its line.

The files are TeX Live's, read where the TeX packages put them (their licences are TeX Live's:
LPPL or public domain, as each file says); nothing is copied into the repository.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import invoke, need

#: Values with a '"' inside braces in a "..." value (zeitgem{"a}{\\ss}, "optionalen" inside
#: {...} in a quoted remark), which BibTeX reads and bibtexparser cuts short (the files were
#: refused for it): the key, the field, and how the value as read ends (kept in braces).
QUOTED = {
    "texbook1.bib": ("Tschichold:NT91", "subtitle", 'zeitgem{"a}{\\ss} Schaffende}'),
    "texbook2.bib": ("Greene:1982:MAA", "remark", "Asymptotischer Abschaetzungen}."),
}
#: Files in another encoding than UTF-8, read with ``--encoding``.
ENCODINGS = {"jbtest.bib": "latin-1"}

#: An entry: "@type{" or "@type(" at a line's start, not @string, @preamble or @comment.
_ENTRY = re.compile(r"^\s*@\s*(?!string\b|preamble\b|comment\b)[a-z]+\s*[{(]", re.I | re.M)


def _texlive_bib_files() -> list[Path]:
    try:
        found = subprocess.run(
            ["kpsewhich", "-var-value", "TEXMFDIST"], capture_output=True, text=True, check=False
        )
    except OSError:
        return []
    root = Path(found.stdout.strip()) / "bibtex" / "bib"
    return sorted(root.rglob("*.bib")) if found.stdout.strip() and root.is_dir() else []


FILES = _texlive_bib_files()


@pytest.mark.parametrize("path", FILES or [None], ids=lambda p: p.name if p else "none")
def test_a_texlive_bibliography_imports_or_is_refused_at_its_line(
    path: Path | None, tmp_path: Path
) -> None:
    if path is None:
        need("kpsewhich", "texlive-binaries (via texlive-latex-recommended)")
        pytest.skip("no .bib files under TEXMFDIST (Debian package texlive-bibtex-extra)")
    options = ["--encoding", ENCODINGS[path.name]] if path.name in ENCODINGS else []
    db = str(tmp_path / "catalogue.db")
    result = invoke(db, "import", *options, str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding=ENCODINGS.get(path.name, "utf-8"))
    entries = len(_ENTRY.findall(text))
    imported = re.search(r"imported (\d+) entries", result.stderr)
    assert imported is not None, result.output
    assert int(imported.group(1)) == entries, result.stderr
    assert "Traceback" not in result.output
    if path.name in QUOTED:
        key, name, ending = QUOTED[path.name]
        shown = json.loads(invoke(db, "show", key, "--format", "json").stdout)
        assert shown["extra_fields"][name].endswith(ending + "}"), shown
