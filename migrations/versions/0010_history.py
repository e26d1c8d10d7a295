"""change and change_row: the catalogue's history of changes, which ``biblio undo`` reverts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

KINDS = "'import', 'add', 'edit', 'merge', 'remove', 'seed', 'rename', 'undo', 'change'"


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("command", sa.Text(), nullable=False),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f("ck_change_kind")),
        sa.ForeignKeyConstraint(
            ["undoes_id"], ["change.id"], name=op.f("fk_change_undoes_id_change"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"], ["change.id"], name=op.f("fk_change_undone_by_id_change"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )  # fmt: skip
    op.create_index(op.f("ix_change_at"), "change", ["at"])
    op.create_index(op.f("ix_change_user_name"), "change", ["user_name"])
    op.create_table(
        "change_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=1), nullable=False),
        sa.Column("record", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=400), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.CheckConstraint("action IN ('i', 'u', 'd')", name=op.f("ck_change_row_action")),
        sa.ForeignKeyConstraint(
            ["change_id"], ["change.id"], name=op.f("fk_change_row_change_id_change"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_row")),
    )  # fmt: skip
    op.create_index(op.f("ix_change_row_change_id"), "change_row", ["change_id"])
    op.create_index(op.f("ix_change_row_record"), "change_row", ["record"])
    op.create_index(op.f("ix_change_row_label"), "change_row", ["label"])
    op.create_index("ix_change_row_table_row", "change_row", ["table_name", "row_id"])


def downgrade() -> None:
    op.drop_table("change_row")
    op.drop_table("change")
