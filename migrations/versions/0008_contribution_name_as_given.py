"""contribution.name_as_given: the entry's own spelling of a name linked to a person.

A name links to the person record it matches ("Joelle Dupont" to a catalogued "Joëlle
Dupont"); the entry keeps its spelling here ([family, given, prefix, suffix]) where it differs
from the person's primary name, and lists and exports show it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_as_given", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_column("name_as_given")
