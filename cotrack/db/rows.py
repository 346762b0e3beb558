"""Rows of a read-only statement, run on the session's connection (its transaction) without
the ORM's execution.

A statement of columns, not entities, gives the same rows either way, but the ORM's path
(its compile state, result wrapping, the session's execute hooks: there are none) cost
about 0.06 ms of CPU a statement, a third of a small one. Nothing is flushed first, so it
is for reads that follow no write of the same request (a page's panels, not a service's
checks).
"""

from sqlalchemy import Executable, Row

from cotrack.extensions import db


def rows(statement: Executable, params: dict | None = None) -> list[Row]:
    return db.session.connection().execute(statement, params or {}).all()
