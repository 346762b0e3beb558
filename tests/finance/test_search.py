"""Search and filters on every ledger view: the venture's ledger page, the report's ledger
rows, the exports and the API; each wrong value refused with 422 naming its parameter."""

import csv
import io
import re

import pytest

from cotrack.extensions import db
from cotrack.services import ledger
from tests.conftest import login

ROWS = [  # date, amount, reference, region
    ("2025-02-10", "100.00", "INV-2025-001", "Nordics"),
    ("2025-03-15", "2500.00", "INV-2025-002", "DACH"),
    ("2025-04-20", "40.50", "CN-2025-7", "Nordics"),
    ("2025-05-25", "900.00", "inv-2025-010", "Iberia"),
    ("2025-06-30", "12000.00", "X-INV-2025-9", "DACH"),
]


@pytest.fixture
def searched(books):
    ns = books()
    ns.entries = [ledger.record_entry(ns.finance["customer"], ns.venture, {
        "date": d, "amount": a, "reference": r, "region": g}) for d, a, r, g in ROWS]
    ns.reversal = ledger.reverse(ns.finance["customer"], ns.venture, ns.entries[1],
                                 "amount wrong")
    db.session.commit()
    return ns


def _refs(client, ns, headers, **params):
    response = client.get(f"/api/v1/ventures/{ns.venture.id}/revenue", headers=headers,
                          query_string=params)
    assert response.status_code == 200, response.json
    return [i["reference"] for i in response.json["items"]]


def test_the_api_searches_and_sorts_the_ledger(client, searched, make_token):
    ns, headers = searched, make_token(searched.finance["reseller"])
    assert _refs(client, ns, headers, q="inv-2025-0") == [
        "INV-2025-001", "INV-2025-002", "inv-2025-010", "INV-2025-002"]  # any case, by date
    assert _refs(client, ns, headers, q="INV-2025", match="prefix") == [
        "INV-2025-001", "INV-2025-002", "INV-2025-002"]  # prefix: its case, its start
    assert _refs(client, ns, headers, q="50%", match="contains") == []  # % is no wildcard
    assert _refs(client, ns, headers, q="2025_00") == []  # nor is _ ("2025-00" would match)
    assert _refs(client, ns, headers, q="N-2025-7") == ["CN-2025-7"]
    assert _refs(client, ns, headers, **{"from": "2025-03-01", "to": "2025-05-31"}) == [
        "INV-2025-002", "CN-2025-7", "inv-2025-010"]
    assert _refs(client, ns, headers, region="DACH", reversed="false") == ["X-INV-2025-9"]
    assert _refs(client, ns, headers, reversed="true") == ["INV-2025-002", "INV-2025-002"]
    assert _refs(client, ns, headers, min="100", max="2500.00", reversed="false") == [
        "INV-2025-001", "inv-2025-010"]
    assert _refs(client, ns, headers, max="0") == ["INV-2025-002"]  # the reversal
    assert _refs(client, ns, headers, sort="-amount")[:2] == ["X-INV-2025-9", "INV-2025-002"]
    assert _refs(client, ns, headers, sort="reference")[0] == "CN-2025-7"


@pytest.mark.parametrize(("param", "value"), [
    ("from", "2025-13-01"), ("to", "yesterday"), ("min", "ten"), ("max", "1e999999"),
    ("min", "1.001"), ("sort", "venture"), ("sort", "--date"), ("match", "regex"),
    ("reversed", "maybe"), ("q", "INV\x00"), ("region", "x" * 101), ("page", "0")])
def test_a_wrong_search_value_is_422_naming_the_parameter(client, searched, make_token,
                                                         param, value):
    response = client.get(f"/api/v1/ventures/{searched.venture.id}/revenue",
                          headers=make_token(searched.finance["reseller"]),
                          query_string={param: value})
    assert response.status_code == 422 and param in response.json["error"]["fields"], param


