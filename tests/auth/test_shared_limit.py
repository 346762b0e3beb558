"""The sign-in limit holds across gunicorn workers: counts live in the shared database.

Two app instances stand for two worker processes; they share nothing but the database.
"""

import pytest

from cotrack import create_app
from cotrack.db.ratelimit import SQLStorage
from cotrack.domain.passwords import hash_password
from cotrack.extensions import db, limiter
from cotrack.models import Organisation, User
from tests.conftest import TEST_PASSWORD, database_url, login, make_config, migrated_app


@pytest.fixture
def two_workers(tmp_path_factory):
    url = database_url(tmp_path_factory, suffix="_limits")

    class Shared(make_config(url)):
        RATELIMIT_STORAGE_URI = f"sqlalchemy+{url}"

    first = migrated_app(url)
    first.config.from_object(Shared)
    with first.app_context():
        org = Organisation(name="Limit Org")
        db.session.add(User(email="limited@example.org", name="L", role="lead",
                            organisation=org, password_hash=hash_password(TEST_PASSWORD)))
        db.session.commit()
    workers = [create_app(Shared), create_app(Shared)]
    yield workers
    for app in [first, *workers]:
        with app.app_context():
            limiter.reset()
            db.engine.dispose()
    # Flask-Limiter keeps its storage on the (global) extension object: give it back the
    # in-memory storage the rest of the suite uses.
    create_app(make_config("sqlite://"))


@pytest.mark.own_db
def test_failures_on_two_workers_add_up_to_429(two_workers):
    a, b = (app.test_client() for app in two_workers)
    statuses = []
    for i in range(12):
        worker = a if i % 2 == 0 else b
        statuses.append(login(worker, "limited@example.org", "wrong password!!").status_code)
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


def test_storage_counts_and_expires(tmp_path):
    url = f"sqlite:///{tmp_path / 'counter.db'}"
    storage = SQLStorage(f"sqlalchemy+{url}")
    from cotrack.models import RateLimitCounter

    RateLimitCounter.__table__.create(storage.engine)
    assert storage.incr("k", expiry=60) == 1
    assert storage.incr("k", expiry=60, amount=2) == 3
    assert storage.get("k") == 3
    assert storage.get_expiry("k") > 0
    assert storage.incr("gone", expiry=-1) == 1  # already expired window
    assert storage.get("gone") == 0
    assert storage.incr("gone", expiry=60) == 1  # a new window starts from zero
    storage.clear("k")
    assert storage.get("k") == 0
    assert storage.check()
    storage.engine.dispose()
