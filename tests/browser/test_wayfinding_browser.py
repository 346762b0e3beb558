"""In a real browser: the colour mode follows the system and the toggle, the skip link
works from the keyboard, and the 403 page leads back."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import signed_in

pytestmark = pytest.mark.browser


def theme(page) -> str:
    return page.evaluate("document.documentElement.getAttribute('data-bs-theme')")


def test_dark_mode_follows_the_system_and_the_toggle_remembers(chromium, live_server):
    context = chromium.new_context(base_url=live_server, color_scheme="dark")
    page = context.new_page()
    page.goto("/auth/login")
    assert theme(page) == "dark"
    toggle = page.locator("[data-theme-toggle]")
    expect(toggle).to_have_attribute("aria-pressed", "true")

    toggle.click()  # the person wants light although the system is dark
    assert theme(page) == "light"
    expect(toggle).to_have_attribute("aria-pressed", "false")
    page.reload()
    assert theme(page) == "light"

    toggle.click()  # back to what the system asks for: the choice is forgotten
    assert theme(page) == "dark"
    assert page.evaluate("localStorage.getItem('cotrack-theme')") is None
    page.emulate_media(color_scheme="light")  # the system changes: the page follows
    page.wait_for_function("() => document.documentElement.dataset.bsTheme === 'light'")
    context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page):
    signed_in(page, "lead@northwind.example")
    page.goto("/ventures/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_403_says_why_and_leads_back_to_the_venture(page):
    signed_in(page, "member@northwind.example")
    page.goto("/ventures/")
    page.get_by_role("link", name="Mobile storage array").click()
    venture_url = page.url
    page.goto(venture_url + "/revenue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_test_id("forbidden-reason")).to_contain_text("not its money")
    page.get_by_role("link", name="Back to the venture").click()
    assert page.url == venture_url
    expect(page.get_by_role("link", name="Activity", exact=True)).to_be_visible()


def test_a_first_visit_is_the_sign_in_page_without_a_warning(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to CoTrack")
    expect(page.get_by_role("alert")).to_have_count(0)
