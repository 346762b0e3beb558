"""In a real browser (with the upload script): a CSV import previewed with its problems,
then a corrected file previewed as it will be recorded, with totals, and confirmed."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_import_preview_lists_problems_then_shows_rows_and_totals_then_records(page, tmp_path):
    today = date.today()
    iso, german = today.isoformat(), today.strftime("%d.%m.%Y")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"date,amount,reference,region,note\n{iso},12.50,INV-I1,Nordics,\n\n"
                   f"{iso},12.505,INV-I2,Nordics,\n")
    good = tmp_path / "good.csv"
    good.write_bytes(f"date;amount;reference;region;note\r\n{german};1.012,50;INV-I1;Nordics;\r\n"
                     f"{german};-2,00;INV-I2;Nordics;refund\r\n".encode("cp1252"))
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, "finance@summit.example")
    page.goto("/ventures/")
    page.get_by_role("link", name="Mobile storage array").click()
    page.get_by_role("link", name="Revenue").click()
    page.get_by_role("link", name="Import CSV").click()
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Preview").click()
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("4")  # the physical line, after the blank one
    expect(problems).to_contain_text("decimal places")
    expect(page.get_by_role("button", name="Record")).to_have_count(0)

    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("CSV or XLSX file").set_input_files(str(good))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_label("Delimiter")).to_have_value(";")
    page.get_by_label("Numbers").select_option("1.234,50")
    page.get_by_label("Dates").select_option("DD.MM.YYYY")
    page.get_by_role("button", name="Update preview").click()
    rows = page.get_by_test_id("preview-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(iso)
    expect(rows.first).to_contain_text("EUR\xa01,012.50")  # as the en_GB reader reads it
    expect(page.get_by_test_id("import-totals")).to_contain_text("EUR\xa01,010.50")
    page.get_by_role("button", name="Record 2 entries").click()
    expect(page.get_by_text("Imported 2 entries.")).to_be_visible()
    expect(page.get_by_test_id("entry-row").filter(has_text="INV-I2").first).to_contain_text(
        "-EUR\xa02.00")
    assert not [e for e in errors if "Content Security Policy" in e], errors
