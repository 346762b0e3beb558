"""Each party row carries a copy of its venture's name, stage and status, kept by the
database itself: triggers copy them when a party is written and when the venture's own
columns change, whatever wrote them (this app, raw SQL, psql, another instance). The copy
cannot be set apart from the venture: a write to it is overwritten from the venture.

Why: an organisation's ventures are its party rows. With the venture's columns beside them,
an index of the party rows by organisation, stage and name lists the organisation's open
ventures in the board's order (``queries.ventures.board_ventures``): PostgreSQL reads the
busy organisation's 1,000 index entries in order instead of looking up 1,000 ventures and
sorting them. Migrations create and drop the triggers."""

from alembic import op

#: the copied columns: party column → venture column
COPIED = {"venture_name": "name", "venture_stage": "stage", "venture_status": "status"}


def _set(source: str) -> str:
    """``SET``'s assignments of the copies from ``source`` (a row of the venture)."""
    return ", ".join(f"{copy} = {source}.{column}" for copy, column in COPIED.items())


def _create_sql(dialect: str) -> list[str]:
    if dialect == "postgresql":
        into = ", ".join(f"NEW.{copy}" for copy in COPIED)
        columns = ", ".join(COPIED.values())
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COPIED.values())
        return [f"""
            CREATE FUNCTION venture_party_copy() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    -- a new party waits for a change to its venture still running
                    -- (whose own update of the parties cannot see this row), then reads it
                    SELECT {columns} INTO {into} FROM venture WHERE id = NEW.venture_id
                    FOR SHARE;
                ELSE
                    SELECT {columns} INTO {into} FROM venture WHERE id = NEW.venture_id;
                END IF;
                RETURN NEW;
            END; $$ LANGUAGE plpgsql""", """
            CREATE TRIGGER venture_party_copy BEFORE INSERT OR UPDATE ON venture_party
            FOR EACH ROW EXECUTE FUNCTION venture_party_copy()""", f"""
            CREATE FUNCTION venture_to_parties() RETURNS trigger AS $$
            BEGIN
                UPDATE venture_party SET {_set("NEW")} WHERE venture_id = NEW.id;
                RETURN NULL;
            END; $$ LANGUAGE plpgsql""", f"""
            CREATE TRIGGER venture_to_parties AFTER UPDATE ON venture
            FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION venture_to_parties()"""]
    # SQLite: no BEFORE trigger may change the row, so the row is updated after
    of_venture = {copy: f"(SELECT {column} FROM venture WHERE id = NEW.venture_id)"
                  for copy, column in COPIED.items()}
    copy_row = ("UPDATE venture_party SET "
                + ", ".join(f"{copy} = {value}" for copy, value in of_venture.items())
                + " WHERE id = NEW.id;")
    differs = " OR ".join(f"NEW.{copy} IS NOT {value}" for copy, value in of_venture.items())
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COPIED.values())
    return [f"""
            CREATE TRIGGER venture_party_copy AFTER INSERT ON venture_party
            BEGIN {copy_row} END""", f"""
            CREATE TRIGGER venture_party_recopy AFTER UPDATE ON venture_party
            WHEN {differs} BEGIN {copy_row} END""", f"""
            CREATE TRIGGER venture_to_parties AFTER UPDATE ON venture WHEN {changed}
            BEGIN UPDATE venture_party SET {_set("NEW")} WHERE venture_id = NEW.id; END"""]


def _drop_sql(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP TRIGGER IF EXISTS venture_to_parties ON venture",
                "DROP FUNCTION IF EXISTS venture_to_parties()",
                "DROP TRIGGER IF EXISTS venture_party_copy ON venture_party",
                "DROP FUNCTION IF EXISTS venture_party_copy()"]
    return [f"DROP TRIGGER IF EXISTS {name}"
            for name in ("venture_to_parties", "venture_party_recopy", "venture_party_copy")]


def create_copy_triggers() -> None:
    for statement in _create_sql(op.get_bind().dialect.name):
        op.execute(statement)


def drop_copy_triggers() -> None:
    for statement in _drop_sql(op.get_bind().dialect.name):
        op.execute(statement)
