"""Recording revenue: allocate by the agreement in effect, chain the hash, never edit.

An entry and its three allocations are written together in the caller's transaction; the
venture row is locked first so entries of one venture are chained one after another.
"""

import hashlib
import logging
from datetime import UTC

from sqlalchemy import insert, select, text

from cotrack.errors import Conflict, DomainError
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Allocation, RevenueEntry, User, Venture
from cotrack.money import allocate, format_amount, parse_amount
from cotrack.permissions import can_record_revenue
from cotrack.revisions import for_venture
from cotrack.services.activity import record
from cotrack.services.agreements import agreement_in_effect
from cotrack.services.common import collect, parse_date, text_field
from cotrack.timeutil import utcnow

log = logging.getLogger(__name__)


def entry_hash(fields: dict, allocations: dict, prev_hash: str) -> str:
    """SHA-256 over the entry's content, its allocations and the previous entry's hash."""
    recorded_at = fields["recorded_at"].astimezone(UTC).isoformat(timespec="microseconds")
    parts = [
        str(fields["venture_id"]), fields["entry_date"].isoformat(), str(fields["amount"]),
        fields["currency"], fields["reference"], fields["region"], fields["note"],
        str(fields["recorded_by_id"]), recorded_at, str(fields["agreement_id"]),
        str(fields.get("reverses_id") or ""),
        *(str(allocations[r]) for r in PARTY_ROLES), prev_hash,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def lock_chain(venture: Venture) -> str:
    """Lock the venture's ledger for this transaction; the hash of its last entry."""
    db.session.execute(select(Venture.id).where(Venture.id == venture.id).with_for_update())
    last = db.session.scalar(select(RevenueEntry.hash).where(
        RevenueEntry.venture_id == venture.id).order_by(RevenueEntry.id.desc()).limit(1))
    return last or ""


def validate_row(venture: Venture, data: dict) -> dict:
    return collect({
        "date": lambda: parse_date(data.get("date"), "date"),
        "amount": lambda: parse_amount(data.get("amount"), venture.currency),
        "reference": lambda: text_field(data.get("reference"), "reference", True, 100),
        "region": lambda: text_field(data.get("region"), "region", False, 100),
        "note": lambda: text_field(data.get("note"), "note", False, 2000),
    })


def write_entries(actor: User, venture: Venture, rows: list[dict], prev_hash: str) -> list[int]:
    """Insert entries (each with ``agreement`` and ``allocations``) and their allocations."""
    now = utcnow()
    entries = []
    for row in rows:
        fields = {
            "venture_id": venture.id, "entry_date": row["date"], "amount": row["amount"],
            "currency": venture.currency, "reference": row["reference"],
            "region": row["region"], "note": row["note"], "recorded_by_id": actor.id,
            "recorded_at": now, "agreement_id": row["agreement_id"],
            "reverses_id": row.get("reverses_id"), "prev_hash": prev_hash,
        }
        fields["hash"] = prev_hash = entry_hash(fields, row["allocations"], prev_hash)
        entries.append(fields)
    ids = db.session.scalars(for_venture(insert(RevenueEntry).returning(
        RevenueEntry.id, sort_by_parameter_order=True), venture.id), entries).all()
    allocation_rows = [{"entry_id": entry_id, "role": role, "amount": row["allocations"][role]}
                       for entry_id, row in zip(ids, rows, strict=True) for role in PARTY_ROLES]
    db.session.execute(for_venture(insert(Allocation), venture.id), allocation_rows)
    add_to_months(venture, rows)
    return list(ids)


_ADD_MONTH = text("""
    INSERT INTO revenue_month (venture_id, month, currency, customer, reseller, manufacturer,
                               entries)
    VALUES (:venture_id, :month, :currency, :customer, :reseller, :manufacturer, :entries)
    ON CONFLICT (venture_id, month) DO UPDATE SET
      customer = revenue_month.customer + excluded.customer,
      reseller = revenue_month.reseller + excluded.reseller,
      manufacturer = revenue_month.manufacturer + excluded.manufacturer,
      entries = revenue_month.entries + excluded.entries""")


def add_to_months(venture: Venture, rows: list[dict]) -> None:
    """Keep the monthly rollup in step with the entries, in the same transaction."""
    months: dict = {}
    for row in rows:
        key = row["date"].replace(day=1)
        month = months.setdefault(key, {r: 0 for r in PARTY_ROLES} | {"entries": 0})
        for role in PARTY_ROLES:
            month[role] += row["allocations"][role]
        month["entries"] += 1
    db.session.execute(for_venture(_ADD_MONTH, venture.id), [
        {"venture_id": venture.id, "month": key, "currency": venture.currency, **sums}
        for key, sums in months.items()])


def _allocated(venture: Venture, row: dict, field: str = "date") -> dict:
    agreement = agreement_in_effect(venture, row["date"])
    if agreement is None:
        raise DomainError(f"No signed split agreement is in effect on {row['date']}; "
                          "revenue cannot be allocated.", field=field)
    return {**row, "agreement_id": agreement.id,
            "allocations": allocate(row["amount"], agreement.shares)}


def record_entry(actor: User, venture: Venture, data: dict) -> RevenueEntry:
    if not can_record_revenue(actor, venture):
        raise DomainError("Only finance users of a party record revenue.")
    row = _allocated(venture, validate_row(venture, data))
    prev_hash = lock_chain(venture)
    (entry_id,) = write_entries(actor, venture, [row], prev_hash)
    entry = db.session.get(RevenueEntry, entry_id)
    record(actor, venture, "recorded", entry, label=entry.reference, changes={
        "date": entry.entry_date, "amount": format_amount(entry.amount, entry.currency),
        **{r: format_amount(row["allocations"][r], entry.currency) for r in PARTY_ROLES}})
    log.info("revenue entry %s recorded by user %s", entry.id, actor.id)
    return entry


def reversal_of(entry: RevenueEntry) -> RevenueEntry | None:
    return db.session.scalar(select(RevenueEntry).where(RevenueEntry.reverses_id == entry.id))


def reverse(actor: User, venture: Venture, entry: RevenueEntry, note: str = "") -> RevenueEntry:
    if not can_record_revenue(actor, venture):
        raise DomainError("Only finance users of a party reverse revenue.")
    prev_hash = lock_chain(venture)
    if entry.reverses_id is not None:
        raise Conflict("This entry is itself a reversal; it cannot be reversed.")
    if reversal_of(entry) is not None:
        raise Conflict("This entry has been reversed already.")
    row = {
        "date": utcnow().date(), "amount": -entry.amount,
        "reference": entry.reference, "region": entry.region,
        "note": text_field(note, "note", False, 2000) or f"Reversal of entry {entry.id}",
        "agreement_id": entry.agreement_id, "reverses_id": entry.id,
        "allocations": {a.role: -a.amount for a in entry.allocations},
    }
    (entry_id,) = write_entries(actor, venture, [row], prev_hash)
    reversal = db.session.get(RevenueEntry, entry_id)
    record(actor, venture, "reversed", entry, label=entry.reference, changes={
        "amount": format_amount(entry.amount, entry.currency), "reversal_id": reversal.id})
    return reversal
