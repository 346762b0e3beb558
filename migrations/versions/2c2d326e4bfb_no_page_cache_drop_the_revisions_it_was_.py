"""no page cache: drop the revisions it was keyed on

Pages are rendered afresh on every request (one request path, issue 11), so the venture,
organisation and site revisions that every write bumped for the page cache are gone.

Revision ID: 2c2d326e4bfb
Revises: baf85b7fc485
Create Date: 2026-11-26 09:55:48.099899

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2c2d326e4bfb'
down_revision = 'baf85b7fc485'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table('site_revision')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('revision')

    with op.batch_alter_table('venture', schema=None) as batch_op:
        batch_op.drop_column('revision')



def downgrade():
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
