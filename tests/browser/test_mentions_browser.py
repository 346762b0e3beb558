"""In a real browser: one lead mentions another (picked from the suggestions as they type);
the other sees the bell's count, opens the notification and lands on the comment."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_mention_reaches_the_other_lead_who_lands_on_the_comment(page, live_server):
    sign_in(page, "lead@summit.example")
    page.get_by_test_id("board-card").filter(has_text="Edge cache appliance").click()
    page.get_by_role("link", name="Issues").click()
    page.get_by_role("link", name=re.compile("Admin UI times out")).click()
    box = page.get_by_label("Comment")
    box.click()
    box.press_sequentially("Could you look at this, @Len")
    suggestion = page.get_by_role("listbox", name="People to mention").get_by_role(
        "option", name=re.compile("Lena Forsberg"))
    expect(suggestion).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value("Could you look at this, @Lena Forsberg ")
    box.press_sequentially("before Friday?")
    page.get_by_role("button", name="Add comment").click()
    comment = page.get_by_test_id("comment").last
    expect(comment.get_by_role("link", name="@Lena Forsberg")).to_be_visible()
    page.context.clear_cookies()  # the next person on this browser

    sign_in(page, "lead@forge.example")
    bell = page.get_by_test_id("bell-count")
    expect(bell).to_be_visible()
    assert int(bell.inner_text()) >= 1
    before = int(bell.inner_text())
    page.get_by_test_id("bell").click()
    page.get_by_test_id("open-notification").filter(
        has_text="Sam Okafor mentioned you in a comment on the issue “Admin UI times out").click()
    expect(page).to_have_url(re.compile(r"/issues/\d+#comment-\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"#{anchor}")
    expect(target).to_contain_text("before Friday?")
    expect(target).to_be_in_viewport()
    after = page.get_by_test_id("bell-count")
    if before > 1:
        expect(after).to_have_text(str(before - 1))
    else:
        expect(after).to_have_count(0)
