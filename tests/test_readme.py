"""The README's command examples run, in order, on the seeded catalogue, as a newcomer would
type them (each file an example imports is a real test file)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from biblio.cli import cli

README = Path(__file__).parent.parent / "README.md"
BIB = Path(__file__).parent / "data" / "translations.bib"


def example_commands() -> list[list[str]]:
    """The `biblio ...` lines of the README's "Using it" and "Keeping the catalogue" blocks,
    continuation lines joined and comments dropped."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## Using it")
    blocks = re.findall(r"```sh\n(.*?)```", text[start:], re.S)[:2]
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] == "biblio":
                commands.append(words[1:])
    return commands


def test_the_readme_examples_run_on_the_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("colleague.bib", "a.bib", "b.bib", "big.bib"):
        shutil.copy(BIB, tmp_path / name)
    (tmp_path / "old.bib").write_bytes(
        BIB.read_text(encoding="utf-8").encode("latin-1", errors="replace")
    )
    env = {"BIBLIO_DB": str(tmp_path / "catalogue.db"), "HOME": str(tmp_path),
           "EDITOR": "true", "VISUAL": "", "BIBLIO_USER": "newcomer"}  # fmt: skip
    commands = example_commands()
    assert commands[0] == ["seed"] and len(commands) > 25
    for args in commands:
        result = CliRunner().invoke(cli, args, env=env)
        allowed = (0, 1) if args[0] == "check" else (0,)
        assert result.exit_code in allowed, (args, result.output)
