"""A gate's conditions must hold when it passes, not only when it was requested (issue 10,
defect 2); the gate card shows the live blockers as links and keeps the last rejection."""

import re

from cotrack.extensions import db
from cotrack.models import GateRequest, Venture
from cotrack.services import gates, issues, milestones
from tests.conftest import login, post_form

BLOCKERS_RE = re.compile(r'data-testid="gate-blockers">(.*?)</ul>', re.S)
LINK_RE = re.compile(r'<a href="([^"]+)">([^<]+)</a>')


def _in_field_trial(ns):
    ns.venture.stage = "field_trial"
    db.session.commit()


def _critical(ns, title="Data loss on power cut", **fields):
    issue = issues.raise_issue(ns.leads["reseller"], ns.venture, {
        "title": title, "severity": "critical", "party": "manufacturer", **fields})
    db.session.commit()
    return issue


def _milestone(ns, title, status="planned"):
    milestone = milestones.create_milestone(ns.leads["customer"], ns.venture, {
        "title": title, "stage": ns.venture.stage, "party": "customer",
        "due_date": "2031-03-01", "status": status})
    db.session.commit()
    return milestone


def _set_status(ns, obj, status):
    service = issues.update_issue if hasattr(obj, "severity") else milestones.update_milestone
    service(ns.leads["manufacturer"], ns.venture, obj, {"status": status}, obj.version)
    db.session.commit()


def _approve(client, ns, role, headers):
    return client.post(f"/api/v1/ventures/{ns.venture.id}/gate/approve", json={},
                       headers=headers[role])


def _stored_venture(ns) -> Venture:
    db.session.expire_all()
    return db.session.get(Venture, ns.venture.id)


def _gate_card(page: str) -> str:
    return page[page.index('id="gate"'):page.index('id="scorecard"')]


def _tokens(ns, make_token) -> dict:
    return {role: make_token(lead) for role, lead in ns.leads.items()}


def test_critical_issue_raised_after_the_request_stops_the_last_approval(client, make_venture,
                                                                        make_token):
    ns = make_venture()
    _in_field_trial(ns)
    headers = _tokens(ns, make_token)
    requested = client.post(f"/api/v1/ventures/{ns.venture.id}/gate", json={},
                            headers=headers["customer"])
    assert requested.status_code == 201 and requested.json["to_stage"] == "rollout"
    bug = _critical(ns)
    assert _approve(client, ns, "customer", headers).status_code == 200
    assert _approve(client, ns, "reseller", headers).status_code == 200

    refused = _approve(client, ns, "manufacturer", headers)
    assert refused.status_code == 409
    error = refused.json["error"]
    assert error["status"] == 409 and "Data loss on power cut" in error["message"]
    assert error["fields"]["conditions"] == "Critical issue “Data loss on power cut” is open."
    venture = _stored_venture(ns)
    assert venture.stage == "field_trial"
    gate = client.get(f"/api/v1/ventures/{ns.venture.id}/gate", headers=headers["reseller"]).json
    assert gate["status"] == "open"
    assert sorted(a["role"] for a in gate["approvals"]) == ["customer", "reseller"]

    _set_status(ns, bug, "resolved")
    assert _approve(client, ns, "manufacturer", headers).status_code == 200
    assert _stored_venture(ns).stage == "rollout"


