"""In a real browser: a lead creates a venture, the others accept, three leads pass a gate."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def as_lead(chromium, live_server, email):
    page = chromium.new_context(base_url=live_server).new_page()
    page.set_default_timeout(10_000)
    sign_in(page, email)
    return page


def test_three_leads_take_a_venture_through_its_first_gate(chromium, live_server):
    harbor = as_lead(chromium, live_server, "lead@harbor.example")
    harbor.get_by_role("link", name="New venture").click()
    harbor.get_by_label("Name").fill("Dockside drones")
    harbor.get_by_label("Description").fill("Drones that count containers.")
    harbor.get_by_label("Currency").select_option("EUR")
    harbor.get_by_label("Customer").select_option(label="Harbor Logistics")
    harbor.get_by_label("Reseller").select_option(label="Summit Channel Partners")
    harbor.get_by_label("Manufacturer").select_option(label="Forge Devices")
    harbor.get_by_role("button", name="Create and send invitations").click()
    expect(harbor.get_by_test_id("venture-name")).to_have_text("Dockside drones")
    venture_url = harbor.url

    for email in ("lead@summit.example", "lead@forge.example"):
        lead = as_lead(chromium, live_server, email)
        invitation = lead.get_by_test_id("invitation").filter(has_text="Dockside drones")
        expect(invitation).to_contain_text("Drones that count containers.")
        invitation.get_by_role("link", name="Review and answer").click()
        lead.get_by_role("button", name="Accept invitation").click()
        expect(lead.get_by_text("You joined “Dockside drones”")).to_be_visible()
        lead.context.close()

    harbor.goto(venture_url)
    expect(harbor.get_by_text("active", exact=True)).to_be_visible()
    harbor.get_by_role("button", name="Request gate to feasibility").click()
    for page in [harbor] + [as_lead(chromium, live_server, e)
                            for e in ("lead@summit.example", "lead@forge.example")]:
        page.goto(venture_url)
        page.get_by_role("button", name=re.compile("^Approve for")).click()
    stage_bar = harbor.get_by_test_id("stage-bar")
    harbor.reload()
    expect(stage_bar.locator(".stage.current")).to_contain_text("Feasibility")
    expect(stage_bar.locator('[data-stage="discovery"]')).to_have_class(re.compile("done"))
    harbor.context.close()
