"""Recording revenue: allocate by the agreement in effect, chain the hash, never edit.

An entry and its three allocations are written together in the caller's transaction; the
venture row is locked first so entries of one venture are chained one after another.
"""

import logging
from collections.abc import Iterable

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from cotrack.db.ledger_key import ledger_key
from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.domain.chain import entry_hash
from cotrack.domain.errors import Conflict, DomainError, NotAllowed
from cotrack.domain.money import allocate, format_amount, format_money, parse_amount
from cotrack.domain.permissions import can_record_revenue
from cotrack.domain.text_limits import REMARK, SHORT
from cotrack.domain.valid_input import collect, parse_date, text_field
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, RevenueEntry, User, Venture
from cotrack.services.activity import record
from cotrack.services.agreements import agreement_in_effect
from cotrack.services.common import lock_money
from cotrack.services.ledger_rows import insert_allocations, insert_entries
from cotrack.services.notifications import about, notify, revenue_people
from cotrack.services.rollup import add_to_months

log = logging.getLogger(__name__)


def lock_chain(venture: Venture) -> str:
    """Lock the venture's ledger for this transaction; the hash of its last entry."""
    lock_money(venture)
    return chain_head(venture)


def chain_head(venture: Venture) -> str:
    """The hash of the venture's last entry ("" for an empty ledger)."""
    last = db.session.scalar(select(RevenueEntry.hash).where(
        RevenueEntry.venture_id == venture.id).order_by(RevenueEntry.id.desc()).limit(1))
    return last or ""


class DuplicateReference(Conflict):
    """The reference is already on a live entry of the venture (409, naming that entry);
    recorded only when the person confirms the duplicate (``allow_duplicate_reference``)."""

    def __init__(self, existing: RevenueEntry):
        when = existing.entry_date.isoformat()
        super().__init__(
            f"Reference {existing.reference} is already on entry #{existing.id} of {when} "
            f"({format_money(existing.amount, existing.currency)}). Record it again only if "
            "that is intended: tick \u201cRecord this duplicate reference\u201d.",
            field="reference")
        self.existing = existing
        self.details = {"existing": {
            "id": existing.id, "date": when, "reference": existing.reference,
            "amount": format_amount(existing.amount, existing.currency),
            "currency": existing.currency, "url": paths.revenue(existing.venture_id)}}


def duplicate_references(venture_id: int, references: Iterable[str]) -> dict[str, RevenueEntry]:
    """The venture's live entries already holding one of ``references``: {reference: the
    earliest such entry}. Live: neither a reversal nor reversed (a reversed invoice may be
    issued again). For the form, the API and imports (a line per duplicate)."""
    wanted = sorted({r for r in references if r})
    later = aliased(RevenueEntry)
    found: dict[str, RevenueEntry] = {}
    for start in range(0, len(wanted), 500):
        query = (select(RevenueEntry).where(
            RevenueEntry.venture_id == venture_id,
            RevenueEntry.reference.in_(wanted[start:start + 500]),
            RevenueEntry.reverses_id.is_(None),
            ~exists().where(later.reverses_id == RevenueEntry.id))
            .order_by(RevenueEntry.id))
        for entry in db.session.scalars(query):
            found.setdefault(entry.reference, entry)
    return found


def _allow_duplicate(data: dict) -> bool:
    value = data.get("allow_duplicate_reference")
    if value is None:
        return False
    if not isinstance(value, bool):
        raise DomainError("Send true or false.", field="allow_duplicate_reference")
    return value


def validate_row(venture: Venture, data: dict) -> dict:
    return collect({
        "date": lambda: parse_date(data.get("date"), "date"),
        "amount": lambda: parse_amount(data.get("amount"), venture.currency),
        "reference": lambda: text_field(data.get("reference"), "reference", True, SHORT),
        "region": lambda: text_field(data.get("region"), "region", False, SHORT),
        "note": lambda: text_field(data.get("note"), "note", False, REMARK, long=True),
    })