def test_critical_issue_reopened_after_the_request_is_shown_as_an_error_in_the_browser(
        client, make_venture, make_token):
    ns = make_venture()
    _in_field_trial(ns)
    bug = _critical(ns)
    _set_status(ns, bug, "resolved")
    gates.request_gate(ns.leads["customer"], ns.venture)
    for role in ("customer", "reseller"):
        gates.decide(ns.leads[role], ns.venture, "approve")
    db.session.commit()
    _set_status(ns, bug, "open")

    login(client, ns.leads["manufacturer"].email)
    page_url = f"/ventures/{ns.venture.id}"
    response = post_form(client, f"{page_url}/gate/approve", {"comment": ""}, form_page=page_url)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    error = re.search(r'data-testid="gate-error">(.*?)</div></div>', page, re.S).group(1)
    assert "conditions do not hold now" in error and "Data loss on power cut" in error
    links = LINK_RE.findall(BLOCKERS_RE.search(page).group(1))
    assert links == [(f"{page_url}/issues/{bug.id}",
                      "Critical issue “Data loss on power cut” is open")]
    assert _stored_venture(ns).stage == "field_trial"
    assert db.session.get(GateRequest, gates.open_gate(ns.venture).id).decision_of(
        "manufacturer") is None


def test_milestone_of_the_stage_reopened_after_the_request_stops_the_last_approval(
        client, make_venture, make_token):
    ns = make_venture()
    headers = _tokens(ns, make_token)
    survey = _milestone(ns, "Interview the depot staff", status="done")
    assert client.post(f"/api/v1/ventures/{ns.venture.id}/gate", json={},
                       headers=headers["reseller"]).status_code == 201
    _set_status(ns, survey, "in_progress")
    assert _approve(client, ns, "customer", headers).status_code == 200
    assert _approve(client, ns, "manufacturer", headers).status_code == 200
    refused = _approve(client, ns, "reseller", headers)
    assert refused.status_code == 409
    assert refused.json["error"]["fields"]["conditions"] == (
        "Milestone “Interview the depot staff” of Discovery is in progress.")
    assert _stored_venture(ns).stage == "discovery"
    _set_status(ns, survey, "cancelled")
    assert _approve(client, ns, "reseller", headers).status_code == 200
    assert _stored_venture(ns).stage == "feasibility"


def test_requesting_a_blocked_gate_is_409_with_the_reasons_in_one_string(client, make_venture,
                                                                        make_token):
    ns = make_venture()
    _in_field_trial(ns)
    _milestone(ns, "Pilot at two depots")
    _critical(ns)
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/gate", json={},
                           headers=make_token(ns.leads["customer"]))
    assert response.status_code == 409
    assert response.json["error"]["fields"]["conditions"] == (
        "Milestone “Pilot at two depots” of Field trial is planned; "
        "Critical issue “Data loss on power cut” is open.")


def test_gate_card_lists_the_live_blockers_as_working_links(client, make_venture, make_user):
    ns = make_venture()
    _in_field_trial(ns)
    pilots = [_milestone(ns, f"Pilot {n:02}") for n in range(12)]
    bug = _critical(ns)
    member = make_user("member", org=ns.orgs["reseller"])
    login(client, member.email)
    page_url = f"/ventures/{ns.venture.id}"
    page = client.get(page_url).get_data(as_text=True)
    assert "cannot be requested yet" in page
    links = LINK_RE.findall(BLOCKERS_RE.search(page).group(1))
    assert [text for _, text in links] == (
        [f"Milestone “Pilot {n:02}” of Field trial is planned" for n in range(10)]
        + ["2 more milestones of Field trial are not done or cancelled",
           "Critical issue “Data loss on power cut” is open"])
    assert links[0][0] == f"{page_url}/milestones/{pilots[0].id}"
    for href, text in links:
        target = client.get(href)
        assert target.status_code == 200, href
        shown = target.get_data(as_text=True)
        assert ("Pilot" in shown) if "ilestone" in text else (bug.title in shown)
    assert "Pilot 11" in client.get(links[10][0]).get_data(as_text=True)

    for obj in [*pilots, bug]:
        _set_status(ns, obj, "resolved" if obj is bug else "done")
    gates.request_gate(ns.leads["customer"], ns.venture)
    db.session.commit()
    _set_status(ns, pilots[3], "blocked")  # after the request: the open gate shows them
    _set_status(ns, bug, "open")
    page = client.get(page_url).get_data(as_text=True)
    assert "This gate cannot pass until" in page
    assert LINK_RE.findall(BLOCKERS_RE.search(page).group(1)) == [
        (f"{page_url}/milestones/{pilots[3].id}", "Milestone “Pilot 03” of Field trial is blocked"),
        (f"{page_url}/issues/{bug.id}", "Critical issue “Data loss on power cut” is open")]


