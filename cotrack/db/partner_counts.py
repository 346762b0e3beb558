"""``organisation_partner``: for each organisation, the organisations it shares a venture
with (the venture list's partner filter), kept by the database itself. A row (A, B, n):
A belongs to n ventures (its party there has accepted) in which B has a party (B may be
A). Triggers on ``venture_party`` count again the pairs a written party can change, those
among the organisations of its venture before and after, whatever wrote it (this app, raw
SQL, psql, another instance), in the writer's own transaction.

Why: the filter's organisations were read through each of the viewer's ventures (for the
benchmark's busy organisation, 1,000 ventures and their 3,000 parties: 2.7 ms of
PostgreSQL on every view of the list); read from here, they are the organisation's own
rows. Party writes are few (a venture made, an invitation answered, withdrawn or sent
again) and each counts again a handful of pairs.

On PostgreSQL the triggers run once per statement, over the rows it wrote (their
transition tables), and a recount first takes a transaction-level advisory lock, so
recounts run one at a time and each (a new snapshot per statement, at READ COMMITTED)
sees the parties of every recount committed before it. SQLite has one writer at a time,
and its row triggers run as each row is written. Migrations create and
drop the triggers; :func:`recount_all_sql` fills the table from scratch."""

from alembic import op

#: the pairs, counted among the organisations ``{among}`` (SQL returning organisation ids)
_COUNT = """
    INSERT INTO organisation_partner (organisation_id, partner_id, ventures)
    SELECT member.organisation_id, party.organisation_id, count(*)
    FROM venture_party AS member
    JOIN venture_party AS party ON party.venture_id = member.venture_id
    WHERE member.accepted_at IS NOT NULL {among}
    GROUP BY member.organisation_id, party.organisation_id"""
#: an advisory lock's key: 'op' 'pa' in ASCII (any constant no other lock of this app uses)
LOCK_KEY = 0x6F70_7061


def recount_all_sql() -> str:
    return _COUNT.format(among="")


def _among(organisations: str) -> str:
    return (f"AND member.organisation_id IN ({organisations}) "
            f"AND party.organisation_id IN ({organisations})")


def _recount(organisations: str) -> str:
    return (f"DELETE FROM organisation_partner WHERE organisation_id IN ({organisations}) "
            f"AND partner_id IN ({organisations}); "
            + _COUNT.format(among=_among(organisations)) + ";")


#: PostgreSQL's statement triggers, each with the transition tables its rows are in
PG_TRIGGERS = {
    "insert": "INSERT ON venture_party REFERENCING NEW TABLE AS new_rows",
    "update": "UPDATE ON venture_party REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "DELETE ON venture_party REFERENCING OLD TABLE AS old_rows",
}
#: an update that can change a count: a party moved, given to another organisation, or
#: accepted or no longer (not a copy of its venture's columns written)
_COUNTED_CHANGE = """
    FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
    WHERE o.organisation_id IS DISTINCT FROM n.organisation_id
       OR o.venture_id IS DISTINCT FROM n.venture_id
       OR (o.accepted_at IS NULL) <> (n.accepted_at IS NULL)"""


def _create_sql(dialect: str) -> list[str]:
    if dialect == "postgresql":
        # once per statement, over all the rows it wrote: a row trigger fired after a
        # statement that deleted several parties of a venture sees none of them left, and
        # would not count again the pairs among them
        return [f"""
            CREATE FUNCTION organisation_partner_recount() RETURNS trigger AS $$
            DECLARE ventures integer[]; parties integer[]; affected integer[];
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    ventures := ARRAY(SELECT venture_id FROM new_rows);
                    parties := ARRAY(SELECT organisation_id FROM new_rows);
                ELSIF TG_OP = 'DELETE' THEN
                    ventures := ARRAY(SELECT venture_id FROM old_rows);
                    parties := ARRAY(SELECT organisation_id FROM old_rows);
                ELSE
                    ventures := ARRAY(SELECT o.venture_id {_COUNTED_CHANGE}
                                      UNION SELECT n.venture_id {_COUNTED_CHANGE});
                    parties := ARRAY(SELECT o.organisation_id {_COUNTED_CHANGE}
                                     UNION SELECT n.organisation_id {_COUNTED_CHANGE});
                END IF;
                IF cardinality(ventures) = 0 THEN
                    RETURN NULL;
                END IF;
                PERFORM pg_advisory_xact_lock({LOCK_KEY});
                affected := ARRAY(
                    SELECT organisation_id FROM venture_party
                    WHERE venture_id = ANY(ventures) UNION SELECT unnest(parties));
                {_recount("SELECT unnest(affected)")}
                RETURN NULL;
            END; $$ LANGUAGE plpgsql""", *(f"""
            CREATE TRIGGER organisation_partner_after_{kind} AFTER {on}
            FOR EACH STATEMENT EXECUTE FUNCTION organisation_partner_recount()"""
                                         for kind, on in PG_TRIGGERS.items())]
    # SQLite: one writer at a time already; a trigger per kind of write (NEW or OLD)
    ventures = {"insert": "NEW.venture_id", "delete": "OLD.venture_id",
                "update": "NEW.venture_id, OLD.venture_id"}
    extra = {"insert": "", "delete": " UNION SELECT OLD.organisation_id",
             "update": " UNION SELECT OLD.organisation_id"}
    columns = {"insert": "INSERT", "delete": "DELETE",
               "update": "UPDATE OF venture_id, organisation_id, accepted_at"}
    return [f"""
            CREATE TRIGGER organisation_partner_after_{kind} AFTER {columns[kind]}
            ON venture_party BEGIN {_recount(
                f"SELECT organisation_id FROM venture_party WHERE venture_id IN "
                f"({ventures[kind]}){extra[kind]}")} END""" for kind in ventures]


def _drop_sql(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return [*(f"DROP TRIGGER IF EXISTS organisation_partner_after_{kind} ON venture_party"
                  for kind in PG_TRIGGERS),
                "DROP FUNCTION IF EXISTS organisation_partner_recount()"]
    return [f"DROP TRIGGER IF EXISTS organisation_partner_after_{kind}"
            for kind in ("insert", "delete", "update")]


def create_partner_triggers() -> None:
    for statement in _create_sql(op.get_bind().dialect.name):
        op.execute(statement)


def drop_partner_triggers() -> None:
    for statement in _drop_sql(op.get_bind().dialect.name):
        op.execute(statement)
