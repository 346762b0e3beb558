"""Count the SQL statements a block of code runs."""

from contextlib import contextmanager

from sqlalchemy import event

from cotrack.extensions import db


@contextmanager
def count_queries(app):
    with app.app_context():
        engine = db.engine
    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)
