"""The report summary of a lead or finance user comes from their organisation's monthly
rollup: it holds exactly the revenue of the ventures the organisation is an accepted party
of, kept by every ledger write (entries, imports, reversals) in the same transaction."""

import re
from datetime import date
from decimal import Decimal

from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, RevenueEntry, User
from cotrack.reports.filters import ReportFilter
from cotrack.reports.integrity import verify_org_months
from cotrack.reports.queries import summary, summary_rows
from cotrack.services import ledger, ventures
from tests.conftest import login
from tests.finance.conftest import sign


def _totals(html: str, currency: str) -> dict:
    return {role: Decimal(re.search(
        rf'data-testid="total-{currency}-{role}"><span class="money[^"]*">([^<]+)<', html
    ).group(1).replace(f"{currency}\xa0", "").replace(",", "")) for role in PARTY_ROLES}


def _venture(lead, parties, make_user, currency="EUR"):
    """A signed venture of ``parties`` ({role: organisation}), created by ``lead``."""
    venture = ventures.create_venture(lead, name=f"Rollup {lead.id}-{currency}",
                                      description="", currency=currency,
                                      parties={r: o.id for r, o in parties.items()})
    for org in parties.values():
        if org.id != lead.organisation_id:
            ventures.accept(make_user("lead", org=org), venture)
    ns = type("NS", (), {})()
    ns.venture = venture
    ns.finance = {r: make_user("finance", org=o) for r, o in parties.items()}
    sign(ns)
    return ns


def test_the_summary_holds_the_revenue_of_the_organisations_ventures_only(
        client, make_org, make_user):
    ours, a, b, c, d = (make_org() for _ in range(5))
    lead = make_user("lead", org=ours)
    first = _venture(lead, {"customer": ours, "reseller": a, "manufacturer": b}, make_user)
    # a second venture, in another role, created by another organisation
    second = _venture(make_user("lead", org=c), {"customer": c, "reseller": ours,
                                                 "manufacturer": d}, make_user)
    other = _venture(make_user("lead", org=a), {"customer": a, "reseller": c,
                                                "manufacturer": d}, make_user)
    for ns, amount in ((first, "1000.00"), (second, "200.00"), (other, "55555.00")):
        for day in ("2025-03-14", "2025-03-20", "2025-05-02"):
            ledger.record_entry(ns.finance["customer"], ns.venture, {
                "date": day, "amount": amount, "reference": f"INV-{day}"})
    db.session.commit()
    wrong = db.session.query(RevenueEntry).filter_by(venture_id=first.venture.id).first()
    ledger.reverse(first.finance["customer"], first.venture, wrong, "typo")  # today's month
    db.session.commit()

    login(client, lead.email)
    html = client.get("/reports?period=year").get_data(as_text=True)
    # 20/25/55 of (3 x 1000 - 1000 reversed) + 3 x 200; nothing of the other venture
    assert _totals(html, "EUR") == {"customer": Decimal("520.00"),
                                    "reseller": Decimal("650.00"),
                                    "manufacturer": Decimal("1430.00")}
    one_month = client.get("/reports?from=2025-03-01&to=2025-03-31").get_data(as_text=True)
    assert _totals(one_month, "EUR") == {"customer": Decimal("480.00"),
                                         "reseller": Decimal("600.00"),
                                         "manufacturer": Decimal("1320.00")}
    assert verify_org_months() == []


def test_ledger_verify_names_an_organisation_month_that_differs(client, make_org, make_user):
    ours, a, b = (make_org() for _ in range(3))
    ns = _venture(make_user("lead", org=ours), {"customer": ours, "reseller": a,
                                                "manufacturer": b}, make_user)
    ledger.record_entry(ns.finance["customer"], ns.venture, {
        "date": "2025-03-14", "amount": "100.00", "reference": "INV-1"})
    db.session.commit()
    db.session.execute(db.text("UPDATE revenue_org_month SET customer = customer + 1 "
                               "WHERE organisation_id = :o"), {"o": ours.id})
    problems = [p["problem"] for p in verify_org_months()]
    assert problems == [f"organisation {ours.id}'s totals of 2025-03 (EUR) differ from "
                        "its ventures'"]


def test_the_report_built_once_answers_each_filter_with_its_own_values(
        client, make_org, make_user):
    """The organisation's summary statement is built once per shape of filter and run with
    the dates and currency asked for: two years, two currencies and each period through the
    same statement give each its own figures, those of the statement built afresh."""
    ours, a, b = (make_org() for _ in range(3))
    lead = make_user("lead", org=ours)
    parties = {"customer": ours, "reseller": a, "manufacturer": b}
    eur = _venture(lead, parties, make_user)
    usd = _venture(lead, parties, make_user, currency="USD")
    for ns, day, amount in ((eur, "2025-02-10", "100.00"), (eur, "2025-03-14", "1000.00"),
                            (eur, "2026-03-02", "10.00"), (usd, "2025-03-01", "7.00")):
        ledger.record_entry(ns.finance["customer"], ns.venture, {
            "date": day, "amount": amount, "reference": f"INV-{day}"})
    db.session.commit()
    user = db.session.get(User, lead.id)
    for period in ("month", "quarter", "year"):
        for start, end in ((date(2025, 1, 1), date(2025, 12, 31)),
                           (date(2026, 1, 1), date(2026, 12, 31)), (None, None)):
            for currency in (None, "EUR", "USD"):
                f = ReportFilter(start=start, end=end, period=period, currency=currency)
                rows = [tuple(r) for r in summary_rows(user, f)]
                # (the values asked for: not those of the first of its shape, 2025's)
                assert rows == [tuple(r) for r in db.session.execute(summary(user, f))], f
    login(client, lead.email)
    html = client.get("/reports?period=year&from=2025-01-01&to=2025-12-31").text
    assert _totals(html, "EUR")["customer"] == Decimal("220.00")
    html = client.get("/reports?period=year&from=2026-01-01&to=2026-12-31").text
    assert _totals(html, "EUR")["customer"] == Decimal("2.00")
