"""The import in the browser's three steps: upload, preview (nothing written, formats
preselected from the file and the locale, ambiguity shown), confirm."""

import io
import re

from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import RevenueEntry
from tests.conftest import csrf_token, login, post_form

TOKEN_PATH = re.compile(r"/revenue/import/([A-Za-z0-9_-]{22})")


def _count(ns) -> int:
    return db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id))


def _upload(client, ns, body: bytes, name="rows.csv"):
    path = f"/ventures/{ns.venture.id}/revenue/import"
    response = client.post(path, data={"csrf_token": csrf_token(client, path),
                                       "file": (io.BytesIO(body), name)})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def test_upload_preview_confirm_records_the_rows_as_previewed(client, books, make_user):
    ns = books()
    user = ns.finance["customer"]
    user.locale = "de_DE"
    db.session.commit()
    login(client, user.email)
    preview_url = _upload(client, ns, "date;amount;reference;region;note\r\n"
                          "31.03.2025;1.234,50;INV-1;Köln;\r\n"
                          "01.04.2025;-0,50;INV-2;Köln;\r\n".encode("cp1252"))
    page = client.get(preview_url).get_data(as_text=True)
    assert 'value="windows-1252" selected' in page or \
        'selected value="windows-1252"' in page
    assert "Köln" in page  # read as Windows-1252, preselected because it is not UTF-8
    assert 'data-testid="import-note-encoding"' in page
    assert "EUR\xa01.234,50" in page and "EUR\xa01.234,00" in page  # the total, as de_DE reads it
    assert "Record 2 entries" in page
    assert _count(ns) == 0  # the preview wrote nothing
    token = TOKEN_PATH.search(preview_url).group(1)
    response = post_form(client, preview_url, {
        "encoding": "windows-1252", "delimiter": ";", "number_format": "1.234,50",
        "date_format": "DD.MM.YYYY", "allow_duplicates": ""})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/ventures/{ns.venture.id}/revenue")
    assert _count(ns) == 2
    assert client.get(preview_url).status_code == 404  # the kept upload is gone
    assert token not in client.get(f"/ventures/{ns.venture.id}/revenue").get_data(as_text=True)


def test_ambiguous_dates_are_preselected_from_the_locale_and_flagged(client, books):
    ns = books()
    user = ns.finance["customer"]
    user.locale = "en_US"
    db.session.commit()
    login(client, user.email)
    preview_url = _upload(client, ns, b"date,amount,reference\n03/04/2025,1.00,INV-1\n")
    page = client.get(preview_url).get_data(as_text=True)
    assert 'data-testid="import-note-date_format"' in page
    assert "2025-03-04" in page  # March 4th, as an American reads it
    page = client.get(preview_url, query_string={
        "date_format": "DD/MM/YYYY", "number_format": "1,234.50", "encoding": "utf-8",
        "delimiter": "auto"}).get_data(as_text=True)
    assert "2025-04-03" in page


def test_a_refused_confirmation_shows_the_problems_and_records_nothing(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    preview_url = _upload(client, ns, b"date,amount,reference\n2025-03-31,1.00,INV-1\n"
                                      b"2025-03-31,2.00,INV-1\n")
    page = client.get(preview_url).get_data(as_text=True)
    assert "also on line 2" in page and "Record 2" not in page
    response = post_form(client, preview_url, {"encoding": "utf-8", "delimiter": ",",
                                               "number_format": "1,234.50",
                                               "date_format": "YYYY-MM-DD",
                                               "allow_duplicates": ""})
    assert response.status_code == 422 and "also on line 2" in response.get_data(as_text=True)
    assert _count(ns) == 0
    response = post_form(client, preview_url, {"encoding": "utf-8", "delimiter": ",",
                                               "number_format": "1,234.50",
                                               "date_format": "YYYY-MM-DD",
                                               "allow_duplicates": "y"})
    assert response.status_code == 303 and _count(ns) == 2


def test_an_upload_is_only_its_uploaders(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    preview_url = _upload(client, ns, b"date,amount,reference\n2025-03-31,1.00,INV-1\n")
    client.get("/auth/logout")
    other = client.application.test_client()
    login(other, ns.finance["reseller"].email)
    assert other.get(preview_url).status_code == 404
    assert other.get(f"/ventures/{ns.venture.id}/revenue/import/{'x' * 22}").status_code == 404


def test_an_xlsx_upload_previews(client, books):
    from openpyxl import Workbook

    ns = books()
    login(client, ns.finance["customer"].email)
    workbook = Workbook()
    workbook.active.append(["date", "amount", "reference"])
    workbook.active.append(["2025-03-31", 12.5, "INV-X"])
    out = io.BytesIO()
    workbook.save(out)
    page = client.get(_upload(client, ns, out.getvalue(), "book.xlsx")).get_data(as_text=True)
    assert "INV-X" in page and "12.50" in page and "XLSX" in page
