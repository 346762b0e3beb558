"""Duplicate references: refused with 409 naming the entry that holds the reference, unless
the person confirms the duplicate (API: allow_duplicate_reference; form: a checkbox)."""

from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import RevenueEntry
from cotrack.services import ledger
from tests.conftest import login, post_form


def _count(ns) -> int:
    return db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id))


def _post(client, ns, headers, **body):
    return client.post(f"/api/v1/ventures/{ns.venture.id}/revenue", headers=headers, json={
        "date": "2025-03-31", "amount": "1000.00", "reference": "INV-42", **body})


def test_a_duplicate_reference_is_409_naming_the_entry_unless_confirmed(client, books,
                                                                      make_token):
    ns = books()
    headers = make_token(ns.finance["customer"])
    first = _post(client, ns, headers).json
    refused = _post(client, ns, headers, amount="7.00")
    assert refused.status_code == 409
    error = refused.json["error"]
    assert f"entry #{first['id']}" in error["message"] and "reference" in error["fields"]
    assert error["existing"]["id"] == first["id"] and error["existing"]["amount"] == "1000.00"
    assert _count(ns) == 1
    confirmed = _post(client, ns, headers, amount="7.00", allow_duplicate_reference=True)
    assert confirmed.status_code == 201 and confirmed.json["reference"] == "INV-42"
    assert _count(ns) == 2
    trail = client.get(f"/api/v1/ventures/{ns.venture.id}/activity", headers=headers).json
    assert f"duplicate of entry #{first['id']}" in trail["items"][0]["text"]


def test_allow_duplicate_reference_must_be_a_boolean(client, books, make_token):
    ns = books()
    response = _post(client, ns, make_token(ns.finance["customer"]),
                     allow_duplicate_reference="yes")
    assert response.status_code == 422
    assert "allow_duplicate_reference" in response.json["error"]["fields"]
    assert _count(ns) == 0


def test_a_reversed_invoice_may_be_issued_again(client, books, make_token):
    ns = books()
    headers = make_token(ns.finance["customer"])
    first = _post(client, ns, headers).json
    assert client.post(f"/api/v1/revenue/{first['id']}/reverse", headers=headers,
                       json={"reason": "wrong amount"}).status_code == 201
    assert _post(client, ns, headers, amount="999.00").status_code == 201


def test_references_of_other_ventures_do_not_count(client, books, make_token):
    one, other = books(), books()
    assert _post(client, one, make_token(one.finance["customer"])).status_code == 201
    assert _post(client, other, make_token(other.finance["customer"])).status_code == 201


def test_the_service_finds_duplicates_for_many_references_at_once(books):
    ns = books()
    for reference in ("A-1", "A-2"):
        ledger.record_entry(ns.finance["customer"], ns.venture, {
            "date": "2025-03-31", "amount": "1.00", "reference": reference})
    found = ledger.duplicate_references(ns.venture.id, ["A-2", "A-3", "A-1", ""])
    assert sorted(found) == ["A-1", "A-2"] and found["A-2"].reference == "A-2"


def test_the_form_refuses_a_duplicate_then_offers_the_checkbox(client, books):
    ns = books()
    login(client, ns.finance["customer"].email)
    url = f"/ventures/{ns.venture.id}/revenue"
    page = client.get(url).get_data(as_text=True)
    assert 'name="allow_duplicate_reference"' not in page
    row = {"date": "2025-03-31", "amount": "1000.00", "reference": "INV-42"}
    assert post_form(client, url, row).status_code == 302
    existing = db.session.scalar(select(RevenueEntry.id).where(
        RevenueEntry.venture_id == ns.venture.id))
    refused = post_form(client, url, {**row, "amount": "5.00"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert f"entry #{existing}" in html and 'name="allow_duplicate_reference"' in html
    assert 'value="5.00"' in html  # what the person typed is kept
    assert _count(ns) == 1
    confirmed = post_form(client, url, {**row, "amount": "5.00",
                                        "allow_duplicate_reference": "y"})
    assert confirmed.status_code == 302 and _count(ns) == 2
