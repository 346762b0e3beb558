"""Reports and exports: totals tie out with the screen; text cells inert; streamed files."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from sqlalchemy import select, update

from cotrack.demo.seed import seed
from cotrack.domain.money import allocate
from cotrack.extensions import db
from cotrack.models import RevenueMonth, User, Venture
from cotrack.services import agreements, ledger
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
    """The report's totals as shown ("EUR 12,500.00": the code, en_GB separators)."""
    shown = {role: re.search(
        rf'data-testid="total-{currency}-{role}"><span class="money[^"]*">([^<]+)<', html
    ).group(1) for role in ROLES}
    assert all(text.startswith(f"{currency}\xa0") for text in shown.values()), shown
    return {role: Decimal(text.split("\xa0")[1].replace(",", "")) for role, text in shown.items()}


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
        *body, total_row = list(sheet.iter_rows(min_row=2, values_only=True))
        totals = {role: sum(Decimal(str(row[col - 1])) for row in body)
                  for role, col in columns.items()}
        assert totals == screen, kind
        assert total_row[0] == "Total"  # the totals row: values that tie out too
        assert {r: Decimal(str(total_row[c - 1])) for r, c in columns.items()} == screen
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


def test_csv_export_says_its_charset_once_and_is_named_for_what_it_holds(client, books):
    ns = books()
    ns.venture.name = "Mobile Störage: Array/2"
    db.session.commit()
    login(client, ns.finance["customer"].email)
    response = client.get(f"/reports/export?venture_id={ns.venture.id}&kind=ledger&format=csv"
                          "&party=reseller&from=2025-01-01&to=2025-06-30")
    response.get_data()  # the export streams: read it through
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="cotrack-ledger-mobile-storage-array-2-reseller-'
        '2025-01-01-to-2025-06-30.csv"')
    everything = client.get("/reports/export?kind=summary&format=xlsx")
    everything.get_data()
    assert everything.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert everything.headers["Content-Disposition"] == (
        'attachment; filename="cotrack-summary-all-ventures-all-dates.xlsx"')


def test_exports_filtered_by_party_hold_that_party_only_and_tie_out(client):
    _, mobile = _demo_finance(client)
    query = f"venture_id={mobile.id}&period=quarter&party=reseller"
    screen = client.get(f"/reports?{query}").get_data(as_text=True)
    shown = re.search(
        r'data-testid="total-EUR-reseller"><span class="money[^"]*">([^<]+)<', screen).group(1)
    reseller = Decimal(shown.removeprefix("EUR\xa0").replace(",", ""))
    assert 'data-testid="total-EUR-customer"' not in screen

    ledger_csv = client.get(f"/reports/export?{query}&kind=ledger&format=csv")
    rows = list(csv.DictReader(io.StringIO(ledger_csv.get_data(as_text=True))))
    assert list(rows[0]) == ["date", "venture", "reference", "region", "currency", "amount",
                             "reseller share", "reversal of"]
    assert sum(Decimal(r["reseller share"]) for r in rows) == reseller

    summary_csv = client.get(f"/reports/export?{query}&kind=summary&format=csv")
    rows = list(csv.DictReader(io.StringIO(summary_csv.get_data(as_text=True))))
    assert list(rows[0]) == ["period", "venture", "currency", "reseller"]
    assert sum(Decimal(r["reseller"]) for r in rows) == reseller

    for kind, column in (("ledger", 7), ("summary", 4)):
        sheet = load_workbook(io.BytesIO(client.get(
            f"/reports/export?{query}&kind={kind}&format=xlsx").get_data())).active
        header, *body, _total = list(sheet.iter_rows(values_only=True))
        assert not any("customer" in str(h) or "manufacturer" in str(h) for h in header)
        assert sum(Decimal(str(row[column - 1])) for row in body) == reseller, kind


def test_integrity_alert_names_the_venture_and_month_of_a_rollup_problem(client, books):
    ns = books()
    ledger.record_entry(ns.finance["customer"], ns.venture, {
        "date": "2025-03-14", "amount": "100.00", "reference": "INV-1"})
    db.session.commit()
    db.session.execute(update(RevenueMonth).values(customer=RevenueMonth.customer + 1))
    db.session.commit()
    login(client, ns.finance["customer"].email)
    html = client.get(f"/reports?venture_id={ns.venture.id}").get_data(as_text=True)
    alert = html.split('data-testid="integrity-problems">')[1].split("</div>")[0]
    assert "#None" not in alert
    assert f"{ns.venture.name}: monthly totals of 2025-03 differ from the ledger" in alert


