"""/ventures/{id}/issues, /issues/{id}, /issues/{id}/comments; /ventures/{id}/scorecard."""

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack import queries
from cotrack.api.auth import api_user
from cotrack.api.request import checked_text, json_body
from cotrack.api.serialise import comment_json, issue_json, page_json
from cotrack.domain.permissions import (
    ISSUE_DETAILS,
    ISSUE_WORKFLOW,
    can_raise_issue,
    can_update_issue,
    require,
)
from cotrack.domain.valid_input import parse_id
from cotrack.extensions import db
from cotrack.models import Issue, IssueComment, Venture
from cotrack.queries.loading import child_or_404, venture_or_404
from cotrack.queries.scorecard import scorecard
from cotrack.services import issues as service
from cotrack.services.common import version_number


def list_issues(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    a = request.args
    query = queries.issues_of(venture, severity=a.get("severity"), status=a.get("status"),
                              party=a.get("party"),
                              assignee_id=parse_id(a.get("assignee_id"), "assignee_id"),
                              q=a.get("q"))
    return page_json(query, issue_json)


def create_issue(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_raise_issue(api_user(), venture))
    issue = service.raise_issue(api_user(), venture, json_body())
    return issue_json(issue), 201


def _load(issue_id: int):
    issue = child_or_404(api_user(), Issue, issue_id)
    return db.session.get(Venture, issue.venture_id), issue


def get_issue(issue_id: int):
    return issue_json(_load(issue_id)[1])


def patch_issue(issue_id: int):
    venture, issue = _load(issue_id)
    require(can_raise_issue(api_user(), venture))  # who may change nothing is told first
    data = json_body(check_text=False)
    changes = {k: v for k, v in data.items() if k in ISSUE_DETAILS | ISSUE_WORKFLOW}
    require(can_update_issue(api_user(), issue, venture, changes))
    checked_text(data)
    service.update_issue(api_user(), venture, issue, changes, data.get("version"))
    return issue_json(issue)


def list_comments(issue_id: int):
    _, issue = _load(issue_id)
    query = (select(IssueComment).where(IssueComment.issue_id == issue.id)
             .options(selectinload(IssueComment.author)).order_by(IssueComment.id))
    return page_json(query, comment_json)


def create_comment(issue_id: int):
    venture, issue = _load(issue_id)
    require(can_raise_issue(api_user(), venture))
    data = json_body(check_text=False)
    if data.get("status") not in (None, ""):  # the status in the same step: a lead or
        # the assignee (empty: no change, as the form's "keep the status")
        require(can_update_issue(api_user(), issue, venture, {"status": data["status"]}))
    checked_text(data)
    if "version" in data:  # read only with a status change, but refused as described if wrong
        version_number(data["version"])
    comment = service.comment_and_status(api_user(), venture, issue, data.get("body"),
                                         data.get("status"), data.get("version"))
    return comment_json(comment), 201


def get_scorecard(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    return {"venture_id": venture.id, "parties": [s.as_json() for s in scorecard(venture)]}
