"""Writing ledger rows in bulk, the fastest way each database offers, in the caller's
transaction: a 200,000-row import writes 200,000 entries and 600,000 allocations.

- SQLite: this transaction holds the database's only write lock (BEGIN IMMEDIATE), so the
  next ids are known and the rows go in one executemany each (RETURNING there costs a
  statement per row);
- PostgreSQL: the ids are drawn from the table's sequence in one statement and the rows
  sent with COPY (several times faster than batched INSERT … RETURNING). A single entry
  (recording, reversing) takes a plain INSERT … RETURNING.

The ids come back in the order of the rows given: the hash chain follows the ids.
"""

from sqlalchemy import func, insert, select, text

from cotrack.extensions import db
from cotrack.models import Allocation, RevenueEntry

ENTRY_COLUMNS = ("id", "venture_id", "entry_date", "amount", "currency", "reference", "region",
                 "note", "recorded_by_id", "recorded_at", "agreement_id", "reverses_id",
                 "prev_hash", "hash")


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def insert_entries(entries: list[dict]) -> list[int]:
    """Insert the entries (dicts of their columns but ``id``); their new ids, in order."""
    if _postgresql() and len(entries) > 1:
        ids = sorted(db.session.scalars(text(
            "SELECT nextval(pg_get_serial_sequence('revenue_entry', 'id')) "
            "FROM generate_series(1, :n)"), {"n": len(entries)}).all())
        _copy("revenue_entry", ENTRY_COLUMNS,
              ((i, *(e[c] for c in ENTRY_COLUMNS[1:])) for i, e in zip(ids, entries,
                                                                         strict=True)))
        return ids
    if _postgresql():
        return list(db.session.scalars(insert(RevenueEntry).returning(
            RevenueEntry.id, sort_by_parameter_order=True), entries).all())
    first = (db.session.scalar(select(func.max(RevenueEntry.id))) or 0) + 1
    ids = list(range(first, first + len(entries)))
    # Core inserts (the table, not the ORM class): no per-row ORM bookkeeping
    db.session.execute(RevenueEntry.__table__.insert(), [{**e, "id": i} for e, i in zip(
        entries, ids, strict=True)])
    return ids


def insert_allocations(rows: list[dict]) -> None:
    """Insert allocations: dicts of entry_id, role, amount."""
    if _postgresql() and len(rows) > 3:
        _copy("allocation", ("entry_id", "role", "amount"),
              ((r["entry_id"], r["role"], r["amount"]) for r in rows))
        return
    db.session.execute(Allocation.__table__.insert(), rows)


def _copy(table: str, columns: tuple, rows) -> None:
    """COPY ``rows`` into ``table`` on the session's own connection (its transaction)."""
    db.session.flush()
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
