"""One request path (issue 11): every page is rendered on the path every request takes, a
writing request is committed once after its view and rolled back on any refusal, and a
refusal is answered alike by the pages and the API."""

from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError

from cotrack.domain.errors import DomainError
from cotrack.extensions import db
from cotrack.models import Milestone, StatusUpdate, Venture
from cotrack.services import milestones
from tests.conftest import csrf_token, login, post_form


def test_a_write_by_a_path_nobody_was_told_about_shows_at_once(app, make_venture):
    """No page is kept anywhere: a rename through a bare Core statement on the session's
    connection (no ORM events, nothing to place it) is on every page at the next view."""
    ns = make_venture(name="Before")
    client = app.test_client()
    login(client, ns.leads["customer"].email)
    pages = [f"/ventures/{ns.venture.id}", "/ventures/", "/", f"/ventures/{ns.venture.id}/issues"]
    assert all("Before" in client.get(page).text for page in pages)
    db.session.connection().execute(
        update(Venture).where(Venture.id == ns.venture.id).values(name="After"))
    db.session.commit()
    for page in pages:
        text = client.get(page).text
        title = text[text.index("<title>"):text.index("</title>")]
        assert "After" in text, page  # (the activity trail still says what it was called)
        if page.startswith(f"/ventures/{ns.venture.id}"):
            assert "After" in title and "Before" not in title, page


def _count_commits(monkeypatch):
    commits = []
    real = db.session.commit
    monkeypatch.setattr(db.session, "commit", lambda: (commits.append(1), real())[1])
    return commits


def test_one_commit_for_a_writing_request_none_for_a_read(app, make_venture, make_token,
                                                         monkeypatch):
    ns = make_venture()
    client = app.test_client()
    login(client, ns.leads["customer"].email)
    token = make_token(ns.leads["customer"])
    page = f"/ventures/{ns.venture.id}"
    form = {"health": "green", "summary": "On track", "decisions": ""}
    csrf = csrf_token(client, page)
    commits = _count_commits(monkeypatch)
    assert client.get(page).status_code == 200
    assert commits == []
    assert client.post(page + "/updates", data={**form, "csrf_token": csrf}).status_code == 302
    assert commits == [1]
    api = client.post(f"/api/v1/ventures/{ns.venture.id}/milestones", headers=token, json={
        "title": "Survey", "stage": "discovery", "party": "customer", "due_date": "2031-01-01"})
    assert api.status_code == 201 and commits == [1, 1]


def test_a_refusal_after_a_write_leaves_nothing_behind(app, make_venture, monkeypatch):
    """Whatever a service wrote before it refused is rolled back with the refusal."""
    ns = make_venture()

    def post_then_refuse(actor, venture, **values):
        updates_written = StatusUpdate(venture_id=venture.id, author=actor, health="red",
                                       summary="half-written")
        db.session.add(updates_written)
        db.session.flush()
        raise DomainError("Refused after writing.", field="summary")

    monkeypatch.setattr("cotrack.ventures.updates.post_update", post_then_refuse)
    client = app.test_client()
    login(client, ns.leads["customer"].email)
    page = f"/ventures/{ns.venture.id}"
    response = post_form(client, page + "/updates",
                         {"health": "red", "summary": "x", "decisions": ""}, form_page=page)
    assert response.status_code == 422 and "Refused after writing." in response.text
    assert db.session.scalar(select(func.count(StatusUpdate.id)).where(
        StatusUpdate.venture_id == ns.venture.id)) == 0


def test_the_pages_and_the_api_answer_a_refusal_alike(app, make_venture, make_user,
                                                      make_token):
    """The same refusal answers the same status in a form and in JSON: a rule (422), a stale
    version (409) and a role not allowed (403)."""
    ns = make_venture()
    member = make_user("member", org=ns.orgs["customer"])
    milestone = milestones.create_milestone(ns.leads["customer"], ns.venture, {
        "title": "Survey", "stage": "discovery", "party": "customer", "due_date": "2031-01-01"})
    db.session.commit()
    lead, api = app.test_client(), make_token(ns.leads["customer"])
    login(lead, ns.leads["customer"].email)
    page = f"/ventures/{ns.venture.id}"

    shelve_html = post_form(lead, page + "/shelve", {"reason": " "}, form_page=page)
    shelve_api = lead.post(f"/api/v1/ventures/{ns.venture.id}/shelve", headers=api,
                           json={"reason": " "})
    assert shelve_html.status_code == shelve_api.status_code == 422

    url = f"{page}/milestones/{milestone.id}"
    fields = {"title": "Mine", "stage": "discovery", "party": "customer", "status": "planned",
              "due_date": "2031-01-01", "assignee_id": "0", "description": "", "version": "1"}
    milestones.update_milestone(ns.leads["reseller"], ns.venture, milestone, {"title": "Theirs"},
                                1)
    db.session.commit()
    stale_html = lead.post(url, data={**fields, "csrf_token": csrf_token(lead, url)})
    stale_api = lead.patch(f"/api/v1/milestones/{milestone.id}", headers=api,
                           json={"title": "Mine", "version": 1})
    assert stale_html.status_code == stale_api.status_code == 409

    other = app.test_client()
    login(other, member.email)
    forbidden_html = other.post(url, data={**fields, "version": "2",
                                           "csrf_token": csrf_token(other, page)})
    forbidden_api = other.patch(f"/api/v1/milestones/{milestone.id}", headers=make_token(member),
                                json={"title": "Member's", "version": 2})
    assert forbidden_html.status_code == forbidden_api.status_code == 403
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).title == "Theirs"


def test_a_commit_that_fails_withdraws_what_the_page_announced(app, make_venture, monkeypatch):
    ns = make_venture()
    client = app.test_client()
    login(client, ns.leads["customer"].email)
    page = f"/ventures/{ns.venture.id}"
    csrf = csrf_token(client, page)

    def the_database_goes_away():
        raise OperationalError("COMMIT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(db.session, "commit", the_database_goes_away)
    response = client.post(page + "/updates", data={"health": "green", "summary": "Lost",
                                                     "decisions": "", "csrf_token": csrf})
    assert response.status_code == 503 and response.headers["Retry-After"]
    monkeypatch.undo()
    assert "Status update posted" not in client.get(page).text


def test_no_view_commits_or_catches_a_domain_error_itself(app):
    """Views load, check, act and render; the request path commits and answers refusals."""
    import inspect

    for name, view in app.view_functions.items():
        source = inspect.getsource(inspect.unwrap(view))
        assert "session.commit" not in source, name
        assert "except DomainError" not in source, name
