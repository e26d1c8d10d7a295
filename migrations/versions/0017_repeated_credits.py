"""contribution: a person may be credited twice in one role, as an entry names them.

A CSL item listing the same author twice, two ``AU`` tags of one name, or ``{Smith, John and
Smith, John}`` is what the source says; the catalogue credited the person once per role
(unique on target, role and person), so the list came back shorter in every other format. A
credit is now unique by its place in its role's list (target, role, position) instead.

Positions are written in order by every path, so no catalogue holds a place twice; one edited
by hand might, and its places are renumbered in their order before the constraint is made.
The downgrade keeps each person's first credit in a role, as the old constraint demands.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 06:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_TARGETS = ("edition_id", "work_id")


def upgrade() -> None:
    bind = op.get_bind()
    for column in _TARGETS:
        doubled = bind.execute(
            sa.text(
                f"SELECT DISTINCT {column} FROM contribution WHERE {column} IS NOT NULL "
                f"GROUP BY {column}, role, position HAVING count(*) > 1"
            )
        ).scalars()
        for target in list(doubled):
            ids = bind.execute(
                sa.text(f"SELECT id FROM contribution WHERE {column} = :t ORDER BY position, id"),
                {"t": target},
            ).scalars()
            for position, row_id in enumerate(list(ids)):
                bind.execute(
                    sa.text("UPDATE contribution SET position = :p WHERE id = :i"),
                    {"p": position, "i": row_id},
                )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        for column in _TARGETS:
            batch_op.drop_constraint(f"uq_contribution_{column}_role_person_id", type_="unique")
            batch_op.create_unique_constraint(
                f"uq_contribution_{column}_role_position", [column, "role", "position"]
            )


def downgrade() -> None:
    bind = op.get_bind()
    for column in _TARGETS:
        bind.execute(
            sa.text(
                f"DELETE FROM contribution WHERE {column} IS NOT NULL AND EXISTS (SELECT 1 FROM "
                f"contribution AS earlier WHERE earlier.{column} = contribution.{column} AND "
                "earlier.role = contribution.role AND earlier.person_id = contribution.person_id "
                "AND (earlier.position < contribution.position OR (earlier.position = "
                "contribution.position AND earlier.id < contribution.id)))"
            )
        )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        for column in _TARGETS:
            batch_op.drop_constraint(f"uq_contribution_{column}_role_position", type_="unique")
            batch_op.create_unique_constraint(
                f"uq_contribution_{column}_role_person_id", [column, "role", "person_id"]
            )
