"""Milestones and issues: permissions, no lost updates, overdue, workflow, gates, my work."""

import html
import re
from datetime import date, timedelta

import pytest

from cotrack.db.timestamps import utcnow
from cotrack.domain.errors import Conflict, DomainError
from cotrack.domain.sentences import possessive
from cotrack.extensions import db
from cotrack.models import GateApproval, GateRequest, Issue, Milestone
from cotrack.services import gates, issues, milestones
from tests.conftest import csrf_token, login


def _milestone(ns, **fields):
    data = {"title": "Survey", "stage": ns.venture.stage, "party": "customer",
            "due_date": "2031-03-01", **fields}
    milestone = milestones.create_milestone(ns.leads["customer"], ns.venture, data)
    db.session.commit()
    return milestone


def _form(milestone, **changes):
    data = {"title": milestone.title, "stage": milestone.stage, "party": milestone.party,
            "due_date": milestone.due_date.isoformat(), "status": milestone.status,
            "assignee_id": str(milestone.assignee_id or 0), "description": "",
            "version": str(milestone.version)}
    return {**data, **changes}


def _two_leads(app, ns) -> tuple:
    """Browsers of the customer's and the reseller's lead, each signed in."""
    first, second = app.test_client(), app.test_client()
    login(first, ns.leads["customer"].email)
    login(second, ns.leads["reseller"].email)
    return first, second


def test_two_sessions_editing_one_milestone_second_is_refused(app, make_venture, make_user):
    ns = make_venture()
    milestone = _milestone(ns)
    first, second = _two_leads(app, ns)
    url = f"/ventures/{ns.venture.id}/milestones/{milestone.id}"
    form_first, form_second = _form(milestone), _form(milestone)  # both read version 1

    saved = first.post(url, data={**form_first, "title": "Survey (first)",
                                  "csrf_token": csrf_token(first, url)})
    assert saved.status_code == 302
    refused = second.post(url, data={**form_second, "title": "Survey (second)",
                                     "due_date": "2031-04-01",
                                     "csrf_token": csrf_token(second, url)})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone else saved this" in page
    assert "Survey (first)" in page and 'value="Survey (second)"' in page  # theirs beside mine
    db.session.expire_all()
    kept = db.session.get(Milestone, milestone.id)
    assert kept.title == "Survey (first)" and kept.due_date == date(2031, 3, 1)


def _form_values(page: str) -> dict:
    """The edit form's values (the one with a version) as the browser would send them."""
    (form,) = [f for f in re.findall(r"<form.*?</form>", page, re.S) if 'name="version"' in f]
    values = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    values.update(re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(?:(?!</select>).)*?'
                             r'<option(?=[^>]*\bselected\b)[^>]*value="([^"]*)"', form, re.S))
    values.update((name, text.strip("\r\n")) for name, text in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S))
    return {k: html.unescape(v) for k, v in values.items() if k != "submit"}


def _read_form(client, url: str) -> dict:
    return _form_values(client.get(url).get_data(as_text=True))


