"""Invitations as a conversation (DOMAIN.md): withdraw, resend, invite another organisation
after a decline, give up; every invitee told; "(declined)" wherever a party declined."""

import sqlalchemy as sa

from cotrack.extensions import db
from cotrack.models import Notification
from cotrack.services import ventures
from tests.conftest import login, post_form


def _kinds(user):
    return [n.kind for n in db.session.scalars(
        sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


def test_a_decline_is_answered_by_inviting_another_organisation(
        client, make_venture, make_org, make_user, make_token):
    ns = make_venture(pending=True)
    creator, api = ns.leads["customer"], f"/api/v1/ventures/{ns.venture.id}"
    assert _kinds(ns.leads["reseller"]) == ["invited"]
    declined = client.post(f"{api}/decline", headers=make_token(ns.leads["manufacturer"]),
                           json={"reason": "No capacity."})
    assert declined.json["status"] == "pending"
    party = {p["role"]: p for p in declined.json["parties"]}["manufacturer"]
    assert party["invitation"] == "declined" and party["decline_reason"] == "No capacity."
    assert "invitation_answered" in _kinds(creator)
    assert "invitation_answered" in _kinds(ns.leads["reseller"])  # the other invitee is told
    newcomer = make_org("Harbor Works")
    newcomer_lead = make_user("lead", org=newcomer)
    # only the creating organisation's lead manages the invitations
    assert client.post(f"{api}/invitations/manufacturer", headers=make_token(ns.leads[
        "reseller"]), json={"organisation_id": newcomer.id}).status_code == 404
    taken = client.post(f"{api}/invitations/manufacturer", headers=make_token(creator),
                        json={"organisation_id": ns.orgs["reseller"].id})
    assert taken.status_code == 422 and "organisation_id" in taken.json["error"]["fields"]
    invited = client.post(f"{api}/invitations/manufacturer", headers=make_token(creator),
                          json={"organisation_id": newcomer.id})
    assert invited.status_code == 200
    assert _kinds(newcomer_lead) == ["invited"]
    assert "invitation_replaced" in _kinds(ns.leads["reseller"])
    ventures.accept(ns.leads["reseller"], ns.venture)
    ventures.accept(newcomer_lead, ns.venture)
    db.session.commit()
    assert ns.venture.status == "active"


def test_withdraw_and_resend(client, make_venture, make_token):
    ns = make_venture(pending=True)
    creator, api = make_token(ns.leads["customer"]), f"/api/v1/ventures/{ns.venture.id}"
    assert client.post(f"{api}/invitations/reseller/resend", headers=creator).status_code == 200
    assert _kinds(ns.leads["reseller"]) == ["invited", "invited"]
    assert client.post(f"{api}/invitations/reseller/withdraw",
                       headers=creator).status_code == 200
    assert _kinds(ns.leads["reseller"])[-1] == "invitation_withdrawn"
    assert "invitation_withdrawn" in _kinds(ns.leads["manufacturer"])
    # the withdrawn organisation no longer sees the venture; it cannot answer any more
    assert client.get(api, headers=make_token(ns.leads["reseller"])).status_code == 404
    again = client.post(f"{api}/invitations/reseller/resend", headers=creator)
    assert again.status_code == 409
    assert client.post(f"{api}/invitations/partner/withdraw", headers=creator).status_code == 422


def test_giving_up_declines_the_venture_and_tells_everyone(client, make_venture):
    ns = make_venture(pending=True)
    ventures.decline(ns.leads["reseller"], ns.venture, "Not for us.")
    db.session.commit()
    login(client, ns.leads["customer"].email)
    page = f"/ventures/{ns.venture.id}"
    overview = client.get(page).text
    assert "Not for us." in overview and "Give this venture up" in overview
    assert "(declined)" in client.get("/ventures/").text  # the list says it like the page
    response = post_form(client, f"{page}/abandon", {"reason": "No partner found."},
                         form_page=page)
    assert response.status_code == 302
    assert ns.venture.status == "declined"
    assert "venture_abandoned" in _kinds(ns.leads["manufacturer"])
    assert "venture_abandoned" in _kinds(ns.leads["reseller"])
    empty = post_form(client, f"{page}/abandon", {"reason": ""}, form_page=page)
    assert empty.status_code == 403  # a declined venture has no invitations to manage
