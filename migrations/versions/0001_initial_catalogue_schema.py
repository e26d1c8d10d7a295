"""Initial catalogue schema: works, editions, people and their names, publishers,
contributions and alternate titles.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 13:22:20.574410
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family", sa.String(length=200), nullable=False),
        sa.Column("given", sa.String(length=200), nullable=True),
        sa.Column("prefix", sa.String(length=50), nullable=True),
        sa.Column("suffix", sa.String(length=50), nullable=True),
        sa.Column("sort_name", sa.String(length=400), nullable=False),
        sa.Column("authority_key", sa.String(length=400), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("authority_key", name=op.f("uq_person_authority_key")),
    )
    op.create_table(
        "publisher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publisher")),
        sa.UniqueConstraint("name_key", name=op.f("uq_publisher_name_key")),
    )
    op.create_table(
        "person_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("family", sa.String(length=200), nullable=False),
        sa.Column("given", sa.String(length=200), nullable=True),
        sa.Column("prefix", sa.String(length=50), nullable=True),
        sa.Column("suffix", sa.String(length=50), nullable=True),
        sa.Column("match_key", sa.String(length=400), nullable=False),
        sa.Column("family_key", sa.String(length=200), nullable=False),
        sa.CheckConstraint("kind IN ('primary', 'variant')", name=op.f("ck_person_name_kind")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_name_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_name")),
        sa.UniqueConstraint(
            "person_id", "match_key", name=op.f("uq_person_name_person_id_match_key")
        ),
    )
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name_family_key"), ["family_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name_match_key"), ["match_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name_person_id"), ["person_id"], unique=False)

    op.create_table(
        "work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("subtitle", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("date", sa.String(length=40), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        sa.Column("form", sa.String(length=20), nullable=True),
        sa.Column("annotation", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "form IN ('novel', 'poetry', 'non-fiction', 'collection', 'pamphlet', 'other')",
            name=op.f("ck_work_form"),
        ),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["publisher.id"],
            name=op.f("fk_work_publisher_id_publisher"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work")),
        sa.UniqueConstraint("key", name=op.f("uq_work_key")),
    )
    with op.batch_alter_table("work", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_work_publisher_id"), ["publisher_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_work_year"), ["year"], unique=False)

    op.create_table(
        "edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("entry_type", sa.String(length=40), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("subtitle", sa.Text(), nullable=True),
        sa.Column("date", sa.String(length=40), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("series", sa.Text(), nullable=True),
        sa.Column("journal", sa.Text(), nullable=True),
        sa.Column("volume", sa.String(length=40), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("translator_status", sa.String(length=20), nullable=False),
        sa.Column("form", sa.String(length=20), nullable=True),
        sa.Column("section", sa.String(length=200), nullable=True),
        sa.Column("annotation", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "form IN ('novel', 'poetry', 'non-fiction', 'collection', 'pamphlet', 'other')",
            name=op.f("ck_edition_form"),
        ),
        sa.CheckConstraint(
            "translator_status IN ('named', 'not-named', 'none', 'unknown')",
            name=op.f("ck_edition_translator_status"),
        ),
        sa.ForeignKeyConstraint(
            ["publisher_id"],
            ["publisher.id"],
            name=op.f("fk_edition_publisher_id_publisher"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["work_id"], ["work.id"], name=op.f("fk_edition_work_id_work"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edition")),
        sa.UniqueConstraint("key", name=op.f("uq_edition_key")),
    )
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_edition_publisher_id"), ["publisher_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_edition_work_id"), ["work_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_edition_year"), ["year"], unique=False)

    op.create_table(
        "alternate_title",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["edition.id"],
            name=op.f("fk_alternate_title_edition_id_edition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alternate_title")),
        sa.UniqueConstraint(
            "edition_id", "position", name=op.f("uq_alternate_title_edition_id_position")
        ),
    )
    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("work_id", sa.Integer(), nullable=True),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "role IN ('author', 'coauthor', 'translator', 'editor')",
            name=op.f("ck_contribution_role"),
        ),
        sa.CheckConstraint(
            "(work_id IS NULL) <> (edition_id IS NULL)", name=op.f("ck_contribution_one_target")
        ),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["edition.id"],
            name=op.f("fk_contribution_edition_id_edition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_contribution_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["work_id"], ["work.id"], name=op.f("fk_contribution_work_id_work"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
        sa.UniqueConstraint(
            "edition_id",
            "role",
            "person_id",
            name=op.f("uq_contribution_edition_id_role_person_id"),
        ),
        sa.UniqueConstraint(
            "work_id", "role", "person_id", name=op.f("uq_contribution_work_id_role_person_id")
        ),
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_edition_id"), ["edition_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contribution_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contribution_work_id"), ["work_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_work_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_person_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_edition_id"))

    op.drop_table("contribution")
    op.drop_table("alternate_title")
    with op.batch_alter_table("edition", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_edition_year"))
        batch_op.drop_index(batch_op.f("ix_edition_work_id"))
        batch_op.drop_index(batch_op.f("ix_edition_publisher_id"))

    op.drop_table("edition")
    with op.batch_alter_table("work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_year"))
        batch_op.drop_index(batch_op.f("ix_work_publisher_id"))

    op.drop_table("work")
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_name_person_id"))
        batch_op.drop_index(batch_op.f("ix_person_name_match_key"))
        batch_op.drop_index(batch_op.f("ix_person_name_family_key"))

    op.drop_table("person_name")
    op.drop_table("publisher")
    op.drop_table("person")
