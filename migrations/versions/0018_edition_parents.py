"""edition_parent: the keys an edition's crossref and xdata name, to find its children.

A child holds what it inherits from its parent (biblio.inheritance); when a parent is edited
or imported after its children, the catalogue finds them here, through the index on the key,
and gives them what they now inherit. Filled from the kept .bib fields of every edition.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 07:00:00
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def _parents(extra: object) -> list[str]:
    """As biblio.inheritance.parents_of (a migration keeps its own copy: the module may
    change after it)."""
    if isinstance(extra, str):
        extra = json.loads(extra)
    if not isinstance(extra, dict):
        return []
    found: list[str] = []
    for name in ("xdata", "crossref"):
        for field_name, raw in extra.get("fields", []):
            if str(field_name).lower() == name:
                inner = str(raw).strip()
                if len(inner) >= 2 and (inner[0], inner[-1]) in (("{", "}"), ('"', '"')):
                    inner = inner[1:-1]
                items = inner.split(",") if name == "xdata" else [inner]
                found += [key.strip() for key in items if key.strip()]
    return found


def upgrade() -> None:
    op.create_table(
        "edition_parent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("parent_key", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"], ["edition.id"], name=op.f("fk_edition_parent_edition_id_edition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edition_parent")),
        sa.UniqueConstraint(
            "edition_id", "position", name=op.f("uq_edition_parent_edition_id_position")
        ),
    )  # fmt: skip
    op.create_index(
        op.f("ix_edition_parent_parent_key"), "edition_parent", ["parent_key"], unique=False
    )
    bind = op.get_bind()
    rows = []
    found = bind.execute(
        sa.text("SELECT id, extra FROM edition WHERE extra IS NOT NULL")
    )  # one pass; a crossref is in few editions
    for edition_id, extra in found:
        for position, key in enumerate(_parents(extra)):
            rows.append({"edition_id": edition_id, "position": position, "parent_key": key})
    if rows:
        bind.execute(
            sa.text(
                "INSERT INTO edition_parent (edition_id, position, parent_key) "
                "VALUES (:edition_id, :position, :parent_key)"
            ),
            rows,
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_edition_parent_parent_key"), table_name="edition_parent")
    op.drop_table("edition_parent")
