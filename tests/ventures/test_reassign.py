"""Reassigning milestones and issues from one person to another (issue 10, defect 1).

Who is assigned is compared while the activity diff is built; that comparison must not
depend on who is signed in, so reassigning works in the browser and the API alike.
"""

from sqlalchemy import select

from cotrack.extensions import db
from cotrack.models import Activity, Issue, Milestone
from cotrack.services import issues, milestones
from tests.conftest import login, post_form


def _people(ns, make_user):
    """Two members of different parties, neither of them signed in."""
    return (make_user("member", org=ns.orgs["customer"], name="Ada Member"),
            make_user("member", org=ns.orgs["reseller"], name="Ben Member"))


def _milestone(ns, assignee):
    milestone = milestones.create_milestone(ns.leads["customer"], ns.venture, {
        "title": "Survey the depot", "stage": ns.venture.stage, "party": "customer",
        "due_date": "2031-03-01", "assignee_id": assignee.id})
    db.session.commit()
    return milestone


def _issue(ns, assignee):
    issue = issues.raise_issue(ns.leads["reseller"], ns.venture, {
        "title": "Scanner drops pallets", "severity": "high", "party": "manufacturer",
        "assignee_id": assignee.id})
    db.session.commit()
    return issue


def _milestone_form(milestone, assignee_id: int) -> dict:
    return {"title": milestone.title, "stage": milestone.stage, "party": milestone.party,
            "due_date": milestone.due_date.isoformat(), "status": milestone.status,
            "assignee_id": str(assignee_id), "description": milestone.description,
            "version": str(milestone.version)}


def _last_change(venture, object_id) -> dict:
    row = db.session.scalars(select(Activity).where(
        Activity.venture_id == venture.id, Activity.object_id == object_id,
        Activity.action == "updated").order_by(Activity.id.desc())).first()
    return row.changes


def _stored(model, object_id):
    db.session.expire_all()
    return db.session.get(model, object_id)


def test_lead_reassigns_a_milestone_in_the_browser(client, make_venture, make_user):
    ns = make_venture()
    ada, ben = _people(ns, make_user)
    milestone = _milestone(ns, ada)
    login(client, ns.leads["customer"].email)
    url = f"/ventures/{ns.venture.id}/milestones/{milestone.id}"
    response = post_form(client, url, _milestone_form(milestone, ben.id))
    assert response.status_code == 302
    assert _stored(Milestone, milestone.id).assignee_id == ben.id
    assert _last_change(ns.venture, milestone.id)["assignee"] == ["Ada Member", "Ben Member"]
    feed = client.get(f"/ventures/{ns.venture.id}/activity").get_data(as_text=True)
    assert "assignee Ada Member → Ben Member" in feed


def test_lead_who_is_the_assignee_hands_a_milestone_over_in_the_browser(client, make_venture,
                                                                        make_user):
    ns = make_venture()
    lead = ns.leads["customer"]
    _, ben = _people(ns, make_user)
    milestone = _milestone(ns, lead)
    login(client, lead.email)
    url = f"/ventures/{ns.venture.id}/milestones/{milestone.id}"
    assert post_form(client, url, _milestone_form(milestone, ben.id)).status_code == 302
    assert _stored(Milestone, milestone.id).assignee_id == ben.id


def test_lead_reassigns_a_milestone_through_the_api(client, make_venture, make_user,
                                                    make_token):
    ns = make_venture()
    ada, ben = _people(ns, make_user)
    milestone = _milestone(ns, ada)
    response = client.patch(f"/api/v1/milestones/{milestone.id}",
                            json={"version": milestone.version, "assignee_id": ben.id},
                            headers=make_token(ns.leads["manufacturer"]))
    assert response.status_code == 200
    assert response.json["assignee_id"] == ben.id and response.json["version"] == 2
    assert _last_change(ns.venture, milestone.id)["assignee"] == ["Ada Member", "Ben Member"]


def test_lead_who_is_the_assignee_hands_a_milestone_over_through_the_api(client, make_venture,
                                                                         make_user, make_token):
    ns = make_venture()
    lead = ns.leads["customer"]
    ada, _ = _people(ns, make_user)
    milestone = _milestone(ns, lead)
    response = client.patch(f"/api/v1/milestones/{milestone.id}",
                            json={"version": milestone.version, "assignee_id": ada.id},
                            headers=make_token(lead))
    assert response.status_code == 200 and response.json["assignee_id"] == ada.id


def test_assignee_moves_the_status_of_a_milestone_that_keeps_its_assignee(client, make_venture,
                                                                         make_user, make_token):
    ns = make_venture()
    ada, _ = _people(ns, make_user)
    milestone = _milestone(ns, ada)
    response = client.patch(f"/api/v1/milestones/{milestone.id}",
                            json={"version": milestone.version, "status": "in_progress"},
                            headers=make_token(ada))
    assert response.status_code == 200 and response.json["status"] == "in_progress"


def _workflow(client, ns, issue, status: str, assignee_id: int):
    url = f"/ventures/{ns.venture.id}/issues/{issue.id}"
    return post_form(client, url + "/workflow", {
        "status": status, "assignee_id": str(assignee_id), "version": str(issue.version)},
        form_page=url)


