"""bib_block: the @preamble and @comment blocks of imported .bib files, once each.

Entries call macros a file's @preamble defines (``\\noopsort``), and JabRef keeps its groups
and settings in @comment blocks: both are kept and written back at the head of .bib exports
of the entries that came with them (``Edition.extra["bib"]`` lists their digests).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 18:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bib_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.CheckConstraint("kind IN ('preamble', 'comment')", name=op.f("ck_bib_block_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bib_block")),
        sa.UniqueConstraint("digest", name=op.f("uq_bib_block_digest")),
    )


def downgrade() -> None:
    op.drop_table("bib_block")
