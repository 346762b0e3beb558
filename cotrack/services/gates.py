"""Stage gates: a lead requests the next stage (or shelving); every party's lead approves.

Concurrency: deciding locks the gate row (SELECT ... FOR UPDATE on PostgreSQL; SQLite
serialises writers with BEGIN IMMEDIATE), so two leads approving at the same moment are
counted one after the other: exactly one of them makes the third approval and moves the
venture. The database backs this up: one open request per venture (partial unique index),
one decision per party (unique), one transition per gate (unique).
"""

import logging
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cotrack.db.constants import among, not_among
from cotrack.db.prebuilt import STAGE, VENTURE_ID
from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.domain.errors import Conflict, DomainError, NotAllowed
from cotrack.domain.permissions import can_act_on_gate, party_of
from cotrack.domain.text_limits import REMARK
from cotrack.domain.valid_input import text_field
from cotrack.extensions import db
from cotrack.models import (
    FINISHED,
    PARTY_ROLES,
    STAGE_LABELS,
    UNRESOLVED,
    GateApproval,
    GateRequest,
    Issue,
    Milestone,
    StageTransition,
    User,
    Venture,
)
from cotrack.services import signoff
from cotrack.services.activity import record
from cotrack.services.notifications import about, leads, notify, people

log = logging.getLogger(__name__)

#: blockers of one kind named one by one; beyond that, one line says how many more
SHOWN_BLOCKERS = 10


@dataclass(frozen=True)
class Blocker:
    """One reason the gate out of the venture's stage cannot pass now, and the page of what
    it points at (``url``): the milestone or the issue, or for the line that counts the
    rest the venture's list of them, filtered (built as paths: url_for for each was a
    tenth of a millisecond on a venture page with ten)."""

    text: str
    url: str


def gate_blockers(venture: Venture) -> list[Blocker]:
    """Why the gate out of the venture's current stage cannot pass now (empty: it can).

    DOMAIN.md: every milestone of the stage done or cancelled; leaving field trial, no
    open critical issue. Checked when a gate is requested and again by the approval that
    would pass it; shelving has no stage conditions.
    """
    stage, venture_id = STAGE_LABELS[venture.stage], venture.id
    params = {"venture_id": venture_id, "stage": venture.stage}
    blockers = _listed(
        _open_milestones_of_stage(), params,
        lambda r: Blocker(f"Milestone “{r.title}” of {stage} is "
                          f"{r.status.replace('_', ' ')}", paths.milestone(venture_id, r.id)),
        lambda more: Blocker(f"{more} more milestones of {stage} are not done or cancelled",
                             paths.milestones(venture_id, venture.stage)))
    if venture.stage == "field_trial":
        blockers += _listed(
            _open_critical_issues(), params,
            lambda r: Blocker(f"Critical issue “{r.title}” is {r.status.replace('_', ' ')}",
                              paths.issue(venture_id, r.id)),
            lambda more: Blocker(f"{more} more critical issues are open",
                                 paths.issues(venture_id, "critical")))
    return blockers


def _first_blockers(query):
    """``query``'s first rows, each with how many there are in all (``total``)."""
    return query.add_columns(func.count().over().label("total")).limit(SHOWN_BLOCKERS)


@cache
def _open_milestones_of_stage():
    return _first_blockers(
        select(Milestone.id, Milestone.title, Milestone.status)
        .where(Milestone.venture_id == VENTURE_ID, Milestone.stage == STAGE,
               not_among(Milestone.status, FINISHED))
        .order_by(Milestone.due_date, Milestone.id))


@cache
def _open_critical_issues():
    return _first_blockers(
        select(Issue.id, Issue.title, Issue.status)
        .where(Issue.venture_id == VENTURE_ID, Issue.severity == "critical",
               among(Issue.status, UNRESOLVED))
        .order_by(Issue.id))


def _listed(query, params: dict, one, rest) -> list[Blocker]:
    """The first rows of ``query`` each as a blocker, then one for the rest (one query)."""
    rows = db.session.execute(query, params).all()
    blockers = [one(r) for r in rows]
    if rows and rows[0].total > len(rows):
        blockers.append(rest(rows[0].total - len(rows)))
    return blockers


def conditions_text(blockers: list[Blocker]) -> str:
    return "; ".join(b.text for b in blockers) + "."


def open_gate(venture: Venture, lock: bool = False) -> GateRequest | None:
    query = select(GateRequest).where(GateRequest.venture_id == venture.id,
                                      GateRequest.status == "open")
    return signoff.lock(query) if lock else db.session.scalar(query)


def latest_gate(venture: Venture) -> GateRequest | None:
    """The venture's most recent gate request (the open one, if any), with its decisions."""
    return db.session.scalar(_latest_gate(), {"venture_id": venture.id})


@cache
def _latest_gate():
    return (select(GateRequest).where(GateRequest.venture_id == VENTURE_ID)
            .options(selectinload(GateRequest.approvals).joinedload(GateApproval.user),
                     selectinload(GateRequest.requested_by))
            .order_by(GateRequest.id.desc()).limit(1))


def rejection_of(gate: GateRequest | None) -> GateApproval | None:
    """The decision that rejected ``gate``, if it was rejected."""
    if gate is None or gate.status != "rejected":
        return None
    return next((a for a in gate.approvals if a.decision == "reject"), None)


