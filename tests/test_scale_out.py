"""Two app instances (two gunicorn servers on different ports) on one database and one
Redis behave as one (issue 11): a sign-in on one is a sign-in on the other, a change made
through one shows through the other at once (a page the other keeps is kept for a database
state, which the change ends), sign-in limits count across both, and a sign-out on one ends
the session on both. Nothing that must be shared is kept per process."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis

from cotrack.demo.seed import DEMO_PASSWORD, seed
from cotrack.extensions import db
from tests.conftest import database_url, migrated_app

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = "redis://127.0.0.1:6379/14"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(url: str, port: int, instance: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "shared-by-every-instance-0123456789",
           "REDIS_URL": REDIS_URL, "COTRACK_INSTANCE": str(instance), "COTRACK_CONFIG": "default"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "1", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("gunicorn did not start")


class Browser:
    """A cookie jar that may talk to either instance."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect())

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, url: str, data: dict, form_page: str) -> int:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(form_page)[1])
        body = urllib.parse.urlencode({**data, "csrf_token": token.group(1)}).encode()
        try:
            with self.opener.open(url, data=body) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    def share_cookies_with(self, other: "Browser") -> None:
        for cookie in self.jar:
            other.jar.set_cookie(cookie)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def two_instances(tmp_path_factory, tmp_path):
    redis.Redis.from_url(REDIS_URL).flushdb()
    url = database_url(tmp_path_factory, suffix="_two")
    app = migrated_app(url)
    with app.app_context():
        seed()
        db.session.commit()
        db.engine.dispose()
    ports = [_free_port(), _free_port()]
    servers = [_start(url, port, tmp_path / f"instance{i}") for i, port in enumerate(ports)]
    yield [f"http://127.0.0.1:{port}" for port in ports]
    for server in servers:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


@pytest.mark.own_db
def test_two_instances_behave_as_one(two_instances):
    a, b = two_instances
    browser = Browser()
    assert browser.post(f"{a}/auth/login", {"email": "lead@northwind.example",
                                            "password": DEMO_PASSWORD}, f"{a}/auth/login") == 302
    status, page = browser.get(f"{b}/ventures/")
    assert status == 200 and "Nora Lind" in page  # signed in on the other instance too

    venture = re.search(r'href="/ventures/(\d+)"', page).group(1)
    for _ in range(2):  # on PostgreSQL B may keep the page for the database's state
        assert browser.get(f"{b}/ventures/{venture}")[0] == 200
    assert browser.post(f"{a}/ventures/{venture}/edit",
                        {"name": "Renamed through A", "description": "Same."},
                        f"{a}/ventures/{venture}/edit") == 302
    for _ in range(2):  # with the message "saved" shown, then as any later view
        assert "Renamed through A" in browser.get(f"{b}/ventures/{venture}")[1]

    stranger = Browser()
    for _ in range(10):  # the per-account-and-address limit: 10 failures
        stranger.post(f"{a}/auth/login", {"email": "lead@summit.example", "password": "wrong"},
                      f"{a}/auth/login")
    refused = stranger.post(f"{b}/auth/login", {"email": "lead@summit.example",
                                                "password": DEMO_PASSWORD}, f"{b}/auth/login")
    assert refused == 429  # the count made on A holds on B

    other_tab = Browser()
    browser.share_cookies_with(other_tab)
    assert browser.post(f"{a}/auth/logout", {}, f"{a}/ventures/") == 302
    assert other_tab.get(f"{b}/ventures/")[0] == 302  # signed out everywhere
