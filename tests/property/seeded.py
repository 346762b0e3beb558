"""A database of its own with the demo cast, an outsider organisation, and everyone signed in.

Shared by the stateful machine (tests/property) and schemathesis (tests/api). Seeding,
sessions and tokens are made once per test session; every example then runs inside a
transaction on one connection that is rolled back afterwards (``rolled_back``), so each
starts from the same seeded state without hashing a password or signing in again.
"""

import re
from contextlib import contextmanager

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import scoped_session, sessionmaker

from cotrack.demo.seed import seed
from cotrack.extensions import db, limiter
from cotrack.models import Organisation, User
from cotrack.services.api_tokens import create_token
from cotrack.services.signin import open_session
from tests.conftest import _TestSession, database_url, migrated_app

OUTSIDER_ORG = "Outsider Trading"
#: an organisation that is party to no venture, with one user of each party role
OUTSIDERS = [("lead@outsider.example", "Olga Outis", "lead"),
             ("finance@outsider.example", "Frank Outis", "finance"),
             ("member@outsider.example", "Mia Outis", "member")]
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Actor:
    """One signed-in person: an API token and a browser (test client) with a CSRF token."""

    def __init__(self, *, email: str, id: int, name: str, role: str, org_id: int,  # noqa: A002
                 org_name: str, headers: dict, client: FlaskClient, csrf: str):
        self.email, self.id, self.name, self.role = email, id, name, role
        self.org_id, self.org_name, self.headers = org_id, org_name, headers
        self.client, self.csrf = client, csrf

    def __repr__(self) -> str:  # Hypothesis prints each step with its arguments
        return repr(self.email)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(repr(self))


def _add_outsiders() -> None:
    any_hash = db.session.scalar(select(User.password_hash).limit(1))
    org = Organisation(name=OUTSIDER_ORG)
    db.session.add(org)
    for email, name, role in OUTSIDERS:
        db.session.add(User(email=email, name=name, role=role, organisation=org,
                            password_hash=any_hash))
    db.session.flush()


def _sign_in(app, user_rows) -> list[Actor]:
    actors = []
    with app.app_context():
        for user_id in user_rows:
            user = db.session.get(User, user_id)
            session_token = open_session(user, remember=False)
            _, raw = create_token(user, "property tests")
            actors.append(dict(email=user.email, id=user.id, name=user.name, role=user.role,
                               org_id=user.organisation_id, org_name=user.organisation.name,
                               headers={"Authorization": f"Bearer {raw}"},
                               session_token=session_token))
        db.session.commit()
    result = []
    for a in actors:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = a.pop("session_token")
            session["_fresh"] = True
        page = client.get("/auth/profile")
        assert page.status_code == 200, (a["email"], page.status_code)
        csrf = CSRF_RE.search(page.get_data(as_text=True)).group(1)
        result.append(Actor(client=client, csrf=csrf, **a))
    return result


def seeded_app(tmp_path_factory, suffix: str):
    """(app, actors): a migrated database of its own holding the demo data and the cast."""
    app = migrated_app(database_url(tmp_path_factory, suffix=suffix))
    with app.app_context():
        seed()
        _add_outsiders()
        db.session.commit()
        ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    return app, _sign_in(app, ids)


@contextmanager
def rolled_back(app):
    """Bind the app's session to one connection whose transaction is rolled back at the end.

    The app's own commits become SAVEPOINT releases inside it (as in tests/conftest.py).
    Yields the connection, for reading the database directly.
    """
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    original = db.session
    db.session = _TestSession(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"))
    try:
        yield connection
    finally:
        scoped_session.remove(db.session)
        db.session = original
        transaction.rollback()
        connection.close()
        with app.app_context():
            limiter.reset()
