"""In a real browser: finance records an entry, sees its allocation; the report updates."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def _report_total(page, role: str) -> str:
    """A total as shown ("EUR 12,500.00", the demo finance user's en_GB) as a decimal."""
    return page.get_by_test_id(f"total-EUR-{role}").inner_text().removeprefix(
        "EUR\xa0").replace(",", "")


def test_finance_records_revenue_and_the_report_follows(page):
    sign_in(page, "finance@forge.example")
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Venture").select_option(label="Mobile storage array")
    page.get_by_role("button", name="Show").click()
    before = _report_total(page, "manufacturer")
    bars_before = page.locator("svg.revenue-chart rect").count()

    page.goto("/ventures/")
    page.get_by_role("link", name="Mobile storage array").click()
    page.get_by_role("link", name="Revenue").click()
    form = page.locator("form").filter(has=page.get_by_role("button", name="Record revenue"))
    form.get_by_label("Date").fill(date.today().isoformat())
    form.get_by_label("Amount", exact=True).fill("10000.00")
    form.get_by_label("Reference (invoice number)").fill("INV-BROWSER-1")
    form.get_by_label("Region / location").fill("Benelux")
    page.get_by_role("button", name="Record revenue").click()
    expect(page.get_by_text("Recorded EUR\xa010,000.00 (INV-BROWSER-1).")).to_be_visible()
    row = page.get_by_test_id("entry-row").filter(has_text="INV-BROWSER-1")
    # agreement v2 in effect: 18.50 / 24.00 / 57.50
    expect(row.get_by_test_id("alloc-customer")).to_have_text("EUR\xa01,850.00")
    expect(row.get_by_test_id("alloc-reseller")).to_have_text("EUR\xa02,400.00")
    expect(row.get_by_test_id("alloc-manufacturer")).to_have_text("EUR\xa05,750.00")

    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Venture").select_option(label="Mobile storage array")
    page.get_by_role("button", name="Show").click()
    after = _report_total(page, "manufacturer")
    assert Decimal(after) - Decimal(before) == Decimal("5750.00")
    assert page.locator("svg.revenue-chart rect").count() >= bars_before
    # the chart is drawn from the same numbers as the table
    month = date.today().strftime("%Y-%m")
    month_total = page.get_by_test_id("period-row").filter(has_text=month).locator(
        "td").nth(3).inner_text()
    expect(page.locator("svg.revenue-chart title").filter(has_text=month)).to_contain_text(
        f"manufacturer {month_total}")
