"""Creating ventures, invitations, stage gates, shelving, status updates, the activity trail."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from cotrack.domain.errors import Conflict, DomainError
from cotrack.domain.stages import stage_spans
from cotrack.extensions import db
from cotrack.models import Activity, StageTransition, VentureParty
from cotrack.models.activity import AppendOnlyError
from cotrack.services import gates, ventures
from cotrack.services.updates import post_update
from tests.conftest import csrf_token, login, post_form
from tests.factories import pass_gate


def test_lead_creates_a_pending_venture_in_discovery(client, make_user, make_org):
    lead = make_user("lead")
    others = [make_org("Reseller Co"), make_org("Maker Co")]
    login(client, lead.email)
    response = post_form(client, "/ventures/new", {
        "name": "Solar kiosk", "description": "Kiosks that run on sun.", "currency": "SEK",
        "customer": lead.organisation_id, "reseller": others[0].id, "manufacturer": others[1].id,
    })
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Solar kiosk" in page and "pending" in page and "Waiting for the invited" in page


@pytest.mark.parametrize(("parties", "message"), [
    ("same", "three different organisations"),
    ("without_me", "Your own organisation"),
])
def test_parties_must_be_three_distinct_including_mine(client, make_user, make_org, parties,
                                                       message):
    lead = make_user("lead")
    a, b = make_org(), make_org()
    chosen = {"customer": lead.organisation_id, "reseller": a.id, "manufacturer": a.id} \
        if parties == "same" else {"customer": a.id, "reseller": b.id,
                                   "manufacturer": make_org().id}
    login(client, lead.email)
    response = post_form(client, "/ventures/new", {"name": "X", "currency": "EUR", **chosen})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert 'value="X"' in response.get_data(as_text=True)


def test_database_refuses_two_parties_in_one_role_or_one_org_twice(make_venture):
    ns = make_venture()
    for role, org in [("customer", ns.orgs["reseller"]), ("reseller", ns.orgs["reseller"])]:
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(VentureParty(venture_id=ns.venture.id, role=role, organisation=org))
            db.session.flush()


def test_unknown_currency_is_refused(make_user, make_org):
    lead = make_user("lead")
    with pytest.raises(DomainError) as exc:
        ventures.create_venture(lead, name="X", description="", currency="XXY", parties={
            "customer": lead.organisation_id, "reseller": make_org().id,
            "manufacturer": make_org().id})
    assert "currency" in exc.value.fields


def test_invited_lead_sees_invitation_only_then_accepts(client, make_venture):
    ns = make_venture(pending=True)
    invited = ns.leads["reseller"]
    login(client, invited.email)
    home = client.get("/").get_data(as_text=True)
    assert ns.venture.name in home and "A test venture." in home
    assert ns.leads["customer"].name in home  # who invited them
    page = client.get(f"/ventures/{ns.venture.id}").get_data(as_text=True)
    assert "Accept invitation" in page and "Stage gate" not in page
    assert client.get(f"/ventures/{ns.venture.id}/activity").status_code == 404

    client.post(f"/ventures/{ns.venture.id}/accept",
                data={"csrf_token": csrf_token(client, "/auth/profile")})
    assert ns.venture.status == "pending"  # the manufacturer has not answered yet
    assert client.get(f"/ventures/{ns.venture.id}/activity").status_code == 200
    ventures.accept(ns.leads["manufacturer"], ns.venture)
    db.session.commit()
    assert ns.venture.status == "active"


def test_a_decline_leaves_the_venture_pending_with_the_reason_shown_to_all(client,
                                                                          make_venture):
    ns = make_venture(pending=True)
    login(client, ns.leads["manufacturer"].email)
    page = f"/ventures/{ns.venture.id}"
    response = post_form(client, f"{page}/decline", {"reason": "No capacity this year."},
                         form_page=page)
    assert response.status_code == 302
    assert ns.venture.status == "pending"  # declined only when its creator gives it up
    creator = client.application.test_client()
    login(creator, ns.leads["customer"].email)
    assert "No capacity this year." in creator.get(f"/ventures/{ns.venture.id}").get_data(
        as_text=True)


def test_members_of_invited_org_cannot_answer(make_venture, make_user):
    ns = make_venture(pending=True)
    member = make_user("member", org=ns.orgs["reseller"])
    with pytest.raises(Conflict):
        ventures.accept(member, ns.venture)


def test_gate_needs_all_three_leads(make_venture):
    ns = make_venture()
    gate = gates.request_gate(ns.leads["reseller"], ns.venture)
    gates.decide(ns.leads["customer"], ns.venture, "approve")
    gates.decide(ns.leads["reseller"], ns.venture, "approve")
    assert ns.venture.stage == "discovery" and gate.status == "open"
    with pytest.raises(Conflict):  # the same party cannot approve twice
        gates.decide(ns.leads["reseller"], ns.venture, "approve")
    gates.decide(ns.leads["manufacturer"], ns.venture, "approve")
    assert ns.venture.stage == "feasibility" and gate.status == "approved"
    with pytest.raises(Conflict):  # nor can the passed gate be approved again
        gates.decide(ns.leads["manufacturer"], ns.venture, "approve")
    transitions = db.session.scalars(select(StageTransition).where(
        StageTransition.venture_id == ns.venture.id)).all()
    assert [t.to_stage for t in transitions] == ["discovery", "feasibility"]


def test_second_lead_of_the_same_party_cannot_add_an_approval(make_venture, make_user):
    ns = make_venture()
    second = make_user("lead", org=ns.orgs["customer"])
    gates.request_gate(ns.leads["reseller"], ns.venture)
    gates.decide(ns.leads["customer"], ns.venture, "approve")
    with pytest.raises(Conflict):
        gates.decide(second, ns.venture, "approve")


def test_a_rejection_ends_the_request_and_needs_a_comment(make_venture):
    ns = make_venture()
    gate = gates.request_gate(ns.leads["customer"], ns.venture)
    with pytest.raises(DomainError) as exc:
        gates.decide(ns.leads["reseller"], ns.venture, "reject", "")
    assert "comment" in exc.value.fields
    gates.decide(ns.leads["reseller"], ns.venture, "reject", "Costs unclear.")
    assert gate.status == "rejected" and ns.venture.stage == "discovery"
    assert gates.open_gate(ns.venture) is None
    gates.request_gate(ns.leads["customer"], ns.venture)  # a new request may follow


def test_only_one_open_request_per_venture(make_venture):
    ns = make_venture()
    gates.request_gate(ns.leads["customer"], ns.venture)
    with pytest.raises(Conflict):
        gates.request_gate(ns.leads["reseller"], ns.venture)


def test_no_gate_is_requested_for_a_pending_venture(make_venture):
    ns = make_venture(pending=True)
    with pytest.raises(DomainError, match="active venture"):
        gates.request_gate(ns.leads["customer"], ns.venture)


def test_shelving_needs_all_three_leads_and_records_the_reason(make_venture):
    ns = make_venture()
    gates.request_shelving(ns.leads["manufacturer"], ns.venture, "Component shortage.")
    for role in ("customer", "reseller"):
        gates.decide(ns.leads[role], ns.venture, "approve")
        assert ns.venture.status == "active"
    gates.decide(ns.leads["manufacturer"], ns.venture, "approve")
    assert ns.venture.status == "shelved"
    assert ns.venture.closed_reason == "Component shortage."


def test_stage_bar_shows_days_in_each_stage(client, make_venture):
    ns = make_venture()
    pass_gate(ns)
    history = [(t.to_stage, t.at) for t in ns.venture.transitions]
    spans = {s.stage: s for s in stage_spans(ns.venture, history)}
    assert spans["discovery"].state == "done" and spans["discovery"].days == 0
    assert spans["feasibility"].state == "current"
    assert spans["rollout"].state == "future" and spans["rollout"].days is None
    login(client, ns.leads["customer"].email)
    page = client.get(f"/ventures/{ns.venture.id}").get_data(as_text=True)
    assert 'class="stage current" data-stage="feasibility"' in page


def test_status_updates_show_latest_health_and_history(client, make_venture):
    ns = make_venture()
    post_update(ns.leads["customer"], ns.venture, health="green", summary="Good start.")
    post_update(ns.leads["reseller"], ns.venture, health="red", summary="Supplier failed.",
                decisions="Find a second supplier.")
    db.session.commit()
    login(client, ns.leads["manufacturer"].email)
    page = client.get(f"/ventures/{ns.venture.id}").get_data(as_text=True)
    assert page.index("Supplier failed.") < page.index("Good start.")
    assert "Find a second supplier." in page
    assert 'class="badge health-red"' in page.split("Stage gate")[0]  # latest health in header
    with pytest.raises(DomainError) as exc:
        post_update(ns.leads["customer"], ns.venture, health="purple", summary="")
    assert set(exc.value.fields) == {"health", "summary"}


def test_activity_records_field_changes_newest_first(client, make_venture):
    ns = make_venture()
    ventures.update_venture(ns.leads["customer"], ns.venture, {"name": "Renamed venture"})
    db.session.commit()
    rows = db.session.scalars(select(Activity).where(Activity.venture_id == ns.venture.id)
                              .order_by(Activity.id.desc())).all()
    assert rows[0].action == "updated"
    assert rows[0].changes["name"][1] == "Renamed venture"
    assert rows[0].actor_id == ns.leads["customer"].id
    assert rows[-1].action == "created"
    response = client.get(f"/api/v1/ventures/{ns.venture.id}/activity",
                          headers=_token(ns.leads["reseller"]))
    first = response.json["items"][0]
    assert first["action"] == "updated" and first["changes"]["name"][1] == "Renamed venture"


def _token(user):
    from cotrack.services.api_tokens import create_token

    _, raw = create_token(user, "t")
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_activity_is_append_only_in_the_orm_and_the_database(make_venture):
    ns = make_venture()
    row = db.session.scalars(select(Activity).where(Activity.venture_id == ns.venture.id)).first()
    row.action = "tampered"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    for statement in ("UPDATE activity SET action = 'x'", "DELETE FROM activity"):
        with pytest.raises(Exception, match="append-only"), db.session.begin_nested():
            db.session.execute(text(statement))


def test_activity_feed_is_paginated(client, make_venture):
    ns = make_venture()
    for i in range(60):
        ventures.update_venture(ns.leads["customer"], ns.venture, {"name": f"Venture v{i}"})
    db.session.commit()
    login(client, ns.leads["customer"].email)
    first = client.get(f"/ventures/{ns.venture.id}/activity").get_data(as_text=True)
    assert "→ Venture v48." in first and "page 1 of 2" in first
    second = client.get(f"/ventures/{ns.venture.id}/activity?page=2").get_data(as_text=True)
    assert "→ Venture v48." not in second and "→ Venture v3." in second
    assert "created the venture" in second
