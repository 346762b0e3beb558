"""Brute-force limits (cotrack.auth.throttle): nobody can lock another person out.

Each test client stands for one address (its REMOTE_ADDR). ``clock`` moves the time of
the in-memory counters (TestConfig's storage) and of the throttle instead of sleeping.
"""

import time
from types import SimpleNamespace

import pytest
from werkzeug.exceptions import TooManyRequests

from cotrack import create_app
from cotrack.extensions import db
from tests.conftest import TEST_PASSWORD, csrf_token, login, make_config, post_form

WRONG = "not the password at all"


@pytest.fixture
def clock(monkeypatch):
    now = [time.time()]
    fake = SimpleNamespace(time=lambda: now[0])
    monkeypatch.setattr("limits.storage.memory.time", fake)
    monkeypatch.setattr("cotrack.auth.throttle.time", fake)

    def advance(seconds: float) -> None:
        now[0] += seconds

    return advance


def browser(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_an_attacker_failing_from_one_address_does_not_stop_the_person_at_another(
        app, make_user):
    user = make_user()
    attacker = browser(app, "203.0.113.66")
    statuses = [login(attacker, user.email, WRONG).status_code for _ in range(15)]
    assert statuses == [401] * 10 + [429] * 5
    assert login(browser(app, "198.51.100.7"), user.email).status_code == 302


def test_the_same_account_and_address_pair_waits_out_the_window(app, make_user, clock):
    user = make_user()
    attacker = browser(app, "203.0.113.66")
    for _ in range(10):
        assert login(attacker, user.email, WRONG).status_code == 401
    response = login(attacker, user.email)  # even the right password is not checked now
    assert response.status_code == 429
    assert 890 <= int(response.headers["Retry-After"]) <= 900
    assert "Try again in 15 minutes." in response.text
    # the same address may still sign in to other accounts
    assert login(browser(app, "203.0.113.66"), make_user().email).status_code == 302
    clock(900)
    assert login(attacker, user.email).status_code == 302


def test_one_address_failing_over_many_accounts_is_limited(app, make_user):
    sprayer = browser(app, "203.0.113.66")
    for _ in range(10):
        users = [make_user() for _ in range(3)]
        for user in users:
            assert login(sprayer, user.email, WRONG).status_code == 401
    assert login(sprayer, make_user().email).status_code == 429
    assert login(browser(app, "198.51.100.7"), users[0].email).status_code == 302


def _fail_from_many_addresses(app, email: str, count: int, first: int = 1) -> None:
    for n in range(first, first + count):
        assert login(browser(app, f"192.0.2.{n}"), email, WRONG).status_code == 401


def test_failures_from_many_addresses_slow_the_account_down_but_never_lock_it(app, make_user,
                                                                              clock):
    user = make_user()
    _fail_from_many_addresses(app, user.email, 20)  # 20 an hour are free; the next waits
    person = browser(app, "198.51.100.7")
    response = login(person, user.email)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert "Try again in 1 second." in response.text
    clock(1)
    assert login(browser(app, "192.0.2.99"), user.email, WRONG).status_code == 401
    response = login(person, user.email)
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"  # it grows
    clock(2)
    assert login(person, user.email).status_code == 302  # after the wait, the person is in


def test_the_slow_down_is_capped(app, make_user, monkeypatch, clock):
    monkeypatch.setitem(app.config, "SIGNIN_ACCOUNT_SLOWDOWN_AFTER", "1 per hour")
    user = make_user()
    _fail_from_many_addresses(app, user.email, 1)
    waits = []
    for n in range(2, 12):
        waits.append(int(login(browser(app, "198.51.100.7"), user.email)
                         .headers["Retry-After"]))
        clock(waits[-1])
        _fail_from_many_addresses(app, user.email, 1, first=n)
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60]  # at most a minute a try


def test_an_address_the_person_signed_in_from_is_spared_the_slow_down(app, make_user):
    user = make_user()
    home = browser(app, "198.51.100.7")
    assert login(home, user.email).status_code == 302
    home.post("/auth/logout", data={"csrf_token": csrf_token(home, "/auth/profile")})
    _fail_from_many_addresses(app, user.email, 20)
    assert login(browser(app, "198.51.100.8"), user.email).status_code == 429
    assert login(home, user.email).status_code == 302


def _change(client, current: str):
    new = "a brand new walnut staircase"
    return post_form(client, "/auth/profile",
                     {"current_password": current, "new_password": new, "confirm": new})


def test_a_stolen_session_cannot_guess_the_current_password(app, make_user):
    user = make_user()
    thief, owner = browser(app, "203.0.113.66"), browser(app, "198.51.100.7")
    login(thief, user.email)
    login(owner, user.email)
    for _ in range(5):
        assert "This is not your current password." in _change(thief, WRONG).text
    response = _change(thief, TEST_PASSWORD)  # the right one is not even checked now
    assert response.status_code == 429
    assert "Try again in 15 minutes." in response.text
    assert _change(owner, TEST_PASSWORD).status_code == 302  # the person's own session


def test_x_forwarded_for_is_ignored_by_default(app, make_user):
    user = make_user()
    attacker = browser(app, "203.0.113.66")
    for n in range(10):
        attacker.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}"
        assert login(attacker, user.email, WRONG).status_code == 401
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    assert login(attacker, user.email).status_code == 429


@pytest.fixture
def behind_a_proxy(app):
    class Proxied(make_config(app.config["SQLALCHEMY_DATABASE_URI"])):
        PROXY_FIX_X_FOR = 1

    proxied = create_app(Proxied)
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def test_x_forwarded_for_is_honoured_when_configured(behind_a_proxy, make_user):
    user = make_user()
    attacker = browser(behind_a_proxy, "10.0.0.2")  # the proxy
    attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.66"
    for _ in range(10):
        assert login(attacker, user.email, WRONG).status_code == 401
    assert login(attacker, user.email).status_code == 429
    person = browser(behind_a_proxy, "10.0.0.2")  # the same proxy, another client
    person.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    assert login(person, user.email).status_code == 302


def test_a_json_429_says_the_wait_too(app):
    with app.test_request_context("/api/v1/me"):
        response = app.make_response(app.handle_user_exception(TooManyRequests(retry_after=90)))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "90"
    assert response.get_json()["error"]["message"] == "Too many attempts. Try again in 2 minutes."
