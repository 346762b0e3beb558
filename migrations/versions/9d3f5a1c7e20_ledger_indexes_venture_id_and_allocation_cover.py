"""revenue entries by (venture, id), and allocations covered by (entry, role, amount)

Allocations: the totals of a filtered ledger (a region of a 100,000-entry venture: 16,667
entries) were a hash join over every allocation (358 ms at 3,000,000); read from this
index alone, one probe per entry, 41 ms.

The report page checks the chain from the venture's last checkpoint (``venture_id = …
AND id > …`` in id order, read through a server-side cursor). Without this index
PostgreSQL's cursor plan walked the primary key from the checkpoint on and skipped every
other venture's later entries: 309 ms at 1,000,000 entries when none were new.

Revision ID: 9d3f5a1c7e20
Revises: 4b7e2c91d0a6
Create Date: 2026-11-26 16:35:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '9d3f5a1c7e20'
down_revision = '4b7e2c91d0a6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_revenue_entry_venture_id', 'revenue_entry', ['venture_id', 'id'])
    op.create_index('ix_allocation_entry_role_amount', 'allocation',
                    ['entry_id', 'role', 'amount'])


def downgrade():
    op.drop_index('ix_allocation_entry_role_amount', table_name='allocation')
    op.drop_index('ix_revenue_entry_venture_id', table_name='revenue_entry')
