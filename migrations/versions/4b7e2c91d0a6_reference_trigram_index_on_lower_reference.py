"""the trigram index for "reference contains" on lower(reference), PostgreSQL only

The trigram index on ``reference`` itself also answers ``reference = …``, and the planner
took it for the import's duplicate check (``reference IN (2,000 references)``): every
reference of a venture shares most of its trigrams ("INV-…"), so each lookup read long
posting lists, 25 s a batch at 150,000 entries, where the (venture, reference) B-tree takes
10 ms. On ``lower(reference)`` it answers only the search's ``lower(reference) LIKE
'%…%'`` (cotrack/reports/search.py). On SQLite the old index was a plain B-tree on
``reference`` that nothing used: it is dropped, not replaced. Outside the models' metadata
(cotrack/db/search.py's include_object), as the search's other PostgreSQL-only indexes.

Revision ID: 4b7e2c91d0a6
Revises: 2cad66205ecb
Create Date: 2026-11-26 16:15:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4b7e2c91d0a6'
down_revision = '2cad66205ecb'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_revenue_entry_reference_trgm', table_name='revenue_entry')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_revenue_entry_lower_reference_trgm ON revenue_entry "
                   "USING gin (lower(reference) gin_trgm_ops)")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_revenue_entry_lower_reference_trgm")
    with op.batch_alter_table('revenue_entry', schema=None) as batch_op:
        batch_op.create_index('ix_revenue_entry_reference_trgm', ['reference'], unique=False,
                              postgresql_using='gin',
                              postgresql_ops={'reference': 'gin_trgm_ops'})
