"""Imports from files as people have them, over the API: separators, BOMs, line endings,
Windows-1252, number and date formats, XLSX; physical line numbers in every problem;
duplicate references; a preview that writes nothing."""

import io
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import RevenueEntry


def _post(client, ns, headers, body: bytes, name="rows.csv", **options):
    return client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import", headers=headers,
                       data={"file": (io.BytesIO(body), name), **options})


def _entries(ns) -> list[tuple]:
    return db.session.execute(select(RevenueEntry.entry_date, RevenueEntry.amount,
                                     RevenueEntry.reference, RevenueEntry.note)
                              .where(RevenueEntry.venture_id == ns.venture.id)
                              .order_by(RevenueEntry.id)).all()


def _count(ns) -> int:
    return db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id))


def test_a_german_excel_csv_is_read_as_chosen(client, books, make_token):
    ns = books()
    body = ("date;amount;reference;region;note\r\n"
            "31.03.2025;1.234,50;INV-Ä1;Köln;Grüße\r\n"
            "01.04.2025;-2,00;INV-Ä2;Köln;\r\n").encode("cp1252")
    response = _post(client, ns, make_token(ns.finance["customer"]), body,
                     encoding="windows-1252", number_format="1.234,50",
                     date_format="DD.MM.YYYY")
    assert response.status_code == 201, response.json
    assert _entries(ns) == [(date(2025, 3, 31), 123450, "INV-Ä1", "Grüße"),
                            (date(2025, 4, 1), -200, "INV-Ä2", "")]


def test_a_windows_file_read_as_utf8_is_refused_naming_the_line_and_the_choice(
        client, books, make_token):
    ns = books()
    body = ("date,amount,reference,region,note\n2025-03-31,1.00,INV-1,,\n"
            "2025-03-31,1.00,INV-2,Köln,\n")
    response = _post(client, ns, make_token(ns.finance["customer"]), body.encode("cp1252"))
    assert response.status_code == 422
    (problem,) = response.json["error"]["rows"]
    assert problem["field"] == "encoding" and "Windows-1252" in problem["message"]
    assert _count(ns) == 0


def test_utf8_with_bom_tab_separated_and_french_numbers(client, books, make_token):
    ns = books()
    body = ("\ufeffdate\tamount\treference\tregion\tnote\n"
            "2025-03-31\t1\u202f234,50\tINV-1\tParis\t\n")
    response = _post(client, ns, make_token(ns.finance["customer"]), body.encode("utf-8"),
                     number_format="1 234,50")
    assert response.status_code == 201, response.json
    assert _entries(ns) == [(date(2025, 3, 31), 123450, "INV-1", "")]


def test_us_dates_and_thousands_separators(client, books, make_token):
    ns = books()
    body = b'date,amount,reference,region,note\n03/31/2025,"1,234.50",INV-1,,\n'
    headers = make_token(ns.finance["customer"])
    refused = _post(client, ns, headers, body)  # ISO by default: the US date is refused
    assert refused.status_code == 422
    assert refused.json["error"]["rows"] == [
        {"line": 2, "field": "date", "message": '"03/31/2025" is not a date written as '
                                                 "YYYY-MM-DD."}]
    assert _post(client, ns, headers, body, date_format="MM/DD/YYYY").status_code == 201
    assert _entries(ns) == [(date(2025, 3, 31), 123450, "INV-1", "")]


def test_problems_name_physical_lines_after_blank_lines_and_multiline_fields(
        client, books, make_token):
    ns = books()
    body = (b"date,amount,reference,region,note\r\n"      # line 1
            b"\r\n"                                        # 2
            b"2025-03-31,x,INV-1,,\r\n"                    # 3: bad amount
            b'2025-03-31,1.00,INV-2,,"a note\r\n'          # 4
            b'over\r\nthree lines"\r\n'                    # 5, 6
            b"\r\n"                                        # 7
            b"2025-13-01,1.00,INV-3,,\r\n")       # 8: bad date
    response = _post(client, ns, make_token(ns.finance["customer"]), body)
    assert response.status_code == 422
    assert [(r["line"], r["field"]) for r in response.json["error"]["rows"]] == [
        (3, "amount"), (8, "date")]
    assert _count(ns) == 0


def test_lf_only_lines_are_numbered_the_same(client, books, make_token):
    ns = books()
    body = b'date,amount,reference,region,note\n\n2025-03-31,1.00,INV-1,,"two\nlines"\n\n' \
           b"2025-03-31,1.005,INV-2,,\n"
    response = _post(client, ns, make_token(ns.finance["customer"]), body)
    assert [r["line"] for r in response.json["error"]["rows"]] == [6]


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_an_xlsx_with_date_and_number_cells_is_imported(client, books, make_token):
    ns = books()
    body = _xlsx([["Date", "Amount", "Reference", "Region", "Note"],
                  [datetime(2025, 3, 31), 1234.5, 1001, "North", None],
                  [],
                  ["31.03.2025", "-2,00", "CN-1", None, "text cells"]])
    response = _post(client, ns, make_token(ns.finance["customer"]), body, name="rows.xlsx",
                     number_format="1.234,50", date_format="DD.MM.YYYY")
    assert response.status_code == 201, response.json
    assert _entries(ns) == [(date(2025, 3, 31), 123450, "1001", ""),
                            (date(2025, 3, 31), -200, "CN-1", "text cells")]


