"""The database's state as one value: two equal values mean that nothing was committed in
between, by anyone, through any path (this app, another instance, a worker, psql).

On PostgreSQL that value is the current snapshot (``pg_current_snapshot()``: the lowest
transaction still running, one past the highest that has ended (nothing at or above it is
visible), and those still running between the two). A transaction that writes is given a
number, and its end (commit or rollback) changes the snapshot: it raises the upper bound or
leaves the running list, and the numbers never come back, so a snapshot never repeats after
a commit. A read changes nothing. The snapshot is the whole server's: a commit in another
database on it is a new state too. SQLite has no such value.
"""

from sqlalchemy import String, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from cotrack.extensions import db


class current_state(FunctionElement):  # noqa: N801  (an SQL function, named as one)
    """The database's state as a column of any SELECT: the snapshot the statement reads on
    PostgreSQL, NULL elsewhere. A page's first read can take it with what it reads
    (``cotrack.services.signin``: the sign-in look-up), instead of a statement of its own."""

    type = String()
    name = "current_state"
    inherit_cache = True


@compiles(current_state)
def _no_state(element, compiler, **kw) -> str:
    return "NULL"


@compiles(current_state, "postgresql")
def _snapshot(element, compiler, **kw) -> str:
    return "pg_current_snapshot()::text"


def database_state() -> str | None:
    """The snapshot the next statement of this session sees (at READ COMMITTED, a GET's
    later statements see it or a newer one); None on SQLite."""
    connection = db.session.connection()  # the one the request's statements use
    if connection.dialect.name != "postgresql":
        return None
    return connection.execute(select(current_state())).scalar_one()
