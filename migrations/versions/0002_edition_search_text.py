"""Edition.search_text: folded titles and annotations for accent- and case-insensitive search.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 13:40:00

Backfills every existing edition from its titles, alternate titles, original and annotations,
with the same folding biblio uses when it writes an edition.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from biblio.names import search_text

    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))

    connection = op.get_bind()
    editions = connection.execute(
        sa.text(
            "SELECT e.id, e.title, e.subtitle, e.annotation, w.title, w.subtitle, w.annotation "
            "FROM edition e LEFT JOIN work w ON w.id = e.work_id"
        )
    ).all()
    alternates: dict[int, list[str]] = {}
    for edition_id, title in connection.execute(
        sa.text("SELECT edition_id, title FROM alternate_title ORDER BY edition_id, position")
    ):
        alternates.setdefault(edition_id, []).append(title)
    for edition_id, *texts in editions:
        connection.execute(
            sa.text("UPDATE edition SET search_text = :text WHERE id = :id"),
            {"id": edition_id, "text": search_text([*texts, *alternates.get(edition_id, [])])},
        )


def downgrade() -> None:
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.drop_column("search_text")