def test_two_people_changing_different_fields_both_keep_their_change(app, make_venture,
                                                                     make_user):
    """The lead moves the due date while the assignee, on the page they opened before,
    marks the milestone in progress: both changes stand (the assignee's was refused as a
    conflict that showed the status, which nobody else had touched)."""
    ns = make_venture()
    member = make_user("member", org=ns.orgs["customer"])
    milestone = _milestone(ns, assignee_id=member.id)
    lead, assignee = app.test_client(), app.test_client()
    login(lead, ns.leads["customer"].email)
    login(assignee, member.email)
    url = f"/ventures/{ns.venture.id}/milestones/{milestone.id}"
    theirs, mine = _read_form(lead, url), _read_form(assignee, url)  # both read version 1
    assert lead.post(url, data={**theirs, "due_date": "2031-05-01"}).status_code == 302
    saved = assignee.post(url, data={**mine, "status": "in_progress"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    db.session.expire_all()
    kept = db.session.get(Milestone, milestone.id)
    assert (kept.due_date, kept.status, kept.version) == (date(2031, 5, 1), "in_progress", 3)


def test_two_leads_changing_the_same_field_still_clash(app, make_venture):
    ns = make_venture()
    milestone = _milestone(ns)
    first, second = _two_leads(app, ns)
    url = f"/ventures/{ns.venture.id}/milestones/{milestone.id}"
    a, b = _read_form(first, url), _read_form(second, url)
    assert first.post(url, data={**a, "title": "Survey A", "party": "reseller"}).status_code == 302
    merged = second.post(url, data={**b, "due_date": "2031-06-01"})  # other fields: merged
    assert merged.status_code == 302
    clash = second.post(url, data={**b, "title": "Survey B"})  # what they read is old now
    assert clash.status_code == 409 and 'data-testid="conflict"' in clash.get_data(as_text=True)
    # only what both changed stands as theirs beside mine; the rest shows what is saved
    assert re.findall(r'<tr class="table-warning"><td>([^<]+)</td>', clash.text) == ["Title"]
    again = _form_values(clash.get_data(as_text=True))  # the refused page, read anew
    assert second.post(url, data={**again, "title": "Survey B"}).status_code == 302
    db.session.expire_all()
    kept = db.session.get(Milestone, milestone.id)
    assert (kept.title, kept.party, kept.due_date) == ("Survey B", "reseller", date(2031, 6, 1))


def test_stale_version_through_the_api_is_409(client, make_venture, make_token):
    ns = make_venture()
    milestone = _milestone(ns)
    headers = make_token(ns.leads["customer"])
    url = f"/api/v1/milestones/{milestone.id}"
    ok = client.patch(url, json={"title": "A", "version": 1}, headers=headers)
    assert ok.status_code == 200 and ok.json["version"] == 2
    stale = client.patch(url, json={"title": "B", "version": 1}, headers=headers)
    assert stale.status_code == 409
    assert stale.json["error"]["fields"]["version"]
    assert client.get(url, headers=headers).json["title"] == "A"
    missing = client.patch(url, json={"title": "C"}, headers=headers)
    assert missing.status_code == 422 and "version" in missing.json["error"]["fields"]


def test_member_changes_status_of_own_milestone_only(client, make_venture, make_user,
                                                    make_token):
    ns = make_venture()
    member = make_user("member", org=ns.orgs["manufacturer"])
    mine = _milestone(ns, assignee_id=member.id)
    other = _milestone(ns, title="Not mine")
    headers = make_token(member)
    done = client.patch(f"/api/v1/milestones/{mine.id}",
                        json={"status": "done", "version": mine.version}, headers=headers)
    assert done.status_code == 200
    assert done.json["status"] == "done" and done.json["completed_at"]
    refused = client.patch(f"/api/v1/milestones/{other.id}",
                           json={"status": "done", "version": other.version}, headers=headers)
    assert refused.status_code == 403
    retitle = client.patch(f"/api/v1/milestones/{mine.id}",
                           json={"title": "Mine now", "version": 2}, headers=headers)
    assert retitle.status_code == 403


def test_the_assignee_sees_the_milestone_as_everyone_does_beside_the_status_form(
        client, make_venture, make_user):
    """A member may change only the status of their own milestone; the page still shows
    them its due date, stage, party, assignee and description (it showed the status form
    alone, while other members saw the details)."""
    ns = make_venture()
    member = make_user("member", org=ns.orgs["manufacturer"])
    mine = _milestone(ns, assignee_id=member.id, description="Measure the depot floor")
    login(client, member.email)
    page = client.get(f"/ventures/{ns.venture.id}/milestones/{mine.id}").text
    details = page.split('data-testid="milestone-details"')[1].split("</dl>")[0]
    assert "2031-03-01" in details and member.name in details and "Customer" in details
    assert "Measure the depot floor" in page and 'name="status"' in page
    assert 'name="title"' not in page and 'name="due_date"' not in page


def test_finance_cannot_delete_a_milestone(client, make_venture, make_user, make_token):
    ns = make_venture()
    finance = make_user("finance", org=ns.orgs["reseller"])
    milestone = _milestone(ns)
    response = client.delete(f"/api/v1/milestones/{milestone.id}", headers=make_token(finance))
    assert response.status_code == 403
    assert db.session.get(Milestone, milestone.id) is not None
    login(client, finance.email)
    page = f"/ventures/{ns.venture.id}/milestones/{milestone.id}/delete"
    assert client.get(page).status_code == 403


def test_lead_deletes_with_confirmation(client, make_venture):
    ns = make_venture()
    milestone = _milestone(ns)
    login(client, ns.leads["customer"].email)
    page = f"/ventures/{ns.venture.id}/milestones/{milestone.id}/delete"
    assert "Delete milestone" in client.get(page).get_data(as_text=True)
    assert client.post(page, data={"version": milestone.version,
                                   "csrf_token": csrf_token(client, page)}).status_code == 302
    assert db.session.get(Milestone, milestone.id) is None


def test_overdue_is_derived_and_shown(client, make_venture):
    ns = make_venture()
    yesterday = (utcnow().date() - timedelta(days=1)).isoformat()
    late = _milestone(ns, title="Late one", due_date=yesterday)
    _milestone(ns, title="Finished late", due_date=yesterday, status="done")
    assert late.overdue
    login(client, ns.leads["customer"].email)
    listing = client.get(f"/ventures/{ns.venture.id}/milestones?overdue=1").get_data(
        as_text=True)
    assert "Late one" in listing and "Finished late" not in listing and "overdue" in listing
    timeline = client.get(f"/ventures/{ns.venture.id}/timeline").get_data(as_text=True)
    assert "<svg" in timeline and "Late one" in timeline and "today" in timeline
    assert 'class="bar in_progress overdue"' in timeline or 'class="bar planned overdue"' \
        in timeline


def test_completing_records_when_and_reopening_clears_it(make_venture):
    ns = make_venture()
    milestone = _milestone(ns)
    milestones.update_milestone(ns.leads["customer"], ns.venture, milestone,
                                {"status": "done"}, milestone.version)
    assert milestone.completed_at is not None
    milestones.update_milestone(ns.leads["customer"], ns.venture, milestone,
                                {"status": "in_progress"}, milestone.version)
    assert milestone.completed_at is None


def test_gate_is_blocked_by_unfinished_milestones_of_the_stage(client, make_venture):
    ns = make_venture()
    milestone = _milestone(ns, title="Interview the depot staff")
    blockers = gates.gate_blockers(ns.venture)
    assert [b.url for b in blockers] == [f"/ventures/{ns.venture.id}/milestones/{milestone.id}"]
    assert "Interview the depot staff" in blockers[0].text
    with pytest.raises(Conflict):
        gates.request_gate(ns.leads["customer"], ns.venture)
    login(client, ns.leads["customer"].email)
    page = client.get(f"/ventures/{ns.venture.id}").get_data(as_text=True)
    assert "cannot be requested yet" in page and "Interview the depot staff" in page
    milestones.update_milestone(ns.leads["customer"], ns.venture, milestone,
                                {"status": "cancelled"}, milestone.version)
    assert gates.gate_blockers(ns.venture) == []


def test_open_critical_issue_blocks_leaving_field_trial(make_venture):
    ns = make_venture()
    ns.venture.stage = "field_trial"
    db.session.commit()
    bug = issues.raise_issue(ns.leads["reseller"], ns.venture, {
        "title": "Data loss on power cut", "severity": "critical", "party": "manufacturer"})
    assert any("Data loss on power cut" in b.text for b in gates.gate_blockers(ns.venture))
    issues.update_issue(ns.leads["manufacturer"], ns.venture, bug, {"status": "resolved"},
                        bug.version)
    assert gates.gate_blockers(ns.venture) == []


def test_issue_workflow_and_who_may_change_it(make_venture, make_user):
    ns = make_venture()
    member = make_user("member", org=ns.orgs["manufacturer"])
    finance = make_user("finance", org=ns.orgs["customer"])
    issue = issues.raise_issue(finance, ns.venture, {
        "title": "Label printer jams", "severity": "medium", "party": "manufacturer",
        "assignee_id": member.id})
    assert issue.raised_by_party == "customer"
    with pytest.raises(DomainError):  # finance raised it but is not the assignee
        issues.update_issue(finance, ns.venture, issue, {"status": "resolved"}, issue.version)
    issues.update_issue(member, ns.venture, issue, {"status": "in_progress"}, issue.version)
    issues.update_issue(member, ns.venture, issue, {"status": "resolved"}, issue.version)
    assert issue.resolved_at is not None
    with pytest.raises(Conflict):  # resolved -> in progress is not a step; reopen first
        issues.update_issue(member, ns.venture, issue, {"status": "in_progress"}, issue.version)
    issues.update_issue(ns.leads["customer"], ns.venture, issue, {"status": "open"},
                        issue.version)
    assert issue.status == "open" and issue.resolved_at is None


def test_assignee_must_belong_to_a_party(make_venture, make_user):
    ns = make_venture()
    stranger = make_user("member")
    with pytest.raises(DomainError) as exc:
        _milestone(ns, assignee_id=stranger.id)
    assert "assignee_id" in exc.value.fields


def test_my_work_lists_what_is_assigned_to_me_overdue_first(client, make_venture, make_user):
    ns = make_venture()
    member = make_user("member", org=ns.orgs["customer"])
    _milestone(ns, title="Due later", assignee_id=member.id, due_date="2031-01-01")
    _milestone(ns, title="Already late", assignee_id=member.id,
               due_date=(utcnow().date() - timedelta(days=3)).isoformat())
    issues.raise_issue(ns.leads["customer"], ns.venture, {
        "title": "Check the cabling", "severity": "high", "party": "customer",
        "assignee_id": member.id})
    db.session.commit()
    login(client, member.email)
    page = client.get("/my-work").get_data(as_text=True)
    assert page.index("Already late") < page.index("Due later")
    assert "Check the cabling" in page


def _scores(client, ns, make_token) -> dict:
    """The venture's scorecard from the API, as the customer's lead reads it: per role."""
    body = client.get(f"/api/v1/ventures/{ns.venture.id}/scorecard",
                      headers=make_token(ns.leads["customer"])).json
    return {p["role"]: p for p in body["parties"]}


def test_scorecard_counts_per_party(client, make_venture, make_token):
    ns = make_venture()
    _milestone(ns, party="reseller", status="done", due_date="2031-01-01")
    issues.raise_issue(ns.leads["manufacturer"], ns.venture, {
        "title": "X", "severity": "low", "party": "customer"})
    db.session.commit()
    parties = _scores(client, ns, make_token)
    assert parties["reseller"]["milestones_done"] == 1
    assert parties["reseller"]["on_time_percent"] == 100
    assert parties["manufacturer"]["issues_raised"] == 1
    assert parties["customer"]["issues_owned"] == 1


def test_reopening_a_done_milestone_while_reassigning_it_saves(client, make_venture, make_token):
    """Status and completion time change together: a milestone taken from done back to
    planned in the same save as a new assignee is saved, not refused as a conflict."""
    ns = make_venture()
    milestone = _milestone(ns, status="done", assignee_id=ns.leads["customer"].id)
    headers = make_token(ns.leads["manufacturer"])
    url, version, reseller = f"/api/v1/milestones/{milestone.id}", milestone.version, \
        ns.leads["reseller"].id
    db.session.expunge_all()  # a new request loads the milestone afresh, the assignee lazily
    response = client.patch(url, headers=headers, json={
        "status": "planned", "assignee_id": reseller, "title": "Again", "version": version})
    assert response.status_code == 200, response.json
    assert response.json["status"] == "planned" and response.json["completed_at"] is None
    assert response.json["assignee"]["id"] == reseller


def test_anyone_of_a_party_takes_an_unassigned_issue_but_not_an_assigned_one(
        client, make_venture, make_user, make_token):
    ns = make_venture()
    member = make_user("member", org=ns.orgs["manufacturer"])
    issue = issues.raise_issue(ns.leads["customer"], ns.venture, {
        "title": "Loose cable", "severity": "medium", "party": "manufacturer"})
    db.session.commit()
    login(client, member.email)
    page = f"/ventures/{ns.venture.id}/issues/{issue.id}"
    assert 'data-testid="take"' in client.get(page).text
    taken = client.post(page + "/take", data={"version": issue.version,
                                              "csrf_token": csrf_token(client, page)})
    assert taken.status_code == 302
    db.session.expire_all()
    assert issue.assignee_id == member.id
    other = make_user("finance", org=ns.orgs["reseller"])
    again = client.patch(f"/api/v1/issues/{issue.id}", headers=make_token(other),
                         json={"assignee_id": other.id, "version": issue.version})
    assert again.status_code == 403  # taken already: only a lead or the assignee changes it
    refused = client.post(page + "/workflow", data={
        "status": "resolved", "assignee_id": str(member.id), "version": issue.version,
        "csrf_token": csrf_token(client, page)})
    assert refused.status_code == 302  # the assignee moves it along


def test_scorecard_times_each_party_took(client, make_venture, make_token):
    """A resolved issue, an overdue milestone and a gate decision, at known times: the
    scorecard names who owns, raised, resolved and approved what, and the median days
    each took."""
    ns = make_venture()
    _milestone(ns, party="manufacturer", due_date="2020-01-31")  # overdue
    raised = utcnow() - timedelta(days=10)
    db.session.add(Issue(venture_id=ns.venture.id, title="Fan noise", severity="low",
                         party="customer", raised_by_party="manufacturer", status="resolved",
                         raised_by_id=ns.leads["manufacturer"].id, created_at=raised,
                         resolved_at=raised + timedelta(days=2, hours=12), version=1))
    gate = GateRequest(venture_id=ns.venture.id, from_stage=ns.venture.stage,
                       to_stage="feasibility", requested_by_id=ns.leads["customer"].id,
                       requested_at=raised)
    db.session.add(gate)
    db.session.flush()
    db.session.add(GateApproval(gate_id=gate.id, role="reseller", decision="approve",
                                user_id=ns.leads["reseller"].id,
                                at=raised + timedelta(days=3)))
    db.session.commit()
    parties = _scores(client, ns, make_token)
    assert parties["manufacturer"]["milestones_overdue"] == 1
    assert parties["manufacturer"]["issues_raised"] == 1
    assert parties["customer"]["issues_resolved"] == 1
    assert parties["customer"]["median_days_to_resolve"] == 2.5
    assert parties["reseller"]["approvals_given"] == 1
    assert parties["reseller"]["median_days_to_approve"] == 3.0
    assert parties["customer"]["approvals_given"] == 0


def test_venture_page_says_who_holds_up_what(client, make_venture, make_user):
    """The overview's "Waiting on": an overdue milestone by its assignee (and their
    organisation), one nobody is assigned by its party's organisation, and each party
    whose approval of the open gate is missing, by name; nothing done or not yet due."""
    ns = make_venture()
    engineer = make_user("member", org=ns.orgs["manufacturer"])
    _milestone(ns, title="Site survey", party="customer", due_date="2020-03-01",
               assignee_id=engineer.id, stage="development")
    _milestone(ns, title="Rack plan", party="reseller", due_date="2020-04-01",
               stage="development")
    _milestone(ns, title="Later", party="reseller", due_date="2031-04-01",
               stage="development")
    gates.request_gate(ns.leads["customer"], ns.venture)
    gates.decide(ns.leads["reseller"], ns.venture, "approve")
    db.session.commit()
    login(client, ns.leads["customer"].email)
    page = client.get(f"/ventures/{ns.venture.id}").text
    items = [html.unescape(re.sub(r"<[^>]+>", "", i)).split(" for ")[0].strip() for i in
             re.findall(r'data-testid="waiting-on">(.*?)</li>', page)]
    org = {role: o.name for role, o in ns.orgs.items()}
    assert items == [
        f"{engineer.name} ({org['manufacturer']}): “Site survey”, due 2020-03-01",
        f"{org['reseller']}: “Rack plan”, due 2020-04-01",
    ] + sorted(items[2:]) and len(items) == 4
    assert set(items[2:]) == {f"{possessive(org[role])} approval of the gate Discovery → "
                              "Feasibility" for role in ("customer", "manufacturer")}
