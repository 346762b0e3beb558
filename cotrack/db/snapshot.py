"""The database's state as one value: two equal values mean that nothing was committed in
between, by anyone, through any path (this app, another instance, a worker, psql).

On PostgreSQL that value is the current snapshot (``pg_current_snapshot()``: the next
transaction number and the transactions still running). Every transaction that writes is
given a number, so its start and its end each change the snapshot; a read changes nothing.
SQLite has no such value.
"""

from cotrack.extensions import db


def database_state() -> str | None:
    """The snapshot the next statement of this session sees (at READ COMMITTED, a GET's
    later statements see it or a newer one); None on SQLite."""
    connection = db.session.connection()  # the one the request's statements use
    if connection.dialect.name != "postgresql":
        return None
    return connection.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar_one()
