"""Connection-level settings: SQLite WAL, busy timeout, foreign keys, real transactions;
read-only GET requests on both databases; a writing request's statements bounded in time.

pysqlite's own transaction handling starts transactions late and cannot nest SAVEPOINTs
reliably; SQLAlchemy's documented fix is to turn it off and emit BEGIN ourselves. A request
that may write (POST, PUT, PATCH, DELETE; and every CLI command) begins with BEGIN
IMMEDIATE: it takes the write lock up front and waits (busy timeout) instead of failing
with "database is locked" when two gunicorn workers write at once. A GET only reads, so it
begins a plain deferred transaction: in WAL mode readers never wait for a writer.

On PostgreSQL a GET runs in autocommit: at READ COMMITTED every statement of a read-only
transaction sees what was committed before it started anyway, so the BEGIN and ROLLBACK
round trips bought nothing. A GET that tried to write would lose its atomicity, so it is
refused outright. A writing request's statements are cancelled at the request's time
limit (``REQUEST_TIME_LIMIT_SECONDS``), so it answers 503 before gunicorn's timeout.

Nothing happens at import: :func:`init_app` attaches these listeners to the app's own
engine, and :func:`configure` to any other engine (the rate-limit counters' storage).
"""

import sqlite3

from flask import Flask, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from cotrack.extensions import db

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: an execution option for work outside requests that only reads (a background export):
#: on SQLite its transaction begins deferred, so it does not hold the write lock
READ_ONLY = "cotrack_read_only"


def reading() -> bool:
    """In a request that only reads (GET, HEAD, OPTIONS)."""
    return has_request_context() and request.method in READ_ONLY_METHODS


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    configure(engine, requests=True,
              statement_timeout_ms=int(app.config["REQUEST_TIME_LIMIT_SECONDS"] * 1000))


def configure(engine: Engine, requests: bool = False,
              statement_timeout_ms: int | None = None) -> None:
    """Attach the settings to ``engine``. With ``requests``, its connections follow the
    request that uses them (read-only GETs); without, every transaction may write."""
    sqlite = engine.dialect.name == "sqlite"
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)

    def begin(conn) -> None:
        if sqlite:
            deferred = (requests and reading()) or conn.get_execution_options().get(READ_ONLY)
            conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")
        elif requests and statement_timeout_ms and has_request_context() and not reading():
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {statement_timeout_ms}")

    event.listen(engine, "begin", begin)
    if requests:
        event.listen(engine.pool, "checkout", _mark_read_only_request)
        event.listen(engine.pool, "checkin", _end_read_only_request)
        event.listen(engine, "before_execute", _streams_need_a_transaction)
        event.listen(engine, "before_cursor_execute", _no_writes_in_reads)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _mark_read_only_request(dbapi_connection, connection_record, connection_proxy) -> None:
    if not reading():
        return
    connection_record.info["read_only_request"] = True
    if not isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.autocommit = True


def _end_read_only_request(dbapi_connection, connection_record) -> None:
    if (connection_record.info.pop("read_only_request", False) and dbapi_connection is not None
            and not isinstance(dbapi_connection, sqlite3.Connection)):
        dbapi_connection.autocommit = False


def _streams_need_a_transaction(conn, clauseelement, multiparams, params, options) -> None:
    """A server-side cursor (``yield_per``, ``stream_results``) only lives in a transaction:
    a GET that streams rows gets one on PostgreSQL, from this statement to the request's end."""
    if not conn.info.get("read_only_request") or not (
            options.get("yield_per") or options.get("stream_results")):
        return
    dbapi_connection = conn.connection.driver_connection
    if not isinstance(dbapi_connection, sqlite3.Connection) and dbapi_connection.autocommit:
        dbapi_connection.autocommit = False


def _no_writes_in_reads(conn, cursor, statement, parameters, context, executemany) -> None:
    if context is not None and conn.info.get("read_only_request") and (
            context.isinsert or context.isupdate or context.isdelete):
        raise RuntimeError("a GET request must not write; use POST")
