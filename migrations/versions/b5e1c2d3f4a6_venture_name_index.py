"""index of ventures by name, the venture list's order

The venture list shows a page of the viewer's ventures by name. Without this index
PostgreSQL read all 10,000 ventures and sorted the viewer's 1,000 to show 25 (2.5 ms for
the benchmark's busy organisation); along it, it reads ventures in name order, checks each
against the viewer's organisation, and stops at the page's end (0.3 ms).

Revision ID: b5e1c2d3f4a6
Revises: a7c3e9d1b254
Create Date: 2026-11-27 07:05:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5e1c2d3f4a6'
down_revision = 'a7c3e9d1b254'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_venture_name_id', 'venture', ['name', 'id'])


def downgrade():
    op.drop_index('ix_venture_name_id', table_name='venture')
