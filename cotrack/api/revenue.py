"""Agreements, the revenue ledger, CSV import and reports over the API."""

from flask import request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack.api.auth import api_user
from cotrack.api.idempotency import idempotent
from cotrack.api.request import json_body, string_field
from cotrack.api.serialise import agreement_json, entry_json, page_json
from cotrack.domain.import_formats import ImportOptions
from cotrack.domain.money import format_amount
from cotrack.domain.permissions import (
    can_record_revenue,
    can_sign_agreements,
    can_use_reports,
    can_view_revenue,
    require,
)
from cotrack.domain.text_limits import REMARK
from cotrack.domain.valid_input import choice, text_field
from cotrack.models import AgreementApproval, RevenueEntry, SplitAgreement, Venture
from cotrack.queries.ledger import reversal_reasons
from cotrack.queries.loading import child_or_404, venture_or_404
from cotrack.reports.exports import export_response, export_rows
from cotrack.reports.filters import parse_filter
from cotrack.reports.queries import entries, ledger, ledger_count, summary_rows, totals
from cotrack.services import agreements, background, revenue_import
from cotrack.services import ledger as ledger_service
from cotrack.services.import_files import count_rows, keep
from cotrack.web import deadline
from cotrack.web.errors import json_error
from cotrack.web.pagination import paginate


def _revenue_venture(venture_id: int) -> Venture:
    venture = venture_or_404(api_user(), venture_id)
    require(can_view_revenue(api_user(), venture))
    return venture


def list_agreements(venture_id: int):
    venture = _revenue_venture(venture_id)
    query = (select(SplitAgreement).where(SplitAgreement.venture_id == venture.id)
             .options(selectinload(SplitAgreement.approvals).selectinload(AgreementApproval.user),
                      selectinload(SplitAgreement.proposed_by))
             .order_by(SplitAgreement.version.desc()))
    return page_json(query, agreement_json)


def create_agreement(venture_id: int):
    venture = _revenue_venture(venture_id)
    require(can_sign_agreements(api_user(), venture))
    data = json_body()
    agreement = agreements.propose(api_user(), venture, effective_from=data.get("effective_from"),
                                   shares=data.get("shares"), note=string_field(data, "note"))
    return agreement_json(agreement), 201


def _decide(agreement_id: int, decision: str):
    agreement = child_or_404(api_user(), SplitAgreement, agreement_id)
    venture = _revenue_venture(agreement.venture_id)
    require(can_sign_agreements(api_user(), venture))
    agreement = agreements.decide(api_user(), venture, agreement, decision,
                                  string_field(json_body(), "comment"))
    return agreement_json(agreement)


def approve_agreement(agreement_id: int):
    return _decide(agreement_id, "approve")


def reject_agreement(agreement_id: int):
    return _decide(agreement_id, "reject")


def list_revenue(venture_id: int):
    """The venture's entries, searched and sorted as the query string says (API.md)."""
    venture = _revenue_venture(venture_id)
    f = parse_filter(request.args)
    f.venture_id, f.currency = venture.id, None
    query = entries(f).options(selectinload(RevenueEntry.allocations),
                               selectinload(RevenueEntry.recorded_by))
    page = paginate(query, default_per_page=50)
    reversals = reversal_reasons(page.items)
    return {"items": [entry_json(e, *reversals.get(e.id, (None, None))) for e in page.items],
            "page": page.page, "per_page": page.per_page, "total": page.total}


@idempotent
def create_revenue(venture_id: int):
    venture = _revenue_venture(venture_id)
    require(can_record_revenue(api_user(), venture))
    entry = ledger_service.record_entry(api_user(), venture, json_body())
    return entry_json(entry), 201


@idempotent
def reverse_revenue(entry_id: int):
    entry = child_or_404(api_user(), RevenueEntry, entry_id)
    venture = _revenue_venture(entry.venture_id)
    require(can_record_revenue(api_user(), venture))
    body = json_body()
    if "reason" in body and "note" in body:  # both names: each is text as described
        text_field(body["note"], "note", True, REMARK, long=True)
    reason = body.get("reason", body.get("note"))  # `note` is its earlier name (API.md)
    reversal = ledger_service.reverse(api_user(), venture, entry, reason)
    return entry_json(reversal), 201


