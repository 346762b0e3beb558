"""existing users keep their time zone

Users who existed before first_signin_at are counted as signed in already, so the browser's
zone never replaces the one they had (only accounts made from now on take it at their
first sign-in).

Revision ID: 30dcebf6c39a
Revises: 88dd283fd377
Create Date: 2026-11-26 13:00:08.697549

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '30dcebf6c39a'
down_revision = '88dd283fd377'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("UPDATE user_account SET first_signin_at = CURRENT_TIMESTAMP "
               "WHERE first_signin_at IS NULL")


def downgrade():
    pass  # nothing to undo: the column keeps its values
