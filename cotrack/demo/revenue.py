"""Demo split agreements and a year of revenue (part of `flask seed-demo`).

Written through the services, so allocations, hashes and the activity trail are exactly
what the application itself would produce; only the signing dates are set in the past.
"""

from datetime import date, timedelta

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.services import agreements, ledger

REGIONS = {"Nordics": 41_250_00, "DACH": 37_800_00, "North America": 52_400_00}
CODES = {"Nordics": "NO", "DACH": "DA", "North America": "NA"}


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _sign(demo, venture, agreement, signers, proposed_days_ago, took_days) -> None:
    for email in signers:
        agreements.decide(demo.users[email], venture, agreement, "approve", "Agreed.")
    proposed = utcnow() - timedelta(days=proposed_days_ago)
    agreement.proposed_at = proposed
    for i, approval in enumerate(agreement.approvals):
        approval.at = proposed + timedelta(days=took_days * (i + 1) // len(signers))
    if agreement.activated_at:
        agreement.activated_at = proposed + timedelta(days=took_days)


def seed_revenue(demo) -> None:
    mobile, edge = demo.ventures["mobile"], demo.ventures["edge"]
    today = utcnow().date()
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(_month_end(year, month))
    months.reverse()  # the last twelve complete months, oldest first

    first = agreements.propose(
        demo.users["finance@summit.example"], mobile, effective_from=months[0].replace(day=1),
        shares={"customer": "20.00", "reseller": "25.00", "manufacturer": "55.00"},
        note="Initial split: the manufacturer carries the product risk.")
    _sign(demo, mobile, first, ["finance@summit.example", "lead@northwind.example",
                                "finance@forge.example"], 420, 96)
    renegotiated_from = months[7] + timedelta(days=1)
    for i, month_end in enumerate(months):
        if month_end >= renegotiated_from and first.status == "active":
            second = agreements.propose(
                demo.users["lead@northwind.example"], mobile, effective_from=renegotiated_from,
                shares={"customer": "18.50", "reseller": "24.00", "manufacturer": "57.50"},
                note="Renegotiated after the worldwide launch.")
            _sign(demo, mobile, second, ["lead@northwind.example", "finance@summit.example",
                                         "finance@forge.example"], 150, 41)
        for region, base in REGIONS.items():
            amount = base + (i * 137_31 + len(region) * 9_99) % 6_000_00
            ledger.record_entry(demo.users["finance@forge.example"], mobile, {
                "date": month_end, "amount": f"{amount // 100}.{amount % 100:02d}",
                "reference": f"INV-{month_end:%Y%m}-{CODES[region]}", "region": region,
                "note": f"{region} sales {month_end:%B %Y}"})
    wrong = ledger.record_entry(demo.users["finance@summit.example"], mobile, {
        "date": months[-1], "amount": "12500.00", "reference": f"INV-{months[-1]:%Y%m}-NO",
        "region": "Nordics", "note": "Entered twice by mistake",
        "allow_duplicate_reference": True})
    ledger.reverse(demo.users["finance@summit.example"], mobile, wrong,
                   "Duplicate of the Nordics invoice")

    pending = agreements.propose(
        demo.users["finance@summit.example"], edge, effective_from=today.replace(day=1),
        shares={"customer": "15.00", "reseller": "30.00", "manufacturer": "55.00"},
        note="Proposed split for the edge cache appliance.")
    for email in ("finance@summit.example", "lead@northwind.example"):
        agreements.decide(demo.users[email], edge, pending, "approve", "Fine for us.")
    db.session.flush()