@idempotent
def import_revenue(venture_id: int):
    venture = _revenue_venture(venture_id)
    require(can_record_revenue(api_user(), venture))
    upload = request.files.get("file")
    if upload is None:
        return json_error(422, "Send the CSV or XLSX file as multipart/form-data field `file`.",
                          {"file": "required"}, rows=[])
    options = ImportOptions.parse(request.form)
    if request.form.get("preview", "").lower() in ("true", "1", "yes"):
        result = revenue_import.preview(api_user(), venture, upload.stream, options,
                                        limit=revenue_import.SYNC_ROWS)
        answer = revenue_import.preview_json(result, venture.currency)
        if result["problems"]:
            return json_error(422, f"{len(result['problems'])} problem(s) found.",
                              {"file": "see rows"}, rows=result["problems"], preview=answer)
        return answer, 200
    rows = count_rows(upload.stream, options)
    if rows > revenue_import.SYNC_ROWS:
        token = keep(api_user().id, venture.id, upload.stream, upload.filename or "")
        job = background.start_import(api_user(), venture, token, options, rows)
        return {"job": {"id": job.id, "url": url_for("api.get_job", job_id=job.id)}}, 202
    created = revenue_import.import_rows(api_user(), venture, upload.stream, options,
                                         on_batch=lambda _done: deadline.check())
    return {"created": created}, 201


def revenue_report():
    user = api_user()
    require(can_use_reports(user))
    f = parse_filter(request.args)
    if f.venture_id:
        venture_or_404(user, f.venture_id)
    fmt = choice(request.args.get("format") or "json", ("json", "csv", "xlsx"), "format",
                 "Choose format json, csv or xlsx.")
    kind = choice(request.args.get("kind") or "summary", ("summary", "ledger"), "kind",
                  "Choose kind summary or ledger.")
    if fmt in ("csv", "xlsx"):
        return export_response(user, f, kind, fmt)
    if kind == "ledger":
        page = paginate(ledger(user, f), rows=True, default_per_page=100,
                        count_select=ledger_count(user, f))
        items = [{"id": r.id, "date": r.entry_date.isoformat(), "venture_id": r.venture_id,
                  "venture": r.venture, "reference": r.reference, "region": r.region,
                  "currency": r.currency, "amount": format_amount(r.amount, r.currency),
                  "allocations": {p: format_amount(getattr(r, p), r.currency)
                                  for p in ("customer", "reseller", "manufacturer")},
                  "reverses_id": r.reverses_id} for r in page.items]
        return {"items": items, "page": page.page, "per_page": page.per_page,
                "total": page.total}
    rows = summary_rows(user, f)
    return {
        "period": f.period,
        "rows": [{"period": r.period, "currency": r.currency,
                  **{p: format_amount(getattr(r, p), r.currency) for p in f.roles}}
                 for r in rows],
        "totals": {c: {k: format_amount(v, c) for k, v in t.items()}
                   for c, t in totals(rows, f.roles).items()},
    }



def export_job():
    """POST /reports/revenue/export: the export (the same query parameters as GET
    /reports/revenue, format csv or xlsx) written by a job: 202 with the job, whose file is
    at /jobs/{id}/file when it is done."""
    user = api_user()
    require(can_use_reports(user))
    f = parse_filter(request.args)
    if f.venture_id:
        venture_or_404(user, f.venture_id)
    fmt = choice(request.args.get("format") or "csv", ("csv", "xlsx"), "format",
                 "Choose format csv or xlsx.")
    kind = choice(request.args.get("kind") or "ledger", ("summary", "ledger"), "kind",
                  "Choose kind summary or ledger.")
    job = background.start_export(user, f, kind, fmt, export_rows(user, f, kind))
    return {"job": {"id": job.id, "url": url_for("api.get_job", job_id=job.id)}}, 202
