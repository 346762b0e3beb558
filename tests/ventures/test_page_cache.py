"""Cached pages (cotrack.page_cache): fast on a second view, never stale, never someone else's.

A page is kept per viewer under the revisions of what it shows. These tests change things
the way users do (forms, services, the admin) and check the very next view shows it.
"""

import pytest

from cotrack.extensions import db
from cotrack.services import accounts, issues, ledger, milestones, ventures
from tests.conftest import CSRF_RE, login, post_form
from tests.query_counter import count_queries


def signed_in(app, user):
    client = app.test_client()
    response = login(client, user.email)
    assert response.status_code == 302
    client.get(response.location)  # shows (and so clears) the welcome message
    return client


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


CACHED = ["/", "/my-work", "/ventures/", "/ventures/{v}", "/ventures/{v}/milestones",
          "/ventures/{v}/timeline", "/ventures/{v}/issues?severity=high",
          "/ventures/{v}/activity", "/reports?period=quarter", "/reports/ledger"]


@pytest.mark.parametrize("url", CACHED)
def test_a_second_view_is_answered_from_the_cache(app, cast, url):
    client = signed_in(app, cast.users["finance"])
    url = url.format(v=cast.venture.id)
    with count_queries(app) as first:
        body = page(client, url)
    with count_queries(app) as second:
        again = page(client, url)
    assert len(second) == 1 < len(first)  # only the key: session, revisions
    assert CSRF_RE.sub("", again) == CSRF_RE.sub("", body)


def _milestone(ns):
    milestones.create_milestone(ns.users["lead"], ns.venture, {
        "title": "Crane booked", "stage": "feasibility", "party": "reseller",
        "due_date": "2030-03-01"})
    return "Crane booked"


def _issue(ns):
    issues.raise_issue(ns.users["member"], ns.venture, {
        "title": "Door too narrow", "severity": "low", "party": "customer"})
    return "Door too narrow"


def _venture_renamed(ns):
    ventures.update_venture(ns.users["lead"], ns.venture, {"name": "Renamed venture",
                                                          "description": "x"})
    return "Renamed venture"


def _lead_renamed(ns):
    lead = ns.users["lead"]
    accounts.update_user(ns.users["admin"], lead, email=lead.email, name="Ada Renamed",
                         role=lead.role, organisation=lead.organisation, active=True)
    return "Ada Renamed"


def _revenue(ns):
    ledger.record_entry(ns.users["finance"], ns.venture, {
        "date": "2025-03-03", "amount": "50.00", "reference": "INV-2"})
    return "150.00"  # the year's total, with the 100.00 recorded before


def _revenue_entry(ns):
    _revenue(ns)
    return "INV-2"


@pytest.mark.parametrize(("url", "viewer", "change"), [
    ("/ventures/{v}/timeline", "lead", _milestone),
    ("/ventures/{v}/milestones", "member", _milestone),
    ("/ventures/{v}/issues", "lead", _issue),
    ("/ventures/{v}", "member", _issue),  # the scorecard counts it, the activity lists it
    ("/ventures/{v}/activity", "lead", _issue),
    ("/", "lead", _venture_renamed),
    ("/ventures/", "member", _venture_renamed),
    ("/ventures/{v}", "lead", _lead_renamed),
    ("/reports?period=year&from=2025-01-01&to=2025-12-31", "finance", _revenue),
    ("/reports/ledger", "finance", _revenue_entry),
])
def test_the_next_view_shows_a_change(app, cast, url, viewer, change):
    client = signed_in(app, cast.users[viewer])
    url = url.format(v=cast.venture.id)
    before = page(client, url)
    page(client, url)  # kept, and answered from the cache
    expected = change(cast)
    db.session.commit()
    assert expected not in before
    assert expected in page(client, url)


