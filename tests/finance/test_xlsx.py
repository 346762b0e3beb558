"""XLSX as finance expects: date cells, amounts with the currency's digits, sized columns,
a frozen header, an autofilter, a totals row of values, a sheet per currency."""

import io
from datetime import datetime
from decimal import Decimal

from openpyxl import load_workbook

from cotrack.extensions import db
from cotrack.models import User
from cotrack.services import ledger
from tests.conftest import login


def test_the_ledger_workbook_has_a_sheet_per_currency_with_dates_digits_and_totals(
        client, books):
    amounts = {"EUR": ["1234.50", "-0.05"], "JPY": ["1001", "250000"], "BHD": ["12.345"]}
    for currency, values in amounts.items():
        ns = books(currency=currency)
        for i, amount in enumerate(values):
            ledger.record_entry(ns.finance["customer"], ns.venture, {
                "date": f"2025-03-{10 + i}", "amount": amount, "reference": f"INV-{i}"})
    admin = User(email="admin-xlsx@example.com", name="Admin", role="admin",
                 organisation_id=ns.orgs["customer"].id,
                 password_hash=ns.finance["customer"].password_hash)
    db.session.add(admin)
    db.session.commit()
    login(client, admin.email)
    response = client.get("/reports/export?kind=ledger&format=xlsx")
    workbook = load_workbook(io.BytesIO(response.get_data()))
    assert sorted(workbook.sheetnames) == ["Ledger BHD", "Ledger EUR", "Ledger JPY"]
    formats = {"EUR": "#,##0.00", "JPY": "#,##0", "BHD": "#,##0.000"}
    for currency, values in amounts.items():
        sheet = workbook[f"Ledger {currency}"]
        rows = list(sheet.iter_rows())
        header, body, total = rows[0], rows[1:-1], rows[-1]
        assert [c.value for c in header][:6] == ["date", "venture", "reference", "region",
                                                  "currency", "amount"]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:J{len(body) + 1}"
        assert sheet.column_dimensions["A"].width >= 10
        assert sheet.column_dimensions["F"].width >= 20  # amounts never "###"
        assert all(isinstance(r[0].value, datetime) and r[0].is_date for r in body)
        assert {r[5].number_format for r in body} == {formats[currency]}
        assert [Decimal(str(r[5].value)) for r in body] == [Decimal(v) for v in values]
        assert total[0].value == "Total" and total[5].data_type == "n"  # a value, no formula
        assert Decimal(str(total[5].value)) == sum(Decimal(v) for v in values)
        assert Decimal(str(total[6].value)) + Decimal(str(total[7].value)) + Decimal(
            str(total[8].value)) == Decimal(str(total[5].value))


def test_an_empty_export_is_a_workbook_with_its_header(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    response = client.get(f"/reports/export?venture_id={ns.venture.id}&kind=summary"
                          "&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [c.value for c in next(sheet.iter_rows())][:3] == ["period", "venture", "currency"]
