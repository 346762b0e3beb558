"""Ledger integrity: recompute every entry's hash chain and allocation sums.

Used by ``flask ledger-verify`` and the reports page. A row changed behind the
application's back (raw SQL, a restored backup) no longer matches its hash, or breaks the
chain of the entries after it.
"""

from collections.abc import Iterator

from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Allocation, RevenueEntry
from cotrack.services.ledger import entry_hash

FIELDS = ("venture_id", "entry_date", "amount", "currency", "reference", "region", "note",
          "recorded_by_id", "recorded_at", "agreement_id", "reverses_id", "prev_hash", "hash")


def _entries(venture_id: int | None) -> Iterator:
    query = select(*(getattr(RevenueEntry, f) for f in FIELDS), RevenueEntry.id)
    if venture_id:
        query = query.where(RevenueEntry.venture_id == venture_id)
    query = query.order_by(RevenueEntry.venture_id, RevenueEntry.id)
    return db.session.execute(query.execution_options(yield_per=5000))


def _allocations(venture_id: int | None) -> Iterator:
    query = select(Allocation.entry_id, Allocation.role, Allocation.amount).join(
        RevenueEntry, RevenueEntry.id == Allocation.entry_id)
    if venture_id:
        query = query.where(RevenueEntry.venture_id == venture_id)
    query = query.order_by(RevenueEntry.venture_id, Allocation.entry_id)
    return db.session.execute(query.execution_options(yield_per=15000))


def verify_ledger(venture_id: int | None = None, limit: int = 100) -> list[dict]:
    """Problems found, at most ``limit``: [{venture_id, entry_id, problem}]."""
    problems: list[dict] = []
    allocations = iter(_allocations(venture_id))
    pending = next(allocations, None)
    previous = {}
    for entry in _entries(venture_id):
        parts = {}
        while pending is not None and pending.entry_id == entry.id:
            parts[pending.role] = pending.amount
            pending = next(allocations, None)
        found = _check(entry, parts, previous.get(entry.venture_id, ""))
        previous[entry.venture_id] = entry.hash
        problems += [{"venture_id": entry.venture_id, "entry_id": entry.id, "problem": p}
                     for p in found]
        if len(problems) >= limit:
            break
    return problems[:limit]


def _check(entry, parts: dict, expected_prev: str) -> list[str]:
    found = []
    if set(parts) != set(PARTY_ROLES):
        return ["allocations missing"]
    if sum(parts.values()) != entry.amount:
        found.append("allocations do not sum to the amount")
    if entry.prev_hash != expected_prev:
        found.append("chain broken: previous hash does not match")
    if entry_hash(entry._asdict(), parts, entry.prev_hash) != entry.hash:
        found.append("content does not match its hash (changed after it was recorded)")
    return found


def verify_months(venture_id: int | None = None, limit: int = 100) -> list[dict]:
    """Months where the reports' rollup differs from the ledger's allocations."""
    from cotrack.models import RevenueMonth
    from cotrack.reports.queries import period_key

    month = period_key("month").label("month")
    sums = select(RevenueEntry.venture_id, month, Allocation.role,
                  func.sum(Allocation.amount).label("amount")).join(
        Allocation, Allocation.entry_id == RevenueEntry.id)
    rollup = select(RevenueMonth)
    if venture_id:
        sums = sums.where(RevenueEntry.venture_id == venture_id)
        rollup = rollup.where(RevenueMonth.venture_id == venture_id)
    ledger_sums: dict = {}
    for row in db.session.execute(sums.group_by(RevenueEntry.venture_id, month, Allocation.role)):
        ledger_sums.setdefault((row.venture_id, row.month), {})[row.role] = row.amount
    problems = []
    for m in db.session.scalars(rollup):
        key = (m.venture_id, m.month.strftime("%Y-%m"))
        expected = ledger_sums.pop(key, {})
        if any(expected.get(r, 0) != getattr(m, r) for r in PARTY_ROLES):
            problems.append({"venture_id": m.venture_id, "entry_id": None,
                             "problem": f"monthly totals of {key[1]} differ from the ledger"})
    problems += [{"venture_id": v, "entry_id": None,
                  "problem": f"monthly totals of {month_key} are missing"}
                 for (v, month_key) in ledger_sums]
    return problems[:limit]
