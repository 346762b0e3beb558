"""Milestones: leads plan them; the assignee (any role) moves their status."""

import logging

from sqlalchemy import select

from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.models import (
    FINISHED,
    MILESTONE_STATUSES,
    PARTY_ROLES,
    STAGE_LABELS,
    STAGES,
    Milestone,
    User,
    Venture,
)
from cotrack.permissions import can_change_milestone_status, can_manage_milestones
from cotrack.services.activity import apply_changes, readable, record
from cotrack.services.common import (
    check_version,
    choice,
    collect,
    parse_date,
    party_user,
    text_field,
)
from cotrack.services.gates import gate_condition
from cotrack.timeutil import utcnow

log = logging.getLogger(__name__)
FIELDS = ("title", "description", "stage", "party", "assignee_id", "due_date", "status")


def _values(venture: Venture, data: dict, partial: bool = False) -> dict:
    checks = {
        "title": lambda: text_field(data.get("title"), "title", True, 200),
        "description": lambda: text_field(data.get("description"), "description", False, 10_000),
        "stage": lambda: choice(data.get("stage"), STAGES[:-1], "stage", "Choose a stage."),
        "party": lambda: choice(data.get("party"), PARTY_ROLES, "party",
                                "Choose the accountable party."),
        "assignee_id": lambda: party_user(venture, data.get("assignee_id")),
        "due_date": lambda: parse_date(data.get("due_date"), "due_date"),
        "status": lambda: choice(data.get("status", "planned"), MILESTONE_STATUSES, "status",
                                 "Choose a status."),
    }
    if partial:
        checks = {k: v for k, v in checks.items() if k in data}
    values = collect(checks)
    if "assignee_id" in values:
        values["assignee"] = values.pop("assignee_id")
    return values


def _completion(milestone: Milestone, status: str) -> None:
    if status == "done" and milestone.completed_at is None:
        milestone.completed_at = utcnow()
    elif status != "done":
        milestone.completed_at = None


def create_milestone(actor: User, venture: Venture, data: dict) -> Milestone:
    if not can_manage_milestones(actor, venture):
        raise DomainError("Only a lead of a party can plan milestones.")
    values = _values(venture, data)
    milestone = Milestone(venture_id=venture.id, **values)
    _completion(milestone, milestone.status)
    db.session.add(milestone)
    db.session.flush()
    record(actor, venture, "created", milestone, changes={
        "stage": milestone.stage, "party": milestone.party, "due_date": milestone.due_date,
        "assignee": milestone.assignee.name if milestone.assignee else None})
    log.info("milestone %s created by user %s", milestone.id, actor.id)
    return milestone


def update_milestone(actor: User, venture: Venture, milestone: Milestone, data: dict,
                     version) -> Milestone:
    """Change any fields (a lead) or only the status (the assignee)."""
    only_status = set(data) <= {"status"}
    allowed = can_manage_milestones(actor, venture) or (
        only_status and can_change_milestone_status(actor, milestone, venture))
    if not allowed:
        raise DomainError("You may not change this milestone.")
    check_version(milestone, version, FIELDS)
    values = _values(venture, data, partial=True)
    changes = apply_changes(milestone, values)
    if "status" in values:
        _completion(milestone, milestone.status)
    if changes:
        db.session.flush()
        record(actor, venture, "updated", milestone, changes=readable(changes))
    return milestone


def delete_milestone(actor: User, venture: Venture, milestone: Milestone, version) -> None:
    if not can_manage_milestones(actor, venture):
        raise DomainError("Only a lead of a party can delete milestones.")
    check_version(milestone, version, FIELDS)
    record(actor, venture, "deleted", milestone, label=milestone.title,
           changes={"stage": milestone.stage, "due_date": milestone.due_date})
    db.session.delete(milestone)
    db.session.flush()


@gate_condition
def milestones_of_stage_finished(venture: Venture) -> list[str]:
    titles = db.session.scalars(
        select(Milestone.title).where(Milestone.venture_id == venture.id,
                                      Milestone.stage == venture.stage,
                                      Milestone.status.not_in(FINISHED))
        .order_by(Milestone.due_date).limit(6)
    ).all()
    if not titles:
        return []
    shown = ", ".join(f"“{t}”" for t in titles[:5]) + (" …" if len(titles) > 5 else "")
    return [f"Milestones of {STAGE_LABELS[venture.stage]} not done or cancelled: {shown}"]
