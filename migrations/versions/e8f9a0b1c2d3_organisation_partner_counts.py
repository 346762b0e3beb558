"""organisation_partner: the organisations each shares a venture with, kept by triggers

The venture list's partner filter offers the organisations that share a venture with the
viewer's. It read them through each of the viewer's ventures (for the benchmark's busy
organisation, 3,000 parties of 1,000 ventures: 2.7 ms of PostgreSQL on every view of the
list). This table holds them, counted, kept by triggers on ``venture_party``
(``cotrack.db.partner_counts``, so no writer has to keep it) and filled here from the
parties there are.

Revision ID: e8f9a0b1c2d3
Revises: d7e8f9a0b1c2
Create Date: 2026-11-29 17:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

from cotrack.db.partner_counts import (
    create_partner_triggers,
    drop_partner_triggers,
    recount_all_sql,
)

# revision identifiers, used by Alembic.
revision = 'e8f9a0b1c2d3'
down_revision = 'd7e8f9a0b1c2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisation_partner',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('partner_id', sa.Integer(), nullable=False),
        sa.Column('ventures', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_organisation_partner_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['partner_id'], ['organisation.id'],
                                name=op.f('fk_organisation_partner_partner_id_organisation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', 'partner_id',
                                name=op.f('pk_organisation_partner')),
    )
    op.execute(recount_all_sql())
    create_partner_triggers()


def downgrade():
    drop_partner_triggers()
    op.drop_table('organisation_partner')
