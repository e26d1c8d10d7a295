"""Fixtures: real catalogues on a SQLite file and, where a server is given, on PostgreSQL.

Database tests take the ``db`` fixture, which runs them once per backend: a SQLite file in a
temporary directory, and a fresh database on the PostgreSQL server named by
``BIBLIO_TEST_POSTGRES_URL`` (``.ci/run`` starts one); without that variable the PostgreSQL
runs are skipped, saying so. With ``BIBLIO_REQUIRE_CLIENTS=1`` (set by CI) a missing server or
client program fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from biblio.cli import cli

from .browser_support import IN_CI, chromium_missing, launch_options

PG_ENV = "BIBLIO_TEST_POSTGRES_URL"
REQUIRE = os.environ.get("BIBLIO_REQUIRE_CLIENTS") == "1"
SOURCE_ARTICLE = Path(__file__).parent / "data" / "victor-serge-article.txt"


def need(program: str, package: str) -> str:
    """The path of ``program``, or skip (fail under CI) saying which package provides it."""
    path = shutil.which(program)
    if path is None:
        message = f"{program} not installed (Debian package {package})"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, for Debian's chromium (its own builds cannot be
    downloaded here); used by the browser tests."""
    missing = chromium_missing()
    if missing:
        if IN_CI:
            pytest.fail(missing)
        pytest.skip(missing)
    return {**browser_type_launch_args, **launch_options()}


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        message = f"{PG_ENV} not set: no PostgreSQL server to test against (.ci/run starts one)"
        if REQUIRE:
            pytest.fail(message)
        pytest.skip(message)
    return url


def _fresh_postgres_database(admin_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"biblio_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A --db value for an empty catalogue location, once per backend."""
    if request.param == "sqlite":
        yield str(tmp_path / "catalogue.db")
    else:
        admin_url = request.getfixturevalue("postgres_admin_url")
        yield from _fresh_postgres_database(admin_url)


@pytest.fixture
def postgres_db(postgres_admin_url: str) -> Iterator[str]:
    """A --db value for an empty catalogue on PostgreSQL (tests of PostgreSQL's own ways)."""
    yield from _fresh_postgres_database(postgres_admin_url)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> str:
    """A --db value for an empty SQLite catalogue location (SQLite-only tests)."""
    return str(tmp_path / "catalogue.db")


def invoke(db: str | None, *args: str, env: dict[str, str] | None = None) -> Result:
    """Run the biblio command line as a user would, with ``--db db`` first if given."""
    runner = CliRunner()
    full = (["--db", db] if db else []) + list(args)
    return runner.invoke(cli, full, env=env, catch_exceptions=False)


@pytest.fixture
def seeded(db: str) -> str:
    """A catalogue on each backend with the Serge bibliography seeded."""
    result = invoke(db, "seed")
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def seeded_sqlite(sqlite_db: str) -> str:
    """A seeded SQLite catalogue (for tests about exports and clients, not backends)."""
    result = invoke(sqlite_db, "seed")
    assert result.exit_code == 0, result.output
    return sqlite_db