def _lead_party(actor: User, venture: Venture):
    if not can_act_on_gate(actor, venture):
        raise NotAllowed("Only a lead of a party of an active venture can do this.")
    return party_of(actor, venture)


def request_gate(actor: User, venture: Venture) -> GateRequest:
    _lead_party(actor, venture)
    if venture.next_stage is None:
        raise Conflict("The venture is in its last stage.")
    if open_gate(venture) is not None:
        raise Conflict("A gate request is open already; decide on it first.")
    blockers = gate_blockers(venture)
    if blockers:
        text = conditions_text(blockers)
        raise Conflict(f"The gate's conditions are not met: {text}",
                       fields={"conditions": text})
    gate = GateRequest(venture=venture, kind="advance", from_stage=venture.stage,
                       to_stage=venture.next_stage, requested_by=actor)
    return _open(actor, venture, gate)


def request_shelving(actor: User, venture: Venture, reason: str) -> GateRequest:
    _lead_party(actor, venture)
    reason = text_field(reason, "reason", False, REMARK, long=True)
    if not reason:
        raise DomainError("Give the reason for shelving.", field="reason")
    if open_gate(venture) is not None:
        raise Conflict("A gate request is open already; decide on it first.")
    gate = GateRequest(venture=venture, kind="shelve", from_stage=venture.stage, to_stage=None,
                       reason=reason, requested_by=actor)
    return _open(actor, venture, gate)


def _open(actor: User, venture: Venture, gate: GateRequest) -> GateRequest:
    db.session.add(gate)
    db.session.flush()
    row = record(actor, venture, "requested", gate, label=gate_label(gate),
                 changes={"reason": gate.reason} if gate.reason else None)
    notify("gate_requested", leads(venture), venture, actor=actor, url=_gate_path(venture),
           text=about(row, venture))
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
    comment = text_field(comment, "comment", False, REMARK, long=True)
    if decision == "reject" and not comment:
        raise DomainError("Say why you reject; the other parties will see it.", field="comment")
    gate = open_gate(venture, lock=True)
    if gate is None:
        raise Conflict("There is no open gate request.")
    if decision == "approve" and _would_pass(gate, party.role):
        _check_conditions(venture, gate)
    now = utcnow()
    all_approved = signoff.add_decision(gate, GateApproval(
        role=party.role, user=actor, decision=decision, comment=comment, at=now), party.role)
    row = record(actor, venture, "approved" if decision == "approve" else "rejected", gate,
                 label=gate_label(gate), changes={"party": party.role, "comment": comment or None})
    if decision == "reject":
        gate.status, gate.decided_at = "rejected", now
    elif all_approved:
        _pass(actor, venture, gate, now)
    if not all_approved:
        notify("gate_approved" if decision == "approve" else "gate_rejected", leads(venture),
               venture, actor=actor, url=_gate_path(venture), text=about(row, venture))
    db.session.flush()
    log.info("gate %s %s by user %s", gate.id, decision, actor.id)
    return gate


def _would_pass(gate: GateRequest, role: str) -> bool:
    """Whether ``role``'s approval would be the last one the gate needs."""
    if gate.decision_of(role) is not None:
        return False  # add_decision refuses a second decision
    approved = {a.role for a in gate.approvals if a.decision == "approve"}
    return approved | {role} == set(PARTY_ROLES)


def _check_conditions(venture: Venture, gate: GateRequest) -> None:
    """The conditions must hold when the gate passes, not only when it was requested.

    No lock is needed beyond the gate's: a change that would break a condition (reopening
    an issue, a milestone of the stage) reads neither the gate nor the stage, so whichever
    of the two commits first, the gate passed while its conditions held.
    """
    if gate.kind != "advance":
        return  # shelving has no stage conditions
    blockers = gate_blockers(venture)
    if blockers:
        text = conditions_text(blockers)
        raise Conflict("This approval would pass the gate, but its conditions do not hold "
                       f"now: {text} Nothing was recorded.", fields={"conditions": text})


def _pass(actor: User, venture: Venture, gate: GateRequest, now) -> None:
    gate.status, gate.decided_at = "approved", now
    if gate.kind == "shelve":
        old = venture.status
        venture.status, venture.closed_reason = "shelved", gate.reason
        row = record(actor, venture, "shelved", venture, changes={"status": [old, "shelved"],
                                                                  "reason": gate.reason})
        notify("gate_passed", people(venture), venture, actor=actor, url=_gate_path(venture),
               text=about(row, venture))
        return
    db.session.add(StageTransition(venture=venture, from_stage=gate.from_stage,
                                   to_stage=gate.to_stage, gate_id=gate.id, at=now))
    venture.stage = gate.to_stage
    changes = {"stage": [gate.from_stage, gate.to_stage]}
    if gate.to_stage == "closed":
        venture.status = "closed"
        changes["status"] = ["active", "closed"]
    row = record(actor, venture, "stage changed", venture, changes=changes)
    notify("gate_passed", people(venture), venture, actor=actor, url=_gate_path(venture),
           text=about(row, venture))


def _gate_path(venture: Venture) -> str:
    return paths.venture(venture.id, "gate")
