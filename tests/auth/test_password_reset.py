""""Forgot password?" (issue 14, point 4/5 of the brief): a mailed link, single use, an
hour long; the page answers the same whether the account exists; asking is limited; the
new password follows the usual rules and ends every other session and API token."""

import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from cotrack.domain.passwords import verify_password
from cotrack.extensions import db
from cotrack.models import ApiToken, UserSession
from tests.conftest import TEST_PASSWORD, login, post_form

NEW = "seven quiet herons at dawn"
LINK_RE = re.compile(r"http://cotrack\.test(/auth/reset/[\w.\-]+)")


def _ask(client, email: str):
    return post_form(client, "/auth/forgot", {"email": email})


def _link(smtp, email: str) -> str:
    (message,) = smtp.to(email)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    path = LINK_RE.search(text).group(1)
    assert f'href="http://cotrack.test{path}"' in html
    return path


def test_the_sign_in_page_offers_it(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert 'href="/auth/forgot"' in html and "Forgot password?" in html


def test_the_answer_is_the_same_for_an_account_and_for_nobody(client, make_user, smtp):
    user = make_user("member")
    known = _ask(client, user.email)
    known_flash = client.get("/auth/login").get_data(as_text=True)
    unknown = _ask(client, "nobody@example.org")
    unknown_flash = client.get("/auth/login").get_data(as_text=True)
    assert known.status_code == unknown.status_code == 303
    assert known.headers["Location"] == unknown.headers["Location"]
    assert "If an account has that address" in known_flash
    assert known_flash.count("If an account has that address") == unknown_flash.count(
        "If an account has that address") == 1
    assert [m["To"] for m in smtp.messages] == [user.email]


def test_the_link_sets_a_new_password_once_and_signs_out_everywhere(
        client, app, make_user, make_token, smtp):
    user = make_user("lead")
    headers = make_token(user)
    other = app.test_client()
    login(other, user.email)
    _ask(client, user.email.upper())  # the address as typed, any case
    path = _link(smtp, user.email)
    page = client.get(path)
    assert page.status_code == 200 and user.email in page.get_data(as_text=True)
    response = post_form(client, path, {"password": NEW, "confirm": NEW})
    assert response.status_code == 303 and response.headers["Location"] == "/auth/login"
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW)
    assert db.session.scalar(select(UserSession).where(UserSession.user_id == user.id)) is None
    assert all(t.revoked_at for t in db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id)))
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert other.get("/").status_code == 302  # the other browser is signed out
    again = client.get(path)
    assert again.status_code == 404 and "no longer works" in again.get_data(as_text=True)
    assert post_form(client, "/auth/login", {"email": user.email, "password": NEW}
                     ).status_code == 302


def test_the_new_password_follows_the_rules(client, make_user, smtp):
    user = make_user("member")
    _ask(client, user.email)
    path = _link(smtp, user.email)
    short = post_form(client, path, {"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "12 characters" in short.get_data(as_text=True)
    differ = post_form(client, path, {"password": NEW, "confirm": NEW + "x"})
    assert differ.status_code == 422 and "The passwords differ." in differ.get_data(
        as_text=True)
    db.session.refresh(user)
    assert verify_password(user.password_hash, "correct horse battery staple")
    assert client.get(path).status_code == 200  # still good: nothing was set


@pytest.mark.parametrize("seconds, status", [(3500, 200), (3700, 404)])
def test_the_link_works_for_an_hour(client, make_user, smtp, monkeypatch, seconds, status):
    user = make_user("member")
    _ask(client, user.email)
    path = _link(smtp, user.email)
    later = int(time.time()) + seconds
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    assert client.get(path).status_code == status


def test_the_link_dies_when_the_password_changes_otherwise(client, make_user, smtp):
    user = make_user("member")
    _ask(client, user.email)
    path = _link(smtp, user.email)
    login(client, user.email)
    post_form(client, "/auth/profile", {"current_password": TEST_PASSWORD,
                                        "new_password": NEW, "confirm": NEW})
    client.post("/auth/logout", data={"csrf_token": re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"',
        client.get("/auth/profile").get_data(as_text=True)).group(1)})
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("token", ["abc", "x" * 500, "eyJ1IjoxfQ.forged.sig"])
def test_a_forged_link_is_no_link(client, token):
    assert client.get(f"/auth/reset/{token}").status_code == 404


def test_an_inactive_account_gets_no_mail(client, make_user, smtp):
    user = make_user("member")
    user.active = False
    db.session.commit()
    assert _ask(client, user.email).status_code == 303
    assert smtp.messages == []


def test_asking_is_limited(client, app, make_user, smtp):
    user = make_user("member")
    for _ in range(3):
        assert _ask(client, user.email).status_code == 303
    assert _ask(client, user.email).status_code == 303  # same answer, no fourth mail
    assert len(smtp.to(user.email)) == 3
    for n in range(6):
        assert _ask(client, f"someone{n}@example.org").status_code == 303
    refused = _ask(client, "one-more@example.org")
    assert refused.status_code == 429 and "Retry-After" in refused.headers
