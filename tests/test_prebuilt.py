"""Statements built once per viewer (cotrack/db/prebuilt.py): what a page reads is the same
as if every statement were built afresh. A statement kept for one person never answers for
another, and one kept for a person answers no more once their role or organisation
changes. Every request here runs in this test process, so each page after the first finds
the statements the earlier ones built."""

import re

import pytest

from cotrack.db import prebuilt
from cotrack.extensions import db
from cotrack.models import Notification, User
from cotrack.services import accounts
from tests.conftest import login
from tests.query_counter import count_queries


def _page(client, path="/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _change(user: User, **changes) -> None:
    admin = db.session.scalar(db.select(User).where(User.role == "admin", User.id != user.id)) \
        or User(role="admin", email="admin@example.org", name="Admin")
    fields = dict(email=user.email, name=user.name, role=user.role,
                  organisation=user.organisation, active=True) | changes
    accounts.update_user(admin, user, **fields)
    db.session.commit()


def test_each_viewer_reads_their_own_ventures(client, app, make_venture):
    ours, theirs = make_venture("Ours alone"), make_venture("Theirs alone")
    for _ in range(2):  # the second round runs on the statements the first one built
        for ns, other in ((ours, theirs), (theirs, ours)):
            client = app.test_client()
            assert login(client, ns.leads["customer"].email).status_code == 302
            for path in ("/", "/ventures/", "/reports"):  # the report's venture filter
                page = _page(client, path)
                assert ns.venture.name in page
                assert other.venture.name not in page


def _bell(client, path="/") -> int:
    match = re.search(r'data-testid="bell-count">(\d+)<', _page(client, path))
    return int(match.group(1)) if match else 0


def test_a_role_changed_reads_as_its_new_role(client, make_venture):
    """The bell counts revenue news only for those who may see revenue (leads and finance):
    the count's statement, kept for the lead, answers no more once they are a member."""
    ns = make_venture("Revenue news")
    lead = ns.leads["reseller"]
    db.session.add(Notification(user_id=lead.id, kind="revenue_recorded",
                                venture_id=ns.venture.id, audience="revenue",
                                text="Revenue recorded", url="/"))
    db.session.commit()
    assert login(client, lead.email).status_code == 302
    as_lead = _bell(client)  # the revenue news and the invitation's

    _change(lead, role="member")
    assert _bell(client) == as_lead - 1

    _change(lead, role="lead")
    assert _bell(client) == as_lead


def _bell_counted_apart(app, client) -> tuple[int, bool]:
    """The bell's count on a page, and whether the page counted it with a statement of its
    own (not with the sign-in look-up)."""
    with count_queries(app) as statements:
        count = _bell(client, "/ventures/")
    return count, any("count(notification.id)" in s and "user_session" not in s
                      for s in statements)


def test_the_bell_read_with_the_session_counts_what_is_there_now(app, client, make_venture):
    """A page that only reads has the bell's count read with the signed-in session, by a
    statement kept for the person this token named before (no statement of its own): it
    counts the news there is when the page is asked for, not when the statement was
    built."""
    ns = make_venture("Bell news")
    lead = ns.leads["customer"]
    assert login(client, lead.email).status_code == 302
    before, apart = _bell_counted_apart(app, client)
    assert not apart  # (the sign-in named this person to this process)
    for expected in (before + 1, before + 2):
        db.session.add(Notification(user_id=lead.id, kind="mentioned", audience="personal",
                                    text="You were mentioned", url="/"))
        db.session.commit()
        assert _bell_counted_apart(app, client) == (expected, False)
        assert _bell_counted_apart(app, client) == (expected, False)
    db.session.execute(db.update(Notification).where(Notification.user_id == lead.id)
                       .values(read_at=db.func.now()))
    db.session.commit()
    assert _bell(client) == 0


def test_a_person_moved_to_another_organisation_rings_for_its_ventures_only(
        app, client, make_venture):
    """News about a venture counts on the bell only while its reader's organisation is a
    party: moved to another organisation, the count kept for them answers no more."""
    first, second = make_venture("Old home news"), make_venture("New home news")
    lead = first.leads["manufacturer"]
    db.session.add(Notification(user_id=lead.id, kind="issue_raised", audience="venture",
                                venture_id=first.venture.id, text="An issue", url="/"))
    db.session.commit()
    assert login(client, lead.email).status_code == 302
    before, _ = _bell_counted_apart(app, client)
    _change(lead, organisation=second.orgs["manufacturer"])
    assert _bell_counted_apart(app, client)[0] == before - 1
    _change(lead, organisation=first.orgs["manufacturer"])
    assert _bell_counted_apart(app, client)[0] == before


def test_a_person_moved_to_another_organisation_reads_its_ventures(client, make_venture):
    first, second = make_venture("First home"), make_venture("Second home")
    lead = first.leads["manufacturer"]
    assert login(client, lead.email).status_code == 302
    for path in ("/", "/ventures/"):
        page = _page(client, path)
        assert "First home" in page and "Second home" not in page

    _change(lead, organisation=second.orgs["manufacturer"])
    for path in ("/", "/ventures/"):
        page = _page(client, path)
        assert "Second home" in page and "First home" not in page


def test_a_person_made_admin_reads_every_venture_and_back(client, make_venture):
    """Admins see every venture: the statements kept for a lead answer no more once they
    are an admin, and those kept for the admin no more once they are a lead again."""
    own = make_venture("Own venture")
    make_venture("Someone else's venture")
    lead = own.leads["reseller"]
    assert login(client, lead.email).status_code == 302
    assert "Someone else's venture" not in _page(client, "/reports")

    _change(lead, role="admin")
    assert "Someone else&#39;s venture" in _page(client, "/reports")

    _change(lead, role="lead")
    page = _page(client, "/reports")
    assert "Own venture" in page and "Someone else" not in page


def test_statements_kept_are_bounded(app, monkeypatch):
    """Each worker keeps at most ``SIZE`` statements, whoever signs in, dropping the one
    used least recently."""
    monkeypatch.setattr(prebuilt, "SIZE", 50)
    monkeypatch.setattr(prebuilt, "_built", type(prebuilt._built)())
    built = []

    @prebuilt.per_viewer
    def statement(user):
        built.append(user.id)
        return db.select(User.id).where(User.organisation_id == user.organisation_id)

    people = [User(id=n, organisation_id=n, role="lead", active=True) for n in range(1, 201)]
    for person in people[:50]:
        statement(person)
    statement(people[0])  # used again: now the most recent
    for person in people[50:60]:
        statement(person)
    assert len(prebuilt._built) == 50
    built.clear()
    statement(people[0])
    assert built == []  # kept
    statement(people[1])
    assert built == [2]  # the least recently used had gone: built again
    assert statement(people[2]) is not statement(people[3])


def test_a_builder_reads_nothing_of_the_viewer_but_the_key(app):
    """What a builder could read beyond the key would leak into other viewers' statements:
    it is given only the key's attributes."""

    @prebuilt.per_viewer
    def by_time_zone(user):
        return db.select(User.id).where(User.time_zone == user.time_zone)

    person = User(id=1, organisation_id=1, role="lead", active=True, time_zone="Europe/Oslo")
    with pytest.raises(AttributeError):
        by_time_zone(person)
