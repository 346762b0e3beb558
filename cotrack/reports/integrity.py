"""Ledger integrity: recompute every entry's keyed hash chain and allocation sums.

Used by ``flask ledger-verify``, statements and the reports page. A row changed behind the
application's back (raw SQL, a restored backup) no longer matches its hash, or breaks the
chain of the entries after it; without the ledger key (outside the database) nobody can
compute hashes that match. ``since`` starts the check after a verified, signed statement
(a checkpoint): only the entries recorded since are recomputed, and the checkpoint's own
entry and count must still be there (a dropped tail is caught).
"""

from collections.abc import Iterator

from sqlalchemy import and_, func, select

from cotrack.db.ledger_key import ledger_key
from cotrack.domain.chain import entry_hash, signature_holds
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Allocation, LedgerStatement, RevenueEntry
from cotrack.reports.statement_core import statement_core

FIELDS = ("venture_id", "entry_date", "amount", "currency", "reference", "region", "note",
          "recorded_by_id", "recorded_at", "agreement_id", "reverses_id", "prev_hash", "hash")


def _bounded(query, venture_id: int | None, after: int | None, through: int | None):
    """``query`` limited to one venture's entries and to ids in (after, through]."""
    if venture_id:
        query = query.where(RevenueEntry.venture_id == venture_id)
    if after:
        query = query.where(RevenueEntry.id > after)
    if through:
        query = query.where(RevenueEntry.id <= through)
    return query


def _entries(venture_id: int | None, after: int | None = None,
             through: int | None = None) -> Iterator:
    query = _bounded(select(*(getattr(RevenueEntry, f) for f in FIELDS), RevenueEntry.id),
                     venture_id, after, through)
    query = query.order_by(RevenueEntry.venture_id, RevenueEntry.id)
    return db.session.execute(query.execution_options(yield_per=5000))


def _allocations(venture_id: int | None, after: int | None = None,
                 through: int | None = None) -> Iterator:
    query = _bounded(select(Allocation.entry_id, Allocation.role, Allocation.amount).join(
        RevenueEntry, RevenueEntry.id == Allocation.entry_id), venture_id, after, through)
    query = query.order_by(RevenueEntry.venture_id, Allocation.entry_id)
    return db.session.execute(query.execution_options(yield_per=15000))


def verify_ledger(venture_id: int | None = None, limit: int = 100,
                  since: LedgerStatement | None = None, through: int | None = None,
                  sums: dict | None = None) -> list[dict]:
    """Problems found, at most ``limit``: [{venture_id, entry_id, problem}]. ``since``: a
    verified statement of ``venture_id`` to start after; ``through``: stop at that entry;
    ``sums``: a dict to add each party's allocations to (for statements)."""
    key = ledger_key()
    after = since.through_entry_id if since is not None else None
    problems: list[dict] = []
    previous = {}
    if since is not None:
        problems += checkpoint_problems(since)
        previous[since.venture_id] = since.chain_head
    allocations = iter(_allocations(venture_id, after, through))
    pending = next(allocations, None)
    for entry in _entries(venture_id, after, through):
        parts = {}
        while pending is not None and pending.entry_id == entry.id:
            parts[pending.role] = pending.amount
            pending = next(allocations, None)
        found = _check(entry, parts, previous.get(entry.venture_id, ""), key)
        previous[entry.venture_id] = entry.hash
        if sums is not None:
            for role, amount in parts.items():
                sums[role] = sums.get(role, 0) + amount
        problems += [{"venture_id": entry.venture_id, "entry_id": entry.id, "problem": p}
                     for p in found]
        if len(problems) >= limit:
            break
    return problems[:limit]


def checkpoint_problems(statement: LedgerStatement) -> list[dict]:
    """Does the ledger still hold what ``statement`` covered, as far as can be told without
    recomputing it: its signature, its last entry with the same hash, as many entries."""
    problems = []
    where = {"venture_id": statement.venture_id, "entry_id": statement.through_entry_id}
    if not signature_holds({**statement_core(statement), "signature": statement.signature},
                           ledger_key()):
        problems.append({**where, "problem": "the checkpoint's signature does not hold"})
    count = db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == statement.venture_id,
        RevenueEntry.id <= (statement.through_entry_id or 0)))
    if count != statement.entry_count:
        problems.append({**where, "problem": f"{statement.entry_count} entries were verified "
                         f"up to entry {statement.through_entry_id}; {count} are there now"})
    if statement.through_entry_id:
        head = db.session.scalar(select(RevenueEntry.hash).where(
            RevenueEntry.id == statement.through_entry_id))
        if head != statement.chain_head:
            problems.append({**where, "problem": "the last verified entry is missing or its "
                             "hash changed"})
    return problems


