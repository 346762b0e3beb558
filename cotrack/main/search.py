"""Search: one box in the navbar, results of every kind the user may see, best first."""

from flask import current_app, render_template, request
from flask_login import current_user, login_required

from cotrack.db.search import serial_plan
from cotrack.domain.search_terms import query_problem, search_terms
from cotrack.extensions import db
from cotrack.queries.search import ledger_amounts, load_hits, search
from cotrack.web.highlight import excerpt, highlight
from cotrack.web.pagination import paginate

PER_PAGE = 20


@login_required
def search_page():
    q = request.args.get("q", "")
    problem = query_problem(q) if q.strip() else None
    if not q.strip() or problem:
        return render_template("main/search.html", q=q, problem=problem, page=None, hits=[],
                               terms=[]), 422 if problem else 200
    terms = search_terms(q)
    cap = current_app.config["SEARCH_COUNT_CAP"]
    with serial_plan(db.session):
        page = paginate(search(current_user, terms, cap), per_page=PER_PAGE, rows="counted",
                        count_cap=cap)
    hits = load_hits(page.items)
    return render_template("main/search.html", q=q, problem=None, page=page, hits=hits,
                           terms=terms, amounts=ledger_amounts(hits),
                           mark=lambda text, width=240: highlight(excerpt(text, terms, width),
                                                                  terms))
