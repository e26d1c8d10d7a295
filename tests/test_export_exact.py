"""Read leniently, write exactly: an imported .bib exported in biblatex gives back the fields
it had and adds none (an added field changes what biblatex typesets), while an entry made in
biblio itself still exports its language and original from the catalogue's columns.

An entry that names its original by ``related`` is still given ``origlanguage``, so that
the standard styles print "Trans. from the French by ..." (test_import's
``test_imported_translations_print_in_biblatex``), and none of the original's other facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import invoke


def _exported(db: str, tmp_path: Path, bib: str) -> str:
    path = tmp_path / "in.bib"
    path.write_text(bib, encoding="utf-8")
    imported = invoke(db, "import", str(path))
    assert imported.exit_code == 0, imported.output
    exported = invoke(db, "export", "--format", "biblatex")
    assert exported.exit_code == 0, exported.output
    return exported.stdout


def _field_names(entry: str) -> list[str]:
    return [line.split("=")[0].strip() for line in entry.splitlines() if " = " in line]


@pytest.mark.parametrize("langid", ["sanskrit", "arabic"])
def test_a_langid_biblatex_does_not_localise_gets_no_language(
    db: str, tmp_path: Path, langid: str
) -> None:
    # with babel[english] a language field prints: "y. Sanskrit. 2001." for "y. 2001."
    bib = f"@book{{k4,\n  langid = {{{langid}}},\n  title = {{y}},\n  date = {{2001}}\n}}\n"
    assert _field_names(_exported(db, tmp_path, bib)) == ["title", "date", "langid"]


def test_a_language_gets_no_langid(db: str, tmp_path: Path) -> None:
    bib = "@book{k2,\n  language = {English},\n  title = {Software Framework},\n  date = {2010}}\n"
    assert _field_names(_exported(db, tmp_path, bib)) == ["title", "date", "language"]


def test_an_original_named_by_related_gets_no_orig_fields(db: str, tmp_path: Path) -> None:
    bib = (
        "@book{key3,\n  title = {Ursprung},\n  date = {2011-22},\n  location = {Berlin},\n"
        "  publisher = {Verlag}\n}\n"
        "@book{key4,\n  title = {Origin},\n  date = {2015},\n  related = {key3},\n"
        "  relatedtype = {translationof}\n}\n"
    )
    entry = _exported(db, tmp_path, bib).split("@book{key4,")[1]
    added = {"origtitle", "origdate", "origlocation", "origpublisher"} & set(_field_names(entry))
    assert added == set()


def test_langid_and_language_both_come_back(db: str, tmp_path: Path) -> None:
    bib = "@book{k5, title = {z}, date = {2001}, langid = {german}, language = {German}}"
    exported = _exported(db, tmp_path, bib)
    assert "langid   = {german}" in exported and "language = {German}" in exported


def test_exact_fields_come_back_as_written(db: str, tmp_path: Path) -> None:
    bib = "@book{k1,\n  title = {kumāra},\n  langid = {german},\n  date = {2001}\n}\n"
    assert _exported(db, tmp_path, bib) == (
        "@book{k1,\n  title  = {kumāra},\n  date   = {2001},\n  langid = {german}\n}\n"
    )


def test_an_entry_added_in_biblio_exports_its_language_and_original(sqlite_db: str) -> None:
    added = invoke(
        sqlite_db, "add", "--title", "Madinat", "--year", "2011", "--language", "ar",
        "--orig-title", "Ville conquise", "--orig-year", "1932", "--orig-language", "fr",
        "--orig-place", "Paris",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    exported = invoke(sqlite_db, "export", "--format", "biblatex").stdout
    assert _field_names(exported) == [
        "title", "date", "language", "origlanguage", "origtitle", "origdate", "origlocation",
    ]  # fmt: skip
    assert "language     = {{Arabic}}" in exported


def test_the_seed_exports_its_languages_and_originals(seeded_sqlite: str) -> None:
    exported = invoke(seeded_sqlite, "export", "--format", "biblatex").stdout
    names = _field_names(exported)
    counts = {name: names.count(name) for name in ("langid", "origlanguage", "origtitle")}
    assert counts == {"langid": 23, "origlanguage": 15, "origtitle": 15}
