"""The revenue report page (filters, per-period party totals, chart), drill-down, exports."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user

from cotrack.domain.permissions import can_use_reports, require
from cotrack.finance.picker import PARAMETER, picker, search_problem
from cotrack.models import PARTY_ROLES
from cotrack.queries.loading import venture_or_404
from cotrack.reports import chart as charting
from cotrack.reports.exports import export_response, export_rows
from cotrack.reports.filters import ReportFilter, parse_filter, period_bounds
from cotrack.reports.integrity import check_venture
from cotrack.reports.queries import ledger, ledger_count, summary_rows, totals
from cotrack.reports.search import read_checked_filter
from cotrack.services import background
from cotrack.web import page_store
from cotrack.web.forms import EmptyForm
from cotrack.web.pagination import paginate


def report_filter() -> ReportFilter:
    f = parse_filter(request.args)
    if f.venture_id:
        venture_or_404(current_user, f.venture_id)  # outsiders learn nothing
    return f


def page_filter() -> tuple[ReportFilter, dict[str, str]]:
    """For a report page: the filters, or the default ones and a message per filter at
    fault (the page answers 422 with the messages beside the filter form)."""
    f, problems = read_checked_filter(request.args,
                                      lambda v: venture_or_404(current_user, v))
    if problem := search_problem(request.args):
        problems = {**problems, PARAMETER: problem}
    return f, problems


@page_store.kept
def reports():
    require(can_use_reports(current_user))
    f, filter_problems = page_filter()
    if filter_problems:
        return _reports(f, filter_problems), 422
    return page_store.page(lambda: _reports(f, filter_problems))


def _reports(f, filter_problems) -> str:
    rows = summary_rows(current_user, f)
    by_currency: dict = {}
    for row in rows:
        by_currency.setdefault(row.currency, []).append(row)
    charts = {c: charting.chart(r, f.roles) for c, r in by_currency.items()}
    axes = {c: charting.axis(r, f.roles) for c, r in by_currency.items()}
    phone_charts = {c: charting.phone_chart(r, f.roles) for c, r in by_currency.items()}
    # the hash chain is checked for one venture at a time, from its last checkpoint on
    problems = check_venture(f.venture_id) if f.venture_id else None
    return render_template(
        "finance/reports.html", f=f, by_currency=by_currency, charts=charts, axes=axes,
        phone_charts=phone_charts, phone=charting,
        totals=totals(rows, f.roles), picker=picker(f.venture_id), roles=PARTY_ROLES,
        period_bounds=period_bounds, integrity_problems=problems,
        filter_problems=filter_problems)


def report_ledger():
    require(can_use_reports(current_user))
    f, filter_problems = page_filter()
    page = paginate(ledger(current_user, f), per_page=100, rows=True,
                    count_select=ledger_count(current_user, f))
    return render_template("finance/report_ledger.html", f=f, page=page, roles=f.roles,
                           picker=picker(f.venture_id), filter_problems=filter_problems), (
        422 if filter_problems else 200)


def export():
    """A download; the ledger of more than EXPORT_SYNC_ROWS rows is offered as a job instead
    (a button: a GET never writes), whose page offers the file when it is done."""
    require(can_use_reports(current_user))
    f = report_filter()
    kind, fmt = request.args.get("kind", "ledger"), request.args.get("format", "csv")
    if kind == "ledger" and fmt in ("csv", "xlsx"):
        rows = export_rows(current_user, f, kind)
        if rows > background.EXPORT_SYNC_ROWS:
            return render_template("finance/export_job.html", f=f, kind=kind, fmt=fmt,
                                   rows=rows, form=EmptyForm(formdata=None))
    return export_response(current_user, f, kind, fmt)


def export_job():
    """Write the export in the background; its page shows the progress and then the file."""
    require(can_use_reports(current_user))
    require(EmptyForm().validate_on_submit(), 400)
    f = parse_filter(request.form)
    if f.venture_id:
        venture_or_404(current_user, f.venture_id)
    kind, fmt = request.form.get("kind"), request.form.get("format")
    require(kind == "ledger" and fmt in ("csv", "xlsx"), 400)
    job = background.start_export(current_user, f, kind, fmt, export_rows(current_user, f, kind))
    return redirect(url_for("finance.job", job_id=job.id), 303)
