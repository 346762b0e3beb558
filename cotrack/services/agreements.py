"""Split agreements: proposed by a lead or finance user, approved by one of each party.

The third approval makes the agreement active; the one active before becomes superseded
(it still allocates revenue dated before the new agreement's effective date: it was the
agreement in effect then). Posted revenue is never re-allocated, so a new agreement may
not take effect before revenue already recorded.
"""

import logging

from sqlalchemy import func, select

from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.domain.errors import Conflict, DomainError, NotAllowed
from cotrack.domain.money import FULL_SHARE, format_share, parse_share
from cotrack.domain.permissions import can_sign_agreements, party_of
from cotrack.domain.text_limits import REMARK, SUMMARY
from cotrack.domain.valid_input import check_each, parse_date, text_field
from cotrack.extensions import db
from cotrack.models import (
    PARTY_ROLES,
    SIGNED,
    AgreementApproval,
    RevenueEntry,
    SplitAgreement,
    User,
    Venture,
)
from cotrack.services import signoff
from cotrack.services.activity import record
from cotrack.services.common import lock_money
from cotrack.services.notifications import about, notify, revenue_people

log = logging.getLogger(__name__)


def latest_revenue_date(venture: Venture):
    return db.session.scalar(select(func.max(RevenueEntry.entry_date))
                             .where(RevenueEntry.venture_id == venture.id))


def latest_signed(venture: Venture) -> SplitAgreement | None:
    return db.session.scalar(
        select(SplitAgreement).where(SplitAgreement.venture_id == venture.id,
                                     SplitAgreement.status.in_(SIGNED))
        .order_by(SplitAgreement.effective_from.desc(), SplitAgreement.version.desc()).limit(1))


def _check_effective(venture: Venture, effective_from) -> None:
    last_revenue = latest_revenue_date(venture)
    if last_revenue is not None and effective_from <= last_revenue:
        raise DomainError(
            f"Revenue is recorded up to {last_revenue}; a new agreement must take effect "
            "after it (posted revenue is never re-allocated).", field="effective_from")
    signed = latest_signed(venture)
    if signed is not None and effective_from <= signed.effective_from:
        raise DomainError(f"Version {signed.version} takes effect {signed.effective_from}; "
                          "a new agreement must take effect after it.", field="effective_from")


def proposal_values(venture: Venture, *, effective_from, shares: dict, note: str = "") -> dict:
    """A proposal's values as stored (shares in basis points), or one DomainError naming
    every field at fault; reads, never writes."""
    shares = shares if isinstance(shares, dict) else {}
    values, problems = check_each({
        "effective_from": lambda: parse_date(effective_from, "effective_from"),
        "note": lambda: text_field(note, "note", False, SUMMARY, long=True),
        **{role: (lambda r=role: parse_share(shares.get(r), r)) for role in PARTY_ROLES},
    })
    if all(r in values for r in PARTY_ROLES):  # three shares: they must add up to 100.00
        total = sum(values[r] for r in PARTY_ROLES)
        if total != FULL_SHARE:
            message = f"The shares add up to {format_share(total)}; they must add up to 100.00."
            fields = {r: message for r in PARTY_ROLES} | {"shares": message}
            if not problems:  # the only problem: said as itself
                raise DomainError(message, fields=fields)
            problems.update(fields)
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    _check_effective(venture, values["effective_from"])
    return values


def propose(actor: User, venture: Venture, *, effective_from, shares: dict,
            note: str = "") -> SplitAgreement:
    if not can_sign_agreements(actor, venture):
        raise NotAllowed("Only a lead or finance user of a party can propose an agreement.")
    values = proposal_values(venture, effective_from=effective_from, shares=shares, note=note)
    version = (db.session.scalar(select(func.max(SplitAgreement.version))
                                 .where(SplitAgreement.venture_id == venture.id)) or 0) + 1
    agreement = SplitAgreement(
        venture_id=venture.id, version=version, effective_from=values["effective_from"],
        note=values["note"], proposed_by=actor,
        **{f"{r}_bp": values[r] for r in PARTY_ROLES})
    db.session.add(agreement)
    db.session.flush()
    row = record(actor, venture, "proposed", agreement, label=f"Split agreement v{version}",
                 changes={"effective_from": agreement.effective_from,
                          **{r: format_share(values[r]) for r in PARTY_ROLES}})
    _tell("agreement_proposed", actor, venture, row)
    log.info("agreement %s proposed by user %s", agreement.id, actor.id)
    return agreement


def decide(actor: User, venture: Venture, agreement: SplitAgreement, decision: str,
           comment: str = "") -> SplitAgreement:
    if not can_sign_agreements(actor, venture):
        raise NotAllowed("Only a lead or finance user of a party can sign agreements.")
    if decision not in ("approve", "reject"):
        raise DomainError("Decide approve or reject.", field="decision")
    comment = text_field(comment, "comment", False, REMARK, long=True)
    agreement = signoff.lock(select(SplitAgreement).where(SplitAgreement.id == agreement.id))
    if agreement.status != "proposed":
        raise Conflict(f"This agreement is {agreement.status}; it cannot be signed now.")
    role = party_of(actor, venture).role
    now = utcnow()
    all_approved = signoff.add_decision(agreement, AgreementApproval(
        role=role, user=actor, decision=decision, comment=comment, at=now), role)
    label = f"Split agreement v{agreement.version}"
    row = record(actor, venture, "approved" if decision == "approve" else "rejected", agreement,
                 label=label, changes={"party": role, "comment": comment or None})
    if decision == "reject":
        agreement.status = "rejected"
    elif all_approved:
        _activate(actor, venture, agreement, now)
    if not all_approved:
        _tell("agreement_approved" if decision == "approve" else "agreement_rejected", actor,
              venture, row)
    db.session.flush()
    return agreement


def _activate(actor, venture, agreement, now) -> None:
    lock_money(venture)
    _check_effective(venture, agreement.effective_from)  # revenue may have arrived meanwhile
    previous = db.session.scalar(select(SplitAgreement).where(
        SplitAgreement.venture_id == venture.id, SplitAgreement.status == "active"))
    if previous is not None:
        previous.status = "superseded"
        db.session.flush()  # one active agreement per venture, also in the database
    agreement.status, agreement.activated_at = "active", now
    row = record(actor, venture, "activated", agreement,
                 label=f"Split agreement v{agreement.version}",
                 changes={"status": ["proposed", "active"],
                          "supersedes": f"v{previous.version}" if previous else None})
    _tell("agreement_active", actor, venture, row)
    log.info("agreement %s active", agreement.id)


def _tell(kind: str, actor: User, venture: Venture, row) -> None:
    notify(kind, revenue_people(venture), venture, actor=actor, text=about(row, venture),
           url=paths.agreements(venture.id), audience="revenue")


def agreement_in_effect(venture: Venture, on) -> SplitAgreement | None:
    """The signed agreement with the latest effective date on or before ``on``."""
    return db.session.scalar(
        select(SplitAgreement).where(SplitAgreement.venture_id == venture.id,
                                     SplitAgreement.status.in_(SIGNED),
                                     SplitAgreement.effective_from <= on)
        .order_by(SplitAgreement.effective_from.desc(), SplitAgreement.version.desc()).limit(1))