def test_lead_reassigns_an_issue_with_the_workflow_form(client, make_venture, make_user):
    ns = make_venture()
    ada, ben = _people(ns, make_user)
    issue = _issue(ns, ada)
    login(client, ns.leads["manufacturer"].email)
    assert _workflow(client, ns, issue, "open", ben.id).status_code == 302
    assert _stored(Issue, issue.id).assignee_id == ben.id
    assert _last_change(ns.venture, issue.id)["assignee"] == ["Ada Member", "Ben Member"]
    page = client.get(f"/ventures/{ns.venture.id}/issues/{issue.id}").get_data(as_text=True)
    assert f"Issue #{issue.id} is open, assigned to Ben Member." in page  # the change, said


def test_lead_moves_the_status_with_the_workflow_form_assignee_unchanged(client, make_venture,
                                                                         make_user):
    # the form always sends the assignee: the lead is not the assignee here
    ns = make_venture()
    ada, _ = _people(ns, make_user)
    issue = _issue(ns, ada)
    login(client, ns.leads["customer"].email)
    assert _workflow(client, ns, issue, "in_progress", ada.id).status_code == 302
    stored = _stored(Issue, issue.id)
    assert stored.status == "in_progress" and stored.assignee_id == ada.id
    assert _last_change(ns.venture, issue.id) == {"status": ["open", "in_progress"]}


def test_assignee_uses_the_workflow_form_to_move_and_to_hand_over(client, make_venture,
                                                                  make_user):
    ns = make_venture()
    ada, ben = _people(ns, make_user)
    issue = _issue(ns, ada)
    login(client, ada.email)
    assert _workflow(client, ns, issue, "in_progress", ada.id).status_code == 302
    issue = _stored(Issue, issue.id)
    assert issue.status == "in_progress"
    assert _workflow(client, ns, issue, "in_progress", ben.id).status_code == 302
    assert _stored(Issue, issue.id).assignee_id == ben.id


def test_lead_and_assignee_reassign_an_issue_through_the_api(client, make_venture, make_user,
                                                             make_token):
    ns = make_venture()
    ada, ben = _people(ns, make_user)
    issue = _issue(ns, ada)
    url = f"/api/v1/issues/{issue.id}"
    handed = client.patch(url, json={"version": issue.version, "assignee_id": ben.id},
                          headers=make_token(ada))
    assert handed.status_code == 200 and handed.json["assignee_id"] == ben.id
    back = client.patch(url, json={"version": handed.json["version"], "assignee_id": ada.id,
                                   "status": "in_progress"},
                        headers=make_token(ns.leads["customer"]))
    assert back.status_code == 200
    assert back.json["assignee_id"] == ada.id and back.json["status"] == "in_progress"
    assert _last_change(ns.venture, issue.id) == {"assignee": ["Ben Member", "Ada Member"],
                                                  "status": ["open", "in_progress"]}


def test_a_user_equals_only_itself_however_it_was_loaded(make_user):
    ada, ben = make_user("member"), make_user("member")
    assert ada == ada and ada != ben and len({ada, ben, ada}) == 2
    assert ada.get_id() == str(ada.id)  # not a sign-in session's token


def test_through_the_api_null_is_nobody_and_0_or_empty_is_no_ones_id(client, make_venture,
                                                                     make_user, make_token):
    """The description says an assignee is a user id from 1, or null for nobody; 0 and ""
    were taken for nobody by the server alone (a browser walk found it)."""
    ns = make_venture()
    ada, _ = _people(ns, make_user)
    milestone, issue = _milestone(ns, ada), _issue(ns, ada)
    token = make_token(ns.leads["customer"])
    for url, record in ((f"/api/v1/milestones/{milestone.id}", milestone),
                        (f"/api/v1/issues/{issue.id}", issue)):
        for nobody in (0, ""):
            refused = client.patch(url, json={"version": record.version,
                                              "assignee_id": nobody}, headers=token)
            assert refused.status_code == 422, (url, nobody, refused.json)
            assert "assignee_id" in refused.json["error"]["fields"]
            assert _stored(type(record), record.id).assignee_id == ada.id
        cleared = client.patch(url, json={"version": record.version, "assignee_id": None},
                               headers=token)
        assert cleared.status_code == 200 and cleared.json["assignee_id"] is None


def test_the_browsers_nobody_clears_the_assignee(client, make_venture, make_user):
    ns = make_venture()
    ada, _ = _people(ns, make_user)
    milestone = _milestone(ns, ada)
    login(client, ns.leads["customer"].email)
    response = post_form(client, f"/ventures/{ns.venture.id}/milestones/{milestone.id}",
                         _milestone_form(milestone, 0))
    assert response.status_code == 302
    assert _stored(Milestone, milestone.id).assignee_id is None


def test_an_issue_s_milestone_through_the_api_is_an_id_from_1_or_null(client, make_venture,
                                                                      make_user, make_token):
    """The same rule as the assignee's, for ``milestone_id`` (the same description)."""
    ns = make_venture()
    ada, _ = _people(ns, make_user)
    milestone, issue = _milestone(ns, ada), _issue(ns, ada)
    token = make_token(ns.leads["customer"])
    url = f"/api/v1/issues/{issue.id}"
    linked = client.patch(url, json={"version": issue.version, "milestone_id": milestone.id},
                          headers=token)
    assert linked.status_code == 200 and linked.json["milestone_id"] == milestone.id
    for none in (0, ""):
        refused = client.patch(url, json={"version": linked.json["version"],
                                          "milestone_id": none}, headers=token)
        assert refused.status_code == 422 and "milestone_id" in refused.json["error"]["fields"]
        assert _stored(Issue, issue.id).milestone_id == milestone.id
    cleared = client.patch(url, json={"version": linked.json["version"], "milestone_id": None},
                           headers=token)
    assert cleared.status_code == 200 and cleared.json["milestone_id"] is None
