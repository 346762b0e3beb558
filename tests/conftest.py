"""Test setup: one app for the session on a migrated database, each test rolled back.

The database is a fresh SQLite file, or PostgreSQL when TEST_DATABASE_URL is set. Every
test runs inside a transaction on one connection that is rolled back afterwards; the
app's own commits become SAVEPOINT releases inside it.
"""

import os
import re
import tempfile

import flask_migrate
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import scoped_session, sessionmaker

# Every app a test makes (production-like ones included) keys the ledger with this, so
# services called outside an app context hash the same way whichever app was made last.
os.environ.setdefault("COTRACK_LEDGER_KEY", "test-ledger-key-not-for-production")
# Each pytest-xdist worker has an instance folder of its own (export files, mail), as it has
# databases of its own: two workers' tests never write the same file.
if os.environ.get("PYTEST_XDIST_WORKER") and "COTRACK_INSTANCE" not in os.environ:
    os.environ["COTRACK_INSTANCE"] = os.path.join(
        tempfile.mkdtemp(prefix=f"cotrack-{os.environ['PYTEST_XDIST_WORKER']}-"), "instance")

import config  # noqa: E402  (reads the key above)
from cotrack import create_app
from cotrack.domain.passwords import hash_password
from cotrack.extensions import db, limiter

TEST_PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')

pytest_plugins = ["tests.factories", "tests.smtp"]


def pytest_sessionfinish(session, exitstatus):
    """With COTRACK_NO_SKIPS=1 (CI) a skipped test fails the run: CI never passes by skipping."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("COTRACK_NO_SKIPS") == "1" and skipped and exitstatus == 0:
        reporter.write_line(f"FAILED: {len(skipped)} skipped; CI allows no skips.", red=True)
        session.exitstatus = 1


#: the longest tests start first, so that with two workers (`make test`) neither waits on the
#: other's last long test at the end
LONG_FIRST = ("tests/property/test_machine.py",)


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not item.nodeid.startswith(LONG_FIRST))


def database_url(tmp_path_factory, suffix: str = "") -> str:
    """The test database (PostgreSQL if TEST_DATABASE_URL), or a fresh SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / f'test{suffix}.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # pytest-xdist's workers (`make test` runs two) each get databases of their own
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    suffix += f"_{worker}" if worker else ""
    if suffix:
        url = fresh_postgres_database(url, suffix)
    return url


def fresh_postgres_database(url: str, suffix: str) -> str:
    base, _, name = url.rpartition("/")
    new_name = f"{name}{suffix}"
    admin = create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{new_name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{new_name}"'))
    admin.dispose()
    return f"{base}/{new_name}"


def make_config(url: str, **settings):
    class Cfg(config.TestConfig):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(url)

    for name, value in settings.items():
        setattr(Cfg, name, value)
    return Cfg


def empty_schema(app) -> None:
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))


def migrated_app(url: str, **settings):
    app = create_app(make_config(url, **settings))
    empty_schema(app)
    with app.app_context():
        flask_migrate.upgrade()
    return app


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = migrated_app(database_url(tmp_path_factory))
    yield app
    with app.app_context():
        db.engine.dispose()


class _TestSession(scoped_session):
    """The test's session outlives requests, so factory objects stay usable in the test.

    At the end of a request (Flask-SQLAlchemy calls ``remove``) what the request did not
    commit is rolled back, as closing the session would do in production.
    """

    def remove(self) -> None:
        self.registry().rollback()


@pytest.fixture(autouse=True)
def _rolled_back(request, app):
    """Bind the app's session to one connection whose transaction is rolled back.

    No app context is held during the test: each request pushes its own, as in production
    (a context held here would carry ``g`` and the signed-in user from request to request).
    """
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("own_db"):
        yield
        return
    with app.app_context():
        connection = db.engine.connect()
    transaction = connection.begin()
    original = db.session
    db.session = _TestSession(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
    )
    try:
        yield db.session
    finally:
        scoped_session.remove(db.session)
        db.session = original
        transaction.rollback()
        connection.close()
        with app.app_context():
            limiter.reset()


@pytest.fixture
def race_db(request, tmp_path_factory):
    """An app on a migrated database of its own, for a test that commits from several
    threads (the per-test rollback would hide what the race is about)."""
    module = request.module.__name__.rsplit(".", 1)[-1][-20:]
    app = migrated_app(database_url(tmp_path_factory, suffix=f"_race_{module}"))
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def demo_app(request, tmp_path_factory):
    """The app on a database of its own with the demo data, for tests that need real commits
    from several connections (mark them own_db). Has .app, .tokens (API headers' tokens by
    demo email, for the people tests use) and .venture_id (Mobile storage array: active,
    with a signed split agreement)."""
    from types import SimpleNamespace

    from sqlalchemy import select

    from cotrack.demo.seed import seed
    from cotrack.models import User, Venture
    from cotrack.services.api_tokens import create_token

    app = migrated_app(database_url(tmp_path_factory, suffix=f"_{request.module.__name__[-20:]}"
                                    .replace(".", "_")))
    with app.app_context():
        seed()
        people = ("finance@forge.example", "finance@summit.example", "lead@northwind.example")
        tokens = {email: create_token(db.session.scalar(select(User).where(User.email == email)),
                                      "test")[1] for email in people}
        venture_id = db.session.scalar(
            select(Venture.id).where(Venture.name == "Mobile storage array"))
        db.session.commit()
    yield SimpleNamespace(app=app, tokens=tokens, venture_id=venture_id)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def password_hash(app) -> str:
    with app.app_context():  # hashed with the app's (TestConfig's low) argon2 cost
        return hash_password(TEST_PASSWORD)


def csrf_token(client, path: str = "/auth/login") -> str:
    match = CSRF_RE.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, email: str, password: str = TEST_PASSWORD, remember: bool = False,
          next_url: str | None = None):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client)}
    if remember:
        data["remember"] = "y"
    query = {"next": next_url} if next_url else None
    return client.post("/auth/login", data=data, query_string=query)


def post_form(client, path: str, data: dict, form_page: str | None = None):
    """POST a form with a valid CSRF token taken from ``form_page`` (default: the page)."""
    token = csrf_token(client, form_page or path)
    return client.post(path, data={**data, "csrf_token": token})


@pytest.fixture(scope="session")
def seeded(tmp_path_factory):
    """(app, actors): a database of its own with the demo data, an outsider organisation and
    everyone signed in (tests/property/seeded.py); for the stateful machine and schemathesis."""
    from tests.property.seeded import seeded_app

    app, actors = seeded_app(tmp_path_factory, "_seeded")
    yield app, actors
    with app.app_context():
        db.engine.dispose()
