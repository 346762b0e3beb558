"""In a real browser: signing in, a wrong password, an admin creating a user."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_lead_signs_in_and_sees_their_organisation(page):
    sign_in(page, "LEAD@northwind.example")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_test_id("home-org")).to_have_text("Northwind Storage")
    expect(page.get_by_test_id("who")).to_contain_text("Northwind Storage")


def test_wrong_password_shows_a_message_and_keeps_the_email(page):
    sign_in(page, "lead@summit.example", "not-the-password")
    expect(page.get_by_text("Wrong email or password.")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("lead@summit.example")
    expect(page).to_have_url(re.compile(r"/auth/login"))


def test_admin_creates_a_user_who_then_signs_in(page, chromium, live_server):
    sign_in(page, "admin@cotrack.example")
    page.get_by_role("button", name="Admin", exact=True).click()
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Name").fill("Greta Field")
    page.get_by_label("Email").fill("greta@harbor.example")
    page.get_by_label("Organisation").select_option(label="Harbor Logistics")
    page.get_by_label("Role").select_option("member")
    page.get_by_label("Initial password").fill("harbour cranes at dawn")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Account greta@harbor.example created.")).to_be_visible()
    expect(page.get_by_role("cell", name="greta@harbor.example")).to_be_visible()

    other = chromium.new_context(base_url=live_server).new_page()
    sign_in(other, "greta@harbor.example", "harbour cranes at dawn")
    expect(other.get_by_test_id("home-org")).to_have_text("Harbor Logistics")
    other.context.close()
