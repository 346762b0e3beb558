"""Backups of the live database, and restoring one into an empty database.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one step
from a connection holding a read transaction, so the copy is that transaction's snapshot
even while others write (a plain file copy of a WAL database is not: it misses what is
still in the -wal file). PostgreSQL: ``pg_dump -Fc`` reading an exported snapshot
(``--snapshot``) of the transaction that also verifies the ledger, restored with
``pg_restore`` in one transaction. The commands are ``flask backup`` / ``flask restore``
(cotrack.cli), which verify the ledger of what they wrote.
"""

import os
import shutil
import sqlite3
import subprocess

from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine, make_url


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def libpq_url(url) -> str:
    """The SQLAlchemy URL as pg_dump/pg_restore take it: no "+psycopg", no password (that
    goes in PGPASSWORD, not on a command line others can read in the process list)."""
    return make_url(str(url) if not hasattr(url, "set") else url).set(
        drivername="postgresql", password=None).render_as_string(hide_password=False)


def _password(url) -> str | None:
    return make_url(str(url) if not hasattr(url, "set") else url).password


def is_empty(engine: Engine) -> bool:
    """Has the database no tables (a restore needs an empty one)?"""
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def sqlite_backup(conn: Connection, path: str) -> None:
    """Copy the database of ``conn`` (inside its read transaction) to a new file ``path``."""
    target = sqlite3.connect(path)
    try:
        conn.connection.driver_connection.backup(target, pages=-1)
    finally:
        target.close()


def sqlite_restore(path: str, database: str) -> None:
    """Copy the backup file ``path`` into the (empty) database file ``database``."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(database)
    try:
        source.backup(target, pages=-1)
    finally:
        source.close()
        target.close()


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def _run(args: list[str], url) -> None:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if _password(url):
        env["PGPASSWORD"] = str(_password(url))
    # a list (no shell), the binaries found on PATH, the arguments ours
    result = subprocess.run(args, capture_output=True, text=True, check=False,  # noqa: S603
                            env=env)
    if result.returncode != 0:
        raise BackupError(f"{os.path.basename(args[0])} failed: "
                          f"{result.stderr.strip()[-2000:]}")


def pg_dump(url, path: str, snapshot: str | None = None) -> None:
    """``pg_dump -Fc`` of the database at ``url`` into ``path`` (of ``snapshot`` if given)."""
    args = [_binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
            f"--file={path}", f"--dbname={libpq_url(url)}"]
    if snapshot:
        args.append(f"--snapshot={snapshot}")
    _run(args, url)


def pg_restore(url, path: str) -> None:
    """Restore a ``pg_dump -Fc`` file into the (empty) database at ``url``, all or nothing."""
    _run([_binary("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
          "--single-transaction", f"--dbname={libpq_url(url)}", path], url)
