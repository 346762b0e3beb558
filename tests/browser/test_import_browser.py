"""In a real browser (with the progress script): a CSV import, refused and then accepted."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_import_lists_problems_then_records_every_row(page, tmp_path):
    today = date.today().isoformat()
    bad = tmp_path / "bad.csv"
    bad.write_text(f"date,amount,reference,region,note\n{today},12.50,INV-I1,Nordics,\n"
                   f"{today},12.505,INV-I2,Nordics,\n")
    good = tmp_path / "good.csv"
    good.write_text(f"date,amount,reference,region,note\n{today},12.50,INV-I1,Nordics,\n"
                    f"{today},-2.00,INV-I2,Nordics,refund\n")
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, "finance@summit.example")
    page.goto("/ventures/")
    page.get_by_role("link", name="Mobile storage array").click()
    page.get_by_role("link", name="Revenue").click()
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("3")  # the line number
    expect(problems).to_contain_text("decimal places")

    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 2 entries.")).to_be_visible()
    expect(page.get_by_test_id("entry-row").filter(has_text="INV-I2").first).to_contain_text(
        "-2.00")
    assert not [e for e in errors if "Content Security Policy" in e], errors
