"""When the database cannot be reached, every request answers 503 with Retry-After (API.md),
as JSON for the API and as a page for the browser, never a 500: clients know to retry."""

import os

import pytest

from cotrack import create_app
from tests.conftest import make_config


def unreachable_url(tmp_path) -> str:
    if os.environ.get("TEST_DATABASE_URL"):
        return "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"  # nothing listens on 1
    return f"sqlite:///{tmp_path}/missing-folder/cotrack.db"  # the folder does not exist


@pytest.fixture
def unreachable_app(tmp_path):
    return create_app(make_config(unreachable_url(tmp_path)))


@pytest.mark.own_db
def test_api_answers_503_json_with_retry_after(unreachable_app):
    response = unreachable_app.test_client().get(
        "/api/v1/me", headers={"Authorization": "Bearer some-token"})
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    error = response.get_json()["error"]
    assert error["status"] == 503 and "try again" in error["message"]


@pytest.mark.own_db
def test_api_write_answers_503_json(unreachable_app):
    response = unreachable_app.test_client().post(
        "/api/v1/ventures/1/revenue", json={"amount": "10.00"},
        headers={"Authorization": "Bearer some-token"})
    assert response.status_code == 503
    assert response.get_json()["error"]["status"] == 503


@pytest.mark.own_db
def test_a_signed_in_browser_gets_a_503_page(unreachable_app):
    client = unreachable_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "a-session-token"
        session["_fresh"] = True
    response = client.get("/ventures/")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    page = response.get_data(as_text=True)
    assert "cannot be reached" in page and "<html" in page
