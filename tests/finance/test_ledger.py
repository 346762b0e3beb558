"""Agreements, the ledger, reversals, CSV import, integrity; refusals name their field."""

import io
import itertools
from datetime import date

import pytest
from sqlalchemy import func, select, text

from cotrack.domain.errors import Conflict, DomainError
from cotrack.extensions import db
from cotrack.models import Allocation, RevenueEntry, SplitAgreement
from cotrack.reports.integrity import verify_ledger
from cotrack.services import agreements, ledger
from tests.finance.conftest import sign

INVOICES = itertools.count(1)


def record(ns, amount="1000.00", day="2025-03-31", role="customer", **extra):
    entry = ledger.record_entry(ns.finance[role], ns.venture, {
        "date": day, "amount": amount,
        "reference": extra.pop("reference", f"INV-{next(INVOICES)}"),
        "region": "Nordics", "note": "", **extra})
    db.session.commit()
    return entry


@pytest.mark.parametrize("shares", [("33.33", "33.33", "33.33"), ("20.00", "25.00", "55.01")])
def test_shares_not_summing_to_100_are_refused_with_the_field(client, books, make_token, shares):
    ns = books(signed=False)
    response = client.post(
        f"/api/v1/ventures/{ns.venture.id}/agreements", headers=make_token(ns.finance["reseller"]),
        json={"effective_from": "2025-01-01",
              "shares": dict(zip(("customer", "reseller", "manufacturer"), shares, strict=True))})
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert "customer" in fields and "100.00" in fields["customer"]
    assert db.session.scalar(select(func.count(SplitAgreement.id)).where(
        SplitAgreement.venture_id == ns.venture.id)) == 0


def test_agreement_becomes_active_with_the_third_approval_and_supersedes(books):
    ns = books()
    first = ns.agreement
    second = agreements.propose(ns.finance["manufacturer"], ns.venture,
                                effective_from="2026-01-01",
                                shares={"customer": "10.00", "reseller": "30.00",
                                        "manufacturer": "60.00"})
    agreements.decide(ns.leads["customer"], ns.venture, second, "approve")
    agreements.decide(ns.finance["reseller"], ns.venture, second, "approve")
    assert second.status == "proposed" and first.status == "active"
    agreements.decide(ns.finance["manufacturer"], ns.venture, second, "approve")
    assert second.status == "active" and first.status == "superseded"
    assert second.days_to_sign == 0
    # revenue before the renegotiation still follows the first agreement
    early, late = record(ns, "100.00", "2025-06-30"), record(ns, "100.00", "2026-02-28")
    assert early.share("customer") == 2000 and late.share("customer") == 1000


def test_entry_dated_before_any_active_agreement_is_refused(books):
    ns = books()
    with pytest.raises(DomainError) as exc:
        record(ns, day="2024-12-31")
    assert "date" in exc.value.fields and "No signed split agreement" in exc.value.message


def test_no_agreement_at_all_is_a_clear_refusal(client, books, make_token):
    ns = books(signed=False)
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue",
                           headers=make_token(ns.finance["customer"]),
                           json={"date": "2025-05-01", "amount": "10.00", "reference": "X"})
    assert response.status_code == 422
    assert "date" in response.json["error"]["fields"]


def test_agreement_effective_before_recorded_revenue_is_refused(books):
    ns = books()
    record(ns, day="2025-06-30")
    with pytest.raises(DomainError) as exc:
        agreements.propose(ns.finance["customer"], ns.venture, effective_from="2025-06-01",
                           shares={"customer": "10.00", "reseller": "40.00",
                                   "manufacturer": "50.00"})
    assert "effective_from" in exc.value.fields


def test_entry_is_allocated_exactly_and_written_with_its_allocations(client, books, make_token):
    ns = books(currency="JPY")
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue",
                           headers=make_token(ns.finance["reseller"]),
                           json={"date": "2025-04-30", "amount": "1001", "reference": "INV-7"})
    assert response.status_code == 201
    body = response.json
    assert body["amount"] == "1001" and body["currency"] == "JPY"
    assert body["allocations"] == {"customer": "200", "reseller": "250", "manufacturer": "551"}


def test_float_amounts_are_refused(client, books, make_token):
    ns = books()
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue",
                           headers=make_token(ns.finance["reseller"]),
                           json={"date": "2025-04-30", "amount": 10.5, "reference": "X"})
    assert response.status_code == 422 and "amount" in response.json["error"]["fields"]


