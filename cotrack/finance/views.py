"""A venture's revenue: the ledger, recording, reversing, importing a CSV."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.finance.forms import EntryForm, ImportForm, ReverseForm
from cotrack.forms_util import show_domain_error
from cotrack.loading import in_venture_or_404, venture_or_404
from cotrack.models import RevenueEntry
from cotrack.pagination import paginate
from cotrack.permissions import can_record_revenue, can_view_revenue, require
from cotrack.reports.filters import ReportFilter
from cotrack.reports.queries import summary as summary_query
from cotrack.reports.queries import totals
from cotrack.services import ledger, revenue_import
from cotrack.services.agreements import agreement_in_effect
from cotrack.timeutil import utcnow

bp = Blueprint("finance", __name__)


@bp.before_request
@login_required
def signed_in():
    return None


def revenue_venture(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_view_revenue(current_user, venture))
    return venture


def render_ledger(venture, entry_form=None, status=200):
    query = (select(RevenueEntry).where(RevenueEntry.venture_id == venture.id)
             .options(selectinload(RevenueEntry.allocations),
                      selectinload(RevenueEntry.recorded_by))
             .order_by(RevenueEntry.entry_date.desc(), RevenueEntry.id.desc()))
    page = paginate(query, per_page=50)
    reversed_ids = set(db.session.scalars(select(RevenueEntry.reverses_id).where(
        RevenueEntry.reverses_id.in_([e.id for e in page.items]))).all())
    sums = totals(db.session.execute(summary_query(
        current_user, ReportFilter(venture_id=venture.id, period="year"))).all())
    return render_template(
        "finance/ledger.html", venture=venture, page=page, reversed_ids=reversed_ids,
        sums=sums.get(venture.currency), entry_form=entry_form or EntryForm(formdata=None),
        reverse_form=ReverseForm(formdata=None),
        in_effect=agreement_in_effect(venture, utcnow().date()),
    ), status


@bp.route("/ventures/<int:venture_id>/revenue", methods=["GET", "POST"])
def revenue(venture_id: int):
    venture = revenue_venture(venture_id)
    form = EntryForm()
    if request.method == "POST":
        require(can_record_revenue(current_user, venture))
        if form.validate_on_submit():
            try:
                entry = ledger.record_entry(current_user, venture, {
                    "date": form.date.data, "amount": form.amount.data,
                    "reference": form.reference.data, "region": form.region.data,
                    "note": form.note.data})
                db.session.commit()
                flash(f"Recorded {form.amount.data} {venture.currency} ({entry.reference}).",
                      "success")
                return redirect(url_for("finance.revenue", venture_id=venture.id))
            except DomainError as exc:
                show_domain_error(form, exc)
        return render_ledger(venture, form, 422)
    return render_ledger(venture)


@bp.route("/ventures/<int:venture_id>/revenue/<int:entry_id>/reverse", methods=["POST"])
def reverse(venture_id: int, entry_id: int):
    venture, entry = in_venture_or_404(current_user, venture_id, RevenueEntry, entry_id)
    require(can_view_revenue(current_user, venture))
    require(can_record_revenue(current_user, venture))
    form = ReverseForm()
    require(form.validate_on_submit(), 400)
    try:
        reversal = ledger.reverse(current_user, venture, entry, form.note.data)
        db.session.commit()
        flash(f"Entry {entry.id} reversed by entry {reversal.id}.", "success")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "danger")
    return redirect(url_for("finance.revenue", venture_id=venture.id))


@bp.route("/ventures/<int:venture_id>/revenue/import", methods=["GET", "POST"])
def import_revenue(venture_id: int):
    venture = revenue_venture(venture_id)
    require(can_record_revenue(current_user, venture))
    form, problems, status = ImportForm(), [], 200
    if form.validate_on_submit():
        try:
            count = revenue_import.import_csv(current_user, venture, form.file.data.stream)
            db.session.commit()
            flash(f"Imported {count:,} entries.", "success")
            return redirect(url_for("finance.revenue", venture_id=venture.id))
        except revenue_import.ImportRejected as exc:
            db.session.rollback()
            problems, status = exc.rows, 422
            form.file.errors = [exc.message]
        except DomainError as exc:
            show_domain_error(form, exc)
    elif form.errors:
        status = 422
    return render_template("finance/import.html", venture=venture, form=form,
                           problems=problems), status


from cotrack.finance import agreements as _agreement_routes  # noqa: E402,F401
from cotrack.finance import reports as _report_routes  # noqa: E402,F401
