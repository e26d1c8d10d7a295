"""The reads a researcher makes most (editions by translator, publisher, original, year) use
indexes, not scans of the edition table: checked with each backend's EXPLAIN."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.dialects import postgresql, sqlite

from biblio.config import resolve
from biblio.db import open_catalogue
from biblio.queries import Filters, select_editions

from .conftest import _fresh_postgres_database, invoke

QUERIES = {
    "translator": Filters(translator="Richard Greeman"),
    "publisher": Filters(publisher="Doubleday"),
    "original": Filters(original="Naissance de notre force"),
    "original-language": Filters(original_language="fr"),
    "year": Filters(year="1960-1980"),
}


def _literal_sql(statement, dialect) -> str:  # type: ignore[no-untyped-def]
    return str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


@pytest.mark.parametrize("name", ["translator", "publisher", "original", "year"])
def test_sqlite_plans_use_indexes(seeded_sqlite: str, name: str) -> None:
    engine = open_catalogue(resolve(seeded_sqlite))
    try:
        sql = _literal_sql(select_editions(QUERIES[name]), sqlite.dialect())
        with engine.connect() as connection:
            plan = [row[-1] for row in connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    finally:
        engine.dispose()
    joined = "\n".join(plan)
    assert "USING INDEX" in joined or "USING COVERING INDEX" in joined, joined
    assert "SCAN edition" not in joined.replace("SCAN edition USING", ""), joined


@pytest.fixture(scope="module")
def seeded_postgres(postgres_admin_url: str) -> Iterator[str]:
    """One seeded PostgreSQL catalogue for the module's plans."""
    databases = _fresh_postgres_database(postgres_admin_url)
    url = next(databases)
    assert invoke(url, "seed").exit_code == 0
    yield url
    databases.close()


@pytest.mark.parametrize("name", list(QUERIES))
def test_postgresql_plans_can_use_indexes(seeded_postgres: str, name: str) -> None:
    engine = open_catalogue(resolve(seeded_postgres))
    try:
        sql = _literal_sql(select_editions(QUERIES[name]), postgresql.dialect())
        with engine.connect() as connection:
            # On a tiny catalogue the planner rightly prefers scans; forbid them to see that
            # an index serves the query (a 1M-edition catalogue would choose it anyway).
            connection.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(row[0] for row in connection.execute(text(f"EXPLAIN {sql}")))
    finally:
        engine.dispose()
    assert "Index" in plan, plan
    assert "Seq Scan on edition" not in plan, plan
