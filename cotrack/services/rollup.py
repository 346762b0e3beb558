"""The monthly revenue rollups the reports read, kept in the transaction of each write.

``revenue_month``: per venture and month. ``revenue_org_month``: per organisation, month
and currency, over every venture the organisation is an accepted party of (the report
summary of its leads and finance users). Rows are upserted in (month, organisation) order,
so two writers touching the same months lock them in the same order.
"""

from sqlalchemy import text

from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Venture

_ADD_MONTH = text("""
    INSERT INTO revenue_month (venture_id, month, currency, customer, reseller, manufacturer,
                               entries)
    VALUES (:venture_id, :month, :currency, :customer, :reseller, :manufacturer, :entries)
    ON CONFLICT (venture_id, month) DO UPDATE SET
      customer = revenue_month.customer + excluded.customer,
      reseller = revenue_month.reseller + excluded.reseller,
      manufacturer = revenue_month.manufacturer + excluded.manufacturer,
      entries = revenue_month.entries + excluded.entries""")

# one row per accepted party of the venture
_ADD_ORG_MONTH = text("""
    INSERT INTO revenue_org_month (organisation_id, month, currency, customer, reseller,
                                   manufacturer, entries)
    SELECT p.organisation_id, :month, :currency, :customer, :reseller, :manufacturer, :entries
    FROM venture_party p
    WHERE p.venture_id = :venture_id AND p.accepted_at IS NOT NULL
    ORDER BY p.organisation_id
    ON CONFLICT (organisation_id, month, currency) DO UPDATE SET
      customer = revenue_org_month.customer + excluded.customer,
      reseller = revenue_org_month.reseller + excluded.reseller,
      manufacturer = revenue_org_month.manufacturer + excluded.manufacturer,
      entries = revenue_org_month.entries + excluded.entries""")

# every month of one venture, into one organisation's rows
_JOIN_ORG = text("""
    INSERT INTO revenue_org_month (organisation_id, month, currency, customer, reseller,
                                   manufacturer, entries)
    SELECT :organisation_id, m.month, m.currency, m.customer, m.reseller, m.manufacturer,
           m.entries
    FROM revenue_month m
    WHERE m.venture_id = :venture_id
    ORDER BY m.month
    ON CONFLICT (organisation_id, month, currency) DO UPDATE SET
      customer = revenue_org_month.customer + excluded.customer,
      reseller = revenue_org_month.reseller + excluded.reseller,
      manufacturer = revenue_org_month.manufacturer + excluded.manufacturer,
      entries = revenue_org_month.entries + excluded.entries""")


def add_to_months(venture: Venture, rows: list[dict]) -> None:
    """Add ledger rows (each with ``date`` and ``allocations``) to both rollups."""
    months: dict = {}
    for row in rows:
        key = row["date"].replace(day=1)
        month = months.setdefault(key, {r: 0 for r in PARTY_ROLES} | {"entries": 0})
        for role in PARTY_ROLES:
            month[role] += row["allocations"][role]
        month["entries"] += 1
    params = [{"venture_id": venture.id, "month": key, "currency": venture.currency, **sums}
              for key, sums in sorted(months.items())]
    db.session.execute(_ADD_MONTH, params)
    db.session.execute(_ADD_ORG_MONTH, params)


def organisation_joined(venture: Venture, organisation_id: int) -> None:
    """An organisation accepted its part in ``venture``: the venture's months (if it has
    any revenue yet) now count in the organisation's rollup."""
    db.session.execute(_JOIN_ORG, {"venture_id": venture.id,
                                   "organisation_id": organisation_id})
