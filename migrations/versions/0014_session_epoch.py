"""app_user.session_epoch: logging out, or a new password, ends every session of the user.

A session keeps the epoch it was opened in; a request whose epoch is no longer the user's is
a visitor's. Signed cookie sessions have no record on the server otherwise, so a copied
cookie outlived its logout.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 22:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("session_epoch")
