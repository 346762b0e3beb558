"""Site-wide behaviour: security headers, error pages, health check, offline assets."""

import re

from tests.conftest import login


def test_security_headers_on_every_response(client):
    for path in ["/auth/login", "/nope", "/api/v1/me", "/healthz"]:
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_cookies_are_httponly_and_samesite(client, make_user):
    response = login(client, make_user().email, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_404_page_in_the_site_look(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is nothing here." in response.get_data(as_text=True)
    assert "navbar" in response.get_data(as_text=True)


def test_pages_load_no_asset_from_another_host_and_no_inline_script(client, make_user):
    login(client, make_user().email)
    for path in ["/", "/auth/profile", "/auth/login"]:
        html = client.get(path).get_data(as_text=True)
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", url), (path, url)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        for url in re.findall(r'(?:src|href)="(/[^"]+\.(?:css|js))"', html):
            with client.get(url) as asset:
                assert asset.status_code == 200, url


def test_healthz(client):
    assert client.get("/healthz").json == {
        "status": "ok", "queue": {"pending": 0, "scheduled": 0},
        "mail": {"undelivered": 0, "oldest_undelivered_at": None}}


def test_429_page_is_in_the_site_look(client, make_user):
    user = make_user()
    for _ in range(11):
        response = login(client, user.email, "wrong password!!")
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page and "navbar" in page


def test_unexpected_error_is_a_500_page_in_the_site_look(app, client, make_user, monkeypatch):
    from cotrack.main import views

    login(client, make_user().email)
    monkeypatch.setattr(views, "render_template", lambda *a, **k: 1 / 0)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
