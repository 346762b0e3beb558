"""Pages kept for the database state they were rendered in (cotrack/web/page_store.py,
issue 11): a page asked for again while nothing was committed is served as kept, a write
through any path at all (here: SQL on a connection of its own, which no part of the app
hears of) is followed by the page rendered afresh, and the hooks, the sign-in loader and
the permission check run on every request, kept page or not.

PostgreSQL has the database state (its snapshot); SQLite has none, and there every page is
rendered on every request: the same tests check that on SQLite.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text

from cotrack.db.timestamps import utcnow
from cotrack.demo.seed import DEMO_PASSWORD, seed
from cotrack.extensions import db
from cotrack.models import Venture
from cotrack.web import page_store
from tests.conftest import database_url, login, migrated_app
from tests.query_counter import count_queries

pytestmark = pytest.mark.own_db


@pytest.fixture(scope="module")
def kept(tmp_path_factory):
    """(app, venture id, whether this database keeps pages): the demo data, pages kept."""
    app = migrated_app(database_url(tmp_path_factory, suffix="_kept"), PAGE_STORE_SECONDS=60)
    with app.app_context():
        seed()
        db.session.commit()
        venture_id = db.session.scalar(
            select(Venture.id).where(Venture.name == "Mobile storage array"))
        keeps = db.engine.dialect.name == "postgresql"
    yield app, venture_id, keeps
    with app.app_context():
        db.engine.dispose()


#: a kept page runs the sign-in (which reads the database's state with the user) and the
#: view's load and check (the venture with its parties) at most; every page rendered here
#: runs more
KEPT_AT_MOST = 2


def signed_in(app, email="lead@northwind.example"):
    client = app.test_client()
    assert login(client, email, DEMO_PASSWORD).status_code == 302
    client.get("/")  # shows (and so clears) the welcome message
    return client


def get(app, client, path):
    """(status, page, SQL statements run)."""
    with count_queries(app) as statements:
        response = client.get(path)
    return response.status_code, response.get_data(as_text=True), len(statements)


def state(app):
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.connect() as conn:
        value = (conn.execute(text("SELECT pg_current_snapshot()::text")).scalar_one()
                 if engine.dialect.name == "postgresql" else None)
    engine.dispose()
    return value


def quietly(app, steps, *clients):
    """``steps()`` with nothing committed meanwhile and within one minute. The state is the
    whole server's: the suite's other worker commits in databases of its own on the same
    server, so the steps are tried until they fall between two of its commits. Every try
    starts where the first did: with no page kept (a try cut short may have kept one under
    the state or the minute the next try asks for) and each client's session as it was (a
    try cut short may have signed out and left a message waiting to be shown)."""
    sessions = [dict(session_of(client)) for client in clients]
    for _ in range(200):
        app.extensions[page_store.EXTENSION].clear()
        for client, was in zip(clients, sessions, strict=True):
            with client.session_transaction() as session:
                session.clear()
                session.update(was)
        before, minute = state(app), utcnow().minute
        result = steps()
        if state(app) == before and utcnow().minute == minute:
            return result
    pytest.fail("the database server was never quiet for long enough")


def session_of(client):
    with client.session_transaction() as session:
        return dict(session)


def asked_twice(app, client, path):
    """The page asked for twice with nothing committed in between."""
    return quietly(app, lambda: (get(app, client, path), get(app, client, path)), client)


def without_tokens(page: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", page)


def write_behind_the_apps_back(app, sql, **params):
    """A write the app is never told of: its own connection, as psql or a script would."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        conn.execute(text(sql), params)
    engine.dispose()


def test_a_page_asked_for_again_is_kept_until_anything_is_committed(kept):
    app, venture_id, keeps = kept
    client = signed_in(app)
    path = f"/ventures/{venture_id}"
    (status, first, _), (status_again, again, statements) = asked_twice(app, client, path)
    assert status == status_again == 200
    # kept, the very page; rendered again (SQLite), the same but for its forms' tokens,
    # signed with the second they were made in
    assert again == first if keeps else without_tokens(again) == without_tokens(first)
    # kept: the sign-in with the state, the venture and the check; none of the page's reads
    assert (statements <= KEPT_AT_MOST) == keeps

    write_behind_the_apps_back(app, "UPDATE venture SET name = :name WHERE id = :id",
                               name="Renamed behind the app's back", id=venture_id)
    status, page, statements = get(app, client, path)
    assert status == 200 and "Renamed behind the app&#39;s back" in page
    assert statements > KEPT_AT_MOST

    # any commit is a new state, even one that changes nothing this page shows
    assert (asked_twice(app, client, path)[1][2] <= KEPT_AT_MOST) == keeps
    write_behind_the_apps_back(app, "UPDATE organisation SET name = name")
    assert get(app, client, path)[2] > KEPT_AT_MOST
    write_behind_the_apps_back(app, "UPDATE venture SET name = :name WHERE id = :id",
                               name="Mobile storage array", id=venture_id)