def test_bounds_out_of_order_are_refused(client, searched, make_token):
    headers = make_token(searched.finance["reseller"])
    url = f"/api/v1/ventures/{searched.venture.id}/revenue"
    for params, field in (({"min": "10", "max": "5"}, "max"),
                          ({"from": "2025-05-01", "to": "2025-04-01"}, "to")):
        response = client.get(url, headers=headers, query_string=params)
        assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_the_venture_page_searches_sorts_and_totals_what_matches(client, searched):
    ns = searched
    login(client, ns.finance["customer"].email)
    url = f"/ventures/{ns.venture.id}/revenue"
    html = client.get(url, query_string={"region": "Nordics"}).get_data(as_text=True)
    assert html.count('data-testid="entry-row"') == 2
    assert "Totals of the 2 matching entries" in html
    total = html.split('data-testid="venture-totals"')[1]
    assert "140.50" in total  # 100.00 + 40.50, not the whole ledger
    assert 'value="Nordics"' in html  # the search stays filled in
    most = client.get(url, query_string={"reversed": "false"}).get_data(as_text=True)
    assert "Totals of the 4 matching entries" in most  # the whole ledger minus the rest
    boxes = most.split('data-testid="venture-totals"')[1].split("<table")[0]
    assert "EUR\xa02,608.10" in boxes and "EUR\xa013,040.50" in boxes  # customer 20 %, total
    by_amount = client.get(url, query_string={"sort": "amount"}).get_data(as_text=True)
    rows = by_amount.split('data-testid="entry-row"')[1:]
    assert "INV-2025-002" in rows[0] and "X-INV-2025-9" in rows[-1]  # the reversal first
    assert 'aria-sort="ascending"' in by_amount
    bad = client.get(url, query_string={"min": "abc"})
    assert bad.status_code == 422 and "<strong>Amount from</strong> “abc”" in bad.get_data(
        as_text=True)


def test_the_report_ledger_and_its_csv_honour_the_search(client, searched):
    ns = searched
    login(client, ns.finance["customer"].email)
    params = {"venture_id": ns.venture.id, "q": "inv", "reversed": "false", "sort": "-date"}
    html = client.get("/reports/ledger", query_string=params).get_data(as_text=True)
    rows = html.split('data-testid="ledger-row"')[1:]
    assert len(rows) == 3 and "X-INV-2025-9" in rows[0] and "INV-2025-001" in rows[-1]
    body = client.get("/reports/export", query_string={
        **params, "kind": "ledger", "format": "csv"}).get_data(as_text=True)
    refs = [r["reference"] for r in csv.DictReader(io.StringIO(body))]
    assert refs == ["X-INV-2025-9", "inv-2025-010", "INV-2025-001"]
    refused = client.get("/reports/ledger", query_string={"min": "10"})
    assert refused.status_code == 422  # amounts need one currency: a venture or a currency
    assert client.get("/reports/ledger", query_string={"min": "10", "currency": "EUR"}
                      ).status_code == 200


def test_a_page_past_the_last_says_so_and_links_back(client, searched):
    """An old link or a typed page number past the end: the ledger does not claim that no
    revenue was ever recorded (it did), and the page offers the way back."""
    login(client, searched.finance["customer"].email)
    ledger_page = f"/ventures/{searched.venture.id}/revenue"
    page = client.get(ledger_page, query_string={"page": 99, "region": "DACH"}).text
    assert "No revenue recorded yet" not in page and "No entries on this page." in page
    assert "Page 99 is past the last page (1)." in page
    back = re.search(r'data-testid="past-last-page">.*?href="([^"]+)"', page).group(1)
    assert "page=1" in back and "region=DACH" in back
    first = client.get(back.replace("&amp;", "&")).text
    # two DACH entries and the reversal of one
    assert first.count('data-testid="entry-row"') == 3 and "past the last page" not in first


@pytest.mark.parametrize("params, field", [
    ({"min": "1e3"}, "min"), ({"max": "+5"}, "max"), ({"min": "1000000000000"}, "min"),
    ({"currency": "Eur"}, "currency"), ({"currency": " EUR"}, "currency"),
    ({"from": " 2025-01-01"}, "from"), ({"to": "2025-12-31 "}, "to"),
])
def test_filters_are_read_exactly_as_the_api_describes_them(client, searched, make_token,
                                                            params, field):
    """What the OpenAPI description refuses, the server refuses too, naming the parameter:
    an exponent or a plus sign in an amount, a currency in mixed case, a date with spaces
    around it (schemathesis found each accepted)."""
    headers = make_token(searched.finance["customer"])
    for url in (f"/api/v1/ventures/{searched.venture.id}/revenue", "/api/v1/reports/revenue"):
        if "currency" in params and "ventures" in url:
            continue
        response = client.get(url, headers=headers, query_string=params)
        assert response.status_code == 422, (url, params)
        assert list(response.json["error"]["fields"]) == [field]


def test_amount_bounds_with_decimals_and_currency_in_either_case_are_read(client, searched,
                                                                         make_token):
    headers = make_token(searched.finance["customer"])
    assert sorted(_refs(client, searched, headers, min="100.00", max="2500")) == [
        "INV-2025-001", "INV-2025-002", "inv-2025-010"]
    for currency in ("EUR", "eur"):
        response = client.get("/api/v1/reports/revenue", headers=headers,
                               query_string={"currency": currency, "venture_id": ""})
        assert response.status_code == 200
