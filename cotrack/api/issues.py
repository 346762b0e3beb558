"""/ventures/{id}/issues, /issues/{id}, /issues/{id}/comments; /ventures/{id}/scorecard."""

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack import queries
from cotrack.api import bp
from cotrack.api.auth import api_user
from cotrack.api.request import json_body
from cotrack.api.serialise import comment_json, issue_json, page_json
from cotrack.extensions import db
from cotrack.loading import child_or_404, venture_or_404
from cotrack.models import Issue, IssueComment, Venture
from cotrack.permissions import can_change_issue, can_edit_issue, can_raise_issue, require
from cotrack.scorecard import scorecard
from cotrack.services import issues as service

DETAILS = ("title", "description", "severity", "party", "milestone_id")
WORKFLOW = ("status", "assignee_id")


@bp.get("/v1/ventures/<int:venture_id>/issues")
def list_issues(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    a = request.args
    query = queries.issues_of(venture, severity=a.get("severity"), status=a.get("status"),
                              party=a.get("party"), assignee_id=a.get("assignee_id", type=int),
                              q=a.get("q"))
    return page_json(query, issue_json)


@bp.post("/v1/ventures/<int:venture_id>/issues")
def create_issue(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_raise_issue(api_user(), venture))
    issue = service.raise_issue(api_user(), venture, json_body())
    db.session.commit()
    return issue_json(issue), 201


def _load(issue_id: int):
    issue = child_or_404(api_user(), Issue, issue_id)
    return db.session.get(Venture, issue.venture_id), issue


@bp.get("/v1/issues/<int:issue_id>")
def get_issue(issue_id: int):
    return issue_json(_load(issue_id)[1])


@bp.patch("/v1/issues/<int:issue_id>")
def patch_issue(issue_id: int):
    venture, issue = _load(issue_id)
    data = json_body()
    if any(k in data for k in DETAILS):
        require(can_edit_issue(api_user(), issue, venture))
    if any(k in data for k in WORKFLOW):
        require(can_change_issue(api_user(), issue, venture))
    changes = {k: v for k, v in data.items() if k in DETAILS + WORKFLOW}
    service.update_issue(api_user(), venture, issue, changes, data.get("version"))
    db.session.commit()
    return issue_json(issue)


@bp.get("/v1/issues/<int:issue_id>/comments")
def list_comments(issue_id: int):
    _, issue = _load(issue_id)
    query = (select(IssueComment).where(IssueComment.issue_id == issue.id)
             .options(selectinload(IssueComment.author)).order_by(IssueComment.id))
    return page_json(query, comment_json)


@bp.post("/v1/issues/<int:issue_id>/comments")
def create_comment(issue_id: int):
    venture, issue = _load(issue_id)
    require(can_raise_issue(api_user(), venture))
    comment = service.add_comment(api_user(), venture, issue, json_body().get("body"))
    db.session.commit()
    return comment_json(comment), 201


@bp.get("/v1/ventures/<int:venture_id>/scorecard")
def get_scorecard(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    return {"venture_id": venture.id, "parties": [s.as_json() for s in scorecard(venture)]}
