"""The columns the catalogue is listed by sort in the same order on both backends.

SQLite compares text byte by byte (its BINARY collation); a PostgreSQL database compares it by
the collation it was created with, which on a usual install is a language's (en_US.UTF-8): the
same catalogue was listed, exported and its people shown in another order there ("abbott1885"
before "Cetin1885" and "Zola1885", where SQLite puts capitals first). The keys, the people's
sort names and the publishers' folded names take PostgreSQL's "C" collation, which is byte
order as SQLite's; on SQLite nothing changes.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 11:05:00
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

#: (table, column) the catalogue orders listings by
COLUMNS = [
    ("edition", "key"),
    ("work", "key"),
    ("person", "sort_name"),
    ("publisher", "name_key"),
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE VARCHAR COLLATE "C"')


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE VARCHAR COLLATE "default"')