def test_a_change_made_through_a_form_shows_on_the_venture_page(app, cast):
    client = signed_in(app, cast.users["lead"])
    url = f"/ventures/{cast.venture.id}"
    page(client, url)
    response = post_form(client, f"{url}/updates", {
        "health": "amber", "summary": "Customs hold-up at the border", "decisions": ""},
        form_page=url)
    assert response.status_code == 302
    assert "Customs hold-up at the border" in page(client, url)


def test_an_invitation_shows_on_the_invited_organisations_home(app, cast, make_user, make_org):
    other = make_user("lead", org=make_org())
    client = signed_in(app, other)
    assert "Second venture" not in page(client, "/")
    ventures.create_venture(cast.users["lead"], name="Second venture", description="",
                            currency="EUR", parties={"customer": cast.orgs["customer"].id,
                                                     "reseller": other.organisation_id,
                                                     "manufacturer": cast.orgs["manufacturer"].id})
    db.session.commit()
    assert "Second venture" in page(client, "/")


def test_each_viewer_gets_their_own_page(app, cast):
    url = f"/ventures/{cast.venture.id}"
    lead, member = signed_in(app, cast.users["lead"]), signed_in(app, cast.users["member"])
    for _ in range(2):  # whoever came first, each sees their own name and controls
        lead_page, member_page = page(lead, url), page(member, url)
        assert "Edit details" in lead_page and "Edit details" not in member_page
        assert cast.users["lead"].name in lead_page
        assert cast.users["member"].name in member_page


def test_outsiders_get_404_however_often_insiders_looked(app, cast):
    url = f"/ventures/{cast.venture.id}/issues"
    insider = signed_in(app, cast.users["lead"])
    page(insider, url)
    page(insider, url)
    assert signed_in(app, cast.users["outsider"]).get(url).status_code == 404


def test_a_signed_out_session_is_not_answered_from_the_cache(app, cast):
    client = signed_in(app, cast.users["lead"])
    url = f"/ventures/{cast.venture.id}"
    page(client, url)
    cookie = client.get_cookie("session").value
    post_form(client, "/auth/logout", {}, form_page=url)
    client.set_cookie("session", cookie)  # the old cookie, replayed
    response = client.get(url)
    assert response.status_code == 302 and "/auth/login" in response.location


def test_a_deactivated_user_is_not_answered_from_the_cache(app, cast):
    client = signed_in(app, cast.users["member"])
    url = f"/ventures/{cast.venture.id}/timeline"
    page(client, url)
    cast.users["member"].active = False
    db.session.commit()
    assert client.get(url).status_code == 302


def test_a_cached_page_carries_the_asking_sessions_csrf_token(app, cast):
    url = f"/ventures/{cast.venture.id}"
    first, second = signed_in(app, cast.users["lead"]), signed_in(app, cast.users["lead"])
    first_token = CSRF_RE.search(page(first, url)).group(1)
    with count_queries(app) as statements:
        body = page(second, url)
    assert len(statements) == 1  # answered from the cache
    second_token = CSRF_RE.search(body).group(1)
    assert second_token != first_token
    assert "<cotrack-csrf>" not in body
    response = second.post(f"{url}/updates", data={
        "csrf_token": second_token, "health": "green", "summary": "On track", "decisions": ""})
    assert response.status_code == 302


def test_flashed_messages_are_shown_once_and_not_kept(app, cast):
    client = signed_in(app, cast.users["lead"])
    url = f"/ventures/{cast.venture.id}"
    page(client, url)
    post_form(client, f"{url}/updates", {"health": "green", "summary": "Week 12 report",
                                         "decisions": ""}, form_page=url)
    assert "Status update posted." in page(client, url)
    assert "Status update posted." not in page(client, url)


def test_report_checking_one_ventures_hash_chain_always_runs(app, cast):
    client = signed_in(app, cast.users["finance"])
    url = f"/reports?venture_id={cast.venture.id}"
    page(client, url)
    with count_queries(app) as statements:
        page(client, url)
    assert len(statements) > 1
    assert 'data-testid="integrity-ok"' in page(client, url)