def _check(entry, parts: dict, expected_prev: str, key: bytes) -> list[str]:
    found = []
    if set(parts) != set(PARTY_ROLES):
        return ["allocations missing"]
    if sum(parts.values()) != entry.amount:
        found.append("allocations do not sum to the amount")
    if entry.prev_hash != expected_prev:
        found.append("chain broken: previous hash does not match")
    if entry_hash(entry._asdict(), parts, entry.prev_hash, key) != entry.hash:
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


def latest_checkpoint(venture_id: int) -> LedgerStatement | None:
    """The venture's latest statement: every entry up to it was verified when it was taken."""
    return db.session.scalar(select(LedgerStatement).where(
        LedgerStatement.venture_id == venture_id).order_by(LedgerStatement.id.desc()).limit(1))


def check_venture(venture_id: int) -> list[dict]:
    """The report page's check: from the last checkpoint on (the entries recorded since,
    the checkpoint itself, and the monthly rollup's totals against both), or the whole
    chain and every month when the venture has no checkpoint yet."""
    since = latest_checkpoint(venture_id)
    if since is None:
        return verify_ledger(venture_id=venture_id) + verify_months(venture_id)
    return verify_ledger(venture_id=venture_id, since=since) + _rollup_since(since)


def _rollup_since(since: LedgerStatement) -> list[dict]:
    """The rollup's totals = the checkpoint's totals + the allocations recorded since."""
    from cotrack.models import RevenueMonth

    rollup = db.session.execute(select(*(func.coalesce(func.sum(getattr(RevenueMonth, r)), 0)
                                         for r in PARTY_ROLES))
                                .where(RevenueMonth.venture_id == since.venture_id)).one()
    later = dict(db.session.execute(
        select(Allocation.role, func.sum(Allocation.amount))
        .join(RevenueEntry, RevenueEntry.id == Allocation.entry_id)
        .where(RevenueEntry.venture_id == since.venture_id,
               RevenueEntry.id > (since.through_entry_id or 0))
        .group_by(Allocation.role)).all())
    expected = [getattr(since, r) + (later.get(r) or 0) for r in PARTY_ROLES]
    if list(rollup) != expected:
        return [{"venture_id": since.venture_id, "entry_id": None,
                 "problem": "the monthly totals differ from the ledger"}]
    return []


def verify_org_months(limit: int = 100) -> list[dict]:
    """Organisation months (``revenue_org_month``) that differ from the sum of the monthly
    rollup over the ventures the organisation is an accepted party of."""
    from cotrack.models import RevenueMonth, RevenueOrgMonth, VentureParty

    m = RevenueMonth
    expected: dict = {}
    for row in db.session.execute(
            select(VentureParty.organisation_id, m.month, m.currency,
                   *(func.sum(getattr(m, r)).label(r) for r in PARTY_ROLES))
            .join(VentureParty, and_(VentureParty.venture_id == m.venture_id,
                                     VentureParty.accepted_at.is_not(None)))
            .group_by(VentureParty.organisation_id, m.month, m.currency)):
        expected[(row.organisation_id, row.month, row.currency)] = \
            [getattr(row, r) for r in PARTY_ROLES]
    problems = []
    for o in db.session.scalars(select(RevenueOrgMonth)):
        key = (o.organisation_id, o.month, o.currency)
        sums = expected.pop(key, [0, 0, 0])
        if sums != [getattr(o, r) for r in PARTY_ROLES]:
            problems.append({"venture_id": None, "entry_id": None, "problem":
                             f"organisation {o.organisation_id}'s totals of "
                             f"{o.month:%Y-%m} ({o.currency}) differ from its ventures'"})
    problems += [{"venture_id": None, "entry_id": None, "problem":
                  f"organisation {org}'s totals of {month:%Y-%m} ({currency}) are missing"}
                 for (org, month, currency) in expected]
    return problems[:limit]
