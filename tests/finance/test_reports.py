"""Reports and exports: totals tie out with the screen; text cells inert; streamed files."""

import csv
import io
import re
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select

from cotrack.demo import seed
from cotrack.extensions import db
from cotrack.models import User, Venture
from cotrack.services import ledger
from tests.conftest import login

ROLES = ("customer", "reseller", "manufacturer")


def _demo_finance(client):
    seed()
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == "finance@forge.example"))
    mobile = db.session.scalar(select(Venture).where(Venture.name == "Mobile storage array"))
    login(client, user.email, "cotrack-demo")
    return user, mobile


def _screen_totals(html: str, currency: str) -> dict:
    return {role: Decimal(re.search(
        rf'data-testid="total-{currency}-{role}"><span class="money[^"]*">([^<]+)<', html
    ).group(1)) for role in ROLES}


def test_exports_tie_out_with_the_report_page_to_the_cent(client):
    _, mobile = _demo_finance(client)
    page = client.get(f"/reports?venture_id={mobile.id}&period=quarter")
    html = page.get_data(as_text=True)
    screen = _screen_totals(html, "EUR")
    assert screen["manufacturer"] > screen["reseller"] > screen["customer"] > 0
    assert 'data-testid="integrity-ok"' in html

    ledger_csv = client.get(f"/reports/export?venture_id={mobile.id}&kind=ledger&format=csv")
    assert ledger_csv.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(ledger_csv.get_data(as_text=True))))
    assert any(Decimal(r["amount"]) < 0 for r in rows)  # the demo reversal stays negative
    assert {role: sum(Decimal(r[f"{role} share"]) for r in rows) for role in ROLES} == screen

    summary_csv = client.get(f"/reports/export?venture_id={mobile.id}&kind=summary&format=csv")
    rows = list(csv.DictReader(io.StringIO(summary_csv.get_data(as_text=True))))
    assert {role: sum(Decimal(r[role]) for r in rows) for role in ROLES} == screen

    for kind, columns in (("ledger", {"customer": 7, "reseller": 8, "manufacturer": 9}),
                          ("summary", {"customer": 4, "reseller": 5, "manufacturer": 6})):
        response = client.get(f"/reports/export?venture_id={mobile.id}&kind={kind}&format=xlsx")
        sheet = load_workbook(io.BytesIO(response.get_data())).active
        body = list(sheet.iter_rows(min_row=2, values_only=True))
        totals = {role: sum(Decimal(str(row[col - 1])) for row in body)
                  for role, col in columns.items()}
        assert totals == screen, kind
        amounts = [row[columns["customer"] - 1] for row in body]
        assert all(isinstance(a, int | float) for a in amounts)  # numbers, not text
        if kind == "ledger":
            assert min(row[5] for row in body) < 0  # negative amounts stay negative


def test_formula_like_text_comes_out_inert_in_csv_and_xlsx(client, books):
    ns = books()
    ledger.record_entry(ns.finance["customer"], ns.venture, {
        "date": "2025-03-31", "amount": "-5.00", "reference": '=HYPERLINK("http://x")',
        "region": "+SUM(A1)", "note": ""})
    db.session.commit()
    login(client, ns.finance["customer"].email)
    url = f"/reports/export?venture_id={ns.venture.id}&kind=ledger"
    row = next(csv.DictReader(io.StringIO(client.get(url + "&format=csv").get_data(
        as_text=True))))
    assert row["reference"] == "'=HYPERLINK(\"http://x\")"
    assert row["region"] == "'+SUM(A1)"
    assert row["amount"] == "-5.00"  # amounts are never prefixed

    workbook = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").get_data()))
    cells = [c for row in workbook.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'=HYPERLINK(\"http://x\")" in values and -5 in values


def test_report_filters_and_drill_down(client):
    _, mobile = _demo_finance(client)
    html = client.get(f"/reports?venture_id={mobile.id}&period=year&party=reseller").get_data(
        as_text=True)
    assert "Reseller" in html and "Manufacturer</th>" not in html
    link = re.search(r'href="(/reports/ledger\?[^"]+)"', html).group(1).replace("&amp;", "&")
    rows = client.get(link).get_data(as_text=True)
    assert rows.count('data-testid="ledger-row"') > 0
    assert client.get("/reports?from=2026-13-01").status_code == 422


def test_members_get_403_on_reports_and_revenue_pages(client, books):
    ns = books()
    login(client, ns.member.email)
    for url in ("/reports", "/reports/ledger", "/reports/export",
                f"/ventures/{ns.venture.id}/revenue", f"/ventures/{ns.venture.id}/agreements"):
        assert client.get(url).status_code == 403, url


def test_ledger_csv_amounts_carry_each_currencys_minor_digits(client, books):
    """On PostgreSQL the database formats these; on SQLite Python does: the same text."""
    cases = {"EUR": ("-0.05", ["-0.01", "-0.01", "-0.03"]),
             "JPY": ("1001", ["200", "250", "551"]),
             "BHD": ("12.345", ["2.469", "3.086", "6.790"])}
    for currency, (amount, _) in cases.items():
        ns = books(currency=currency)
        ledger.record_entry(ns.finance["customer"], ns.venture, {
            "date": "2025-03-31", "amount": amount, "reference": f"INV-{currency}"})
    db.session.commit()
    admin = User(email="admin-csv@example.com", name="Admin", role="admin",
                 organisation_id=ns.orgs["customer"].id, password_hash=ns.finance[
                     "customer"].password_hash)
    db.session.add(admin)
    db.session.commit()
    login(client, admin.email)
    body = client.get("/reports/export?kind=ledger&format=csv").get_data(as_text=True)
    rows = {r["currency"]: r for r in csv.DictReader(io.StringIO(body))}
    for currency, (amount, shares) in cases.items():
        row = rows[currency]
        assert [row["amount"], *(row[f"{role} share"] for role in ROLES)] == [amount, *shares], \
            currency


def test_report_venture_filter_lists_names_escaped_and_marks_the_chosen_one(client, books):
    ns = books()
    ns.venture.name = 'Rack <b>"A&B"</b>'
    db.session.commit()
    login(client, ns.finance["customer"].email)
    html = client.get(f"/reports?venture_id={ns.venture.id}").get_data(as_text=True)
    assert (f'<option value="{ns.venture.id}" selected>Rack &lt;b&gt;&#34;A&amp;B&#34;&lt;/b&gt;'
            "</option>") in html
    assert "<b>" not in html.split('id="venture_id"')[1].split("</select>")[0]