def test_reversal_negates_and_a_second_one_is_409(client, books, make_token):
    ns = books()
    entry = record(ns, "1000.01")
    headers = make_token(ns.finance["manufacturer"])
    first = client.post(f"/api/v1/revenue/{entry.id}/reverse", headers=headers,
                        json={"reason": "typo in the amount"})
    assert first.status_code == 201
    assert first.json["amount"] == "-1000.01" and first.json["reverses_id"] == entry.id
    original = {a.role: a.amount for a in entry.allocations}
    assert {k: int(v.replace(".", "")) for k, v in first.json["allocations"].items()} == {
        k: -v for k, v in original.items()}
    second = client.post(f"/api/v1/revenue/{entry.id}/reverse", headers=headers,
                         json={"reason": "again"})
    assert second.status_code == 409
    listed = client.get(f"/api/v1/ventures/{ns.venture.id}/revenue", headers=headers).json
    assert listed["items"][0]["reversed_by_id"] == first.json["id"]


def test_database_refuses_a_second_reversal_and_edits(books):
    ns = books()
    entry = record(ns)
    ledger.reverse(ns.finance["customer"], ns.venture, entry, "posted twice")
    db.session.commit()
    with pytest.raises(Exception), db.session.begin_nested():  # noqa: B017,PT011
        db.session.execute(text(
            "INSERT INTO revenue_entry (venture_id, entry_date, amount, currency, reference, "
            "region, note, recorded_by_id, recorded_at, agreement_id, reverses_id, prev_hash, "
            "hash) SELECT venture_id, entry_date, -amount, currency, reference, region, note, "
            "recorded_by_id, recorded_at, agreement_id, id, 'x', "
            "'0000000000000000000000000000000000000000000000000000000000000000' "
            "FROM revenue_entry WHERE id = :id"), {"id": entry.id})
    for statement in ("UPDATE revenue_entry SET amount = 1 WHERE id = :id",
                      "DELETE FROM allocation WHERE entry_id = :id"):
        with pytest.raises(Exception, match="append-only"), db.session.begin_nested():
            db.session.execute(text(statement), {"id": entry.id})


def test_injected_failure_after_the_first_allocation_leaves_no_trace(client, books,
                                                                     make_token, monkeypatch):
    ns = books()
    before = db.session.scalar(select(func.count(RevenueEntry.id)))
    real_execute = db.session.execute

    def failing(statement, params=None, *args, **kwargs):
        table = getattr(getattr(statement, "table", None), "name", None)
        if table == "allocation" and isinstance(params, list):
            real_execute(statement, params[:1], *args, **kwargs)  # the first allocation row
            raise RuntimeError("injected failure")
        return real_execute(statement, params, *args, **kwargs)

    monkeypatch.setattr(db.session, "execute", failing)
    with pytest.raises(RuntimeError, match="injected"):
        client.post(f"/api/v1/ventures/{ns.venture.id}/revenue",
                    headers=make_token(ns.finance["customer"]),
                    json={"date": "2025-04-30", "amount": "99.00", "reference": "INV-X"})
    monkeypatch.undo()
    db.session.rollback()
    assert db.session.scalar(select(func.count(RevenueEntry.id))) == before
    assert db.session.scalar(select(func.count(Allocation.id)).join(RevenueEntry).where(
        RevenueEntry.reference == "INV-X")) == 0


def _csv(rows: list[str]) -> io.BytesIO:
    return io.BytesIO(("date,amount,reference,region,note\n" + "\n".join(rows)).encode())


def test_import_with_one_bad_row_in_1000_records_nothing_and_names_the_line(client, books,
                                                                            make_token):
    ns = books()
    rows = [f"2025-05-{1 + i % 28:02d},{100 + i}.25,INV-{i},Nordics," for i in range(1000)]
    rows[636] = "2025-05-07,12.345,INV-BAD,Nordics,"
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import",
                           headers=make_token(ns.finance["reseller"]),
                           data={"file": (_csv(rows), "revenue.csv")})
    assert response.status_code == 422
    assert response.json["error"]["rows"] == [{
        "line": 638, "field": "amount",
        "message": "EUR has 2 decimal places; this amount has more."}]
    assert db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id)) == 0


def test_import_records_every_row_in_one_go(client, books, make_token):
    ns = books()
    rows = [f"2025-06-{1 + i % 28:02d},{i + 1}.00,INV-{i},DACH,=cmd" for i in range(300)]
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import",
                           headers=make_token(ns.finance["reseller"]),
                           data={"file": (_csv(rows), "revenue.csv")})
    assert response.status_code == 201 and response.json == {"created": 300}
    assert verify_ledger(ns.venture.id) == []


