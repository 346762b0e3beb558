"""Defaults that help (issue 14, point 5): forms start where people usually are, the
organisation that runs the site is never a party, a comment can change the status in the
same step, and a form tells every problem in one round."""

import re

import pytest
from sqlalchemy import select

from cotrack.extensions import db
from cotrack.models import Issue, IssueComment, Venture
from cotrack.services import issues
from tests.conftest import csrf_token, login, post_form


def selected(html: str, name: str) -> str | None:
    """The value of the chosen <option> of the <select name=...>."""
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert block, f"no select {name}"
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                       r'<option[^>]*value="([^"]*)"[^>]*selected', block.group(1))
    return (chosen.group(1) or chosen.group(2)) if chosen else None


def options(html: str, name: str) -> set[str]:
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL)
    return set(re.findall(r'value="([^"]*)"', block.group(1)))


@pytest.fixture
def site(make_org, make_user):
    """The organisation that runs the site: the one its admin belongs to."""
    org = make_org("Site Operator")
    return make_user("admin", org=org)


def test_a_new_user_is_a_member_of_an_organisation_the_admin_chooses(client, site, make_org):
    make_org("Alpha Partners")
    login(client, site.email)
    html = client.get("/admin/users/new").get_data(as_text=True)
    assert selected(html, "role") == "member"
    assert selected(html, "organisation_id") in (None, "0")
    assert "Site Operator (runs the site)" in html
    response = post_form(client, "/admin/users/new", {
        "name": "New Person", "email": "new@example.org", "role": "member",
        "organisation_id": "0", "password": "quiet lantern over the bay"})
    assert response.status_code == 422
    assert "Choose an organisation." in response.get_data(as_text=True)


def test_the_site_organisation_is_never_offered_or_accepted_as_a_party(
        client, site, cast, make_token):
    lead = cast.users["lead"]
    login(client, lead.email)
    html = client.get("/ventures/new").get_data(as_text=True)
    for role in ("customer", "reseller", "manufacturer"):
        assert str(site.organisation_id) not in options(html, role)
    listed = client.get("/api/v1/organisations?per_page=200", headers=make_token(lead)).json
    assert site.organisation_id not in {o["id"] for o in listed["items"]}
    response = client.post("/api/v1/ventures", headers=make_token(lead), json={
        "name": "With the operator", "currency": "EUR", "parties": {
            "customer": lead.organisation_id, "reseller": site.organisation_id,
            "manufacturer": cast.orgs["manufacturer"].id}})
    assert response.status_code == 422 and set(response.json["error"]["fields"]) == {
        "reseller"}
    assert db.session.scalar(select(Venture).where(Venture.name == "With the operator")) is None


def test_the_creators_organisation_is_preselected_in_its_role(client, cast):
    lead = cast.leads["reseller"]  # the reseller of the cast's venture
    login(client, lead.email)
    html = client.get("/ventures/new").get_data(as_text=True)
    assert selected(html, "reseller") == str(lead.organisation_id)
    assert selected(html, "customer") in (None, "0")


def test_the_new_venture_form_tells_every_problem_in_one_round(client, cast):
    lead = cast.users["lead"]
    login(client, lead.email)
    org = str(lead.organisation_id)
    response = post_form(client, "/ventures/new", {
        "name": "", "currency": "EUR", "customer": org, "reseller": org,
        "manufacturer": org})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This field is required." in html  # the name: the form's own check
    assert "three different organisations" in html  # the parties: the rule's


@pytest.mark.parametrize("page", ["milestones/new", "issues/new"])
def test_the_accountable_party_starts_as_the_creators(client, cast, page):
    lead = cast.leads["manufacturer"]
    login(client, lead.email)
    html = client.get(f"/ventures/{cast.venture.id}/{page}").get_data(as_text=True)
    assert selected(html, "party") == "manufacturer"
    if page == "issues/new":
        assert selected(html, "severity") == "medium"


def test_who_raised_an_unassigned_issue_can_take_it(client, cast):
    member = cast.users["member"]
    issue = issues.raise_issue(member, cast.venture, {
        "title": "Loose cable", "severity": "low", "party": "customer"})
    db.session.commit()
    login(client, member.email)
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    assert 'data-testid="take"' in client.get(path).get_data(as_text=True)
    response = post_form(client, f"{path}/take", {"version": issue.version}, form_page=path)
    assert response.status_code == 302
    db.session.refresh(issue)
    assert issue.assignee_id == member.id


