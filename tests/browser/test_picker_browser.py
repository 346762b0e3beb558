"""In a real browser: the report filters' venture picker of a viewer with more ventures
than a list shows. Typing lists the matches at once; the chosen one is reported on; the
page with the picker passes axe and fits a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in
from tests.browser.pages import Page
from tests.browser.walk import walk

pytestmark = pytest.mark.browser


@pytest.fixture
def searching(live_app, monkeypatch):
    """Forge's finance has more ventures than the picker lists (one, here)."""
    monkeypatch.setitem(live_app.config, "VENTURE_PICKER_LIMIT", 1)


def test_typing_lists_the_matching_ventures_and_the_report_is_of_the_one_chosen(
        page, searching):
    signed_in(page, "finance@forge.example")
    page.goto("/reports?from=2024-01-01")  # (an address no other test asked for)
    venture = page.get_by_label("Venture", exact=True)
    expect(venture.locator("option")).to_have_count(2)  # "All" and the first by name
    expect(page.get_by_test_id("venture-found")).to_have_text(
        "Your first 1 venture by name; type part of a name to find any other.")
    page.get_by_label("Find a venture by name").fill("STORAGE")
    expect(venture.locator("option")).to_have_text(["All", "Mobile storage array"])
    expect(page.get_by_test_id("venture-found")).to_have_text(
        "1 venture like “STORAGE”. Choose one in the list.")
    venture.select_option(label="Mobile storage array")
    # the report's page loaded with its scripts (the search's included) before typing again
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"venture_id=\d+.*venture_q=STORAGE"))
    expect(venture).to_have_value(re.compile(r"\d+"))
    expect(venture.locator("option:checked")).to_have_text("Mobile storage array")

    # another search keeps the chosen venture listed and chosen
    page.get_by_label("Find a venture by name").fill("cache")
    expect(venture.locator("option")).to_have_text(
        ["All", "Mobile storage array", "Edge cache appliance"])
    expect(venture.locator("option:checked")).to_have_text("Mobile storage array")
    page.get_by_label("Find a venture by name").fill("no such venture")
    expect(page.get_by_test_id("venture-found")).to_have_text(
        "No venture of yours is named like “no such venture”.")
    page.get_by_label("Find a venture by name").fill("")  # cleared: the first by name again
    expect(page.get_by_test_id("venture-found")).to_have_text(
        "Your first 1 venture by name; type part of a name to find any other.")


def test_the_picker_passes_axe_and_fits_a_phone(page, searching):
    signed_in(page, "finance@forge.example")
    result = walk(page, [Page("finance.reports (venture search)",
                              "/reports?from=2024-02-01&venture_q=a")])
    assert result.statuses == {"/reports?from=2024-02-01&venture_q=a": 200}
    assert not result.findings, "\n".join(map(str, result.findings))
    assert not result.too_wide and not result.not_one_h1
