"""Milestones: leads plan them; the assignee (any role) moves their status."""

import logging

from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.domain.errors import NotAllowed
from cotrack.domain.permissions import can_manage_milestones, can_update_milestone
from cotrack.domain.text_limits import LONG, NAME
from cotrack.domain.valid_input import choice, collect, parse_date, text_field
from cotrack.extensions import db
from cotrack.models import (
    MILESTONE_STATUSES,
    PARTY_ROLES,
    STAGES,
    Milestone,
    User,
    Venture,
)
from cotrack.services.activity import apply_changes, readable, record
from cotrack.services.common import check_version, party_user
from cotrack.services.notifications import notify, notify_mentions

log = logging.getLogger(__name__)


def _values(venture: Venture, data: dict, partial: bool = False) -> dict:
    checks = {
        "title": lambda: text_field(data.get("title"), "title", True, NAME),
        "description": lambda: text_field(data.get("description"), "description", False, LONG,
                                          long=True),
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
        raise NotAllowed("Only a lead of a party can plan milestones.")
    values = _values(venture, data)
    milestone = Milestone(venture_id=venture.id, **values)
    _completion(milestone, milestone.status)
    db.session.add(milestone)
    db.session.flush()
    record(actor, venture, "created", milestone, changes={
        "stage": milestone.stage, "party": milestone.party, "due_date": milestone.due_date,
        "assignee": milestone.assignee.name if milestone.assignee else None})
    _tell(actor, venture, milestone, None, "")
    log.info("milestone %s created by user %s", milestone.id, actor.id)
    return milestone


def update_milestone(actor: User, venture: Venture, milestone: Milestone, data: dict,
                     version) -> Milestone:
    """Change any fields (a lead) or only the status (the assignee)."""
    if not can_update_milestone(actor, milestone, venture, data):
        raise NotAllowed("Only a lead changes a milestone; its assignee changes its status.")
    check_version(milestone, version)
    values = _values(venture, data, partial=True)
    before = (milestone.assignee_id, milestone.description)
    with db.session.no_autoflush:  # status and completion time change together (a check)
        changes = apply_changes(milestone, values)
        if "status" in values:
            _completion(milestone, milestone.status)
    if changes:
        db.session.flush()
        record(actor, venture, "updated", milestone, changes=readable(changes))
        _tell(actor, venture, milestone, *before)
    return milestone


def milestone_path(milestone: Milestone) -> str:
    return paths.milestone(milestone.venture_id, milestone.id)


def _tell(actor: User, venture: Venture, milestone: Milestone, assignee_before,
          description_before) -> None:
    """The new assignee (assigned to you) and anyone newly mentioned in the description."""
    url = milestone_path(milestone)
    if milestone.assignee is not None and milestone.assignee_id != assignee_before:
        notify("assigned", [milestone.assignee], venture, actor=actor, url=url,
               text=f"{actor.name} assigned the milestone “{milestone.title}” of "
                    f"“{venture.name}” to you (due {milestone.due_date.isoformat()}).")
    notify_mentions(actor, venture, milestone.description, f"the milestone “{milestone.title}”",
                    url, before=description_before)


def delete_milestone(actor: User, venture: Venture, milestone: Milestone, version) -> None:
    if not can_manage_milestones(actor, venture):
        raise NotAllowed("Only a lead of a party can delete milestones.")
    check_version(milestone, version)
    record(actor, venture, "deleted", milestone, label=milestone.title,
           changes={"stage": milestone.stage, "due_date": milestone.due_date})
    db.session.delete(milestone)
    db.session.flush()
