"""The revenue report page (filters, per-period party totals, chart), drill-down, exports."""

from flask import Response, abort, render_template, request, stream_with_context
from flask_login import current_user

from cotrack import queries
from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.finance.views import bp
from cotrack.integrity import verify_ledger, verify_months
from cotrack.loading import venture_or_404
from cotrack.models import PARTY_ROLES, Venture
from cotrack.page_cache import cached_page, skip
from cotrack.pagination import paginate
from cotrack.permissions import can_use_reports, require
from cotrack.reports import writers
from cotrack.reports.chart import chart
from cotrack.reports.filters import ReportFilter, parse_filter, period_bounds
from cotrack.reports.pg_export import ledger_csv_stream
from cotrack.reports.queries import ledger, summary, totals


def report_filter() -> ReportFilter:
    try:
        f = parse_filter(request.args)
    except DomainError as exc:
        abort(422, "; ".join(f"{k}: {v}" for k, v in exc.fields.items()))
    if f.venture_id:
        venture_or_404(current_user, f.venture_id)  # outsiders learn nothing
    return f


def _ventures():
    return db.session.execute(
        queries.visible_ventures(current_user).with_only_columns(Venture.id, Venture.name)
        .order_by(Venture.name)).all()


@bp.route("/reports")
@cached_page("organisation")
def reports():
    require(can_use_reports(current_user))
    f = report_filter()
    if f.venture_id:
        skip()  # the page checks that venture's hash chain: always afresh
    rows = db.session.execute(summary(current_user, f)).all()
    by_currency: dict = {}
    for row in rows:
        by_currency.setdefault(row.currency, []).append(row)
    charts = {c: chart(r, f.roles) for c, r in by_currency.items()}
    # the hash chain is checked for one venture at a time (a whole large ledger takes a while)
    problems = (verify_ledger(venture_id=f.venture_id) + verify_months(f.venture_id)
                if f.venture_id else None)
    return render_template(
        "finance/reports.html", f=f, by_currency=by_currency, charts=charts,
        totals=totals(rows, f.roles), ventures=_ventures(), roles=PARTY_ROLES,
        period_bounds=period_bounds, integrity_problems=problems)


@bp.route("/reports/ledger")
@cached_page("organisation")
def report_ledger():
    require(can_use_reports(current_user))
    f = report_filter()
    page = paginate(ledger(current_user, f), per_page=100, rows=True)
    return render_template("finance/report_ledger.html", f=f, page=page, roles=PARTY_ROLES,
                           ventures=_ventures())


def export_response(user, f: ReportFilter, kind: str, fmt: str) -> Response:
    """The ledger or summary as a streamed CSV or XLSX download."""
    if kind not in ("ledger", "summary") or fmt not in ("csv", "xlsx"):
        raise DomainError("Choose kind ledger or summary and format csv or xlsx.", field="format")
    query = ledger(user, f) if kind == "ledger" else summary(user, f, by_venture=True)
    header = writers.LEDGER_HEADER if kind == "ledger" else writers.SUMMARY_HEADER
    cells = writers.ledger_cells if kind == "ledger" else writers.summary_cells
    writer = writers.csv_stream if fmt == "csv" else writers.xlsx_stream

    def generate():
        if kind == "ledger" and fmt == "csv" and \
                db.session.get_bind().dialect.name == "postgresql":
            yield from ledger_csv_stream(query)  # the database formats, COPY streams
            return
        rows = db.session.execute(query.execution_options(yield_per=2000))
        yield from writer(header, rows, cells, kind)

    mimetype = "text/csv; charset=utf-8" if fmt == "csv" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"cotrack-{kind}-{f.start or 'all'}-{f.end or 'now'}.{fmt}"
    return Response(stream_with_context(generate()), mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/reports/export")
def export():
    require(can_use_reports(current_user))
    f = report_filter()
    return export_response(current_user, f, request.args.get("kind", "ledger"),
                           request.args.get("format", "csv"))
