"""full-text search: an FTS5 index kept by triggers (SQLite), tsvector columns with GIN
indexes (PostgreSQL)

SQLite: one FTS5 table ``search_fts`` over ventures, milestones, issues, comments, status
updates and ledger entries; a row's rowid is the object's id * 8 + its kind (1 … 6), so a
trigger finds its row by rowid. Triggers on the six tables keep it current in the same
transaction as the write. NB: SQLite's batch mode (``op.batch_alter_table``) copies a table
and drops its triggers: a later migration that batch-alters one of these tables must
create its search triggers again (``SQLITE_TRIGGERS`` below shows them).

PostgreSQL: each of the six tables gets a stored generated ``search_vector`` (title
weighted A, the rest B, the 'simple' configuration over letters and digits only: no
stemming, words split at every other character, as SQLite's unicode61)
and a GIN index on it; a comment's venture comes from its issue at query time.

Neither is in the models' metadata (cotrack/db/search.py keeps autogenerate away from them).

Revision ID: c5e1a7d2f903
Revises: 21daceab37b7
Create Date: 2026-11-26 13:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c5e1a7d2f903'
down_revision = '21daceab37b7'
branch_labels = None
depends_on = None

#: table -> (kind code, venture id expression, title expression, body expression)
SOURCES = {
    "venture": (1, "{r}.id", "{r}.name", "{r}.description"),
    "milestone": (2, "{r}.venture_id", "{r}.title", "{r}.description"),
    "issue": (3, "{r}.venture_id", "{r}.title", "{r}.description"),
    "issue_comment": (4, "(SELECT venture_id FROM issue WHERE issue.id = {r}.issue_id)",
                      "''", "{r}.body"),
    "status_update": (5, "{r}.venture_id", "''",
                      "{r}.summary || ' ' || coalesce({r}.decisions, '')"),
    "revenue_entry": (6, "{r}.venture_id", "{r}.reference",
                      "coalesce({r}.region, '') || ' ' || coalesce({r}.note, '')"),
}
#: the columns whose change re-indexes a row (revenue entries never change)
WATCHED = {
    "venture": "name, description",
    "milestone": "title, description",
    "issue": "title, description",
    "issue_comment": "body",
    "status_update": "summary, decisions",
}
#: PostgreSQL: the generated column's text, title and rest
PG_TEXT = {
    "venture": ("name", "description"),
    "milestone": ("title", "description"),
    "issue": ("title", "description"),
    "issue_comment": ("''", "body"),
    "status_update": ("''", "summary || ' ' || coalesce(decisions, '')"),
    "revenue_entry": ("reference", "coalesce(region, '') || ' ' || coalesce(note, '')"),
}


def _insert(table: str, r: str) -> str:
    code, venture, title, body = SOURCES[table]
    return (f"INSERT INTO search_fts (rowid, venture_id, title, body) VALUES "
            f"({r}.id * 8 + {code}, {venture.format(r=r)}, {title.format(r=r)}, "
            f"{body.format(r=r)});")


def _delete(table: str, r: str) -> str:
    return f"DELETE FROM search_fts WHERE rowid = {r}.id * 8 + {SOURCES[table][0]};"


def sqlite_triggers(table: str) -> list[str]:
    triggers = [
        f"CREATE TRIGGER search_{table}_insert AFTER INSERT ON {table} BEGIN "
        f"{_insert(table, 'new')} END",
        f"CREATE TRIGGER search_{table}_delete AFTER DELETE ON {table} BEGIN "
        f"{_delete(table, 'old')} END",
    ]
    if table in WATCHED:
        triggers.append(
            f"CREATE TRIGGER search_{table}_update AFTER UPDATE OF {WATCHED[table]} "
            f"ON {table} BEGIN {_delete(table, 'old')} {_insert(table, 'new')} END")
    return triggers


SQLITE_TRIGGERS = {table: sqlite_triggers(table) for table in SOURCES}


def _words(text: str) -> str:
    """Letters and digits only, as SQLite's unicode61 splits: PostgreSQL's parser would
    read "INV-4240-7" as "inv", "-4240", "-7" (signed numbers), and "1.5" as one word."""
    return (f"regexp_replace(coalesce({text}, '') COLLATE \"default\", '[^[:alnum:]]+', ' ', "
            f"'g')")


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5("
                   "title, body, venture_id UNINDEXED, "
                   "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
        for table, triggers in SQLITE_TRIGGERS.items():
            for trigger in triggers:
                op.execute(trigger)
            code, venture, title, body = SOURCES[table]
            op.execute(f"INSERT INTO search_fts (rowid, venture_id, title, body) "
                       f"SELECT r.id * 8 + {code}, {venture.format(r='r')}, "
                       f"{title.format(r='r')}, {body.format(r='r')} FROM {table} r")
        return
    for table, (title, body) in PG_TEXT.items():
        vector = f"setweight(to_tsvector('simple'::regconfig, {_words(body)}), 'B')"
        if title != "''":
            vector = (f"setweight(to_tsvector('simple'::regconfig, {_words(title)}), 'A') || "
                      + vector)
        op.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"CREATE INDEX ix_{table}_search_vector ON {table} "
                   f"USING gin (search_vector)")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for table, triggers in SQLITE_TRIGGERS.items():
            for trigger in triggers:
                op.execute(f"DROP TRIGGER IF EXISTS {trigger.split()[2]}")
        op.execute("DROP TABLE search_fts")
        return
    for table in PG_TEXT:
        op.execute(f"DROP INDEX ix_{table}_search_vector")
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
