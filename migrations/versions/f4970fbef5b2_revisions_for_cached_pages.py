"""revisions for cached pages: venture, organisation and site-wide counters

Revision ID: f4970fbef5b2
Revises: f0e3484b3fb8
Create Date: 2026-11-24 08:54:18.936353

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4970fbef5b2'
down_revision = 'f0e3484b3fb8'
branch_labels = None
depends_on = None


def upgrade():
    site = op.create_table('site_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_revision'))
    )
    op.bulk_insert(site, [{'id': 1, 'revision': 0}])
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False))

    with op.batch_alter_table('venture', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.BigInteger(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('venture', schema=None) as batch_op:
        batch_op.drop_column('revision')

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('revision')

    op.drop_table('site_revision')
