"""The ledger CSV on PostgreSQL: the database formats every row and streams it with COPY.

Same rows, columns and neutralisation as the Python writer in ``writers.py`` (which SQLite
and the XLSX export use), but no per-row work in Python: amounts are formatted with the
currency's minor digits by the database, text cells are made inert by a CASE expression,
and psycopg hands the COPY output through in chunks.
"""

from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import Numeric, Select, String, case, cast, func, literal, null, select
from sqlalchemy.dialects import postgresql

from cotrack.domain.money import minor_digits
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Venture
from cotrack.reports.writers import DANGEROUS, ledger_header

CHUNK = 256 * 1024


def _inert(column):
    text = func.nullif(column, "")
    return case((func.substr(column, 1, 1).in_(DANGEROUS), literal("'") + column), else_=text)


def _amount(column, unit):
    # bigint times a numeric of the currency's scale (0.01 for EUR) is a numeric of that
    # scale: its text is the amount with exactly the minor digits (-0.05, 12.30, 7 for JPY)
    return cast(column * unit, String)


def ledger_copy_sql(ledger_query: Select, roles: tuple = PARTY_ROLES,
                    order=None) -> str:
    """``order``: a function of the subquery's columns giving ORDER BY (default: by date)."""
    rows = ledger_query.subquery()
    currencies = db.session.scalars(select(Venture.currency).distinct()).all() or ["EUR"]
    unit = case({c: literal(Decimal(1).scaleb(-minor_digits(c)), Numeric)
                 for c in currencies}, value=rows.c.currency, else_=literal(Decimal("0.01")))
    query = select(
        rows.c.entry_date, _inert(rows.c.venture), _inert(rows.c.reference),
        _inert(rows.c.region), rows.c.currency, _amount(rows.c.amount, unit),
        *(_amount(rows.c[r], unit) for r in roles),
        func.coalesce(rows.c.reverses_id, null()),
    ).order_by(*(order(rows.c) if order else (rows.c.entry_date, rows.c.id)))
    return str(query.compile(dialect=postgresql.dialect(),
                             compile_kwargs={"literal_binds": True}))


def ledger_csv_stream(ledger_query: Select, roles: tuple = PARTY_ROLES,
                      order=None) -> Iterator[bytes]:
    sql = ledger_copy_sql(ledger_query, roles, order)
    yield (",".join(ledger_header(roles)) + "\n").encode()
    connection = db.session.connection().connection.driver_connection
    buffer = bytearray()
    with connection.cursor() as cursor, cursor.copy(
            f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
        for row in copy:  # the server sends one message per row: gather them into chunks
            buffer += row
            if len(buffer) >= CHUNK:
                yield bytes(buffer)
                buffer.clear()
    yield bytes(buffer)
