"""Wikidata QIDs for people, works, editions and publishers; VIAF and ISNI ids for people.

Optional, one record each (unique indexes: two records with one QID are one record, to be
merged). Their formats (``Q42``, VIAF digits, an ISNI's 16 characters with its check
character) are checked by the models (``biblio.identifiers``) on every write.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_COLUMNS = {
    "person": (("qid", sa.String(20)), ("viaf", sa.String(30)), ("isni", sa.String(16))),
    "work": (("qid", sa.String(20)),),
    "edition": (("qid", sa.String(20)),),
    "publisher": (("qid", sa.String(20)),),
}


def upgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, kind in columns:
                batch_op.add_column(sa.Column(name, kind, nullable=True))
                batch_op.create_index(batch_op.f(f"ix_{table}_{name}"), [name], unique=True)


def downgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _kind in reversed(columns):
                batch_op.drop_index(batch_op.f(f"ix_{table}_{name}"))
                batch_op.drop_column(name)
