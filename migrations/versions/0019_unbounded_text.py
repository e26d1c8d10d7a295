"""Text columns without a length limit: what imported files hold has none.

BibTeX, biber, Zotero and CSL put no limit on a key's or a field's length, and real files hold
112-character JabRef keys, 390-character name suffixes (an affiliation) and 513-character
DOIs. SQLite never enforced the VARCHAR lengths, PostgreSQL did: such a file came into a SQLite
catalogue and was refused whole by a PostgreSQL one. On PostgreSQL the columns become VARCHAR
without a length (no table rewrite: the change is binary-coercible); on SQLite nothing changes.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

#: table -> (column, its former length)
COLUMNS = {
    "publisher": [("name", 300), ("name_key", 300)],
    "publisher_name": [("name", 300), ("name_key", 300)],
    "person": [("family", 200), ("given", 200), ("prefix", 50), ("suffix", 50),
               ("sort_name", 400), ("authority_key", 400)],
    "person_name": [("family", 200), ("given", 200), ("prefix", 50), ("suffix", 50),
                    ("match_key", 400), ("family_key", 200)],
    "work": [("key", 100), ("language", 20), ("date", 40), ("place", 200)],
    "edition": [("key", 100), ("entry_type", 40), ("date", 40), ("place", 200),
                ("publisher_as_given", 300), ("language", 20), ("volume", 40), ("number", 40),
                ("section", 200), ("pages", 100), ("doi", 300), ("edition_statement", 200)],
    "keyword": [("keyword_key", 300)],
    "edition_parent": [("parent_key", 100)],
    "change_row": [("record", 60), ("label", 400)],
}  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite never enforced the lengths
    for table, columns in COLUMNS.items():
        for column, length in columns:
            op.alter_column(
                table, column, type_=sa.String(), existing_type=sa.String(length=length)
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, columns in COLUMNS.items():
        for column, length in columns:
            op.alter_column(
                table, column, type_=sa.String(length=length), existing_type=sa.String()
            )
