"""/search?q=…: what the user may see, best match first, a page at a time."""

from flask import current_app, request

from cotrack.api.auth import api_user
from cotrack.db.search import serial_plan
from cotrack.domain.errors import DomainError
from cotrack.domain.money import format_amount
from cotrack.domain.search_terms import query_problem, search_terms
from cotrack.extensions import db
from cotrack.queries.search import ledger_amounts, load_hits, search
from cotrack.web.pagination import paginate


def search_api():
    q = request.args.get("q", "")
    if problem := query_problem(q):
        raise DomainError(problem, field="q")
    cap = current_app.config["SEARCH_COUNT_CAP"]
    with serial_plan(db.session):
        page = paginate(search(api_user(), search_terms(q), cap), default_per_page=20,
                        rows="counted", count_cap=cap)
    hits = load_hits(page.items)
    amounts = ledger_amounts(hits)
    base = request.host_url.rstrip("/")
    items = []
    for hit in hits:
        item = {"kind": hit.kind, "id": hit.id,
                "venture": {"id": hit.venture_id, "name": hit.venture_name},
                "title": hit.title, "text": hit.text, "url": base + _path(hit)}
        if hit.kind == "comment":
            item["issue_id"] = hit.issue_id
        if hit.kind == "ledger" and hit.id in amounts:
            amount, currency = amounts[hit.id]  # a decimal string, as all money (API.md)
            item.update(amount=format_amount(amount, currency), currency=currency)
        items.append(item)
    # past SEARCH_COUNT_CAP matches, total is the cap and total_exact false ("more than 10,000")
    return {"items": items, "page": page.page, "per_page": page.per_page, "total": page.total,
            "total_exact": page.total_exact}


def _path(hit) -> str:
    venture = f"/ventures/{hit.venture_id}"
    return {
        "venture": venture,
        "milestone": f"{venture}/milestones/{hit.id}",
        "issue": f"{venture}/issues/{hit.id}",
        "comment": f"{venture}/issues/{hit.issue_id}#comment-{hit.id}",
        "update": f"{venture}/updates",
        "ledger": f"{venture}/revenue",
    }[hit.kind]