def write_entries(actor: User, venture: Venture, rows: list[dict], prev_hash: str) -> list[int]:
    """Insert entries (each with ``agreement`` and ``allocations``) and their allocations."""
    now, key = utcnow(), ledger_key()
    entries = []
    for row in rows:
        fields = {
            "venture_id": venture.id, "entry_date": row["date"], "amount": row["amount"],
            "currency": venture.currency, "reference": row["reference"],
            "region": row["region"], "note": row["note"], "recorded_by_id": actor.id,
            "recorded_at": now, "agreement_id": row["agreement_id"],
            "reverses_id": row.get("reverses_id"), "prev_hash": prev_hash,
        }
        fields["hash"] = prev_hash = entry_hash(fields, row["allocations"], prev_hash, key)
        entries.append(fields)
    ids = insert_entries(entries)
    allocation_rows = [{"entry_id": entry_id, "role": role, "amount": row["allocations"][role]}
                       for entry_id, row in zip(ids, rows, strict=True) for role in PARTY_ROLES]
    insert_allocations(allocation_rows)
    add_to_months(venture, rows)
    return list(ids)


def _allocated(venture: Venture, row: dict, field: str = "date") -> dict:
    agreement = agreement_in_effect(venture, row["date"])
    if agreement is None:
        raise DomainError(f"No signed split agreement is in effect on {row['date']}; "
                          "revenue cannot be allocated.", field=field)
    return {**row, "agreement_id": agreement.id,
            "allocations": allocate(row["amount"], agreement.shares)}


def record_entry(actor: User, venture: Venture, data: dict) -> RevenueEntry:
    if not can_record_revenue(actor, venture):
        raise NotAllowed("Only finance users of a party record revenue.")
    allow_duplicate = _allow_duplicate(data)
    row = validate_row(venture, data)
    prev_hash = lock_chain(venture)  # before the agreement in effect is read
    row = _allocated(venture, row)
    duplicate = duplicate_references(venture.id, [row["reference"]]).get(row["reference"])
    if duplicate is not None and not allow_duplicate:
        raise DuplicateReference(duplicate)
    (entry_id,) = write_entries(actor, venture, [row], prev_hash)
    entry = db.session.get(RevenueEntry, entry_id)
    changes = {"date": entry.entry_date, "amount": format_amount(entry.amount, entry.currency),
               **{r: format_amount(row["allocations"][r], entry.currency) for r in PARTY_ROLES}}
    if duplicate is not None:
        changes["duplicate_of"] = duplicate.id
    activity = record(actor, venture, "recorded", entry, label=entry.reference, changes=changes)
    tell_revenue(actor, venture, activity)
    log.info("revenue entry %s recorded by user %s", entry.id, actor.id)
    return entry


def reversal_of(entry: RevenueEntry) -> RevenueEntry | None:
    return db.session.scalar(select(RevenueEntry).where(RevenueEntry.reverses_id == entry.id))


def reverse(actor: User, venture: Venture, entry: RevenueEntry, reason: str) -> RevenueEntry:
    """Record the entry's reversal: the opposite amount, the negated allocations, and the
    reason (required; DOMAIN.md), which both entries and the activity trail show."""
    if not can_record_revenue(actor, venture):
        raise NotAllowed("Only finance users of a party reverse revenue.")
    reason = text_field(reason, "reason", True, REMARK, long=True)
    prev_hash = lock_chain(venture)
    if entry.reverses_id is not None:
        raise Conflict("This entry is itself a reversal; it cannot be reversed.")
    if (done := reversal_of(entry)) is not None:
        raise Conflict(f"This entry has been reversed already, by entry #{done.id}.")
    row = {
        "date": utcnow().date(), "amount": -entry.amount,
        "reference": entry.reference, "region": entry.region, "note": reason,
        "agreement_id": entry.agreement_id, "reverses_id": entry.id,
        "allocations": {a.role: -a.amount for a in entry.allocations},
    }
    (entry_id,) = write_entries(actor, venture, [row], prev_hash)
    reversal = db.session.get(RevenueEntry, entry_id)
    activity = record(actor, venture, "reversed", entry, label=entry.reference, changes={
        "amount": format_amount(entry.amount, entry.currency), "reversal_id": reversal.id,
        "reason": reason})
    tell_revenue(actor, venture, activity)
    log.info("revenue entry %s reversed by entry %s (user %s)", entry.id, reversal.id, actor.id)
    return reversal


def tell_revenue(actor: User, venture: Venture, activity) -> None:
    """Revenue recorded, reversed or imported: to the leads and finance of every party."""
    notify("revenue_recorded", revenue_people(venture), venture, actor=actor,
           text=about(activity, venture), audience="revenue",
           url=paths.revenue(venture.id))
