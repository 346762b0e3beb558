"""Browser tests: Playwright drives Debian's Chromium against a live CoTrack server.

The server runs in a thread on its own database (seeded with the demo data), because a
browser cannot join the rolled-back transaction the other tests use. Without Chromium the
tests skip with the reason; `.ci/run` sets COTRACK_REQUIRE_BROWSER=1, making that a failure.
"""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from cotrack.demo.seed import seed
from cotrack.extensions import db
from tests.conftest import database_url, migrated_app

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


#: how long an action or an expectation waits: the live server shares two cores with the
#: rest of the suite, and a page after a form's submission took more than Playwright's 5 s
#: default there once (the filter form on a phone, in a full `make test`)
WAIT_MS = 15_000


def chromium_path() -> str | None:
    candidate = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return candidate if os.path.exists(candidate) else shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        reason = "no Chromium found (apt-get install -y chromium); browser tests not run"
        if os.environ.get("COTRACK_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app the live server serves (its database seeded with the demo data), keeping
    pages as production does (on PostgreSQL: every browser test's writes are real commits,
    each followed by the pages it changed)."""
    app = migrated_app(database_url(tmp_path_factory, suffix="_live"), PAGE_STORE_SECONDS=60)
    with app.app_context():
        seed()
        db.session.commit()
    return app


def whole_answers(app):
    """The app with each answer read whole (and its iterable closed) before werkzeug's
    server sends it: that server skips close() when the browser drops the connection while
    it drains the socket, and a static file left open is a ResourceWarning (an error here)
    in whichever test runs next."""
    def wsgi(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()
    return wsgi


@pytest.fixture(scope="session")
def live_server(live_app):
    app = live_app
    server = make_server("127.0.0.1", 0, whole_answers(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def sign_in(page, email: str, password: str = "cotrack-demo") -> None:  # noqa: S107
    page.goto("/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    # the answer (the next page, or the sign-in page with its message) loaded with its
    # scripts before the test goes on: a menu clicked earlier, on a half-loaded page, once
    # never opened (the admin's "Admin" menu, on a loaded machine)
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Sign in").click()


def signed_in(page, email: str) -> None:
    """Sign in and wait until the browser has left the sign-in page."""
    sign_in(page, email)
    page.wait_for_url(lambda url: "/auth/login" not in url)
    page.wait_for_load_state()
