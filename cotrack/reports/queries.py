"""Ledger and summary queries for reports; the database does the sums.


Both the page and the exports use these, so an export ties out with the screen.
"""

from datetime import timedelta

from sqlalchemy import Integer, Select, String, and_, case, cast, exists, func, literal, select
from sqlalchemy.orm import aliased

from cotrack.extensions import db
from cotrack.models import (
    PARTY_ROLES,
    Allocation,
    RevenueEntry,
    RevenueMonth,
    User,
    Venture,
    VentureParty,
)
from cotrack.reports.filters import ReportFilter


def revenue_visible(user: User, venture_id=RevenueEntry.venture_id):
    """SQL condition: the user may see the revenue of the venture in ``venture_id``."""
    if user.is_admin:
        return literal(True)
    if user.role not in ("lead", "finance"):
        return literal(False)
    return exists().where(
        VentureParty.venture_id == venture_id,
        VentureParty.organisation_id == user.organisation_id,
        VentureParty.accepted_at.is_not(None),
    )


def period_key(period: str, column=RevenueEntry.entry_date):
    if db.session.get_bind().dialect.name == "postgresql":
        fmt = {"month": "YYYY-MM", "quarter": 'YYYY-"Q"Q', "year": "YYYY"}[period]
        return func.to_char(column, fmt)
    if period == "quarter":
        month = cast(func.strftime("%m", column), Integer)
        return func.strftime("%Y", column) + "-Q" + cast((month + 2) // 3, String)
    return func.strftime({"month": "%Y-%m", "year": "%Y"}[period], column)


def _where(query: Select, user: User, f: ReportFilter) -> Select:
    query = query.where(revenue_visible(user))
    if f.start:
        query = query.where(RevenueEntry.entry_date >= f.start)
    if f.end:
        query = query.where(RevenueEntry.entry_date <= f.end)
    if f.venture_id:
        query = query.where(RevenueEntry.venture_id == f.venture_id)
    if f.currency:
        query = query.where(RevenueEntry.currency == f.currency)
    return query


def whole_months(f: ReportFilter) -> bool:
    return ((f.start is None or f.start.day == 1)
            and (f.end is None or (f.end + timedelta(days=1)).day == 1))


def summary(user: User, f: ReportFilter, by_venture: bool = False) -> Select:
    """Rows of (period, currency, [venture_id, venture,] customer, reseller, manufacturer) in
    minor units, ordered by currency and period. Whole months come from the monthly rollup."""
    if whole_months(f):
        return _summary_from_months(user, f, by_venture)
    period = period_key(f.period).label("period")
    shares = [func.coalesce(func.sum(case((Allocation.role == r, Allocation.amount))), 0)
              .label(r) for r in PARTY_ROLES]
    group = [period, RevenueEntry.currency]
    columns = [period, RevenueEntry.currency]
    if by_venture:
        columns += [Venture.id.label("venture_id"), Venture.name.label("venture")]
        group += [Venture.id, Venture.name]
    query = (select(*columns, *shares)
             .select_from(RevenueEntry)
             .join(Allocation, Allocation.entry_id == RevenueEntry.id))
    if by_venture:
        query = query.join(Venture, Venture.id == RevenueEntry.venture_id)
    return _where(query, user, f).group_by(*group).order_by(RevenueEntry.currency, period,
                                                            *group[2:])


def ledger(user: User, f: ReportFilter) -> Select:
    """One row per entry with its three allocations side by side."""
    parts = {r: aliased(Allocation, name=f"a_{r}") for r in PARTY_ROLES}
    query = select(
        RevenueEntry.id, RevenueEntry.entry_date, Venture.name.label("venture"),
        RevenueEntry.venture_id, RevenueEntry.reference, RevenueEntry.region,
        RevenueEntry.currency, RevenueEntry.amount, RevenueEntry.reverses_id,
        *(parts[r].amount.label(r) for r in PARTY_ROLES),
    ).join(Venture, Venture.id == RevenueEntry.venture_id)
    for role, alias in parts.items():
        query = query.join(alias, and_(alias.entry_id == RevenueEntry.id, alias.role == role))
    return _where(query, user, f).order_by(RevenueEntry.entry_date, RevenueEntry.id)


def totals(rows, roles=PARTY_ROLES) -> dict:
    """{currency: {role: total, "total": total}} from summary or ledger rows."""
    result: dict = {}
    for row in rows:
        per = result.setdefault(row.currency, {r: 0 for r in (*roles, "total")})
        for role in roles:
            per[role] += getattr(row, role)
        per["total"] += sum(getattr(row, r) for r in PARTY_ROLES)
    return result


def _summary_from_months(user: User, f: ReportFilter, by_venture: bool) -> Select:
    """Sum the rollup per month first, then per period: the period label is computed for a
    dozen monthly sums, not for every venture's month."""
    m = RevenueMonth
    keys = [m.month, m.currency] + ([Venture.id, Venture.name] if by_venture else [])
    query = select(*keys, *(func.sum(getattr(m, r)).label(r) for r in PARTY_ROLES))
    if by_venture:
        query = query.join(Venture, Venture.id == m.venture_id)
    query = query.where(revenue_visible(user, m.venture_id))
    if f.start:
        query = query.where(m.month >= f.start)
    if f.end:
        query = query.where(m.month <= f.end)
    if f.venture_id:
        query = query.where(m.venture_id == f.venture_id)
    if f.currency:
        query = query.where(m.currency == f.currency)
    monthly = query.group_by(*keys).subquery()
    period = period_key(f.period, monthly.c.month).label("period")
    per_venture = [monthly.c.id.label("venture_id"), monthly.c.name.label("venture")] \
        if by_venture else []
    group = [monthly.c.currency, period, *(c.element for c in per_venture)]
    return (select(period, monthly.c.currency, *per_venture,
                   *(func.sum(monthly.c[r]).label(r) for r in PARTY_ROLES))
            .group_by(*group).order_by(*group))
