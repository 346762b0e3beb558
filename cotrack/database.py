"""Connection-level settings for SQLite: WAL, busy timeout, foreign keys, real transactions.

pysqlite's own transaction handling starts transactions late and cannot nest SAVEPOINTs
reliably; SQLAlchemy's documented fix is to turn it off and emit BEGIN ourselves. A request
that may write (POST, PUT, PATCH, DELETE; and every CLI command) begins with BEGIN
IMMEDIATE: it takes the write lock up front and waits (busy timeout) instead of failing
with "database is locked" when two gunicorn workers write at once. A GET only reads, so it
begins a plain deferred transaction: in WAL mode readers never wait for a writer.
"""

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine


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


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    reading = has_request_context() and request.method in READ_ONLY_METHODS
    conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")
