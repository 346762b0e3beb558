"""Nothing a signed-in person or a token sees is kept by a browser or proxy cache."""

import pytest

from tests.conftest import login


@pytest.fixture
def signed_in(client, make_venture):
    ns = make_venture()
    login(client, ns.leads["customer"].email)
    client.venture = ns.venture
    return client


@pytest.mark.parametrize("path", [
    "/ventures/{id}/revenue",
    "/reports",
    "/reports/ledger",
    "/auth/profile",
    "/reports/export?kind=ledger&format=csv",
    "/reports/export?kind=summary&format=xlsx",
    "/ventures/{id}",
])
def test_signed_in_pages_and_exports_are_not_stored(signed_in, path):
    path = path.format(id=signed_in.venture.id)
    for _ in range(2):  # the second answer of a venture page comes from the page cache
        response = signed_in.get(path)
        response.get_data()  # exports stream: read to the end
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_api_answers_are_not_stored(client, make_venture, make_token):
    ns = make_venture()
    headers = make_token(ns.leads["customer"])
    for path in ("/api/v1/me", f"/api/v1/ventures/{ns.venture.id}", "/api/v1/ventures"):
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"


def test_static_files_and_the_public_sign_in_page_keep_their_caching(client, signed_in):
    with signed_in.get("/static/cotrack.css") as static:
        assert static.status_code == 200
        assert static.headers["Cache-Control"] == "no-cache"  # revalidated by its ETag
        assert static.headers.get("ETag")
    anonymous = client.application.test_client()
    assert "Cache-Control" not in anonymous.get("/auth/login").headers
