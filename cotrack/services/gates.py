"""Stage gates: a lead requests the next stage (or shelving); every party's lead approves.

Concurrency: deciding locks the gate row (SELECT ... FOR UPDATE on PostgreSQL; SQLite
serialises writers with BEGIN IMMEDIATE), so two leads approving at the same moment are
counted one after the other: exactly one of them makes the third approval and moves the
venture. The database backs this up: one open request per venture (partial unique index),
one decision per party (unique), one transition per gate (unique).
"""

import logging

from sqlalchemy import select

from cotrack.errors import Conflict, DomainError
from cotrack.extensions import db
from cotrack.models import (
    STAGE_LABELS,
    GateApproval,
    GateRequest,
    StageTransition,
    User,
    Venture,
)
from cotrack.permissions import can_act_on_gate, party_of
from cotrack.services import signoff
from cotrack.services.activity import record
from cotrack.timeutil import utcnow

log = logging.getLogger(__name__)

#: conditions checked before a gate may be requested: fn(venture) -> list of problems.
#: Milestones and issues register theirs (see services/milestones.py, services/issues.py).
GATE_CONDITIONS = []


def gate_condition(fn):
    GATE_CONDITIONS.append(fn)
    return fn


def open_gate(venture: Venture, lock: bool = False) -> GateRequest | None:
    query = select(GateRequest).where(GateRequest.venture_id == venture.id,
                                      GateRequest.status == "open")
    return signoff.lock(query) if lock else db.session.scalar(query)


def gate_problems(venture: Venture) -> list[str]:
    """Why the gate to the next stage cannot be requested now (empty: it can)."""
    if venture.status != "active":
        return [f"The venture is {venture.status}."]
    if venture.next_stage is None:
        return ["The venture is closed."]
    problems = []
    for condition in GATE_CONDITIONS:
        problems.extend(condition(venture))
    return problems


def _lead_party(actor: User, venture: Venture):
    if not can_act_on_gate(actor, venture):
        raise DomainError("Only a lead of a party of an active venture can do this.")
    return party_of(actor, venture)


def request_gate(actor: User, venture: Venture) -> GateRequest:
    _lead_party(actor, venture)
    if open_gate(venture) is not None:
        raise Conflict("A gate request is open already; decide on it first.")
    problems = gate_problems(venture)
    if problems:
        raise Conflict("The gate's conditions are not met.", fields={"conditions": problems})
    gate = GateRequest(venture=venture, kind="advance", from_stage=venture.stage,
                       to_stage=venture.next_stage, requested_by=actor)
    return _open(actor, venture, gate)


def request_shelving(actor: User, venture: Venture, reason: str) -> GateRequest:
    _lead_party(actor, venture)
    if not (reason or "").strip():
        raise DomainError("Give the reason for shelving.", field="reason")
    if open_gate(venture) is not None:
        raise Conflict("A gate request is open already; decide on it first.")
    gate = GateRequest(venture=venture, kind="shelve", from_stage=venture.stage, to_stage=None,
                       reason=reason.strip(), requested_by=actor)
    return _open(actor, venture, gate)


def _open(actor: User, venture: Venture, gate: GateRequest) -> GateRequest:
    db.session.add(gate)
    db.session.flush()
    record(actor, venture, "requested", gate, label=gate_label(gate),
           changes={"reason": gate.reason} if gate.reason else None)
    log.info("gate %s requested by user %s", gate.id, actor.id)
    return gate


def gate_label(gate: GateRequest) -> str:
    if gate.kind == "shelve":
        return f"Shelve (from {STAGE_LABELS[gate.from_stage]})"
    return f"{STAGE_LABELS[gate.from_stage]} → {STAGE_LABELS[gate.to_stage]}"


def decide(actor: User, venture: Venture, decision: str, comment: str = "") -> GateRequest:
    """Approve or reject the open gate for the actor's party."""
    party = _lead_party(actor, venture)
    if decision not in ("approve", "reject"):
        raise DomainError("Decide approve or reject.", field="decision")
    comment = (comment or "").strip()
    if decision == "reject" and not comment:
        raise DomainError("Say why you reject; the other parties will see it.", field="comment")
    gate = open_gate(venture, lock=True)
    if gate is None:
        raise Conflict("There is no open gate request.")
    now = utcnow()
    all_approved = signoff.add_decision(gate, GateApproval(
        role=party.role, user=actor, decision=decision, comment=comment, at=now), party.role)
    record(actor, venture, "approved" if decision == "approve" else "rejected", gate,
           label=gate_label(gate), changes={"party": party.role, "comment": comment or None})
    if decision == "reject":
        gate.status, gate.decided_at = "rejected", now
    elif all_approved:
        _pass(actor, venture, gate, now)
    db.session.flush()
    log.info("gate %s %s by user %s", gate.id, decision, actor.id)
    return gate


def _pass(actor: User, venture: Venture, gate: GateRequest, now) -> None:
    gate.status, gate.decided_at = "approved", now
    if gate.kind == "shelve":
        old = venture.status
        venture.status, venture.closed_reason = "shelved", gate.reason
        record(actor, venture, "shelved", venture, changes={"status": [old, "shelved"],
                                                            "reason": gate.reason})
        return
    db.session.add(StageTransition(venture=venture, from_stage=gate.from_stage,
                                   to_stage=gate.to_stage, gate_id=gate.id, at=now))
    venture.stage = gate.to_stage
    changes = {"stage": [gate.from_stage, gate.to_stage]}
    if gate.to_stage == "closed":
        venture.status = "closed"
        changes["status"] = ["active", "closed"]
    record(actor, venture, "stage changed", venture, changes=changes)


# Milestones and issues register their gate conditions when imported.
from cotrack.services import issues as _issues  # noqa: E402,F401
from cotrack.services import milestones as _milestones  # noqa: E402,F401
