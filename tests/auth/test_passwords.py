"""Password policy and changing one's own password."""

import pytest

from cotrack.domain.passwords import password_problem, repeated_unit, verify_password
from cotrack.extensions import db
from cotrack.models import User, UserSession
from tests.conftest import TEST_PASSWORD, login, post_form


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short pass", "at least 12"),
        ("passwordpassword", "too"),
        ("123456789012", "too"),
        ("aaaaaaaaaaaaaaaa", "too"),
        ("qwertyuiopasdf", "too"),
        ("abcd" * 10, "repeats a short pattern"),
        ("1234567890" * 4, "repeats a short pattern"),
        ("1234567890" * 100, "repeats a short pattern"),
        ("Tq9!mZ" * 170, "repeats a short pattern"),
        ("qwertyuiop" * 8 + "q", "repeats a short pattern"),  # a partial last repetition
        ("password" * 9 + "violet tractor umbrella", "too easy"),  # beyond zxcvbn's 72
        ("1" * 70 + "correct-horse-cable-forest", "too"),
    ],
)
def test_weak_passwords_are_refused(password, expected):
    assert expected in (password_problem(password) or "")


@pytest.mark.parametrize(
    "password",
    [
        "Marguerite violet tractor",  # her first name
        "violet TREMBLAY tractor",  # her surname, in another case
        "my m.tremblay+work@northwind.example!",  # her email
        "violet m.tremblay+work tractor",  # its local part
        "tractor tremblay1 umbrella",  # a part of it
    ],
)
def test_passwords_with_the_persons_name_or_email_are_refused(password):
    person = ("m.tremblay+work@northwind.example", "Marguerite Tremblay")
    assert password_problem("violet tractor umbrella", person) is None
    assert "name or email" in (password_problem(password, person) or "")


def test_very_short_name_parts_and_the_email_domain_are_not_personal():
    person = ("jo.li@example.com", "Jo Li")
    assert password_problem("jolly lighthouse come example", person) is None


def test_only_the_first_characters_go_to_the_estimator(monkeypatch):
    from cotrack.domain import passwords

    seen = []
    real = passwords.zxcvbn
    monkeypatch.setattr(passwords, "zxcvbn", lambda p, **kw: seen.append(p) or real(p, **kw))
    strong = "violet tractor umbrella quiet lantern over the bay " * 20  # 1,000 characters
    assert password_problem(strong[:1000]) is None  # zxcvbn alone refuses over 72
    assert seen and max(map(len, seen)) <= passwords.ESTIMATE_WINDOW


def test_a_repeated_strong_phrase_is_judged_by_the_phrase():
    assert repeated_unit("violet tractor umbrella " * 3) == "violet tractor umbrella "
    assert password_problem("violet tractor umbrella " * 3) is None
    assert repeated_unit("violet tractor umbrella") is None


@pytest.mark.parametrize(
    "password",
    [
        "violet tractor umbrella",
        "lowercase only but long enough here",
        "x" * 3 + "Tq9!mZ" + "correct-horse-cable-forest" * 5,  # 150 characters
    ],
)
def test_good_and_long_passwords_are_accepted_without_composition_rules(password):
    assert password_problem(password) is None


def password_is(app, user_id: int, password: str) -> bool:
    with app.app_context():  # the app's configured hasher
        return verify_password(db.session.get(User, user_id).password_hash, password)


def test_change_own_password(app, client, make_user):
    user = make_user()
    login(client, user.email)
    new = "a brand new walnut staircase"
    response = post_form(
        client,
        "/auth/profile",
        {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert password_is(app, user.id, new)


def test_change_password_shows_errors_by_the_field(app, client, make_user):
    user = make_user()
    login(client, user.email)
    response = post_form(
        client,
        "/auth/profile",
        {"current_password": "not my password", "new_password": "short", "confirm": "short"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422  # refused, as every refused form is (issue 11)
    assert "This is not your current password." in page
    assert password_is(app, user.id, TEST_PASSWORD)


def test_a_new_password_containing_ones_name_is_refused_on_the_profile(app, client,
                                                                        make_user):
    user = make_user(name="Rosalind Okafor", email="rosalind.okafor@example.org")
    login(client, user.email)
    new = "violet okafor umbrella"
    response = post_form(client, "/auth/profile",
                         {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new})
    assert "Do not use your name or email address" in response.text
    assert password_is(app, user.id, TEST_PASSWORD)


def test_change_password_signs_out_other_devices(app, client, make_user):
    user = make_user()
    other_device = app.test_client()
    login(other_device, user.email)
    login(client, user.email)
    new = "a brand new walnut staircase"
    post_form(client, "/auth/profile",
              {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new})
    assert client.get("/").status_code == 200
    assert other_device.get("/").status_code == 302
    assert db.session.query(UserSession).filter_by(user_id=user.id).count() == 1


def test_changing_ones_password_revokes_ones_api_tokens(app, client, make_user, make_token):
    user = make_user()
    headers = make_token(user)
    api = app.test_client()
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    login(client, user.email)
    assert "revokes all your API tokens" in client.get("/auth/profile").text
    new = "a brand new walnut staircase"
    response = post_form(client, "/auth/profile",
                         {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new})
    assert response.status_code == 302
    assert "your API tokens are revoked" in client.get("/auth/profile").text
    assert api.get("/api/v1/me", headers=headers).status_code == 401
