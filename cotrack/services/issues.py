"""Issues: any party user raises and comments; leads and assignees move them along."""

import logging

from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.domain.errors import Conflict, DomainError, NotAllowed
from cotrack.domain.permissions import (
    ISSUE_DETAILS,
    ISSUE_WORKFLOW,
    can_raise_issue,
    can_update_issue,
    party_of,
)
from cotrack.domain.sentences import quoted
from cotrack.domain.text_limits import LONG, NAME
from cotrack.domain.valid_input import choice, collect, id_value, text_field
from cotrack.extensions import db
from cotrack.models import (
    ISSUE_FLOW,
    ISSUE_STATUSES,
    PARTY_ROLES,
    SEVERITIES,
    UNRESOLVED,
    Issue,
    IssueComment,
    Milestone,
    User,
    Venture,
)
from cotrack.services.activity import apply_changes, readable, record
from cotrack.services.common import check_version, party_user
from cotrack.services.notifications import notify, notify_mentions

log = logging.getLogger(__name__)


def _milestone(venture: Venture, milestone_id):
    if milestone_id is None:  # null: no milestone (the form reads its "none" as None; 0
        return None           # and "" are no milestone's id, as the description says)
    milestone_id = id_value(milestone_id) if isinstance(milestone_id, int) else None
    milestone = db.session.get(Milestone, milestone_id) if milestone_id else None
    if milestone is None or milestone.venture_id != venture.id:
        raise DomainError("Choose a milestone of this venture.", field="milestone_id")
    return milestone


def _values(venture: Venture, data: dict, partial: bool = False) -> dict:
    checks = {
        "title": lambda: text_field(data.get("title"), "title", True, NAME),
        "description": lambda: text_field(data.get("description"), "description", False, LONG,
                                          long=True),
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
        raise NotAllowed("Only users of the parties can raise issues.")
    issue = Issue(venture_id=venture.id, raised_by=actor,
                  raised_by_party=party_of(actor, venture).role, **_values(venture, data))
    db.session.add(issue)
    db.session.flush()
    record(actor, venture, "raised", issue, changes={
        "severity": issue.severity, "party": issue.party,
        "assignee": issue.assignee.name if issue.assignee else None})
    _tell(actor, venture, issue, None, "")
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
    details = {k: v for k, v in data.items() if k in ISSUE_DETAILS}
    workflow = {k: v for k, v in data.items() if k in ISSUE_WORKFLOW}
    if not can_update_issue(actor, issue, venture, data):
        raise NotAllowed("Only a lead or whoever raised an issue edits its details; a lead or "
                         "its assignee changes its status or assignee; anyone may take it "
                         "while it is unassigned.")
    check_version(issue, version)
    before = (issue.assignee_id, issue.description)
    values = _values(venture, {**details, **{k: v for k, v in workflow.items()
                                             if k == "assignee_id"}}, partial=True)
    changes = apply_changes(issue, values)
    if "status" in workflow:
        changes.update(_set_status(issue, workflow["status"]))
    if changes:
        db.session.flush()
        record(actor, venture, "updated", issue, changes=readable(changes))
        _tell(actor, venture, issue, *before)
    return issue


def issue_path(issue: Issue, anchor: str | None = None) -> str:
    return paths.issue(issue.venture_id, issue.id, anchor)


def _tell(actor: User, venture: Venture, issue: Issue, assignee_before,
          description_before) -> None:
    url = issue_path(issue)
    if issue.assignee is not None and issue.assignee_id != assignee_before:
        notify("assigned", [issue.assignee], venture, actor=actor, url=url,
               text=f"{actor.name} assigned the {issue.severity} issue “{issue.title}” of "
                    f"“{venture.name}” to you.")
    notify_mentions(actor, venture, issue.description, f"the issue “{issue.title}”", url,
                    before=description_before)


def comment_and_status(actor: User, venture: Venture, issue: Issue, body, status,
                       version) -> IssueComment:
    """A comment and, if ``status`` is given and differs, the new status: one step, one
    transaction (the comment is refused with the status if either is wrong)."""
    if status not in (None, "") and status != issue.status:
        collect({"body": lambda: text_field(body, "body", True, LONG, long=True),
                 "status": lambda: choice(status, ISSUE_STATUSES, "status",
                                          "Choose a status.")})
        update_issue(actor, venture, issue, {"status": status}, version)
    return add_comment(actor, venture, issue, body)


def add_comment(actor: User, venture: Venture, issue: Issue, body) -> IssueComment:
    if not can_raise_issue(actor, venture):
        raise NotAllowed("Only users of the parties can comment.")
    comment = IssueComment(issue=issue, author=actor,
                           body=text_field(body, "body", True, LONG, long=True))
    db.session.add(comment)
    db.session.flush()
    record(actor, venture, "commented", issue, changes={"comment": comment.body[:300]})
    url = issue_path(issue, f"comment-{comment.id}")
    mentioned = notify_mentions(actor, venture, comment.body,
                                f"a comment on the issue “{issue.title}”", url)
    holders = [u for u in (issue.raised_by, issue.assignee)
               if u is not None and u.id not in mentioned]
    notify("commented", holders, venture, actor=actor, url=url,
           text=f"{actor.name} commented on the issue “{issue.title}”: "
                f"{quoted(comment.body, 200)}")
    return comment