def test_taking_an_issue_someone_just_took_says_who(app, client, cast):
    """Two people press "Take it" on the same unassigned issue: the second is told who has
    it (they got "403 Not allowed", though they are one of the venture's people)."""
    member, lead = cast.users["member"], cast.users["lead"]
    issue = issues.raise_issue(member, cast.venture, {
        "title": "Loose cable", "severity": "low", "party": "customer"})
    db.session.commit()
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    first, second = app.test_client(), client
    login(first, lead.email)
    login(second, member.email)
    read = issue.version
    taken = post_form(first, f"{path}/take", {"version": read}, form_page=path)
    assert taken.status_code == 302
    late = post_form(second, f"{path}/take", {"version": read}, form_page=path)
    assert late.status_code == 302 and late.location.endswith(path)
    page = second.get(path).get_data(as_text=True)
    assert f"{lead.name} has just taken issue #{issue.id}." in page
    db.session.refresh(issue)
    assert issue.assignee_id == lead.id


def test_a_comment_and_a_status_change_are_one_step(client, cast):
    lead, issue = cast.users["lead"], cast.issue
    login(client, lead.email)
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    html = client.get(path).get_data(as_text=True)
    assert options(html, "status") >= {"", "resolved"}
    response = post_form(client, f"{path}/comments", {
        "body": "Fixed with a shorter rail.", "status": "resolved",
        "version": issue.version}, form_page=path)
    assert response.status_code == 302
    db.session.refresh(issue)
    assert issue.status == "resolved"
    assert db.session.scalar(select(IssueComment.body).where(
        IssueComment.issue_id == issue.id)) == "Fixed with a shorter rail."


def test_a_stale_status_saves_no_comment_either(client, cast):
    lead, issue = cast.users["lead"], cast.issue
    login(client, lead.email)
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    read = issue.version
    issues.update_issue(lead, cast.venture, issue, {"severity": "low"}, read)
    db.session.commit()  # someone else saved the issue after this page was read
    issues.update_issue(lead, cast.venture, issue, {"status": "in_progress"}, issue.version)
    db.session.commit()
    response = post_form(client, f"{path}/comments", {
        "body": "Fixed.", "status": "resolved", "version": read}, form_page=path)
    assert response.status_code == 409
    conflict = response.get_data(as_text=True).split('data-testid="conflict"')[1]
    conflict = conflict.split("</table>")[0]
    assert "<td>in progress</td>" in conflict and "in_progress" not in conflict
    db.session.refresh(issue)
    assert issue.status == "in_progress"
    assert db.session.scalar(select(IssueComment).where(IssueComment.issue_id == issue.id)) \
        is None


