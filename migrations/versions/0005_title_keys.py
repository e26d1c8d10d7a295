"""Work.title_key and Edition.title_key: the folded title, indexed with the year.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:00:00

An import finds an original (same title, year and first author) and an edition it already has
(same title, year and original) by these columns instead of folding every title of a year in
Python. Existing rows are backfilled with the folding biblio uses when it writes them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from biblio.names import fold

    connection = op.get_bind()
    for table in ("work", "edition"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("title_key", sa.Text(), nullable=False, server_default="")
            )
        rows = connection.execute(sa.text(f"SELECT id, title FROM {table}")).all()  # noqa: S608
        if rows:
            connection.execute(
                sa.text(f"UPDATE {table} SET title_key = :key WHERE id = :id"),  # noqa: S608
                [{"id": row_id, "key": fold(title)} for row_id, title in rows],
            )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(
                batch_op.f(f"ix_{table}_title_key_year"), ["title_key", "year"], unique=False
            )


def downgrade() -> None:
    for table in ("work", "edition"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_title_key_year"))
            batch_op.drop_column("title_key")
