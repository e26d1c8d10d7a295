"""Alembic is the only way the schema changes: models and migrations agree, upgrades keep data,
and SQLite enforces foreign keys like PostgreSQL does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from biblio.config import resolve
from biblio.db import HEAD_REVISION, alembic_config, make_engine, open_catalogue, upgrade

from .conftest import invoke


def test_head_revision_constant_matches_the_scripts() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD_REVISION


def test_models_and_migrations_do_not_drift(db: str) -> None:
    engine = open_catalogue(resolve(db), create=True)
    try:
        with engine.begin() as connection:
            command.check(alembic_config(connection))  # raises if autogenerate finds changes
    finally:
        engine.dispose()


def test_init_is_idempotent_and_db_current_reports_head(db: str) -> None:
    for _ in range(2):
        result = invoke(db, "init")
        assert result.exit_code == 0, result.output
    result = invoke(db, "db", "current")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"{HEAD_REVISION} (current)"


def test_upgrade_of_a_populated_catalogue_from_the_first_revision(db: str, tmp_path: Path) -> None:
    target = resolve(db)
    if target.path is not None:
        target.path.touch()
    engine = make_engine(target)
    try:
        upgrade(engine, "0001")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO person (id, family, given, sort_name, authority_key) "
                    "VALUES (1, 'Greeman', 'Richard', 'Greeman, Richard', 'greeman|richard')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO person_name (person_id, kind, family, given, match_key, "
                    "family_key) VALUES (1, 'primary', 'Greeman', 'Richard', 'greeman richard', "
                    "'greeman')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO work (id, key, title, language, date, year, place, form, "
                    "annotation) VALUES (1, 'serge1932ville', 'Ville conquise', 'fr', '1932', "
                    "1932, 'Paris', 'novel', 'Petrograd in the civil war.')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO edition (id, key, entry_type, work_id, title, date, year, "
                    "language, translator_status, form) VALUES (1, 'serge1975conquered', 'book', "
                    "1, 'Conquered City', '1975', 1975, 'en', 'named', 'novel')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO contribution (person_id, edition_id, role, position) "
                    "VALUES (1, 1, 'translator', 0)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO alternate_title (edition_id, position, title) "
                    "VALUES (1, 0, 'The Conquered Town')"
                )
            )
        result = invoke(db, "list")
        assert result.exit_code == 1
        assert "run 'biblio db upgrade'" in result.output

        result = invoke(db, "db", "upgrade")
        assert result.exit_code == 0, result.output
        with engine.connect() as connection:
            search_text = connection.execute(
                text("SELECT search_text FROM edition WHERE id = 1")
            ).scalar()
        # Backfilled from the edition's, the alternate title's and the original's texts.
        assert "conquered city" in search_text
        assert "the conquered town" in search_text
        assert "ville conquise" in search_text
        assert "petrograd" in search_text
        with engine.connect() as connection:
            keys = connection.execute(
                text(
                    "SELECT w.title_key, e.title_key FROM edition e JOIN work w ON w.id = e.work_id"
                )
            ).one()
        assert tuple(keys) == ("ville conquise", "conquered city")  # backfilled by 0005
    finally:
        engine.dispose()

    result = invoke(db, "list", "--translator", "Greeman", "--format", "json")
    assert result.exit_code == 0, result.output
    assert '"serge1975conquered"' in result.stdout
    result = invoke(db, "list", "--search", "conquered town", "--format", "csv")
    assert result.stdout.splitlines()[1].startswith("serge1975conquered,1975,Conquered City")
    # The translator's name, written by 0015 into the edition's indexed name text.
    result = invoke(db, "search", "greeman conquered", "--format", "json")
    assert [entry["key"] for entry in json.loads(result.stdout)] == ["serge1975conquered"]

    # An import finds the upgraded rows by their backfilled title keys: the same edition
    # under another key is a duplicate, and a new translation joins the catalogued original.
    bib = tmp_path / "more.bib"
    bib.write_text(
        "@book{again, title = {CONQUERED city}, date = {1975}, origtitle = {Ville Conquise},"
        " origdate = {1932}}\n"
        "@book{stadt, title = {Die eroberte Stadt}, date = {1977}, origtitle = {Ville conquise},"
        " origdate = {1932}}\n",
        encoding="utf-8",
    )
    result = invoke(db, "import", str(bib))
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output and "1 skipped as duplicates" in result.output
    shown = invoke(db, "show", "stadt", "--format", "json")
    assert "serge1932ville" in shown.stdout


def test_foreign_keys_are_enforced(db: str) -> None:
    engine = open_catalogue(resolve(db), create=True)
    try:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO contribution (person_id, edition_id, role, position) "
                    "VALUES (999, 999, 'translator', 0)"
                )
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO publisher (name, name_key) VALUES ('Doubleday', 'doubleday'), "
        "('DOUBLEDAY', 'doubleday')",
        "INSERT INTO person (family, sort_name, authority_key) VALUES ('A', 'A', 'a|'), "
        "('A', 'A', 'a|')",
        "INSERT INTO edition (key, entry_type, title, translator_status, search_text) VALUES "
        "('k', 'book', 'T', 'unknown', ''), ('k', 'book', 'U', 'unknown', '')",
        "INSERT INTO edition (key, entry_type, title, translator_status, search_text) VALUES "
        "('k', 'book', 'T', 'maybe', '')",
    ],
    ids=["publisher-name", "person-authority", "citation-key", "translator-status"],
)
def test_constraints_refuse_what_would_be_wrong(db: str, statement: str) -> None:
    engine = open_catalogue(resolve(db), create=True)
    try:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def test_0017_credits_a_person_twice_and_renumbers_places_held_twice(db: str) -> None:
    """Before 0017 a person was credited once per role, and two credits could share a place
    (no catalogue written by biblio has one, a hand-edited one may): the upgrade renumbers
    such places in their order, after which a place is unique and a person may hold two.
    The downgrade keeps each person's first credit in a role, as 0016's constraint asks."""
    target = resolve(db)
    if target.path is not None:
        target.path.touch()
    engine = make_engine(target)
    credits = "SELECT person_id, position FROM contribution WHERE edition_id = 1 ORDER BY position"
    try:
        upgrade(engine, "0016")
        with engine.begin() as connection:
            for person in (1, 2):
                connection.execute(
                    text(
                        "INSERT INTO person (id, family, sort_name, authority_key) "
                        f"VALUES ({person}, 'P{person}', 'P{person}', 'p{person}|')"
                    )
                )
            connection.execute(
                text(
                    "INSERT INTO edition (id, key, entry_type, title, translator_status, "
                    "search_text) VALUES (1, 'k', 'book', 'T', 'named', '')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO contribution (person_id, edition_id, role, position) "
                    "VALUES (2, 1, 'translator', 0), (1, 1, 'translator', 0)"
                )
            )
        upgrade(engine, "0017")
        with engine.begin() as connection:
            ids = [tuple(row) for row in connection.execute(text(credits))]
            assert ids == [(2, 0), (1, 1)]  # the first row written keeps place 0
            connection.execute(
                text(
                    "INSERT INTO contribution (person_id, edition_id, role, position) "
                    "VALUES (2, 1, 'translator', 2)"
                )
            )
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO contribution (person_id, edition_id, role, position) "
                    "VALUES (1, 1, 'translator', 2)"
                )
            )
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0016")
        with engine.connect() as connection:
            assert [tuple(row) for row in connection.execute(text(credits))] == [(2, 0), (1, 1)]
    finally:
        engine.dispose()


def test_0018_finds_the_parents_catalogued_children_name(db: str) -> None:
    """0018 fills ``edition_parent`` from each edition's kept .bib fields: its xdata keys,
    then its crossref key, so that an edit or import of a parent finds its children."""
    target = resolve(db)
    if target.path is not None:
        target.path.touch()
    engine = make_engine(target)
    extra = {"fields": [["crossref", "{big}"], ["pages", "{1--2}"], ["xdata", "{x1, x2}"]]}
    try:
        upgrade(engine, "0017")
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO edition (id, key, entry_type, title, translator_status, "
                    "search_text, extra) VALUES (1, 'kid', 'inbook', '', 'unknown', '', :extra),"
                    " (2, 'plain', 'book', 'P', 'unknown', '', NULL)"
                ),
                {"extra": json.dumps(extra)},
            )
        upgrade(engine, "0018")
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT edition_id, position, parent_key FROM edition_parent ORDER BY id")
            )
            assert [tuple(row) for row in rows] == [(1, 0, "x1"), (1, 1, "x2"), (1, 2, "big")]
    finally:
        engine.dispose()


@pytest.mark.parametrize("command_line", [("db", "upgrade"), ("init",), ("import", "more.bib")])
def test_children_catalogued_before_0018_inherit_once_upgraded(
    db: str, tmp_path: Path, command_line: tuple[str, ...]
) -> None:
    """Before 0018 a crossref child held nothing it inherited, and its parent's edits never
    reached it. Whatever command upgrades the catalogue gives it what it inherits, in the
    same change (catalogue.complete_upgrade), and a later edit of the parent reaches it."""
    kid = tmp_path / "kid.bib"
    kid.write_text("@inbook{kid, crossref = {big}, title = {Kid}, pages = {1--2}}\n", "utf-8")
    (tmp_path / "more.bib").write_text("@book{other, title = {Other}, date = 2001}\n", "utf-8")
    assert invoke(db, "import", str(kid)).exit_code == 0  # its parent not catalogued yet
    engine = make_engine(resolve(db))
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "0017")
            connection.execute(
                text(
                    "INSERT INTO edition (key, entry_type, title, date, year, place, "
                    "translator_status, search_text, title_key, name_text) VALUES ('big', "
                    "'book', 'The Big Book', '1999', 1999, 'Paris', 'unknown', '', '', '')"
                )
            )  # written as biblio wrote it before 0018: its child was left as it was
    finally:
        engine.dispose()
    args = [str(tmp_path / a) if a.endswith(".bib") else a for a in command_line]
    result = invoke(db, *args)
    assert result.exit_code == 0, result.output
    assert "upgraded from schema 0017: 1 catalogued children given" in result.stderr
    shown = json.loads(invoke(db, "show", "kid", "--format", "json").stdout)
    assert (shown["year"], shown["place"]) == (1999, "Paris")
    assert invoke(db, "edit", "big", "--set", "year=2005").exit_code == 0
    shown = json.loads(invoke(db, "show", "kid", "--format", "json").stdout)
    assert shown["year"] == 2005
    # Opened again, the catalogue is current: nothing more to do, nothing said.
    assert "upgraded" not in invoke(db, "db", "upgrade").stderr
