"""edition.name_text: full-text search finds an edition by its people's and publisher's names
through the index itself.

The names (every name of every person credited on the edition or its original, every name of
its publisher) were looked up apart and followed to their editions, which over a million
editions took seconds for a common family name. ``name_text`` holds them folded in the
edition's row (``biblio.search_names`` keeps it at every commit), and the index reads it with
``search_text``: SQLite's FTS5 table ``edition_fts`` gets a second column (rebuilt, its
triggers following both columns); PostgreSQL's generated ``search_vector`` covers both
(dropped and added again: a generated column's expression cannot be altered before
PostgreSQL 17) with its GIN index.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize='unicode61 remove_diacritics 2'"


def _fts(columns: list[str]) -> list[str]:
    """SQLite: the external-content FTS5 table over ``columns`` of ``edition``, its three
    triggers, and its filling."""
    listed = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = (
        f"INSERT INTO edition_fts(edition_fts, rowid, {listed}) VALUES ('delete', old.id, {old});"
    )
    insert = f"INSERT INTO edition_fts(rowid, {listed}) VALUES (new.id, {new});"
    return [
        f"CREATE VIRTUAL TABLE edition_fts USING fts5({listed}, content='edition', "
        f"content_rowid='id', {TOKENIZE})",
        f"CREATE TRIGGER edition_fts_insert AFTER INSERT ON edition BEGIN {insert} END",
        f"CREATE TRIGGER edition_fts_delete AFTER DELETE ON edition BEGIN {delete} END",
        f"CREATE TRIGGER edition_fts_update AFTER UPDATE OF {listed} ON edition BEGIN "
        f"{delete} {insert} END",
        "INSERT INTO edition_fts(edition_fts) VALUES ('rebuild')",
    ]


def _drop_fts() -> None:
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS edition_fts_{name}")
    op.execute("DROP TABLE IF EXISTS edition_fts")


def _vector(expression: str) -> list[str]:
    """PostgreSQL: the generated ``search_vector`` of ``expression`` and its GIN index."""
    return [
        "DROP INDEX IF EXISTS ix_edition_search_vector",
        "ALTER TABLE edition DROP COLUMN IF EXISTS search_vector",
        "ALTER TABLE edition ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS (to_tsvector('simple', {expression})) STORED",
        "CREATE INDEX ix_edition_search_vector ON edition USING gin (search_vector)",
    ]


def upgrade() -> None:
    from biblio.search_names import refresh

    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_fts()  # filled below without its triggers, then rebuilt once
    op.add_column("edition", sa.Column("name_text", sa.Text(), nullable=False, server_default=""))
    if not sqlite:  # a generated column over name_text, filled once
        op.execute("ALTER TABLE edition DROP COLUMN IF EXISTS search_vector")
    refresh(op.get_bind())
    statements = (
        _fts(["search_text", "name_text"]) if sqlite else _vector("search_text || ' ' || name_text")
    )
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _drop_fts()
    else:
        op.execute("ALTER TABLE edition DROP COLUMN IF EXISTS search_vector")
    with op.batch_alter_table("edition") as batch:
        batch.drop_column("name_text")
    for statement in _fts(["search_text"]) if sqlite else _vector("search_text"):
        op.execute(statement)
