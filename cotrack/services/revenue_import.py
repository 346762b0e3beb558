"""CSV import of revenue: every row validated first; all rows recorded, or none.

Columns: date,amount,reference,region,note (a header row is expected). Problems are
reported per line and field. Rows are allocated by the agreement in effect on their date
and written in bulk, so tens of thousands of rows import in seconds.
"""

import csv
import io
import logging

from sqlalchemy import select

from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.models import SIGNED, SplitAgreement, User, Venture
from cotrack.money import allocate, format_amount
from cotrack.permissions import can_record_revenue
from cotrack.services.activity import record
from cotrack.services.ledger import lock_chain, validate_row, write_entries

log = logging.getLogger(__name__)
COLUMNS = ["date", "amount", "reference", "region", "note"]
MAX_ROWS = 200_000
MAX_PROBLEMS = 200


class ImportRejected(DomainError):
    """The file has problems; ``rows`` lists them as {line, field, message}."""

    def __init__(self, rows: list[dict], message: str | None = None):
        super().__init__(message or f"{len(rows)} problem(s) found; nothing was recorded.",
                         field="file")
        self.rows = rows


def _reader(stream) -> csv.DictReader:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if header[: len(COLUMNS)] != COLUMNS:
        raise ImportRejected([{"line": 1, "field": "header",
                               "message": "The first line must be: " + ",".join(COLUMNS)}])
    reader.fieldnames = header
    return reader


class _Agreements:
    """The venture's signed agreements, to find the one in effect on each row's date."""

    def __init__(self, venture: Venture):
        self.signed = db.session.scalars(
            select(SplitAgreement).where(SplitAgreement.venture_id == venture.id,
                                         SplitAgreement.status.in_(SIGNED))
            .order_by(SplitAgreement.effective_from.desc(), SplitAgreement.version.desc())).all()

    def on(self, day):
        return next((a for a in self.signed if a.effective_from <= day), None)


def parse(venture: Venture, stream) -> list[dict]:
    """Validate every row; raise ImportRejected listing all problems, or return the rows."""
    agreements, rows, problems = _Agreements(venture), [], []
    try:
        for line, raw in enumerate(_reader(stream), start=2):
            if len(rows) >= MAX_ROWS:
                raise ImportRejected([], f"At most {MAX_ROWS:,} rows per file.")
            try:
                row = validate_row(venture, {k: raw.get(k) for k in COLUMNS})
            except DomainError as exc:
                problems += [{"line": line, "field": f, "message": m}
                             for f, m in exc.fields.items()]
                continue
            agreement = agreements.on(row["date"])
            if agreement is None:
                problems.append({"line": line, "field": "date", "message":
                                 f"No signed split agreement is in effect on {row['date']}."})
                continue
            rows.append({**row, "agreement_id": agreement.id,
                         "allocations": allocate(row["amount"], agreement.shares)})
    except UnicodeDecodeError:
        raise ImportRejected([{"line": 0, "field": "file",
                               "message": "The file is not UTF-8 text."}]) from None
    except csv.Error as exc:
        raise ImportRejected([{"line": 0, "field": "file", "message": str(exc)}]) from None
    if problems:
        raise ImportRejected(problems[:MAX_PROBLEMS])
    if not rows:
        raise ImportRejected([{"line": 2, "field": "file", "message": "The file has no rows."}])
    return rows


def import_csv(actor: User, venture: Venture, stream) -> int:
    if not can_record_revenue(actor, venture):
        raise DomainError("Only finance users of a party import revenue.")
    rows = parse(venture, stream)
    prev_hash = lock_chain(venture)
    write_entries(actor, venture, rows, prev_hash)
    total = sum(r["amount"] for r in rows)
    record(actor, venture, "imported", venture, label=f"{len(rows)} revenue entries",
           changes={"entries": len(rows), "total": format_amount(total, venture.currency)})
    log.info("user %s imported %s revenue entries into venture %s", actor.id, len(rows),
             venture.id)
    return len(rows)
