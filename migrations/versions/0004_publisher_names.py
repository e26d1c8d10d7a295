"""PublisherName: the other names of a publisher, kept when two publisher records merge.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 14:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publisher_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["publisher.id"],
            name=op.f("fk_publisher_name_publisher_id_publisher"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher_name")),
        sa.UniqueConstraint("name_key", name=op.f("uq_publisher_name_name_key")),
    )
    with op.batch_alter_table("publisher_name", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publisher_name_publisher_id"), ["publisher_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("publisher_name")
