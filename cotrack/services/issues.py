"""Issues: any party user raises and comments; leads and assignees move them along."""

import logging

from sqlalchemy import select

from cotrack.errors import Conflict, DomainError
from cotrack.extensions import db
from cotrack.models import (
    ISSUE_FLOW,
    PARTY_ROLES,
    SEVERITIES,
    UNRESOLVED,
    Issue,
    IssueComment,
    Milestone,
    User,
    Venture,
)
from cotrack.permissions import can_change_issue, can_edit_issue, can_raise_issue, party_of
from cotrack.services.activity import apply_changes, readable, record
from cotrack.services.common import check_version, choice, collect, party_user, text_field
from cotrack.services.gates import gate_condition
from cotrack.timeutil import utcnow

log = logging.getLogger(__name__)
FIELDS = ("title", "description", "severity", "party", "milestone_id", "assignee_id", "status")
#: fields that only a lead or the raiser may change; status and assignee follow DOMAIN.md
DETAIL_FIELDS = ("title", "description", "severity", "party", "milestone_id")


def _milestone(venture: Venture, milestone_id):
    if milestone_id in (None, "", 0):
        return None
    milestone = db.session.get(Milestone, milestone_id) if isinstance(milestone_id, int) else None
    if milestone is None or milestone.venture_id != venture.id:
        raise DomainError("Choose a milestone of this venture.", field="milestone_id")
    return milestone


def _values(venture: Venture, data: dict, partial: bool = False) -> dict:
    checks = {
        "title": lambda: text_field(data.get("title"), "title", True, 200),
        "description": lambda: text_field(data.get("description"), "description", False, 10_000),
        "severity": lambda: choice(data.get("severity"), SEVERITIES, "severity",
                                   "Choose a severity."),
        "party": lambda: choice(data.get("party"), PARTY_ROLES, "party",
                                "Choose the accountable party."),
        "milestone_id": lambda: _milestone(venture, data.get("milestone_id")),
        "assignee_id": lambda: party_user(venture, data.get("assignee_id")),
    }
    if partial:
        checks = {k: v for k, v in checks.items() if k in data}
    values = collect(checks)
    for key, name in (("milestone_id", "milestone"), ("assignee_id", "assignee")):
        if key in values:
            values[name] = values.pop(key)
    return values


def raise_issue(actor: User, venture: Venture, data: dict) -> Issue:
    if not can_raise_issue(actor, venture):
        raise DomainError("Only users of the parties can raise issues.")
    issue = Issue(venture_id=venture.id, raised_by=actor,
                  raised_by_party=party_of(actor, venture).role, **_values(venture, data))
    db.session.add(issue)
    db.session.flush()
    record(actor, venture, "raised", issue, changes={
        "severity": issue.severity, "party": issue.party,
        "assignee": issue.assignee.name if issue.assignee else None})
    log.info("issue %s raised by user %s", issue.id, actor.id)
    return issue


def _set_status(issue: Issue, status) -> dict:
    if status == issue.status:
        return {}
    if status not in ISSUE_FLOW.get(issue.status, ()):
        raise Conflict(f"An issue that is {issue.status.replace('_', ' ')} cannot become "
                       f"{str(status).replace('_', ' ')}.", field="status")
    changes = {"status": [issue.status, status]}
    issue.status = status
    issue.resolved_at = None if status in UNRESOLVED else (issue.resolved_at or utcnow())
    return changes


def update_issue(actor: User, venture: Venture, issue: Issue, data: dict, version) -> Issue:
    details = {k: v for k, v in data.items() if k in DETAIL_FIELDS}
    workflow = {k: v for k, v in data.items() if k in ("status", "assignee_id")}
    if details and not can_edit_issue(actor, issue, venture):
        raise DomainError("Only a lead or whoever raised the issue can edit its details.")
    if workflow and not can_change_issue(actor, issue, venture):
        raise DomainError("Only a lead or the assignee can change status or assignee.")
    check_version(issue, version, FIELDS)
    values = _values(venture, {**details, **{k: v for k, v in workflow.items()
                                             if k == "assignee_id"}}, partial=True)
    changes = apply_changes(issue, values)
    if "status" in workflow:
        changes.update(_set_status(issue, workflow["status"]))
    if changes:
        db.session.flush()
        record(actor, venture, "updated", issue, changes=readable(changes))
    return issue


def add_comment(actor: User, venture: Venture, issue: Issue, body) -> IssueComment:
    if not can_raise_issue(actor, venture):
        raise DomainError("Only users of the parties can comment.")
    comment = IssueComment(issue=issue, author=actor,
                           body=text_field(body, "body", True, 10_000))
    db.session.add(comment)
    db.session.flush()
    record(actor, venture, "commented", issue, changes={"comment": comment.body[:300]})
    return comment


@gate_condition
def no_open_critical_issue_leaving_field_trial(venture: Venture) -> list[str]:
    if venture.stage != "field_trial":
        return []
    titles = db.session.scalars(
        select(Issue.title).where(Issue.venture_id == venture.id, Issue.severity == "critical",
                                  Issue.status.in_(UNRESOLVED)).limit(5)
    ).all()
    return [f"Open critical issue: “{t}”" for t in titles]
