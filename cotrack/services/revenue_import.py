"""Importing revenue from a CSV or XLSX file: every row validated first; all rows recorded,
or none.

Columns: date,amount,reference,region,note (a header line names them). Each row is read by
the options chosen for the file (cotrack.domain.import_formats: number and date format,
delimiter, encoding), allocated by the agreement in effect on its date and written in bulk,
in batches, in the caller's transaction. Problems are reported per physical line and field,
duplicate references among them (within the file, and against the ledger) unless the
import allows duplicates. :func:`preview` reads the same way and writes nothing.
"""

import logging
from collections.abc import Callable, Iterator
from datetime import date, datetime

from sqlalchemy import exists, func, select, text
from sqlalchemy.orm import aliased

from cotrack.domain.errors import DomainError, NotAllowed
from cotrack.domain.import_formats import ImportOptions, date_of, number_text
from cotrack.domain.money import allocate, format_amount
from cotrack.domain.permissions import can_record_revenue
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, SIGNED, RevenueEntry, SplitAgreement, User, Venture
from cotrack.services.activity import record
from cotrack.services.import_files import (
    COLUMNS,
    ImportRejected,
    cell_text,
    number_cell,
    open_source,
)
from cotrack.services.ledger import (
    chain_head,
    lock_chain,
    tell_revenue,
    validate_row,
    write_entries,
)

__all__ = ["COLUMNS", "ImportRejected", "import_rows", "preview"]

log = logging.getLogger(__name__)
#: the most rows one file may hold
MAX_ROWS = 500_000
#: files with more rows than this are imported in the background (a job with progress)
SYNC_ROWS = 5_000
#: rows checked and written at a time
BATCH_ROWS = 2_000
MAX_PROBLEMS = 200
#: rows a preview shows as they will be recorded
PREVIEW_ROWS = 20


class _Agreements:
    """The venture's signed agreements, to find the one in effect on each row's date (read
    once: (effective from, id, shares), latest first)."""

    def __init__(self, venture: Venture):
        self.signed = [(a.effective_from, a.id, a.shares) for a in db.session.scalars(
            select(SplitAgreement).where(SplitAgreement.venture_id == venture.id,
                                         SplitAgreement.status.in_(SIGNED))
            .order_by(SplitAgreement.effective_from.desc(), SplitAgreement.version.desc()))]

    def on(self, day) -> tuple | None:
        """(id, shares) of the agreement in effect on ``day``."""
        return next(((i, shares) for start, i, shares in self.signed if start <= day), None)


def _read_date(value, options: ImportOptions):
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()  # a spreadsheet's date cell: no format to choose
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return date_of(cell_text(value), options.date_format)


def _read_amount(value, options: ImportOptions) -> str:
    number = number_cell(value)
    return number if number is not None else number_text(cell_text(value), options.number_format)


def row_fields(raw: dict, options: ImportOptions, venture: Venture) -> dict:
    """One record's values, read by the options and checked as a single entry's would be."""
    data = {k: cell_text(raw.get(k)) for k in ("reference", "region", "note")}
    problems = {}
    for name, read in (("date", _read_date), ("amount", _read_amount)):
        try:
            data[name] = read(raw.get(name), options) if cell_text(raw.get(name)).strip() \
                else ""
        except DomainError as exc:
            problems[name] = exc.message
    try:
        row = validate_row(venture, data)
    except DomainError as exc:
        raise DomainError(exc.message, fields={**exc.fields, **problems}) from None
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    return row


class _Duplicates:
    """References seen earlier in the file, and those on live entries of the venture's
    ledger (neither a reversal nor reversed: a reversed invoice may be issued again)."""

    def __init__(self, venture: Venture, allowed: bool):
        self.venture, self.allowed = venture, allowed
        self.seen: dict[str, int] = {}

    def in_file(self, line: int, reference: str) -> dict | None:
        if self.allowed:
            return None
        first = self.seen.setdefault(reference, line)
        if first != line:
            return {"line": line, "field": "reference", "message":
                    f"{reference} is also on line {first}; tick \"allow duplicates\" to "
                    "import both."}
        return None

    def in_ledger(self, rows: list[dict]) -> list[dict]:
        """The same rule as ledger.duplicate_references(), in one grouped query per batch
        (that one loads whole entries ordered by id: on PostgreSQL its plan walked the
        primary key, 100 s for a 20,000-row import)."""
        if self.allowed or not rows:
            return []
        later = aliased(RevenueEntry)
        existing = dict(db.session.execute(
            select(RevenueEntry.reference, func.min(RevenueEntry.id))
            .where(RevenueEntry.venture_id == self.venture.id,
                   RevenueEntry.reference.in_({r["reference"] for r in rows}),
                   RevenueEntry.reverses_id.is_(None),  # live: not a reversal, not reversed
                   ~exists().where(later.reverses_id == RevenueEntry.id))
            .group_by(RevenueEntry.reference)).all())
        return [{"line": r["line"], "field": "reference", "message":
                 f"{r['reference']} is in the ledger already (entry {existing[r['reference']]}); "
                 "tick \"allow duplicates\" to import it again."}
                for r in rows if r["reference"] in existing]


