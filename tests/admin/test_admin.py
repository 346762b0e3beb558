"""Admin pages: organisations and accounts; everyone else is refused."""

import pytest
from sqlalchemy import select

from cotrack.domain.passwords import verify_password
from cotrack.extensions import db
from cotrack.models import Organisation, User
from tests.conftest import login, post_form

NEW_PASSWORD = "quiet lantern over the bay"


@pytest.fixture
def admin_client(client, make_user):
    admin = make_user(role="admin")
    login(client, admin.email)
    client.admin = admin
    return client


@pytest.mark.parametrize("role", ["lead", "finance", "member"])
@pytest.mark.parametrize("path", ["/admin/users", "/admin/organisations", "/admin/users/new",
                                  "/admin/mail"])
def test_non_admins_get_403(client, make_user, role, path):
    login(client, make_user(role=role).email)
    assert client.get(path).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admin_creates_an_organisation_and_a_user_who_can_sign_in(app, admin_client):
    response = post_form(admin_client, "/admin/organisations/new", {"name": "Delta Labs",
                                                                    "active": "y"})
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Delta Labs"))
    response = post_form(admin_client, "/admin/users/new", {
        "name": "Dee Lab", "email": "Dee@Delta.example", "organisation_id": org.id,
        "role": "lead", "active": "y", "password": NEW_PASSWORD,
    })
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "dee@delta.example"))
    assert user.organisation_id == org.id and user.role == "lead"
    assert login(app.test_client(), "dee@delta.example", NEW_PASSWORD).status_code == 302


def test_invalid_user_form_keeps_input_and_names_fields(admin_client, make_user):
    taken = make_user()
    response = post_form(admin_client, "/admin/users/new", {
        "name": "Typed Name", "email": taken.email, "organisation_id": taken.organisation_id,
        "role": "member", "password": "short",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="Typed Name"' in page
    assert "at least 12" in page  # password message
    count = db.session.scalar(select(db.func.count(User.id)).where(User.name == "Typed Name"))
    assert count == 0


def test_duplicate_email_is_named_on_the_field(admin_client, make_user):
    taken = make_user()
    response = post_form(admin_client, "/admin/users/new", {
        "name": "Second", "email": taken.email.upper(), "organisation_id": taken.organisation_id,
        "role": "member", "password": NEW_PASSWORD,
    })
    assert response.status_code == 422
    assert "An account with this email exists already." in response.get_data(as_text=True)


def test_duplicate_organisation_name_is_refused(admin_client, make_org):
    make_org("Acme")
    response = post_form(admin_client, "/admin/organisations/new", {"name": "acme"})
    assert response.status_code == 422
    assert "exists already" in response.get_data(as_text=True)


def test_admin_deactivates_a_user_whose_session_stops(app, admin_client, make_user):
    user = make_user()
    their_browser = app.test_client()
    login(their_browser, user.email)
    assert their_browser.get("/").status_code == 200
    response = post_form(admin_client, f"/admin/users/{user.id}", {
        "name": user.name, "email": user.email, "organisation_id": user.organisation_id,
        "role": user.role,  # "active" unchecked
    })
    assert response.status_code == 302
    assert their_browser.get("/").status_code == 302
    assert "deactivated" in login(app.test_client(), user.email).get_data(as_text=True)


def test_admin_cannot_deactivate_themselves(admin_client):
    me = admin_client.admin
    response = post_form(admin_client, f"/admin/users/{me.id}", {
        "name": me.name, "email": me.email, "organisation_id": me.organisation_id, "role": "admin",
    })
    assert response.status_code == 422
    assert db.session.get(User, me.id).active


def test_admin_resets_a_password(app, admin_client, make_user):
    user = make_user()
    response = post_form(admin_client, f"/admin/users/{user.id}/password",
                         {"password": NEW_PASSWORD}, form_page=f"/admin/users/{user.id}")
    assert response.status_code == 302
    with app.app_context():
        assert verify_password(db.session.get(User, user.id).password_hash, NEW_PASSWORD)
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 302


def test_edit_of_missing_user_is_404(admin_client):
    assert admin_client.get("/admin/users/999999").status_code == 404


def _user_form(user, **changes) -> dict:
    data = {"name": user.name, "email": user.email, "organisation_id": user.organisation_id,
            "role": user.role, "active": "y"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_password_reset_revokes_the_users_api_tokens(app, admin_client, make_user, make_token):
    user = make_user()
    headers = make_token(user)
    api = app.test_client()
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    response = post_form(admin_client, f"/admin/users/{user.id}/password",
                         {"password": NEW_PASSWORD}, form_page=f"/admin/users/{user.id}")
    assert response.status_code == 302
    assert "API tokens are revoked" in admin_client.get(response.headers["Location"]).text
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert api.get("/api/v1/me", headers=make_token(user)).status_code == 200  # a new one works


def test_reset_form_says_tokens_are_revoked(admin_client, make_user):
    page = admin_client.get(f"/admin/users/{make_user().id}").text
    assert "revokes all their API tokens" in page


def test_deactivation_revokes_tokens_for_good(app, admin_client, make_user, make_token):
    user = make_user()
    headers = make_token(user)
    api = app.test_client()
    response = post_form(admin_client, f"/admin/users/{user.id}", _user_form(user, active=None))
    assert response.status_code == 302
    assert "API tokens revoked" in admin_client.get(response.headers["Location"]).text
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    response = post_form(admin_client, f"/admin/users/{user.id}", _user_form(user))
    assert response.status_code == 302 and db.session.get(User, user.id).active
    # reactivated, and the admin is told so: the old token stays dead; a new one works
    said = admin_client.get(response.headers["Location"]).text
    assert "reactivated: they can sign in again" in said and "stay revoked" in said
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert api.get("/api/v1/me", headers=make_token(user)).status_code == 200


def test_deactivating_an_organisation_revokes_its_peoples_tokens(app, admin_client, make_user,
                                                                 make_token):
    user = make_user()
    headers = make_token(user)
    browser = app.test_client()
    login(browser, user.email)
    org = user.organisation
    path = f"/admin/organisations/{org.id}"
    assert post_form(admin_client, path, {"name": org.name}).status_code == 302
    assert post_form(admin_client, path, {"name": org.name, "active": "y"}).status_code == 302
    assert db.session.get(Organisation, org.id).active
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    assert browser.get("/").status_code == 302  # its sessions did not come back either
