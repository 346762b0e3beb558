"""Connection-level settings: SQLite WAL, busy timeout, foreign keys, real transactions;
read-only GET requests on both databases.

pysqlite's own transaction handling starts transactions late and cannot nest SAVEPOINTs
reliably; SQLAlchemy's documented fix is to turn it off and emit BEGIN ourselves. A request
that may write (POST, PUT, PATCH, DELETE; and every CLI command) begins with BEGIN
IMMEDIATE: it takes the write lock up front and waits (busy timeout) instead of failing
with "database is locked" when two gunicorn workers write at once. A GET only reads, so it
begins a plain deferred transaction: in WAL mode readers never wait for a writer.

On PostgreSQL a GET runs in autocommit: at READ COMMITTED every statement of a read-only
transaction sees what was committed before it started anyway, so the BEGIN and ROLLBACK
round trips bought nothing. A GET that tried to write would lose its atomicity, so it is
refused outright.
"""

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def reading() -> bool:
    return has_request_context() and request.method in READ_ONLY_METHODS


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN" if reading() else "BEGIN IMMEDIATE")


@event.listens_for(Pool, "checkout")
def _mark_read_only_request(dbapi_connection, connection_record, connection_proxy) -> None:
    if not reading() or connection_record.info.get("writes_always"):
        return
    connection_record.info["read_only_request"] = True
    if not isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.autocommit = True


@event.listens_for(Pool, "checkin")
def _end_read_only_request(dbapi_connection, connection_record) -> None:
    if (connection_record.info.pop("read_only_request", False) and dbapi_connection is not None
            and not isinstance(dbapi_connection, sqlite3.Connection)):
        dbapi_connection.autocommit = False


@event.listens_for(Engine, "before_execute")
def _streams_need_a_transaction(conn, clauseelement, multiparams, params, options) -> None:
    """A server-side cursor (``yield_per``, ``stream_results``) only lives in a transaction:
    a GET that streams rows gets one on PostgreSQL, from this statement to the request's end."""
    if not conn.info.get("read_only_request") or not (
            options.get("yield_per") or options.get("stream_results")):
        return
    dbapi_connection = conn.connection.driver_connection
    if not isinstance(dbapi_connection, sqlite3.Connection) and dbapi_connection.autocommit:
        dbapi_connection.autocommit = False


@event.listens_for(Engine, "before_cursor_execute")
def _no_writes_in_reads(conn, cursor, statement, parameters, context, executemany) -> None:
    if context is not None and conn.info.get("read_only_request") and (
            context.isinsert or context.isupdate or context.isdelete):
        raise RuntimeError("a GET request must not write; use POST")
