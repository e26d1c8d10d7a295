"""Edition: pages, DOI, ISBN, ISSN, URL, abstract, edition statement and note; keywords.

Every reference manager stores these; they were kept only as raw .bib fields or folded into
notes. Keywords are a table of their own, in order, with a folded key for ``list --keyword``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 18:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS = (
    ("pages", sa.String(100)),
    ("doi", sa.String(300)),
    ("isbn", sa.String(13)),
    ("issn", sa.String(9)),
    ("url", sa.Text()),
    ("abstract", sa.Text()),
    ("edition_statement", sa.String(200)),
    ("note", sa.Text()),
)


def upgrade() -> None:
    with op.batch_alter_table("edition", schema=None) as batch_op:
        for name, kind in _COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        for name in ("doi", "isbn", "issn"):
            batch_op.create_index(batch_op.f(f"ix_edition_{name}"), [name], unique=False)
    op.create_table(
        "keyword",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("keyword", sa.Text(), nullable=False),
        sa.Column("keyword_key", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["edition.id"],
            name=op.f("fk_keyword_edition_id_edition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_keyword")),
        sa.UniqueConstraint("edition_id", "position", name=op.f("uq_keyword_edition_id_position")),
    )
    op.create_index(op.f("ix_keyword_keyword_key"), "keyword", ["keyword_key"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_keyword_keyword_key"), table_name="keyword")
    op.drop_table("keyword")
    with op.batch_alter_table("edition", schema=None) as batch_op:
        for name in ("doi", "isbn", "issn"):
            batch_op.drop_index(batch_op.f(f"ix_edition_{name}"))
        for name, _kind in reversed(_COLUMNS):
            batch_op.drop_column(name)
