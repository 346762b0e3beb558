"""Password policy and changing one's own password."""

import pytest

from cotrack.extensions import db
from cotrack.models import User, UserSession
from cotrack.passwords import password_problem, verify_password
from tests.conftest import TEST_PASSWORD, login, post_form


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short pass", "at least 12"),
        ("passwordpassword", "too"),
        ("123456789012", "too"),
        ("aaaaaaaaaaaaaaaa", "too"),
        ("qwertyuiopasdf", "too"),
    ],
)
def test_weak_passwords_are_refused(password, expected):
    assert expected in (password_problem(password) or "")


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


def test_change_own_password(client, make_user):
    user = make_user()
    login(client, user.email)
    new = "a brand new walnut staircase"
    response = post_form(
        client,
        "/auth/profile",
        {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new},
    )
    assert response.status_code == 302
    assert verify_password(db.session.get(User, user.id).password_hash, new)


def test_change_password_shows_errors_by_the_field(client, make_user):
    user = make_user()
    login(client, user.email)
    response = post_form(
        client,
        "/auth/profile",
        {"current_password": "not my password", "new_password": "short", "confirm": "short"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This is not your current password." in page
    assert verify_password(db.session.get(User, user.id).password_hash, TEST_PASSWORD)


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
