"""API basics: bearer tokens, /me, /organisations, JSON errors, the OpenAPI document."""

from sqlalchemy import select

from cotrack.domain.tokens import digest
from cotrack.extensions import db
from cotrack.models import ApiToken
from tests.conftest import login, post_form


def test_me_without_token_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json
    assert response.json["error"]["status"] == 401
    assert response.json["error"]["message"]
    assert response.json["error"]["fields"] == {}


def test_a_session_cookie_does_not_authenticate_the_api(client, make_user):
    user = make_user()
    login(client, user.email)
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_me_with_token(client, make_user, make_org, make_token):
    user = make_user(role="finance", org=make_org("Forge Devices"))
    response = client.get("/api/v1/me", headers=make_token(user))
    assert response.status_code == 200
    assert response.json == {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": "finance",
        "organisation": {"id": user.organisation_id, "name": "Forge Devices"},
    }


def test_bad_token_and_inactive_user_are_401(client, make_user, make_token):
    user = make_user()
    headers = make_token(user)
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_organisations_list_is_paginated(client, make_user, make_org, make_token):
    user = make_user()
    for i in range(3):
        make_org(f"Paged {i}")
    response = client.get("/api/v1/organisations?per_page=2", headers=make_token(user))
    body = response.json
    assert body["per_page"] == 2 and body["page"] == 1
    assert body["total"] >= 4
    assert len(body["items"]) == 2
    assert set(body["items"][0]) == {"id", "name"}
    capped = client.get("/api/v1/organisations?per_page=5000", headers=make_token(user))
    assert capped.json["per_page"] == 200


def test_unknown_api_path_is_404_json(client, make_user, make_token):
    response = client.get("/api/v1/nothing-here", headers=make_token(make_user()))
    assert response.status_code == 404
    assert response.json["error"]["status"] == 404


def test_token_created_on_profile_is_shown_once_stored_hashed_and_revocable(client, make_user):
    user = make_user()
    login(client, user.email)
    page = post_form(client, "/auth/profile/tokens", {"name": "ERP"}, form_page="/auth/profile")
    html = page.get_data(as_text=True)
    raw = html.split('data-testid="new-token">')[1].split("<")[0]
    assert raw.startswith("ct_")
    stored = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash == digest(raw) and raw not in stored.token_hash
    assert client.get("/auth/profile").get_data(as_text=True).count(raw) == 0  # shown once
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200

    revoke = post_form(client, f"/auth/profile/tokens/{stored.id}/revoke", {},
                       form_page="/auth/profile")
    assert revoke.status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_cannot_revoke_someone_elses_token(client, make_user, make_token):
    owner, other = make_user(), make_user()
    make_token(owner)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    login(client, other.email)
    response = post_form(client, f"/auth/profile/tokens/{token.id}/revoke", {},
                         form_page="/auth/profile")
    assert response.status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None


def test_create_token_command_prints_a_working_token(app, client, make_user):
    user = make_user(email="cli@example.org")
    result = app.test_cli_runner().invoke(args=["create-token", "CLI@example.org", "--name", "x"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.json["id"] == user.id


def test_openapi_describes_every_api_route(app, client):
    document = client.get("/api/openapi.json").json
    assert document["openapi"].startswith("3.1")
    described = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.removeprefix("/api/v1")
        for arg in rule.arguments:
            path = path.replace(f"<id:{arg}>", "{" + arg + "}").replace(f"<{arg}>",
                                                                       "{" + arg + "}")
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            assert (path, method.lower()) in described, (path, method)


def test_malformed_json_is_400_and_wrong_method_405_as_json(client, make_user, make_token):
    headers = make_token(make_user())
    bad = client.post("/api/v1/ventures", data="{not json", headers={
        **headers, "Content-Type": "application/json"})
    assert bad.status_code == 400 and bad.json["error"]["status"] == 400
    wrong = client.delete("/api/v1/me", headers=headers)
    assert wrong.status_code == 405 and wrong.json["error"]["status"] == 405
