"""Signing in and out: messages, case-insensitive email, safe redirects, server-side sessions."""

import pytest
from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from cotrack.domain.passwords import hash_password
from cotrack.extensions import db
from cotrack.models import User, UserSession
from tests.conftest import TEST_PASSWORD, csrf_token, login


def test_sign_in_reaches_home_naming_the_organisation(client, make_user, make_org):
    user = make_user(org=make_org("Northwind Storage"))
    response = login(client, user.email)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Northwind Storage" in page
    assert user.name in page


def test_email_is_matched_without_regard_to_case(client, make_user):
    user = make_user(email="mixed@example.org")
    assert login(client, "  MiXeD@Example.ORG ").status_code == 302
    assert client.get("/").status_code == 200
    assert user.email == "mixed@example.org"


@pytest.mark.parametrize("email_kind", ["wrong password", "unknown email"])
def test_wrong_credentials_get_a_clear_message_and_keep_the_email(client, make_user, email_kind):
    user = make_user()
    email = user.email if email_kind == "wrong password" else "nobody@example.org"
    password = "wrong password!!" if email_kind == "wrong password" else TEST_PASSWORD
    response = login(client, email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Wrong email or password." in page
    assert f'value="{email}"' in page
    assert client.get("/").status_code == 302  # still anonymous


def test_deactivated_user_gets_a_clear_message(client, make_user):
    user = make_user(active=False)
    response = login(client, user.email)
    assert response.status_code == 401
    assert "deactivated" in response.get_data(as_text=True)


def test_twelfth_quick_wrong_password_gets_429(client, make_user):
    user = make_user()
    statuses = [login(client, user.email, "not the password").status_code for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[11] == 429
    # even the right password is refused while the limit holds
    assert login(client, user.email).status_code == 429


def test_successful_sign_ins_do_not_count_against_the_limit(client, make_user):
    user = make_user()
    for _ in range(12):
        assert login(client, user.email).status_code == 302
        client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/profile")})


@pytest.mark.parametrize(
    "target",
    ["https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere.example", "javascript:x"],
)
def test_next_pointing_off_site_is_ignored(client, make_user, target):
    user = make_user()
    response = login(client, user.email, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_this_site_is_followed(client, make_user):
    user = make_user()
    response = login(client, user.email, next_url="/auth/profile")
    assert response.headers["Location"] == "/auth/profile"


def _sign_out(client):
    return client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/auth/profile")})


def test_cookie_copied_before_sign_out_is_anonymous_after_it(app, client, make_user):
    user = make_user()
    login(client, user.email)
    copied = client.get_cookie("session").value
    assert _sign_out(client).status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_remember_me_cookie_dies_with_sign_out(app, client, make_user):
    user = make_user()
    login(client, user.email, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None
    copied = remember.value
    _sign_out(client)

    other = app.test_client()
    other.set_cookie("remember_token", copied)
    assert other.get("/").status_code == 302


def test_remember_me_signs_in_a_new_browser_session(app, client, make_user):
    user = make_user()
    login(client, user.email, remember=True)
    fresh = app.test_client()  # the browser was closed: no session cookie, only remember_token
    fresh.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert fresh.get("/").status_code == 200


def test_deactivated_user_is_signed_out_at_the_next_request(client, make_user):
    user = make_user()
    login(client, user.email)
    assert client.get("/").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_deactivating_the_organisation_signs_its_users_out(client, make_user):
    user = make_user()
    login(client, user.email)
    user.organisation.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def _configured(app) -> tuple[int, int, int]:
    c = app.config
    return c["ARGON2_TIME_COST"], c["ARGON2_MEMORY_COST"], c["ARGON2_PARALLELISM"]


def _parameters(stored: str) -> tuple[int, int, int]:
    p = extract_parameters(stored)
    return p.time_cost, p.memory_cost, p.parallelism


def test_stored_hash_is_argon2id_with_the_configured_parameters(app, client, make_user):
    with app.app_context():
        fresh = hash_password(TEST_PASSWORD)
    assert fresh.startswith("$argon2id$v=19$")
    assert _parameters(fresh) == _configured(app)

    other = PasswordHasher(memory_cost=16, time_cost=2, parallelism=1).hash(TEST_PASSWORD)
    user = make_user(password_hash=other)
    assert login(client, user.email).status_code == 302
    # a hash with other parameters is upgraded at the next successful sign-in
    upgraded = db.session.get(User, user.id).password_hash
    assert upgraded.startswith("$argon2id$v=19$")
    assert _parameters(upgraded) == _configured(app)


def test_sign_out_removes_the_server_side_session(client, make_user):
    user = make_user()
    login(client, user.email)
    count = select(UserSession).where(UserSession.user_id == user.id)
    assert len(db.session.scalars(count).all()) == 1
    _sign_out(client)
    assert db.session.scalars(count).all() == []


def test_sign_out_needs_a_post_with_csrf(client, make_user):
    user = make_user()
    login(client, user.email)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_csrf_token_from_before_sign_in_no_longer_validates(client, make_user):
    user = make_user()
    before = csrf_token(client)
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                                "csrf_token": before})
    assert response.status_code == 302
    # a token planted before sign-in (login CSRF, a shared computer) is worthless after it
    stale = client.post("/auth/profile/tokens", data={"name": "planted", "csrf_token": before})
    assert stale.status_code == 400
    fresh = csrf_token(client, "/auth/profile")
    assert fresh != before
    assert client.post("/auth/profile/tokens",
                       data={"name": "mine", "csrf_token": fresh}).status_code == 200


def test_csrf_token_from_before_sign_out_no_longer_validates(client, make_user):
    user = make_user()
    login(client, user.email)
    signed_in = csrf_token(client, "/auth/profile")
    assert client.post("/auth/logout", data={"csrf_token": signed_in}).status_code == 302
    response = client.post("/auth/login", data={"email": user.email, "password": TEST_PASSWORD,
                                                "csrf_token": signed_in})
    assert response.status_code == 400
