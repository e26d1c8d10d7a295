"""Edits that lose nothing: $EDITOR reopens after an invalid value, and a shared original is
changed for one edition only by splitting it off, unless every edition is meant."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import invoke
from .test_librarian import editor, sed

GEBURT = r"""
@book{serge1969geburt, author = {Serge, Victor}, title = {Geburt unserer Macht}, date = {1969},
  translator = {M{\"u}ller, Hans}, publisher = {Suhrkamp}, location = {Frankfurt},
  origtitle = {Naissance de notre force}, origdate = {1931}, origlanguage = {french}}
"""


def shown(db: str, key: str) -> dict[str, Any]:
    result = invoke(db, "show", key, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


@pytest.fixture
def shared(seeded: str, tmp_path: Path) -> str:
    """The seed with a German translation of Naissance de notre force beside the English."""
    path = tmp_path / "geburt.bib"
    path.write_text(GEBURT, encoding="utf-8")
    assert invoke(seeded, "import", str(path)).exit_code == 0
    assert shown(seeded, "serge1969geburt")["original"]["key"] == "serge1931naissance"
    return seeded


def test_a_shared_original_is_split_off_for_one_edition(shared: str) -> None:
    result = invoke(shared, "edit", "serge1967birth", "--set", "orig-place=Lyon",
                    "--set", "work-annotation=Our own note.")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "its original was split off from serge1969geburt's" in result.stderr
    birth, geburt = shown(shared, "serge1967birth"), shown(shared, "serge1969geburt")
    assert (birth["original"]["place"], birth["original"]["annotation"]) == (
        "Lyon",
        "Our own note.",
    )
    assert geburt["original"]["key"] == "serge1931naissance"
    assert geburt["original"]["place"] == "Paris"
    assert geburt["original"]["annotation"].startswith("One of two novels")
    assert birth["original"]["key"] != "serge1931naissance"
    assert birth["original"]["title"] == "Naissance de notre force"
    assert birth["authors"] == geburt["authors"] == ["Victor Serge"]


def test_a_shared_original_changes_for_all_editions_when_asked(shared: str) -> None:
    result = invoke(shared, "edit", "serge1967birth", "--set", "orig-place=Lyon",
                    "--all-editions")  # fmt: skip
    assert result.exit_code == 0, result.output
    birth, geburt = shown(shared, "serge1967birth"), shown(shared, "serge1969geburt")
    assert birth["original"]["key"] == geburt["original"]["key"] == "serge1931naissance"
    assert geburt["original"]["place"] == "Lyon"


def test_an_edition_field_never_splits_the_original(shared: str) -> None:
    assert invoke(shared, "edit", "serge1967birth", "--set", "place=Boston").exit_code == 0
    assert shown(shared, "serge1967birth")["original"]["key"] == "serge1931naissance"


def test_on_a_terminal_the_question_decides(shared: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("biblio.cli._interactive", lambda: True)
    from click.testing import CliRunner

    from biblio.cli import cli

    result = CliRunner().invoke(
        cli, ["--db", shared, "edit", "serge1967birth", "--set", "orig-place=Lyon"], input="y\n"
    )
    assert result.exit_code == 0, result.output
    assert "shared with serge1969geburt" in result.output
    assert shown(shared, "serge1969geburt")["original"]["place"] == "Lyon"


def test_the_editor_reopens_with_the_error_until_the_text_is_valid(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("biblio.cli._interactive", lambda: True)
    marker = tmp_path / "called"
    script = (
        f'if [ ! -f "{marker}" ]; then touch "{marker}"; '
        + sed("place", "Boston") + " \\&\\& " + sed("year", "19x7")
        + f'; else cp "$1" "{tmp_path / "second.txt"}"; ' + sed("year", "1968") + "; fi"
    )  # fmt: skip
    script = script.replace(" \\&\\& ", " && ")
    result = invoke(seeded, "edit", "serge1967birth", env=editor(tmp_path, script))
    assert result.exit_code == 0, result.output
    second = (tmp_path / "second.txt").read_text()
    assert second.startswith("# error: serge1967birth: year:")
    assert "place: Boston" in second and "year: 19x7" in second  # what was typed is kept
    birth = shown(seeded, "serge1967birth")
    assert (birth["place"], birth["year"]) == ("Boston", 1968)


def test_the_editor_left_unchanged_after_an_error_saves_nothing(
    seeded: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("biblio.cli._interactive", lambda: True)
    marker = tmp_path / "called"
    script = (
        f'if [ ! -f "{marker}" ]; then touch "{marker}"; ' + sed("place", "Boston") + "; "
        + sed("year", "19x7") + "; fi"
    )  # fmt: skip
    before = shown(seeded, "serge1967birth")
    result = invoke(seeded, "edit", "serge1967birth", env=editor(tmp_path, script))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "Error: serge1967birth: edit abandoned; nothing saved"
    )
    assert shown(seeded, "serge1967birth") == before
