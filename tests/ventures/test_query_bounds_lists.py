"""The pages a lead opens first run as many SQL statements for an organisation with two of
everything as for one with seven: ventures listed (and their parties' organisations),
invitations from different organisations, gates and agreements waiting on the lead in
different ventures, status updates by different people, overdue milestones of different
people, members, assigned milestones and issues.

Each page is loaded with an empty identity map, as in production (the test's session
outlives requests, and objects it made would hide a lazy load).
"""

import re
from datetime import date, timedelta

from sqlalchemy import insert

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import Issue, Milestone
from cotrack.services import agreements, gates, updates, ventures
from tests.conftest import login
from tests.query_counter import count_queries

PAGES = ["/", "/ventures/", "/ventures/?per_page=100", "/ventures/{v}", "/ventures/{v}/updates",
         "/ventures/{v}/activity", "/ventures/{v}/timeline", "/ventures/{v}/issues",
         "/my-work", "/reports?period=quarter"]


def world(make_org, make_user, size: int) -> dict:
    """Organisation X (a lead, ``size`` members) in ``size`` active ventures with
    two other organisations each, invited to ``size`` more; in every active venture a gate
    or an agreement waits on X; the first has ``size`` status updates by different
    people and ``size`` overdue milestones of different people."""
    x = make_org()
    lead = make_user("lead", org=x)
    members = [make_user("member", org=x) for _ in range(size)]
    active = []
    for i in range(size):
        a, b = make_org(), make_org()
        lead_a, lead_b = make_user("lead", org=a), make_user("lead", org=b)
        venture = ventures.create_venture(
            lead_a, name=f"Listed {i}", description="", currency="EUR",
            parties={"customer": a.id, "reseller": x.id, "manufacturer": b.id})
        ventures.accept(lead, venture)
        ventures.accept(lead_b, venture)
        active.append((venture, lead_a, lead_b))
        if i == 0:
            first_orgs = (x, a, b)
    for i in range(size):
        a, b = make_org(), make_org()
        ventures.create_venture(
            make_user("lead", org=a), name=f"Invited {i}", description="", currency="EUR",
            parties={"customer": a.id, "reseller": x.id, "manufacturer": b.id})
    for i, (venture, lead_a, lead_b) in enumerate(active):  # in different ventures
        if i % 2:
            agreements.propose(lead_b, venture, effective_from="2025-01-01",
                               shares={"customer": "20", "reseller": "30",
                                       "manufacturer": "50"})
        else:
            gates.request_gate(lead_a, venture)
    first = active[0][0]
    authors = [make_user("lead", org=first_orgs[i % 3]) for i in range(size)]
    for author in authors:
        updates.post_update(author, first, health="green", summary=f"By {author.name}")
    today, now = date.today(), utcnow()
    db.session.execute(insert(Milestone), [{
        "venture_id": first.id, "title": f"Late {i}", "description": "", "stage": "discovery",
        "party": "reseller", "assignee_id": members[i].id,
        "due_date": today - timedelta(days=3 + i), "status": "planned",
        "created_at": now - timedelta(days=30), "version": 1} for i in range(size)])
    db.session.execute(insert(Milestone), [{
        "venture_id": venture.id, "title": "Mine", "description": "", "stage": "feasibility",
        "party": "reseller", "assignee_id": lead.id, "due_date": today + timedelta(days=9),
        "status": "planned", "created_at": now, "version": 1} for venture, _, _ in active])
    db.session.execute(insert(Issue), [{
        "venture_id": venture.id, "title": "Mine too", "description": "", "severity": "high",
        "status": "open", "raised_by_id": lead_a.id, "raised_by_party": "customer",
        "party": "reseller", "assignee_id": lead.id, "created_at": now, "version": 1}
        for venture, lead_a, _ in active])
    db.session.commit()
    return {"lead": lead.email, "venture": first.id}


def counts(app, spec: dict) -> dict:
    client = app.test_client()
    login(client, spec["lead"])
    found = {}
    for template in PAGES:
        url = template.format(v=spec["venture"])
        db.session.expunge_all()
        with count_queries(app) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        found[template] = len(statements)
    return found


def test_statements_do_not_grow_with_any_list_a_page_shows(app, make_org, make_user):
    small = counts(app, world(make_org, make_user, 2))
    large = counts(app, world(make_org, make_user, 7))
    assert large == small
    assert max(large.values()) <= 20, large


def test_home_shows_the_oldest_ten_things_waiting_and_my_work_shows_them_all(
        client, make_venture, make_user):
    ns = make_venture()
    lead = ns.leads["reseller"]
    now = utcnow()
    db.session.execute(insert(Issue), [{
        "venture_id": ns.venture.id, "title": f"Waiting {i:02}", "description": "",
        "severity": ("low", "critical")[i % 2], "status": "open",
        "raised_by_id": ns.leads["customer"].id, "raised_by_party": "customer",
        "party": "reseller", "assignee_id": lead.id, "created_at": now - timedelta(days=i),
        "version": 1} for i in range(12)])
    db.session.commit()
    login(client, lead.email)
    home = client.get("/").get_data(as_text=True)
    shown = [int(t) for t in re.findall(r">Waiting (\d\d)</a>", home)]
    assert shown == list(range(11, 1, -1))  # the ten oldest, oldest first
    assert 'data-testid="more-waiting"' in home
    mine = client.get("/my-work").get_data(as_text=True)
    assert 'data-testid="more-waiting"' not in mine
    assert all(f"Waiting {i:02}" in mine for i in range(12))


def test_home_takes_the_oldest_milestones_whether_overdue_or_not(client, make_venture):
    """Overdue milestones wait since their due date, the others since they were created;
    Home's ten are the oldest of both kinds together (read as the oldest of each kind along
    its index, then merged)."""
    ns = make_venture()
    lead = ns.leads["reseller"]
    now = utcnow()
    today = now.date()
    rows = []
    for i in range(40):  # due: past (overdue), today or later; created at various ages
        due = (today - timedelta(days=3 * i + 1) if i % 3 == 0 else
               today + timedelta(days=30) if i % 3 == 1 else today)
        rows.append({"venture_id": ns.venture.id, "title": f"Step {i:02}", "description": "",
                     "stage": ns.venture.stage, "party": "reseller", "assignee_id": lead.id,
                     "due_date": due, "status": ("planned", "in_progress", "blocked")[i % 3],
                     "created_at": now - timedelta(days=(7 * i) % 40, hours=i), "version": 1})
    rows.append({**rows[0], "title": "Step done", "status": "done", "completed_at": now,
                 "created_at": now - timedelta(days=400)})
    db.session.execute(insert(Milestone), rows)
    db.session.commit()
    login(client, lead.email)
    home = client.get("/").get_data(as_text=True)
    shown = re.findall(r">(Step \d\d|Step done)</a>", home)

    def since(row):
        overdue = row["due_date"] < today
        return (row["due_date"] if overdue else row["created_at"].date(), not overdue,
                row["created_at"])

    expected = [r["title"] for r in sorted(rows[:40], key=since)][:10]
    assert shown == expected and "Step done" not in home
