"""activity audience: which permission governs who may see each row

Revision ID: baf85b7fc485
Revises: 1a46daf55881
Create Date: 2026-11-26 09:18:19.870665

Rows about agreements and ledger entries, and the "imported" rows recorded on the venture
(they carry the import's total), are seen only by those who may view revenue.
"""
from alembic import op
import sqlalchemy as sa

from cotrack.db.guards import create_append_only_guard, drop_append_only_guard


# revision identifiers, used by Alembic.
revision = 'baf85b7fc485'
down_revision = '1a46daf55881'
branch_labels = None
depends_on = None

BACKFILL = """
    UPDATE activity SET audience = 'revenue'
    WHERE object_type IN ('split_agreement', 'agreement_approval', 'revenue_entry', 'allocation')
       OR (object_type = 'venture' AND action = 'imported')
"""


def upgrade():
    # The trail is append-only in the database: the guard steps aside for the backfill
    # (and SQLite's batch copy of the table would drop its triggers anyway).
    drop_append_only_guard('activity')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.String(length=10), nullable=False,
                                      server_default='venture'))
    op.execute(BACKFILL)
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.alter_column('audience', server_default=None)
        batch_op.create_check_constraint(op.f('ck_activity_audience_known'),
                                         "audience IN ('venture', 'revenue')")
    create_append_only_guard('activity')


def downgrade():
    drop_append_only_guard('activity')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_activity_audience_known'), type_='check')
        batch_op.drop_column('audience')
    create_append_only_guard('activity')
