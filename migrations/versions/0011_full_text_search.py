"""Full-text search over editions: SQLite FTS5, PostgreSQL tsvector with a GIN index.

Both index ``edition.search_text`` (titles, subtitles, alternate titles, the original's title
and annotations, folded: lower case, no accents, no punctuation), which biblio keeps on every
write. SQLite: an external-content FTS5 table ``edition_fts`` (unicode61, diacritics removed),
kept by triggers on ``edition``. PostgreSQL: a generated column ``edition.search_vector``
(``to_tsvector('simple', search_text)``, the text being folded already) and a GIN index.
Neither is in the models: ``migrations/env.py`` leaves them out of autogenerate's comparison.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:00:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE VIRTUAL TABLE edition_fts USING fts5(search_text, content='edition', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER edition_fts_insert AFTER INSERT ON edition BEGIN "
    "INSERT INTO edition_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER edition_fts_delete AFTER DELETE ON edition BEGIN "
    "INSERT INTO edition_fts(edition_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER edition_fts_update AFTER UPDATE OF search_text ON edition BEGIN "
    "INSERT INTO edition_fts(edition_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO edition_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO edition_fts(edition_fts) VALUES ('rebuild')",
]

POSTGRESQL = [
    "ALTER TABLE edition ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED",
    "CREATE INDEX ix_edition_search_vector ON edition USING gin (search_vector)",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE if dialect == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS edition_fts_{name}")
        op.execute("DROP TABLE IF EXISTS edition_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_edition_search_vector")
        op.execute("ALTER TABLE edition DROP COLUMN IF EXISTS search_vector")
