"""edition.publisher_as_given: the entry's own spelling of a publisher linked to a record.

"Editions Gallimard" links to a catalogued "Éditions Gallimard" (one publisher record, found
by the folded name); the edition keeps its spelling here where it differs, and lists and
exports show it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 19:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("publisher_as_given", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.drop_column("publisher_as_given")
