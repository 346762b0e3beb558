"""each party row carries its venture's name, stage and status, kept by triggers

An organisation's ventures are its party rows. Home's board lists an organisation's open
ventures by stage and name, with each stage's count; it looked up each of the
organisation's ventures and sorted them (3.8 ms of PostgreSQL's CPU for the benchmark's
busy organisation, in 1,000 open ventures). With the venture's name, stage and status
copied onto the party rows (by triggers, ``cotrack.db.venture_copies``, so no writer has to
keep them), an index of the party rows by organisation, stage and name gives the board in
order from the index alone; a second, by organisation and name, gives the venture list.

Revision ID: d7e8f9a0b1c2
Revises: c6d2e3f4a5b7
Create Date: 2026-11-29 16:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

from cotrack.db.venture_copies import create_copy_triggers, drop_copy_triggers

# revision identifiers, used by Alembic.
revision = 'd7e8f9a0b1c2'
down_revision = 'c6d2e3f4a5b7'
branch_labels = None
depends_on = None

MEMBER = "accepted_at IS NOT NULL"
OPEN_MEMBER = (f"{MEMBER} AND venture_status IN ('active', 'pending') "
               "AND venture_stage <> 'closed'")


def upgrade():
    op.add_column('venture_party', sa.Column('venture_name', sa.String(200), nullable=True))
    op.add_column('venture_party', sa.Column('venture_stage', sa.String(20), nullable=True))
    op.add_column('venture_party', sa.Column('venture_status', sa.String(20), nullable=True))
    op.execute("""
        UPDATE venture_party SET
            venture_name = (SELECT name FROM venture WHERE venture.id = venture_id),
            venture_stage = (SELECT stage FROM venture WHERE venture.id = venture_id),
            venture_status = (SELECT status FROM venture WHERE venture.id = venture_id)""")
    create_copy_triggers()
    op.create_index('ix_venture_party_board', 'venture_party',
                    ['organisation_id', 'venture_stage', 'venture_name', 'venture_id'],
                    postgresql_include=['venture_status'],
                    postgresql_where=sa.text(OPEN_MEMBER), sqlite_where=sa.text(OPEN_MEMBER))
    op.create_index('ix_venture_party_by_name', 'venture_party',
                    ['organisation_id', 'venture_name', 'venture_id'],
                    postgresql_include=['venture_stage', 'venture_status'],
                    postgresql_where=sa.text(MEMBER), sqlite_where=sa.text(MEMBER))


def downgrade():
    op.drop_index('ix_venture_party_by_name', table_name='venture_party')
    op.drop_index('ix_venture_party_board', table_name='venture_party')
    drop_copy_triggers()
    with op.batch_alter_table('venture_party') as batch:
        batch.drop_column('venture_status')
        batch.drop_column('venture_stage')
        batch.drop_column('venture_name')
