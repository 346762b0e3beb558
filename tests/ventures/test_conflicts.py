"""A stale save answers one 409 everywhere: the API gives the record as it is stored now
(`current`, API.md), a form shows the other person's values beside the user's, with people
by name; and a real race between two requests ends the same way on SQLite and PostgreSQL."""

import threading

import pytest
from sqlalchemy import select

from cotrack.extensions import db
from cotrack.models import Milestone, Organisation, User
from cotrack.services import milestones, ventures
from cotrack.services.api_tokens import create_token
from tests.conftest import csrf_token, database_url, login, migrated_app


def _milestone(ns, **fields):
    data = {"title": "Survey", "stage": ns.venture.stage, "party": "customer",
            "due_date": "2031-03-01", **fields}
    milestone = milestones.create_milestone(ns.leads["customer"], ns.venture, data)
    db.session.commit()
    return milestone


def test_the_api_409_carries_the_stored_record(client, make_venture, make_token):
    ns = make_venture()
    milestone = _milestone(ns)
    headers = make_token(ns.leads["reseller"])
    url = f"/api/v1/milestones/{milestone.id}"
    assert client.patch(url, json={"title": "Theirs", "version": 1, "assignee_id":
                                   ns.leads["manufacturer"].id}, headers=headers).status_code == 200
    stale = client.patch(url, json={"title": "Mine", "version": 1}, headers=headers)
    assert stale.status_code == 409
    error = stale.json["error"]
    assert error["status"] == 409 and error["fields"]["version"]
    current = error["current"]
    assert current == client.get(url, headers=headers).json  # exactly the stored record
    assert current["title"] == "Theirs" and current["version"] == 2
    assert current["assignee"]["name"] == ns.leads["manufacturer"].name


def test_the_form_conflict_names_people_not_ids(app, make_venture, make_user):
    ns = make_venture()
    member = make_user("member", org=ns.orgs["reseller"], name="Rita Reseller")
    milestone = _milestone(ns)
    url = f"/ventures/{ns.venture.id}/milestones/{milestone.id}"
    first, second = app.test_client(), app.test_client()
    login(first, ns.leads["customer"].email)
    login(second, ns.leads["reseller"].email)
    form = {"title": "Survey", "stage": milestone.stage, "party": "customer",
            "due_date": "2031-03-01", "status": "planned", "description": "", "version": "1"}
    saved = first.post(url, data={**form, "assignee_id": str(member.id),
                                  "csrf_token": csrf_token(first, url)})
    assert saved.status_code == 302
    refused = second.post(url, data={**form, "assignee_id": "0",
                                     "csrf_token": csrf_token(second, url)})
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    table = page[page.index('data-testid="conflict"'):]
    table = table[:table.index("</table>")]
    assert "Rita Reseller" in table and "— nobody —" in table
    assert f">{member.id}<" not in table and "assignee " not in table.lower()
    assert "<td>Assignee</td>" in table  # the field's label, not its column name


@pytest.fixture
def race_app(tmp_path_factory, password_hash):
    app = migrated_app(database_url(tmp_path_factory, suffix="_race"))
    with app.app_context():
        leads = {}
        for role in ("customer", "reseller", "manufacturer"):
            leads[role] = User(email=f"{role}@race.example", name=role.title(), role="lead",
                               organisation=Organisation(name=f"Race {role}"),
                               password_hash=password_hash)
        db.session.add_all(leads.values())
        db.session.flush()
        venture = ventures.create_venture(
            leads["customer"], name="Race", description="", currency="EUR",
            parties={r: u.organisation_id for r, u in leads.items()})
        for role in ("reseller", "manufacturer"):
            ventures.accept(leads[role], venture)
        milestone = milestones.create_milestone(leads["customer"], venture, {
            "title": "Survey", "stage": "discovery", "party": "customer",
            "due_date": "2031-03-01"})
        tokens = {r: {"Authorization": f"Bearer {create_token(u, 'race')[1]}"}
                  for r, u in leads.items()}
        db.session.commit()
        milestone_id = milestone.id
    yield app, tokens, milestone_id
    with app.app_context():
        db.engine.dispose()


@pytest.mark.own_db
def test_a_real_race_gives_one_save_and_the_same_409(race_app, monkeypatch):
    """Request A has read version 1 when request B saves; then A saves. On PostgreSQL B gets
    in first; on SQLite A holds the write lock and B waits. Either way one save wins and the
    other gets the 409 with the winner's record, never a different body."""
    app, tokens, milestone_id = race_app
    url = f"/api/v1/milestones/{milestone_id}"
    answers = {}
    real_update = milestones.update_milestone

    def patch(who):
        answers[who] = app.test_client().patch(
            url, json={"title": f"Title by {who}", "version": 1}, headers=tokens[who])

    def update_after_the_other_saves(actor, *args, **kwargs):
        if actor.email.startswith("customer") and "reseller" not in answers:
            other = threading.Thread(target=patch, args=("reseller",))
            other.start()
            other.join(3)  # on SQLite it waits for this request's write lock instead
        return real_update(actor, *args, **kwargs)

    monkeypatch.setattr(milestones, "update_milestone", update_after_the_other_saves)
    patch("customer")
    for _ in range(100):
        if "reseller" in answers:
            break
        threading.Event().wait(0.1)
    statuses = sorted((answers[w].status_code, w) for w in answers)
    assert [s for s, _ in statuses] == [200, 409], {w: a.json for w, a in answers.items()}
    winner, loser = statuses[0][1], statuses[1][1]
    error = answers[loser].json["error"]
    assert error["current"]["title"] == f"Title by {winner}"
    assert error["current"]["version"] == 2
    with app.app_context():
        stored = db.session.scalar(select(Milestone).where(Milestone.id == milestone_id))
        assert stored.title == f"Title by {winner}" and stored.version == 2