def test_ledger_verify_reports_an_amount_changed_by_raw_sql(app, books):
    ns = books()
    record(ns, reference="INV-A")
    tampered = record(ns, day="2025-04-30", reference="INV-B")
    record(ns, day="2025-05-31", reference="INV-C")
    assert verify_ledger(ns.venture.id) == []
    # someone with database access goes around the application (and its triggers)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE revenue_entry DISABLE TRIGGER USER"))
    else:
        db.session.execute(text("DROP TRIGGER revenue_entry_no_update"))
    db.session.execute(text("UPDATE revenue_entry SET amount = 100 WHERE id = :id"),
                       {"id": tampered.id})
    problems = verify_ledger(ns.venture.id)
    assert {p["entry_id"] for p in problems} == {tampered.id}
    assert any("hash" in p["problem"] for p in problems)
    result = app.test_cli_runner().invoke(args=["ledger-verify", "--venture", str(ns.venture.id)])
    assert result.exit_code != 0 and f"entry {tampered.id}" in result.output


def test_members_get_403_on_revenue_and_outsiders_404(client, books, make_user, make_token):
    ns = books()
    entry = record(ns)
    member_headers = make_token(ns.member)
    outsider_headers = make_token(make_user("finance"))
    for url in (f"/api/v1/ventures/{ns.venture.id}/revenue",
                f"/api/v1/ventures/{ns.venture.id}/agreements"):
        assert client.get(url, headers=member_headers).status_code == 403
        assert client.get(url, headers=outsider_headers).status_code == 404
    assert client.post(f"/api/v1/revenue/{entry.id}/reverse", headers=outsider_headers,
                       json={}).status_code == 404
    assert client.get("/api/v1/reports/revenue", headers=member_headers).status_code == 403
    assert client.get(f"/api/v1/reports/revenue?venture_id={ns.venture.id}",
                      headers=outsider_headers).status_code == 404


def test_leads_cannot_record_revenue(books):
    ns = books()
    with pytest.raises(DomainError):
        ledger.record_entry(ns.leads["customer"], ns.venture, {
            "date": "2025-03-01", "amount": "1.00", "reference": "X"})


def test_agreement_cannot_be_signed_twice_by_a_party(books):
    ns = books(signed=False)
    agreement = agreements.propose(ns.finance["customer"], ns.venture,
                                   effective_from=date(2025, 1, 1),
                                   shares={"customer": "20", "reseller": "30",
                                           "manufacturer": "50"})
    agreements.decide(ns.finance["customer"], ns.venture, agreement, "approve")
    with pytest.raises(Conflict):
        agreements.decide(ns.leads["customer"], ns.venture, agreement, "approve")
    sign_again = agreements.decide(ns.finance["reseller"], ns.venture, agreement, "reject", "No")
    assert sign_again.status == "rejected"
    with pytest.raises(Conflict):
        agreements.decide(ns.finance["manufacturer"], ns.venture, agreement, "approve")
    assert sign(ns, "2025-02-01").status == "active"
@pytest.mark.parametrize("amount", ["1e999997", "-1e999997", "sNaN", "NaN", "Infinity",
                                    "1" * 41, "1e16", "1_000", "١٢"])
def test_amounts_are_refused_at_once_and_nothing_is_recorded(client, books, make_token,
                                                              amount):
    ns = books()
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue",
                           headers=make_token(ns.finance["customer"]),
                           json={"date": "2025-03-01", "amount": amount, "reference": "X"})
    assert response.status_code == 422
    assert "amount" in response.json["error"]["fields"]
    assert db.session.scalar(select(func.count()).select_from(RevenueEntry)) == 0


@pytest.mark.parametrize("share", ["sNaN", "1e999999", "NaN", "-Infinity", "1" * 41, 33.5])
def test_hostile_shares_are_422_naming_the_party(client, books, make_token, share):
    ns = books()
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/agreements",
                           headers=make_token(ns.finance["customer"]), json={
                               "effective_from": "2027-01-01", "shares": {
                                   "customer": share, "reseller": "50", "manufacturer": "50"}})
    assert response.status_code == 422
    assert "customer" in response.json["error"]["fields"]


def test_shares_that_do_not_add_up_are_said_as_themselves(client, books, make_token):
    """The sum alone at fault: its own message (not "correct the marked fields"), naming the
    three parties and ``shares``; beside another problem, both are named."""
    ns = books()
    headers = make_token(ns.finance["customer"])
    url = f"/api/v1/ventures/{ns.venture.id}/agreements"
    shares = {"customer": "50.00", "reseller": "20.00", "manufacturer": "20.00"}
    alone = client.post(url, headers=headers, json={"effective_from": "2027-01-01",
                                                     "shares": shares}).json["error"]
    message = "The shares add up to 90.00; they must add up to 100.00."
    assert alone["message"] == message
    assert alone["fields"] == {"customer": message, "reseller": message,
                               "manufacturer": message, "shares": message}
    both = client.post(url, headers=headers, json={"effective_from": "9999-12-31",
                                                    "shares": shares}).json["error"]
    assert set(both["fields"]) == {"effective_from", "customer", "reseller", "manufacturer",
                                   "shares"}
    assert both["fields"]["shares"] == message