def _store_without_checks(ns, day: date, **text):
    """A row as it could be stored before input was checked (no validation on the way)."""
    agreement = agreements.agreement_in_effect(ns.venture, date(2025, 1, 1))
    row = {"date": day, "amount": 1000, "reference": text.get("reference", "OLD-1"),
           "region": text.get("region", ""), "note": "", "agreement_id": agreement.id,
           "allocations": allocate(1000, agreement.shares)}
    ledger.write_entries(ns.finance["customer"], ns.venture, [row],
                         ledger.lock_chain(ns.venture))
    db.session.commit()


def test_revenue_stored_in_year_9999_does_not_break_the_report(client, books):
    ns = books()
    _store_without_checks(ns, date(9999, 12, 31))
    login(client, ns.leads["reseller"].email)
    for period in ("month", "quarter", "year"):
        page = client.get(f"/reports?period={period}")
        assert page.status_code == 200, period
        assert ">9999" in page.get_data(as_text=True)
    assert client.get(f"/reports?venture_id={ns.venture.id}").status_code == 200
    assert client.get("/reports?to=9999-12-31").status_code == 422
    assert client.get("/reports?from=0001-01-01").status_code == 422
    export = client.get("/reports/export?kind=summary&format=csv")
    assert export.status_code == 200 and "9999-12" in export.get_data(as_text=True)


def test_xlsx_export_of_text_stored_with_control_characters(client, books):
    ns = books()
    _store_without_checks(ns, date(2025, 3, 1), reference="INV\x01-7", region="North\x0b")
    login(client, ns.finance["customer"].email)
    url = f"/reports/export?venture_id={ns.venture.id}&kind=ledger"
    xlsx = client.get(url + "&format=xlsx")
    assert xlsx.status_code == 200
    values = [c for row in load_workbook(io.BytesIO(xlsx.get_data())).active.iter_rows(
        values_only=True) for c in row]
    assert "INV\ufffd-7" in values and "North\ufffd" in values
    row = next(csv.DictReader(io.StringIO(client.get(url + "&format=csv").get_data(
        as_text=True))))
    assert (row["reference"], row["region"]) == ("INV\x01-7", "North\x0b")  # CSV stays exact


def test_report_filters_at_fault_are_named_beside_the_form(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    for path in ("/reports", "/reports/ledger"):
        page = client.get(f"{path}?to=9999-12-31&party=nobody&currency=EUR")
        text = page.get_data(as_text=True)
        assert page.status_code == 422, path
        assert 'data-testid="filter-problems"' in text and 'name="from"' in text  # the form
        assert "<strong>To</strong> “9999-12-31”: Use a date between 1900-01-01" in text
        assert "<strong>Party</strong> “nobody”: Choose customer, reseller or manufacturer." in text


def test_ledger_filters_fold_behind_one_button_on_a_phone(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    for path in (f"/ventures/{ns.venture.id}/revenue", "/reports/ledger"):
        text = client.get(path).get_data(as_text=True)
        assert text.count('data-testid="filters-toggle"') == 1, path
        fold = text.index('class="collapse d-md-block"')
        assert fold < text.index('data-testid="ledger-search"'), path  # the search folds too


def test_a_venture_ledgers_filters_at_fault_are_named_above_it(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    page = client.get(f"/ventures/{ns.venture.id}/revenue?from=2026-05-01&to=2026-01-01")
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "<strong>To</strong> “2026-01-01”: The end date is before the start date." in text
    assert 'data-testid="ledger-search"' in text  # the page, not a bare error


def test_amount_filters_at_fault_are_named_beside_the_form_not_a_bare_error(client, books):
    """min=0.001 (more decimals than EUR has) and an amount with neither a venture nor a
    currency once answered a bare 422 page with no form and no field named."""
    ns = books()
    login(client, ns.finance["customer"].email)
    v = ns.venture.id
    for path, message in (
            (f"/ventures/{v}/revenue?min=0.001",
             "<strong>Amount from</strong> “0.001”: Use at most 2"),
            (f"/reports/ledger?venture_id={v}&max=5.555",
             "<strong>Amount to</strong> “5.555”: Use at"),
            ("/reports/ledger?min=100", "Choose a venture or a currency to filter by amount."),
            ("/reports?min=100", "Choose a venture or a currency to filter by amount.")):
        page = client.get(path)
        text = page.get_data(as_text=True)
        assert page.status_code == 422, path
        assert 'data-testid="filter-problems"' in text, path
        assert message in text, (path, message)
    assert client.get("/reports/ledger?currency=EUR&min=100").status_code == 200


def test_an_outsider_learns_nothing_from_amount_filters_on_a_hidden_venture(
        client, books, make_user, make_org):
    ns = books()
    outsider = make_user("finance", org=make_org())
    login(client, outsider.email)
    for query in ("min=0.001", "min=1"):
        page = client.get(f"/reports/ledger?venture_id={ns.venture.id}&{query}")
        assert page.status_code == 404, query