def test_a_status_change_no_longer_theirs_adds_nothing_and_says_why(client, cast):
    """The member read the page while the issue was theirs; the lead then gave it to
    someone else. Their comment with "resolved" is not half-saved (it was: the comment
    added, the status silently dropped); the page says why and keeps what they wrote."""
    member, lead, issue = cast.users["member"], cast.users["lead"], cast.issue
    issues.update_issue(lead, cast.venture, issue, {"assignee_id": member.id}, issue.version)
    db.session.commit()
    login(client, member.email)
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    token = csrf_token(client, path)  # the page with the status select, as they read it
    issues.update_issue(lead, cast.venture, issue, {"assignee_id": lead.id}, issue.version)
    db.session.commit()
    response = client.post(f"{path}/comments", data={
        "body": "Rail swapped.", "status": "resolved", "version": issue.version,
        "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert f"it is assigned to {lead.name} now" in page and "stays open" in page
    assert "Rail swapped." in page  # kept in the comment box
    db.session.refresh(issue)
    assert issue.status == "open" and db.session.scalar(
        select(IssueComment).where(IssueComment.issue_id == issue.id)) is None


def test_a_comment_and_status_after_an_unrelated_save_both_stand(app, cast):
    """The lead changes only the severity while the assignee writes a comment that resolves
    the issue: the comment and the new status are saved on top of the new severity (it was
    refused as a conflict that showed the status, which nobody else had changed)."""
    from tests.ventures.test_work import _form_values
    member, lead, issue = cast.users["member"], cast.users["lead"], cast.issue
    issues.update_issue(lead, cast.venture, issue, {"assignee_id": member.id}, issue.version)
    db.session.commit()
    assignee = app.test_client()
    login(assignee, member.email)
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    (form,) = [f for f in re.findall(r"<form.*?</form>", assignee.get(path).text, re.S)
               if f"{path}/comments" in f]
    comment = _form_values(form)
    issues.update_issue(lead, cast.venture, issue, {"severity": "critical"}, issue.version)
    db.session.commit()
    saved = assignee.post(f"{path}/comments", data={**comment, "body": "Fixed on site.",
                                                    "status": "in_progress"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    db.session.refresh(issue)
    assert (issue.status, issue.severity) == ("in_progress", "critical")
    assert db.session.scalar(select(IssueComment.body).where(
        IssueComment.issue_id == issue.id)) == "Fixed on site."


def test_the_workflow_form_merges_with_an_unrelated_edit(app, cast):
    from tests.ventures.test_work import _form_values
    lead, issue = cast.users["lead"], cast.issue
    browser = app.test_client()
    login(browser, lead.email)
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    forms = [f for f in re.findall(r"<form.*?</form>", browser.get(path).text, re.S)
             if f"{path}/workflow" in f]
    workflow = _form_values(forms[0])
    issues.update_issue(lead, cast.venture, issue, {"title": "Rail too long"}, issue.version)
    db.session.commit()  # someone renamed it meanwhile
    saved = browser.post(f"{path}/workflow", data={**workflow, "status": "in_progress"})
    assert saved.status_code == 302
    db.session.refresh(issue)
    assert (issue.title, issue.status) == ("Rail too long", "in_progress")


def test_a_member_not_assigned_comments_without_a_status_select(client, cast):
    login(client, cast.users["member"].email)
    html = client.get(f"/ventures/{cast.venture.id}/issues/{cast.issue.id}"
                      ).get_data(as_text=True)
    assert 'name="status"' not in html.split('id="comments"')[1]


def test_the_api_comments_and_changes_the_status_in_one_step(client, cast, make_token):
    lead, issue = cast.users["lead"], cast.issue
    url = f"/api/v1/issues/{issue.id}/comments"
    response = client.post(url, headers=make_token(lead), json={
        "body": "Resolved on site.", "status": "resolved", "version": issue.version})
    assert response.status_code == 201, response.json
    assert db.session.get(Issue, issue.id).status == "resolved"
    member = client.post(url, headers=make_token(cast.users["member"]), json={
        "body": "Reopen?", "status": "open", "version": issue.version + 1})
    assert member.status_code == 403
    empty = client.post(url, headers=make_token(lead), json={
        "body": "", "status": "closed", "version": issue.version + 1})
    assert empty.status_code == 422 and "body" in empty.json["error"]["fields"]
    assert db.session.get(Issue, issue.id).status == "resolved"


@pytest.mark.parametrize("status", ["", None])
def test_a_member_comments_through_the_api_with_an_empty_status(client, cast, make_token,
                                                                status):
    """An empty or null status is "no change" (as the form's blank choice): a member who may
    not change the status still comments (it was a 403 for an empty one)."""
    issue = cast.issue
    response = client.post(f"/api/v1/issues/{issue.id}/comments",
                           headers=make_token(cast.users["member"]),
                           json={"body": "Seen it on site too.", "status": status})
    assert response.status_code == 201, response.json
    db.session.refresh(issue)
    assert issue.status == "open"


def test_a_browsers_line_breaks_count_once_in_a_comment(client, cast):
    """A text area's maxlength counts a line break once; the browser sends it as CR LF."""
    lead, issue = cast.users["lead"], cast.issue
    login(client, lead.email)
    path = f"/ventures/{cast.venture.id}/issues/{issue.id}"
    body = ("a" * 4_999 + "\r\n") * 2  # 10,000 characters on screen, 10,002 sent
    response = post_form(client, f"{path}/comments", {"body": body}, form_page=path)
    assert response.status_code == 302
    stored = db.session.scalar(select(IssueComment.body).where(
        IssueComment.issue_id == issue.id))
    assert stored == ("a" * 4_999 + "\n") + "a" * 4_999  # one kind of break, trimmed
