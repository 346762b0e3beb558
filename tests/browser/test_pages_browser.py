"""Every page, as each role, at a phone's 390 px and a laptop's 1366 px, light and dark.

axe-core (bundled by axe-playwright-python) finds no critical or serious violation, every
page has one h1, the colour mode follows the system's, and no page is wider than a phone.
Each page is loaded once per role; the widths and colour modes are switched in place.
"""

import pytest

from tests.browser.conftest import signed_in
from tests.browser.pages import ROLES, Page, all_pages, demo_ids
from tests.browser.walk import walk

pytestmark = [pytest.mark.browser, pytest.mark.walk]

ANONYMOUS = "anonymous"


@pytest.fixture(scope="session")
def walks(chromium, live_app, live_server):
    """role -> WalkResult, each walked at most once per session."""
    pages = all_pages(live_app)
    with live_app.app_context():
        token = demo_ids()["token"]
    done = {}

    def walked(role: str):
        if role not in done:
            context = chromium.new_context(base_url=live_server)
            page = context.new_page()
            page.set_default_timeout(15_000)
            if role == ANONYMOUS:
                targets = [Page("first visit", "/"), Page("auth.login", "/auth/login"),
                           *(Page(p.name, p.path) for p in pages
                             if p.name in ("auth.forgot_password", "auth.reset_password")),
                           Page("main.unsubscribe", f"/mail/unsubscribe/{token}"),
                           Page("error 404", "/no-such-page")]
            else:
                signed_in(page, ROLES[role])
                targets = pages
            done[role] = walk(page, targets)
            context.close()
        return done[role]

    return walked


ALL_ROLES = [*ROLES, ANONYMOUS]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_serious_accessibility_violation_on_any_page(walks, role):
    result = walks(role)
    assert result.checks > 0
    assert not result.findings, (f"{len(result.findings)} axe violations as {role}:\n"
                                 + "\n".join(map(str, result.findings)))
    assert not result.not_one_h1, result.not_one_h1


@pytest.mark.parametrize("role", ALL_ROLES)
def test_colour_mode_follows_the_system(walks, role):
    assert not walks(role).theme_not_followed


@pytest.mark.parametrize("role", ALL_ROLES)
def test_no_page_is_wider_than_a_phone(walks, role):
    result = walks(role)
    assert not result.too_wide, f"wider than 390 px as {role}: {result.too_wide}"


def test_every_role_sees_real_pages_and_error_pages(walks):
    """The walk is not vacuous: each role gets its pages, and 403/404 pages are covered."""
    statuses = {role: walks(role).statuses for role in ROLES}
    for role, by_path in statuses.items():
        assert sum(s == 200 for s in by_path.values()) >= 10, (role, by_path)
    assert 403 in statuses["member"].values()
    assert 404 in statuses["lead"].values()
