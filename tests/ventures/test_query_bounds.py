"""Each page of a venture runs a bounded number of SQL queries, whatever the data's size.

The same pages are counted for a venture with a few dozen milestones and issues and for
one with 500 milestones and 2,000 issues; the counts must be equal (no N+1).
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import Issue, IssueComment, Milestone
from tests.conftest import login
from tests.query_counter import count_queries

PAGES = [
    "/", "/my-work", "/ventures/", "/ventures/{v}", "/ventures/{v}/milestones",
    "/ventures/{v}/milestones?overdue=1&sort=stage", "/ventures/{v}/timeline",
    "/ventures/{v}/issues", "/ventures/{v}/issues?severity=critical",
    "/ventures/{v}/issues/{i}", "/ventures/{v}/activity", "/ventures/{v}/updates",
]
API = ["/api/v1/ventures/{v}/milestones?per_page=200", "/api/v1/ventures/{v}/issues?per_page=200",
       "/api/v1/ventures/{v}/scorecard", "/api/v1/ventures?per_page=200"]


def fill(ns, milestones: int, issues: int) -> int:
    """Bulk-insert milestones and issues (with comments); returns one issue's id."""
    lead, member = ns.leads["customer"], ns.member
    now, today = utcnow(), date.today()
    db.session.execute(insert(Milestone), [{
        "venture_id": ns.venture.id, "title": f"M{i}", "description": "", "stage": "feasibility",
        "party": ("customer", "reseller", "manufacturer")[i % 3],
        "assignee_id": (lead.id, member.id, None)[i % 3],
        "due_date": today + timedelta(days=i % 40 - 20), "status": "planned",
        "created_at": now - timedelta(days=30), "version": 1} for i in range(milestones)])
    db.session.execute(insert(Issue), [{
        "venture_id": ns.venture.id, "title": f"I{i}", "description": "",
        "severity": ("low", "medium", "high", "critical")[i % 4],
        "status": ("open", "in_progress", "resolved")[i % 3],
        # raisers and assignees vary within every page, whatever the sort order
        "raised_by_id": (lead.id, member.id)[(i // 4) % 2], "raised_by_party": "customer",
        "party": "manufacturer", "assignee_id": (member.id, None, lead.id)[(i // 8) % 3],
        "created_at": now - timedelta(days=5),
        "resolved_at": now if i % 3 == 2 else None, "version": 1} for i in range(issues)])
    db.session.commit()
    issue_id = db.session.scalar(db.select(Issue.id).where(Issue.venture_id == ns.venture.id))
    db.session.execute(insert(IssueComment), [
        {"issue_id": issue_id, "author_id": lead.id, "body": f"c{i}", "created_at": now}
        for i in range(min(issues, 50))])
    db.session.commit()
    return issue_id


def counts(app, client, venture_id, issue_id, headers) -> dict:
    result = {}
    for template in PAGES + API:
        url = template.format(v=venture_id, i=issue_id)
        db.session.expunge_all()  # an empty identity map, as a request in production has
        with count_queries(app) as statements:
            response = client.get(url, headers=headers if url.startswith("/api/") else None)
        assert response.status_code == 200, url
        result[template] = len(statements)
    return result


@pytest.fixture
def venture_with(make_venture, make_user, make_token):
    def make(milestones, issues):
        ns = make_venture()
        ns.member = make_user("member", org=ns.orgs["customer"])
        issue_id = fill(ns, milestones, issues)
        return ns, issue_id, make_token(ns.member)

    return make


def test_query_counts_do_not_grow_with_the_data(app, venture_with):
    # both more than a page (50), so both run the same count and page queries
    small, small_issue, small_headers = venture_with(60, 60)
    large, large_issue, large_headers = venture_with(500, 2000)

    client_small, client_large = app.test_client(), app.test_client()
    login(client_small, small.member.email)
    login(client_large, large.member.email)
    small_id, large_id = small.venture.id, large.venture.id
    few = counts(app, client_small, small_id, small_issue, small_headers)
    many = counts(app, client_large, large_id, large_issue, large_headers)
    assert many == few
    assert max(many.values()) <= 20, many


REVENUE_PAGES = [
    "/ventures/{v}/revenue", "/ventures/{v}/agreements", "/reports",
    "/reports?venture_id={v}&period=quarter", "/reports?from=2025-01-15&to=2025-06-10",
    "/reports/ledger?venture_id={v}", "/api/v1/ventures/{v}/revenue?per_page=200",
    "/api/v1/reports/revenue?venture_id={v}", "/api/v1/ventures/{v}/agreements",
]


def fill_revenue(ns, entries: int) -> None:
    from cotrack.domain.money import allocate
    from cotrack.services import agreements, ledger

    agreement = agreements.propose(ns.leads["customer"], ns.venture, effective_from="2025-01-01",
                                   shares={"customer": "20", "reseller": "30",
                                           "manufacturer": "50"})
    for role in ("customer", "reseller", "manufacturer"):
        agreements.decide(ns.leads[role], ns.venture, agreement, "approve")
    rows = [{"date": date(2025, 1, 1) + timedelta(days=i % 360), "amount": 1000 + i,
             "reference": f"INV-{i}", "region": "R", "note": "", "agreement_id": agreement.id,
             "allocations": allocate(1000 + i, agreement.shares)} for i in range(entries)]
    ledger.write_entries(ns.finance, ns.venture, rows, ledger.lock_chain(ns.venture))
    db.session.commit()


def test_revenue_page_query_counts_do_not_grow_with_the_ledger(app, make_venture, make_user,
                                                               make_token):
    found = []
    for entries in (120, 3000):
        ns = make_venture()
        ns.finance = make_user("finance", org=ns.orgs["customer"])
        fill_revenue(ns, entries)
        client = app.test_client()
        login(client, ns.leads["customer"].email)
        headers = make_token(ns.leads["customer"])
        result = {}
        venture_id = ns.venture.id
        for template in REVENUE_PAGES:
            url = template.format(v=venture_id)
            db.session.expunge_all()
            with count_queries(app) as statements:
                response = client.get(url, headers=headers if url.startswith("/api/") else None)
            assert response.status_code == 200, url
            result[template] = len(statements)
        found.append(result)
    assert found[0] == found[1]
    assert max(found[1].values()) <= 20, found[1]