def test_xlsx_problems_name_the_sheet_row(client, books, make_token):
    ns = books()
    body = _xlsx([["date", "amount", "reference"], [], [date(2025, 3, 31), 0.001, "INV-1"],
                  [date(2025, 3, 31), 1, None]])
    response = _post(client, ns, make_token(ns.finance["customer"]), body, name="x.xlsx")
    assert [(r["line"], r["field"]) for r in response.json["error"]["rows"]] == [
        (3, "amount"), (4, "reference")]


def test_a_missing_column_names_the_delimiter_to_choose(client, books, make_token):
    ns = books()
    body = b"date;amount;reference\n2025-03-31;1.00;INV-1\n"
    response = _post(client, ns, make_token(ns.finance["customer"]), body, delimiter=",")
    (problem,) = response.json["error"]["rows"]
    assert problem["line"] == 1 and "semicolon" in problem["message"]


def test_duplicates_within_the_file_and_against_the_ledger_are_reported_per_line(
        client, books, make_token):
    ns = books()
    headers = make_token(ns.finance["customer"])
    assert _post(client, ns, headers,
                 b"date,amount,reference,region,note\n2025-03-31,1.00,INV-1,,\n").status_code == 201
    body = (b"date,amount,reference,region,note\n2025-03-31,2.00,INV-1,,\n"
            b"2025-03-31,3.00,INV-2,,\n2025-03-31,4.00,INV-2,,\n")
    refused = _post(client, ns, headers, body)
    assert refused.status_code == 422
    rows = refused.json["error"]["rows"]
    assert [(r["line"], r["field"]) for r in rows] == [(2, "reference"), (4, "reference")]
    assert "in the ledger already" in rows[0]["message"]
    assert "also on line 3" in rows[1]["message"]
    assert _count(ns) == 1
    assert _post(client, ns, headers, body, allow_duplicates="true").status_code == 201
    assert _count(ns) == 4


def test_a_reversed_invoice_may_be_imported_again_but_not_a_live_one(
        client, books, make_token):
    ns = books()
    headers = make_token(ns.finance["customer"])
    row = b"date,amount,reference,region,note\n2025-03-31,1.00,INV-1,,\n"
    _post(client, ns, headers, row)
    entry_id = db.session.scalar(select(RevenueEntry.id).where(
        RevenueEntry.venture_id == ns.venture.id))
    live = _post(client, ns, headers, row)
    assert live.status_code == 422 and f"entry {entry_id}" in live.json["error"]["rows"][0][
        "message"]
    client.post(f"/api/v1/revenue/{entry_id}/reverse", headers=headers, json={"reason": "typo"})
    assert _post(client, ns, headers, row).status_code == 201


def test_a_preview_answers_rows_as_recorded_and_totals_and_writes_nothing(
        client, books, make_token):
    ns = books()
    body = b"date;amount;reference;region;note\n31.03.2025;1.000,00;INV-1;;\n" \
           b"31.03.2025;-0,01;INV-2;;\n"
    response = _post(client, ns, make_token(ns.finance["customer"]), body, preview="true",
                     number_format="1.234,50", date_format="DD.MM.YYYY")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["options"]["delimiter"] == ";"
    assert body["count"] == 2
    assert body["rows"][0] == {"line": 2, "date": "2025-03-31", "amount": "1000.00",
                               "reference": "INV-1", "region": "", "note": "",
                               "allocations": {"customer": "200.00", "reseller": "250.00",
                                               "manufacturer": "550.00"}}
    assert body["totals"]["amount"] == "999.99"
    assert sum(float(body["totals"][p]) * 100 for p in ("customer", "reseller",
                                                        "manufacturer")) == 99999
    assert _count(ns) == 0


def test_a_preview_with_problems_answers_422_with_them(client, books, make_token):
    ns = books()
    response = _post(client, ns, make_token(ns.finance["customer"]),
                     b"date,amount,reference\n2025-03-31,1.00,\n", preview="true")
    assert response.status_code == 422
    assert response.json["error"]["rows"][0]["field"] == "reference"


def test_a_bad_option_is_refused_naming_it(client, books, make_token):
    ns = books()
    response = _post(client, ns, make_token(ns.finance["customer"]), b"date,amount,reference\n",
                     number_format="1'234.50")
    assert response.status_code == 422 and "number_format" in response.json["error"]["fields"]


def test_members_cannot_import_and_outsiders_see_nothing(client, books, make_token, make_user):
    ns = books()
    body = b"date,amount,reference\n2025-03-31,1.00,INV-1\n"
    assert _post(client, ns, make_token(ns.member), body).status_code == 403
    assert _post(client, ns, make_token(make_user("finance")), body).status_code == 404
    assert _count(ns) == 0


def test_the_templates_download_and_import_as_they_are(client, books, make_token):
    from tests.conftest import login

    ns = books()
    login(client, ns.finance["customer"].email)
    csv_file = client.get(f"/ventures/{ns.venture.id}/revenue/import/template.csv")
    assert csv_file.status_code == 200 and csv_file.data.startswith(b"\xef\xbb\xbfdate,amount")
    xlsx_file = client.get(f"/ventures/{ns.venture.id}/revenue/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_file.data)).active
    assert [c.value for c in sheet[1]] == ["date", "amount", "reference", "region", "note"]
    assert isinstance(sheet["A2"].value, datetime)
    headers = make_token(ns.finance["customer"])
    assert _post(client, ns, headers, csv_file.data).status_code == 201
    assert _post(client, ns, headers, xlsx_file.data, name="t.xlsx",
                 allow_duplicates="true").status_code == 201
    assert _count(ns) == 4
