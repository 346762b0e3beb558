"""Reversal with a reason: asked for on a confirmation page, required by the API, shown on
both entries and in the activity trail."""

from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import RevenueEntry
from cotrack.services import ledger
from tests.conftest import login, post_form


def _entry(ns, reference="INV-9"):
    entry = ledger.record_entry(ns.finance["customer"], ns.venture, {
        "date": "2025-03-31", "amount": "1000.00", "reference": reference})
    db.session.commit()
    return entry


def _count(ns) -> int:
    return db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id))


def test_the_api_requires_a_reason_and_both_entries_carry_it(client, books, make_token):
    ns = books()
    entry = _entry(ns)
    headers = make_token(ns.finance["reseller"])
    url = f"/api/v1/revenue/{entry.id}/reverse"
    for body in ({}, {"reason": "   "}, {"note": ""}):
        refused = client.post(url, headers=headers, json=body)
        assert refused.status_code == 422 and "reason" in refused.json["error"]["fields"]
    assert _count(ns) == 1
    reversal = client.post(url, headers=headers, json={"reason": "Invoice cancelled"})
    assert reversal.status_code == 201
    assert reversal.json["reversal_reason"] == "Invoice cancelled"
    items = client.get(f"/api/v1/ventures/{ns.venture.id}/revenue", headers=headers).json["items"]
    original = next(i for i in items if i["id"] == entry.id)
    assert original["reversed_by_id"] == reversal.json["id"]
    assert original["reversal_reason"] == "Invoice cancelled"
    trail = client.get(f"/api/v1/ventures/{ns.venture.id}/activity", headers=headers).json
    assert "Invoice cancelled" in trail["items"][0]["text"]


def test_a_wrong_note_beside_the_reason_is_refused_naming_it(client, books, make_token):
    """`note` is the reason's earlier name; sent beside `reason`, it is still checked as
    the description says, not silently dropped (schemathesis: a 2,000+ character note)."""
    ns = books()
    entry = _entry(ns)
    url = f"/api/v1/revenue/{entry.id}/reverse"
    headers = make_token(ns.finance["reseller"])
    for note in ("n" * 2001, 7, "bad\x00"):
        refused = client.post(url, headers=headers, json={"reason": "Cancelled", "note": note})
        assert refused.status_code == 422 and list(refused.json["error"]["fields"]) == ["note"]
    assert _count(ns) == 1
    both = client.post(url, headers=headers, json={"reason": "Cancelled", "note": "old name"})
    assert both.status_code == 201 and both.json["reversal_reason"] == "Cancelled"


def test_the_ledger_asks_for_a_reason_on_a_confirmation_page(client, books):
    ns = books()
    entry = _entry(ns)
    login(client, ns.finance["customer"].email)
    ledger_url = f"/ventures/{ns.venture.id}/revenue"
    confirm_url = f"{ledger_url}/{entry.id}/reverse"
    page = client.get(ledger_url).get_data(as_text=True)
    assert f'href="{confirm_url}"' in page  # a link to the question, not a one-click button
    confirm = client.get(confirm_url)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and "INV-9" in html and 'name="reason"' in html
    assert _count(ns) == 1  # asking writes nothing

    blank = post_form(client, confirm_url, {"reason": " "})
    assert blank.status_code == 422
    assert "This field is required." in blank.get_data(as_text=True).split('name="reason"')[1]
    assert _count(ns) == 1

    done = post_form(client, confirm_url, {"reason": "Booked in the wrong month"})
    assert done.status_code == 302 and _count(ns) == 2
    page = client.get(ledger_url).get_data(as_text=True)
    assert page.count("Reason: Booked in the wrong month") == 2  # on both entries
    again = client.get(confirm_url).get_data(as_text=True)
    assert "reversed already" in again and 'name="reason"' not in again
    activity = client.get(f"/ventures/{ns.venture.id}/activity").get_data(as_text=True)
    assert "Booked in the wrong month" in activity


def test_a_second_reversal_from_a_stale_page_is_refused(client, books):
    ns = books()
    entry = _entry(ns)
    login(client, ns.finance["customer"].email)
    confirm_url = f"/ventures/{ns.venture.id}/revenue/{entry.id}/reverse"
    token_page = confirm_url
    assert post_form(client, confirm_url, {"reason": "first"}, token_page).status_code == 302
    second = post_form(client, confirm_url, {"reason": "second"}, f"/ventures/{ns.venture.id}")
    assert second.status_code == 409 and "reversed already" in second.get_data(as_text=True)
    assert _count(ns) == 2
