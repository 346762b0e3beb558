"""At a phone's 390 px: amounts stay on screen, the board stacks, the timeline and the
report chart are readable, filters fold behind one button, the overview stays short."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import WAIT_MS, signed_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def open_venture(page, name="Mobile storage array"):
    page.goto("/ventures/")
    page.get_by_role("link", name=name).click()
    return page.url


def on_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def rendered_font_px(page, selector: str) -> float:
    """The on-screen height of an SVG text's font: its CSS size times the drawing's scale."""
    return page.evaluate("""(selector) => {
        const text = document.querySelector(selector);
        const svg = text.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(text).fontSize) * scale;
    }""", selector)


def test_every_ledger_amount_is_on_screen(phone):
    signed_in(phone, "finance@summit.example")
    url = open_venture(phone)
    phone.goto(url + "/revenue")
    rows = phone.get_by_test_id("entry-row")
    assert rows.count() > 3
    for i in range(3):
        amount = rows.nth(i).locator("td").nth(4)
        expect(amount).to_have_text(re.compile(r"\d+\.\d\d"))
        assert on_screen(amount), amount.bounding_box()


def test_the_home_board_shows_every_stage_one_under_another(phone):
    signed_in(phone, "lead@northwind.example")
    columns = phone.locator(".board-column")
    assert columns.count() == 5
    boxes = [columns.nth(i).bounding_box() for i in range(5)]
    assert all(b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] for b in boxes)
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)


def test_the_timeline_scrolls_sideways_with_readable_labels(phone):
    signed_in(phone, "lead@northwind.example")
    url = open_venture(phone)
    phone.goto(url + "/timeline")
    expect(phone.get_by_test_id("scroll-hint")).to_be_visible()
    region = phone.get_by_role("region", name="Timeline (scrolls sideways)")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert rendered_font_px(phone, "svg.timeline .tick-label") >= 10
    assert rendered_font_px(phone, "svg.timeline .bar-label") >= 10


def test_the_report_chart_has_readable_labels_and_values(phone):
    signed_in(phone, "finance@summit.example")
    phone.goto("/reports")
    expect(phone.locator("svg.revenue-chart-phone").first).to_be_visible()
    expect(phone.locator("svg.revenue-chart").first).to_be_hidden()
    assert rendered_font_px(phone, "svg.revenue-chart-phone .label") >= 11
    phone.set_viewport_size({"width": 1366, "height": 900})
    values = phone.locator("svg.revenue-chart").first.get_by_test_id("axis-value")
    assert values.count() >= 3
    assert re.search(r"\d", values.nth(1).text_content())


def test_filters_fold_behind_one_button(phone):
    signed_in(phone, "lead@northwind.example")
    url = open_venture(phone)
    phone.goto(url + "/issues")
    severity = phone.get_by_label("Severity")
    expect(severity).to_be_hidden()
    expect(phone.get_by_test_id("issue-row").first).to_be_visible()
    phone.get_by_role("button", name="Filters").click()
    expect(severity).to_be_visible()
    # as a person would, wait until the panel has opened: a click while Bootstrap's collapse
    # still grows the page can land after the layout moved, and submits nothing
    expect(phone.locator(".collapsing")).to_have_count(0)
    severity.select_option("high")
    phone.get_by_role("button", name="Filter", exact=True).click()
    expect(phone.get_by_role("button", name="Filters (1 in use)")).to_be_visible()


def test_the_overview_shows_the_latest_activity_and_links_to_the_rest(phone):
    signed_in(phone, "lead@northwind.example")
    open_venture(phone)
    expect(phone.get_by_test_id("activity")).to_have_count(10)
    phone.get_by_test_id("more-activity").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Activity")
    assert phone.get_by_test_id("activity").count() > 10
