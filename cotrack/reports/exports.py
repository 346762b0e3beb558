"""Report exports: the ledger or the summary as a streamed CSV or XLSX download, for the
report pages and the API alike."""

import re
import unicodedata
from collections.abc import Iterator
from functools import partial

from flask import Response, stream_with_context
from sqlalchemy import func, select

from cotrack.domain.errors import DomainError
from cotrack.extensions import db
from cotrack.models import Venture
from cotrack.reports import writers
from cotrack.reports.filters import ReportFilter
from cotrack.reports.pg_export import ledger_csv_stream
from cotrack.reports.queries import ledger, summary
from cotrack.reports.search import ledger_order

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_response(user, f: ReportFilter, kind: str, fmt: str) -> Response:
    """The ledger or summary as a streamed CSV or XLSX download: the rows and columns the
    report page shows for the same filters (venture, party, currency, dates)."""
    chunks = export_chunks(user, f, kind, fmt)
    # content_type, not mimetype: Flask would add "; charset=utf-8" a second time
    return Response(stream_with_context(chunks), content_type=CONTENT_TYPES[fmt],
                    headers={"Content-Disposition":
                             f'attachment; filename="{export_name(f, kind, fmt)}"'})


def export_chunks(user, f: ReportFilter, kind: str, fmt: str, progress=None,
                  every: int = 2000) -> Iterator:
    """The export file's content, chunk by chunk (checked before the first chunk is asked
    for). ``progress(rows)`` is called every ``every`` rows and at the end."""
    if kind not in ("ledger", "summary") or fmt not in ("csv", "xlsx"):
        raise DomainError("Choose kind ledger or summary and format csv or xlsx.", field="format")
    query = ledger(user, f) if kind == "ledger" else summary(user, f, by_venture=True)
    header = (writers.ledger_header if kind == "ledger" else writers.summary_header)(f.roles)
    cells = partial(writers.ledger_cells if kind == "ledger" else writers.summary_cells,
                    roles=f.roles)
    writer = writers.csv_stream if fmt == "csv" else writers.xlsx_stream

    def generate():
        if progress is None and kind == "ledger" and fmt == "csv" and \
                db.session.get_bind().dialect.name == "postgresql":
            yield from ledger_csv_stream(  # the database formats, COPY streams
                query, f.roles, order=lambda columns: ledger_order(f, columns=columns))
            return
        rows = db.session.execute(query.execution_options(yield_per=2000))
        if progress is not None:
            rows = _counted(rows, progress, every)
        yield from writer(header, rows, cells, kind)

    return generate()


def _counted(rows, progress, every: int) -> Iterator:
    count = 0
    for count, row in enumerate(rows, start=1):  # noqa: B007
        yield row
        if count % every == 0:
            progress(count)
    progress(count)


def export_rows(user, f: ReportFilter, kind: str) -> int:
    """How many rows an export of ``kind`` holds."""
    query = ledger(user, f) if kind == "ledger" else summary(user, f, by_venture=True)
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def export_name(f: ReportFilter, kind: str, fmt: str) -> str:
    """Named for what the file holds: "cotrack-ledger-mobile-storage-array-reseller-eur-
    2026-01-01-to-2026-03-31.csv"; "all-ventures" and "all-dates" when not filtered."""
    venture = db.session.get(Venture, f.venture_id) if f.venture_id else None
    holds = (_slug(venture.name) or f"venture-{venture.id}") if venture else "all-ventures"
    parts = ["cotrack", kind, holds, f.party, (f.currency or "").lower()]
    if f.start or f.end:
        parts.append(f"{f.start or 'start'}-to-{f.end or 'now'}")
    else:
        parts.append("all-dates")
    return "-".join(p for p in parts if p) + f".{fmt}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