def test_revenue_dated_outside_the_range_is_refused(client, books, make_token):
    ns = books()
    headers = make_token(ns.finance["customer"])
    for day in ("9999-12-31", "2200-01-01"):
        response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue", headers=headers,
                               json={"date": day, "amount": "1.00", "reference": "X"})
        assert response.status_code == 422 and "date" in response.json["error"]["fields"]
    late = client.post(f"/api/v1/ventures/{ns.venture.id}/agreements", headers=headers, json={
        "effective_from": "9999-12-31",
        "shares": {"customer": "20", "reseller": "30", "manufacturer": "50"}})
    assert late.status_code == 422 and "effective_from" in late.json["error"]["fields"]


def test_import_refuses_hostile_rows_by_line_and_field_and_records_nothing(
        client, books, make_token):
    ns = books()
    rows = ["2025-05-01,10.00,INV-1,Nordics,", "2025-05-02,1e999997,INV-2,Nordics,",
            "9999-12-31,10.00,INV-3,Nordics,", "2025-05-04,10.00,INV-4,North\x01,",
            "2025-05-05,sNaN,INV-5,Nordics,", "2025-05-06,10.00,INV\x00-6,Nordics,"]
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import",
                           headers=make_token(ns.finance["reseller"]),
                           data={"file": (_csv(rows), "revenue.csv")})
    assert response.status_code == 422
    assert [(r["line"], r["field"]) for r in response.json["error"]["rows"]] == [
        (3, "amount"), (4, "date"), (5, "region"), (6, "amount"), (7, "reference")]
    assert db.session.scalar(select(func.count(RevenueEntry.id))) == 0


def test_the_revenue_form_shows_why_beside_each_field(client, books):
    from tests.conftest import login, post_form
    ns = books()
    login(client, ns.finance["customer"].email)
    url = f"/ventures/{ns.venture.id}/revenue"
    shape = post_form(client, url, {"date": "9999-12-31", "amount": "1.00",
                                    "reference": "INV\x00", "region": "North\x01"})
    rules = post_form(client, url, {"date": "2025-03-01", "amount": "1e999997",
                                    "reference": "INV-1"})  # the service checks amounts
    for page, field, message in (
            (shape, "date", "Use a date between 1900-01-01 and 2199-12-31"),
            (shape, "reference", "Remove the control character U+0000"),
            (shape, "region", "Remove the control character U+0001 at position 6"),
            (rules, "amount", "Enter an amount such as 1234.50.")):
        assert page.status_code == 422
        form = page.get_data(as_text=True).split("Record revenue</h2>")[1]
        after = form.split(f'name="{field}"')[1]
        assert message in after.split("</div>")[0], field
    assert db.session.scalar(select(func.count(RevenueEntry.id))) == 0


def _message_beside(page, heading: str, field: str) -> str:
    form = page.get_data(as_text=True).split(heading)[1]
    return form.split(f'name="{field}"')[1].split("</div>")[0]


def test_one_round_shows_every_problem_of_the_revenue_form(client, books):
    """A date the form refuses and an amount only the rules refuse: both are named at once,
    not the amount after the date is mended (a browser walk found the second round)."""
    from tests.conftest import login, post_form
    ns = books()
    login(client, ns.finance["customer"].email)
    page = post_form(client, f"/ventures/{ns.venture.id}/revenue", {
        "date": "9999-12-31", "amount": "1e999997", "reference": "INV-1"})
    assert page.status_code == 422
    assert "Use a date between 1900-01-01" in _message_beside(page, "Record revenue</h2>",
                                                               "date")
    assert "Enter an amount such as 1234.50." in _message_beside(
        page, "Record revenue</h2>", "amount")
    assert db.session.scalar(select(func.count(RevenueEntry.id))) == 0


def test_one_round_shows_every_problem_of_the_agreement_form(client, books):
    from tests.conftest import login, post_form
    ns = books()
    before = db.session.scalar(select(func.count(SplitAgreement.id)))
    login(client, ns.finance["customer"].email)
    page = post_form(client, f"/ventures/{ns.venture.id}/agreements", {
        "effective_from": "9999-12-31", "customer": "50.00", "reseller": "20.00",
        "manufacturer": "20.00"})
    assert page.status_code == 422
    heading = "Propose a new agreement</h2>"
    assert heading in page.get_data(as_text=True)
    assert "Use a date between 1900-01-01" in _message_beside(page, heading, "effective_from")
    for role in ("customer", "reseller", "manufacturer"):
        assert "they must add up to 100.00" in _message_beside(page, heading, role), role
    form = page.get_data(as_text=True).split(heading)[1]
    assert form.count("they must add up to 100.00") == 3  # beside each share, not again above
    assert db.session.scalar(select(func.count(SplitAgreement.id))) == before
