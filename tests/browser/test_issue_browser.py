"""In a real browser: raise an issue, comment on it, resolve it, find it in the activity feed."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_raise_comment_resolve_and_see_it_in_the_activity_feed(page):
    sign_in(page, "lead@northwind.example")
    page.get_by_test_id("board-card").filter(has_text="Edge cache appliance").click()
    page.get_by_role("link", name="Issues").click()
    page.get_by_role("link", name="Raise an issue").click()
    page.get_by_label("Title").fill("Fan too loud in the depot")
    page.get_by_label("Severity").select_option("high")
    page.get_by_label("Accountable party").select_option("manufacturer")
    page.get_by_role("button", name="Save issue").click()
    heading = page.get_by_role("heading", name=re.compile("Fan too loud in the depot"))
    expect(heading).to_be_visible()

    page.get_by_label("Comment").fill("Measured 62 dB at one metre.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_test_id("comment")).to_contain_text("Measured 62 dB at one metre.")

    page.get_by_label("Status").select_option("resolved")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("issue-status")).to_have_text("resolved")

    page.get_by_role("link", name="Activity").first.click()
    feed = page.locator(".activity-feed")
    expect(feed).to_contain_text("Nora Lind raised the issue “Fan too loud in the depot”")
    expect(feed).to_contain_text("Nora Lind commented on the issue “Fan too loud in the depot”")
    expect(feed).to_contain_text("status open → resolved")
