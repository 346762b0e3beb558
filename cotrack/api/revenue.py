"""Agreements, the revenue ledger, CSV import and reports over the API."""

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack.api import bp
from cotrack.api.auth import api_user
from cotrack.api.request import json_body, string_field
from cotrack.api.serialise import agreement_json, entry_json, page_json
from cotrack.error_pages import json_error
from cotrack.extensions import db
from cotrack.finance.reports import export_response
from cotrack.loading import child_or_404, venture_or_404
from cotrack.models import AgreementApproval, RevenueEntry, SplitAgreement, Venture
from cotrack.money import format_amount
from cotrack.pagination import paginate
from cotrack.permissions import (
    can_record_revenue,
    can_sign_agreements,
    can_use_reports,
    can_view_revenue,
    require,
)
from cotrack.reports.filters import parse_filter
from cotrack.reports.queries import ledger, summary, totals
from cotrack.services import agreements, revenue_import
from cotrack.services import ledger as ledger_service


def _revenue_venture(venture_id: int) -> Venture:
    venture = venture_or_404(api_user(), venture_id)
    require(can_view_revenue(api_user(), venture))
    return venture


@bp.get("/v1/ventures/<int:venture_id>/agreements")
def list_agreements(venture_id: int):
    venture = _revenue_venture(venture_id)
    query = (select(SplitAgreement).where(SplitAgreement.venture_id == venture.id)
             .options(selectinload(SplitAgreement.approvals).selectinload(AgreementApproval.user),
                      selectinload(SplitAgreement.proposed_by))
             .order_by(SplitAgreement.version.desc()))
    return page_json(query, agreement_json)


@bp.post("/v1/ventures/<int:venture_id>/agreements")
def create_agreement(venture_id: int):
    venture = _revenue_venture(venture_id)
    require(can_sign_agreements(api_user(), venture))
    data = json_body()
    agreement = agreements.propose(api_user(), venture, effective_from=data.get("effective_from"),
                                   shares=data.get("shares"), note=string_field(data, "note"))
    db.session.commit()
    return agreement_json(agreement), 201


def _decide(agreement_id: int, decision: str):
    agreement = child_or_404(api_user(), SplitAgreement, agreement_id)
    venture = _revenue_venture(agreement.venture_id)
    require(can_sign_agreements(api_user(), venture))
    agreement = agreements.decide(api_user(), venture, agreement, decision,
                                  string_field(json_body(), "comment"))
    db.session.commit()
    return agreement_json(agreement)


@bp.post("/v1/agreements/<int:agreement_id>/approve")
def approve_agreement(agreement_id: int):
    return _decide(agreement_id, "approve")


@bp.post("/v1/agreements/<int:agreement_id>/reject")
def reject_agreement(agreement_id: int):
    return _decide(agreement_id, "reject")


@bp.get("/v1/ventures/<int:venture_id>/revenue")
def list_revenue(venture_id: int):
    venture = _revenue_venture(venture_id)
    query = (select(RevenueEntry).where(RevenueEntry.venture_id == venture.id)
             .options(selectinload(RevenueEntry.allocations),
                      selectinload(RevenueEntry.recorded_by))
             .order_by(RevenueEntry.entry_date, RevenueEntry.id))
    per_page = min(max(request.args.get("per_page", 50, type=int), 1), 200)
    page = paginate(query, per_page=per_page)
    reversals = dict(db.session.execute(
        select(RevenueEntry.reverses_id, RevenueEntry.id)
        .where(RevenueEntry.reverses_id.in_([e.id for e in page.items]))).all())
    return {"items": [entry_json(e, reversals.get(e.id)) for e in page.items],
            "page": page.page, "per_page": page.per_page, "total": page.total}


@bp.post("/v1/ventures/<int:venture_id>/revenue")
def create_revenue(venture_id: int):
    venture = _revenue_venture(venture_id)
    require(can_record_revenue(api_user(), venture))
    entry = ledger_service.record_entry(api_user(), venture, json_body())
    db.session.commit()
    return entry_json(entry), 201


@bp.post("/v1/revenue/<int:entry_id>/reverse")
def reverse_revenue(entry_id: int):
    entry = child_or_404(api_user(), RevenueEntry, entry_id)
    venture = _revenue_venture(entry.venture_id)
    require(can_record_revenue(api_user(), venture))
    reversal = ledger_service.reverse(api_user(), venture, entry,
                                      string_field(json_body(), "note"))
    db.session.commit()
    return entry_json(reversal), 201


@bp.post("/v1/ventures/<int:venture_id>/revenue/import")
def import_revenue(venture_id: int):
    venture = _revenue_venture(venture_id)
    require(can_record_revenue(api_user(), venture))
    upload = request.files.get("file")
    if upload is None:
        return json_error(422, "Send the CSV as multipart/form-data field `file`.",
                          {"file": "required"}, rows=[])
    try:
        created = revenue_import.import_csv(api_user(), venture, upload.stream)
    except revenue_import.ImportRejected as exc:
        db.session.rollback()
        return json_error(422, exc.message, exc.fields, rows=exc.rows)
    db.session.commit()
    return {"created": created}, 201


@bp.get("/v1/reports/revenue")
def revenue_report():
    user = api_user()
    require(can_use_reports(user))
    f = parse_filter(request.args)
    if f.venture_id:
        venture_or_404(user, f.venture_id)
    fmt, kind = request.args.get("format", "json"), request.args.get("kind", "summary")
    if fmt in ("csv", "xlsx"):
        return export_response(user, f, kind, fmt)
    if kind == "ledger":
        page = paginate(ledger(user, f), rows=True, per_page=min(request.args.get("per_page", 100,
                                                                         type=int), 200))
        items = [{"id": r.id, "date": r.entry_date.isoformat(), "venture_id": r.venture_id,
                  "venture": r.venture, "reference": r.reference, "region": r.region,
                  "currency": r.currency, "amount": format_amount(r.amount, r.currency),
                  "allocations": {p: format_amount(getattr(r, p), r.currency)
                                  for p in ("customer", "reseller", "manufacturer")},
                  "reverses_id": r.reverses_id} for r in page.items]
        return {"items": items, "page": page.page, "per_page": page.per_page,
                "total": page.total}
    rows = db.session.execute(summary(user, f)).all()
    return {
        "period": f.period,
        "rows": [{"period": r.period, "currency": r.currency,
                  **{p: format_amount(getattr(r, p), r.currency) for p in f.roles}}
                 for r in rows],
        "totals": {c: {k: format_amount(v, c) for k, v in t.items()}
                   for c, t in totals(rows, f.roles).items()},
    }