@pytest.mark.parametrize("path", ["/", "/ventures/", "/reports",
                                  "/ventures/{v}/timeline", "/ventures/{v}/issues"])
def test_every_kept_page_follows_a_write_it_was_not_told_of(kept, path):
    app, venture_id, keeps = kept
    client = signed_in(app, "finance@forge.example" if path == "/reports" else
                       "lead@northwind.example")
    path = path.format(v=venture_id)
    assert (asked_twice(app, client, path)[1][2] <= KEPT_AT_MOST) == keeps
    write_behind_the_apps_back(app, "UPDATE venture SET name = :name WHERE id = :id",
                               name="Array, renamed", id=venture_id)
    status, page, statements = get(app, client, path)
    assert status == 200 and statements > KEPT_AT_MOST
    if path != "/ventures/":  # the list's first page need not show this venture
        assert "Array, renamed" in page
    write_behind_the_apps_back(app, "UPDATE venture SET name = :name WHERE id = :id",
                               name="Mobile storage array", id=venture_id)


def test_each_viewer_has_their_own_page(kept):
    app, _, keeps = kept
    lead, finance = signed_in(app), signed_in(app, "finance@summit.example")

    def who(page):
        return re.search(r'data-testid="who">([^<]+)<', page).group(1)

    # the lead's Home kept, then the finance user's asked for under the same state
    (_, first, _), (_, again, statements), (_, theirs, _) = quietly(app, lambda: (
        get(app, lead, "/"), get(app, lead, "/"), get(app, finance, "/")), lead, finance)
    assert who(first) == who(again) and (statements <= KEPT_AT_MOST) == keeps
    assert who(theirs) != who(first)


def kept_then(app, client, path, *patch):
    """Within one quiet window: the page asked for twice (kept, where the database has a
    state), then once more with ``patch`` (monkeypatch.setattr's arguments) in place.
    Returns the second request's statements and the third's (status, page, statements)."""
    def steps():
        get(app, client, path)
        served = get(app, client, path)[2]
        with pytest.MonkeyPatch.context() as patched:
            patched.setattr(*patch)
            return served, get(app, client, path)
    return quietly(app, steps, client)


def test_the_loader_and_the_check_run_on_a_kept_page(kept):
    app, venture_id, keeps = kept
    client = signed_in(app)
    path = f"/ventures/{venture_id}"

    # the permission check refuses, nothing in the database changed: 404, not the kept page
    served, (status, _, _) = kept_then(app, client, path, "cotrack.queries.loading."
                                       "can_see_invitation", lambda user, venture: False)
    assert (served <= KEPT_AT_MOST) == keeps and status == 404
    assert get(app, client, path)[0] == 200

    # the sign-in session has run out (only the clock moved): sign in again
    import cotrack.services.signin as signin
    served, (status, page, _) = kept_then(app, client, path, signin, "utcnow",
                                          lambda: utcnow() + timedelta(days=400))
    assert (served <= KEPT_AT_MOST) == keeps
    assert status == 302 and "/auth/login" in page


def test_a_message_waiting_is_shown_and_the_minute_moves_on(kept):
    app, venture_id, keeps = kept
    client = signed_in(app)
    path = f"/ventures/{venture_id}/timeline"
    assert (asked_twice(app, client, path)[1][2] <= KEPT_AT_MOST) == keeps
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "A message for this page only")]
    status, page, statements = get(app, client, path)
    assert "A message for this page only" in page and statements > KEPT_AT_MOST
    assert "A message for this page only" not in get(app, client, path)[1]

    served, (_, _, later) = kept_then(app, client, path, page_store, "utcnow",
                                      lambda: utcnow() + timedelta(minutes=1))
    assert (served <= KEPT_AT_MOST) == keeps
    assert later > KEPT_AT_MOST  # ages say "3 minutes": rendered again