def checked_batches(venture: Venture, records: Iterator, options: ImportOptions,
                    problems: list[dict], limit: int | None = None,
                    stats: dict | None = None) -> Iterator[list[dict]]:
    """Batches of valid rows, each allocated by the agreement in effect on its date; every
    problem found is appended to ``problems`` as {line, field, message}. ``limit``: stop
    after that many rows (``stats["more"]`` then says whether the file has more)."""
    stats = {} if stats is None else stats
    agreements, duplicates = _Agreements(venture), _Duplicates(venture, options.allow_duplicates)
    batch, count = [], 0
    for line, raw in records:
        count += 1
        if count > MAX_ROWS:
            raise ImportRejected([], f"At most {MAX_ROWS:,} rows per file; split the file.")
        if limit is not None and count > limit:
            stats["more"] = True
            break
        try:
            row = row_fields(raw, options, venture)
        except DomainError as exc:
            problems += [{"line": line, "field": f, "message": m} for f, m in exc.fields.items()]
            continue
        agreement = agreements.on(row["date"])
        duplicate = duplicates.in_file(line, row["reference"])
        if agreement is None:
            problems.append({"line": line, "field": "date", "message":
                             f"No signed split agreement is in effect on {row['date']}."})
        if duplicate:
            problems.append(duplicate)
        if agreement is None or duplicate:
            continue
        batch.append({**row, "line": line, "agreement_id": agreement[0],
                      "allocations": allocate(row["amount"], agreement[1])})
        if len(batch) == BATCH_ROWS:
            problems += duplicates.in_ledger(batch)
            yield batch
            batch = []
    problems += duplicates.in_ledger(batch)
    yield batch


def _sorted(problems: list[dict]) -> list[dict]:
    return sorted(problems, key=lambda p: p["line"])[:MAX_PROBLEMS]


def preview(actor: User, venture: Venture, stream, options: ImportOptions,
            limit: int | None = None) -> dict:
    """What importing the file would record, writing nothing: the first rows as they will
    be recorded, the count and totals of the rows checked (all, or the first ``limit``), the
    options read with, and the problems found."""
    if not can_record_revenue(actor, venture):
        raise NotAllowed("Only finance users of a party import revenue.")
    source = open_source(stream, options)
    problems: list[dict] = []
    shown, count, stats = [], 0, {}
    totals = {"amount": 0, **{r: 0 for r in PARTY_ROLES}}
    for batch in checked_batches(venture, source.records, source.options, problems, limit,
                                 stats):
        for row in batch:
            count += 1
            totals["amount"] += row["amount"]
            for role in PARTY_ROLES:
                totals[role] += row["allocations"][role]
            if len(shown) < PREVIEW_ROWS:
                shown.append(row)
    return {"kind": source.kind, "options": source.options, "rows": shown, "count": count,
            "totals": totals, "problems": _sorted(problems), "more": stats.get("more", False)}


def preview_json(result: dict, currency: str) -> dict:
    money = lambda minor: format_amount(minor, currency)  # noqa: E731
    return {
        "kind": result["kind"],
        "options": {k: v for k, v in result["options"].as_dict().items()},
        "rows": [{"line": r["line"], "date": r["date"].isoformat(), "amount": money(r["amount"]),
                  "reference": r["reference"], "region": r["region"], "note": r["note"],
                  "allocations": {p: money(r["allocations"][p]) for p in PARTY_ROLES}}
                 for r in result["rows"]],
        "count": result["count"],
        "totals": {k: money(v) for k, v in result["totals"].items()},
        "problems": result["problems"],
        "more_rows": result["more"],
    }


def import_rows(actor: User, venture: Venture, stream, options: ImportOptions,
                on_batch: Callable[[int], None] | None = None) -> int:
    """Record every row of the file, or none: rows are checked and written in batches in
    the caller's transaction (so memory stays flat however long the file), and the first
    problem stops the writing while the rest of the file is still checked and reported.
    ``on_batch(rows_done)`` is called after each batch (progress; a time limit)."""
    if not can_record_revenue(actor, venture):
        raise NotAllowed("Only finance users of a party import revenue.")
    lock_chain(venture)
    source = open_source(stream, options)
    problems: list[dict] = []
    count, total, analysed = 0, 0, 0
    for batch in checked_batches(venture, source.records, source.options, problems):
        count += len(batch)
        if not problems:
            total += sum(row["amount"] for row in batch)
            if batch:
                write_entries(actor, venture, batch, chain_head(venture))
            if count >= 10 * max(analysed, BATCH_ROWS // 10):
                analysed = _refresh_statistics(count)
        if on_batch is not None:
            on_batch(count)
    if problems:
        raise ImportRejected(_sorted(problems))
    if not count:
        raise ImportRejected([{"line": 2, "field": "file", "message": "The file has no rows."}])
    activity = record(actor, venture, "imported", venture, label=f"{count} revenue entries",
                      changes={"entries": count,
                               "total": format_amount(total, venture.currency)},
                      audience="revenue")
    tell_revenue(actor, venture, activity)
    log.info("user %s imported %s revenue entries into venture %s", actor.id, count, venture.id)
    return count


def _refresh_statistics(count: int) -> int:
    """On PostgreSQL, let the planner see the rows this transaction has written so far (at
    2,000, 20,000, 200,000 … rows): with the statistics of before the import it takes the
    venture's ledger for a few hundred rows and checks each batch's references against all
    of them, not through the (venture, reference) index (5 s a batch at 200,000 rows)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE revenue_entry"))
    return count


def import_csv(actor: User, venture: Venture, stream, on_batch=None) -> int:
    """A plain comma-separated UTF-8 CSV in ISO dates and 1234.50 amounts (the first
    version's only format)."""
    return import_rows(actor, venture, stream, ImportOptions(delimiter=","),
                       on_batch=(lambda _done: on_batch()) if on_batch else None)
