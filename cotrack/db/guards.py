"""Database-level guards: append-only tables refuse UPDATE and DELETE. Migrations create
and drop them; ``suspended`` lifts one inside a transaction (rotating the ledger key)."""

from contextlib import contextmanager

from alembic import op


def _create_sql(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"""
            CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql""",
                f"""
            CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"""]
    return [f"""
                CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            for event in ("UPDATE", "DELETE")]


def _drop_sql(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"DROP FUNCTION IF EXISTS {table}_append_only()"]
    return [f"DROP TRIGGER IF EXISTS {table}_no_{event}" for event in ("update", "delete")]


def create_append_only_guard(table: str) -> None:
    """The database itself refuses UPDATE and DELETE on ``table``."""
    for statement in _create_sql(op.get_bind().dialect.name, table):
        op.execute(statement)


def drop_append_only_guard(table: str) -> None:
    for statement in _drop_sql(op.get_bind().dialect.name, table):
        op.execute(statement)


@contextmanager
def suspended(connection, table: str):
    """Lift ``table``'s guard for the statements inside, in ``connection``'s transaction
    (both databases have transactional DDL: a rollback puts the guard back too)."""
    dialect = connection.dialect.name
    for statement in _drop_sql(dialect, table):
        connection.exec_driver_sql(statement)
    yield
    for statement in _create_sql(dialect, table):
        connection.exec_driver_sql(statement)
