"""The full-text index as the database holds it (migration c5e1a7d2f903), outside the models.

SQLite: the FTS5 table ``search_fts`` (title, body, venture_id), kept by triggers; a row's
rowid is the object's id * 8 + its kind. PostgreSQL: a generated ``search_vector`` column
with a GIN index on each searched table. Neither belongs to the models' metadata, so
``include_object`` keeps Alembic's autogenerate (and ``flask db check``) away from them, and
from the ledger's trigram index (PostgreSQL, on ``lower(reference)``: migration 4b7e2c91d0a6).
"""

from contextlib import contextmanager

from sqlalchemy import Column, Integer, MetaData, Table, Text, text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.exc import DBAPIError

#: kind code in the SQLite rowid -> kind name
KIND_CODES = {1: "venture", 2: "milestone", 3: "issue", 4: "comment", 5: "update", 6: "ledger"}
KINDS = {name: code for code, name in KIND_CODES.items()}
#: the SQLite rowid: id * ROWID_STRIDE + kind code
ROWID_STRIDE = 8

_metadata = MetaData()

search_fts = Table(
    "search_fts", _metadata,
    Column("rowid", Integer, primary_key=True),
    Column("title", Text), Column("body", Text), Column("venture_id", Integer),
)


def _searchable(name: str, *columns: str) -> Table:
    return Table(name, _metadata, Column("id", Integer, primary_key=True),
                 *(Column(c, Integer if c.endswith("_id") else Text) for c in columns),
                 Column("search_vector", TSVECTOR))


#: PostgreSQL: the searched tables as the search sees them (with ``search_vector``)
PG_TABLES = {
    "venture": _searchable("venture", "name", "description"),
    "milestone": _searchable("milestone", "venture_id", "title", "description"),
    "issue": _searchable("issue", "venture_id", "title", "description"),
    "comment": _searchable("issue_comment", "issue_id", "body"),
    "update": _searchable("status_update", "venture_id", "summary", "decisions"),
    "ledger": _searchable("revenue_entry", "venture_id", "reference", "region", "note"),
}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: the search index's tables, columns and indexes are not the models'."""
    if type_ == "table" and name and name.startswith("search_fts"):
        return False
    if type_ == "column" and name == "search_vector":
        return False
    return not (type_ == "index" and name and name.endswith(("_search_vector", "_trgm")))


#: PostgreSQL's settings around a search (serial_plan)
_SEARCH_SETTINGS = {"max_parallel_workers_per_gather": "0",
                    "plan_cache_mode": "force_custom_plan", "work_mem": "'32MB'"}


@contextmanager
def serial_plan(session):
    """PostgreSQL plans the search without parallel workers: starting them costs more than
    the few milliseconds a search takes, and on a busy server they compete with other
    requests for the same cores (bench/README.md, "Search"); and for the words searched
    each time: psycopg prepares a statement run five times, and PostgreSQL's generic plan
    for it (blind to how common the words are) took twice as long from the tenth search
    on; and with the memory to count and sort 200,000 matches without spilling them to
    disk (4 MB by default). SQLite: nothing to do."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    for name, value in _SEARCH_SETTINGS.items():
        session.execute(text(f"SET {name} = {value}"))
    try:
        yield
    finally:
        try:
            for name in _SEARCH_SETTINGS:
                session.execute(text(f"RESET {name}"))
        except DBAPIError:  # the transaction failed: PostgreSQL undoes the SET with it
            pass
