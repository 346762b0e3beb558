"""A venture's revenue: the ledger, recording, reversing (importing: imports.py)."""

from functools import partial

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from cotrack.db.timestamps import utcnow
from cotrack.domain.permissions import can_record_revenue, can_view_revenue, require
from cotrack.extensions import db
from cotrack.finance.forms import EntryForm, ReverseForm
from cotrack.models import RevenueEntry
from cotrack.queries.ledger import regions, reversal_reasons
from cotrack.queries.loading import in_venture_or_404, venture_or_404
from cotrack.reports.filters import ReportFilter
from cotrack.reports.queries import entries, matching_totals, totals
from cotrack.reports.queries import summary as summary_query
from cotrack.reports.search import read_checked_filter
from cotrack.services import ledger
from cotrack.services.agreements import agreement_in_effect
from cotrack.web.forms import add_rule_problems, raised_problems, refused
from cotrack.web.numbers import money_text
from cotrack.web.pagination import paginate


@login_required
def signed_in():
    return None


def revenue_venture(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_view_revenue(current_user, venture))
    return venture


def _entry_form(form: EntryForm | None) -> EntryForm:
    """The recording form; its duplicate checkbox only after a duplicate was refused."""
    form = form or EntryForm(formdata=None)
    if not (isinstance(refused(), ledger.DuplicateReference)
            or form.allow_duplicate_reference.data):
        del form.allow_duplicate_reference
    return form


def ledger_filter(venture) -> tuple[ReportFilter, dict[str, str]]:
    """The ledger search of the query string for this venture, and a message per filter at
    fault (then the ledger is shown unfiltered, the messages above it, with 422)."""
    f, problems = read_checked_filter({**request.args, "venture_id": str(venture.id)})
    f.venture_id, f.currency = venture.id, None
    return f, problems


def render_ledger(venture, entry_form=None, status=200):
    f, filter_problems = ledger_filter(venture)
    if filter_problems and status == 200:
        status = 422
    query = entries(f, default_sort="-date").options(
        selectinload(RevenueEntry.allocations), selectinload(RevenueEntry.recorded_by))
    page = paginate(query, per_page=50)
    reversals = reversal_reasons(page.items)
    filtered = bool(f.searching or f.start or f.end)
    sums = (matching_totals(f, page.total) if filtered else totals(db.session.execute(summary_query(
        current_user, ReportFilter(venture_id=venture.id, period="year"))).all()).get(
        venture.currency))
    return render_template(
        "finance/ledger.html", venture=venture, page=page, reversals=reversals, f=f,
        filtered=filtered, sums=sums, filter_problems=filter_problems,
        entry_form=_entry_form(entry_form), regions=regions(venture),
        in_effect=agreement_in_effect(venture, utcnow().date()),
    ), status


def revenue(venture_id: int):
    venture = revenue_venture(venture_id)
    form = EntryForm()
    if request.method == "POST":
        require(can_record_revenue(current_user, venture))
        data = {"date": form.date.data, "amount": form.amount.data,
                "reference": form.reference.data, "region": form.region.data,
                "note": form.note.data,
                "allow_duplicate_reference": form.allow_duplicate_reference.data}
        if form.validate_on_submit():
            entry = ledger.record_entry(current_user, venture, data)
            flash(f"Recorded {money_text(entry.amount, entry.currency)} ({entry.reference}).",
                  "success")
            return redirect(url_for("finance.revenue", venture_id=venture.id))
        add_rule_problems(form, partial(raised_problems, ledger.validate_row, venture, data))
        return render_ledger(venture, form, 422)
    return render_ledger(venture)


def reverse(venture_id: int, entry_id: int):
    """Reversing asks first: the entry as it stands, and why it is reversed (required)."""
    venture, entry = in_venture_or_404(current_user, venture_id, RevenueEntry, entry_id)
    require(can_view_revenue(current_user, venture))
    require(can_record_revenue(current_user, venture))
    form = ReverseForm()
    if form.validate_on_submit():
        reversal = ledger.reverse(current_user, venture, entry, form.reason.data)
        flash(f"Entry #{entry.id} ({entry.reference}) reversed by entry #{reversal.id}.",
              "success")
        return redirect(url_for("finance.revenue", venture_id=venture.id))
    other = reversal_reasons([entry]).get(entry.id)
    return render_template("finance/reverse.html", venture=venture, entry=entry, form=form,
                           reversed_by=other if entry.reverses_id is None else None,
                           ), 422 if form.errors else 200