def test_the_last_rejection_and_its_comment_stay_on_the_venture_page(client, make_venture,
                                                                    make_user):
    ns = make_venture()
    member = make_user("member", org=ns.orgs["customer"])
    gates.request_gate(ns.leads["customer"], ns.venture)
    gates.decide(ns.leads["customer"], ns.venture, "approve")
    gates.decide(ns.leads["manufacturer"], ns.venture, "reject",
                 "The costing is missing.\nSend it first.")
    db.session.commit()
    login(client, member.email)
    page = client.get(f"/ventures/{ns.venture.id}").get_data(as_text=True)
    shown = re.search(r'data-testid="gate-rejection">(.*?)</div>\s*</div>', page, re.S).group(1)
    rejection = " ".join(shown.split())
    assert "Discovery → Feasibility" in rejection
    assert f"rejected by {ns.leads['manufacturer'].name} for the manufacturer" in rejection
    assert "The costing is missing. Send it first." in rejection
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC", rejection)  # the reader's zone

    gates.request_gate(ns.leads["reseller"], ns.venture)  # a new request replaces it
    db.session.commit()
    card = _gate_card(client.get(f"/ventures/{ns.venture.id}").get_data(as_text=True))
    assert "gate-open" in card and "rejected" not in card and "The costing" not in card


def test_shelving_has_no_stage_conditions(make_venture):
    ns = make_venture()
    _in_field_trial(ns)
    _milestone(ns, "Pilot at two depots")
    _critical(ns)
    gates.request_shelving(ns.leads["reseller"], ns.venture, "The market moved.")
    for role in ("customer", "reseller", "manufacturer"):
        gates.decide(ns.leads[role], ns.venture, "approve")
    assert ns.venture.status == "shelved"


def test_shelving_without_a_reason_shows_the_error_by_the_open_form(client, make_venture):
    ns = make_venture()
    login(client, ns.leads["reseller"].email)
    page_url = f"/ventures/{ns.venture.id}"
    assert re.search(r"<details[^>]*>\s*<summary[^>]*>Shelve", client.get(page_url).get_data(
        as_text=True)).group(0).startswith("<details class=\"mt-3\">")  # closed at first
    response = post_form(client, f"{page_url}/shelve", {"reason": "  "}, form_page=page_url)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    shelving = re.search(r"<details([^>]*)>\s*<summary[^>]*>Shelve.*?</details>", page, re.S)
    assert " open" in shelving.group(1)
    field = re.search(r'<textarea[^>]*id="reason"[^>]*>.*?</textarea>\s*'
                      r'<div class="invalid-feedback d-block">([^<]+)</div>', shelving.group(0),
                      re.S)
    assert 'class="form-control is-invalid"' in field.group(0)
    assert field.group(1) == "This field is required."
    assert _stored_venture(ns).status == "active" and gates.open_gate(ns.venture) is None


def test_shelving_while_a_gate_is_open_says_why_it_was_refused(client, make_venture):
    ns = make_venture()
    login(client, ns.leads["reseller"].email)
    page_url = f"/ventures/{ns.venture.id}"
    form_page = client.get(page_url)  # read before the other lead's request
    gates.request_gate(ns.leads["customer"], ns.venture)
    db.session.commit()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form_page.get_data(as_text=True))
    response = client.post(f"{page_url}/shelve", data={"reason": "Market moved.",
                                                       "csrf_token": token.group(1)})
    assert response.status_code == 409
    assert "A gate request is open already" in _gate_card(response.get_data(as_text=True))
