"""In a real browser: "/" focuses the search box from any page, the results mark what
matched; a comment changes the issue's status in the same step."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_slash_focuses_the_search_box_and_results_mark_the_match(page):
    sign_in(page, "member@northwind.example")
    page.goto("/my-work")
    page.keyboard.press("/")
    box = page.get_by_test_id("nav-search")
    expect(box).to_be_focused()
    page.keyboard.type("storage array")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=storage\+array"))
    hits = page.get_by_test_id("search-hit")
    expect(hits.first).to_be_visible()
    matched = re.compile("storage|array", re.IGNORECASE)
    expect(hits.first.locator("mark").first).to_have_text(matched)
    hits.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/ventures/\d+"))


def test_slash_types_a_slash_inside_a_text_box(page):
    sign_in(page, "member@northwind.example")
    page.goto("/my-work")
    page.get_by_test_id("nav-search").fill("a")
    page.get_by_test_id("nav-search").press("/")
    expect(page.get_by_test_id("nav-search")).to_have_value("a/")


def test_a_comment_resolves_the_issue_in_one_step(page):
    sign_in(page, "lead@northwind.example")
    page.get_by_test_id("board-card").filter(has_text="Edge cache appliance").click()
    page.get_by_role("link", name="Issues").click()
    page.get_by_role("link", name="Raise an issue").click()
    page.get_by_label("Title").fill("Door latch sticks")
    expect(page.get_by_label("Severity")).to_have_value("medium")
    page.get_by_role("button", name="Save issue").click()
    page.get_by_label("Comment").fill("Replaced the latch.")
    page.get_by_label("Then the issue is").select_option("resolved")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_test_id("comment")).to_contain_text("Replaced the latch.")
    expect(page.get_by_test_id("issue-status")).to_have_text("resolved")
