"""/ventures/{id}/milestones, /milestones/{id} (optimistic locking: 409 on a stale version)."""

from flask import current_app, request

from cotrack import queries
from cotrack.api.auth import api_user
from cotrack.api.request import checked_text, json_body
from cotrack.api.serialise import milestone_json, page_json
from cotrack.domain.permissions import (
    belongs,
    can_manage_milestones,
    can_update_milestone,
    require,
)
from cotrack.domain.valid_input import parse_id
from cotrack.extensions import db
from cotrack.models import Milestone, Venture
from cotrack.queries.loading import child_or_404, venture_or_404
from cotrack.services import milestones as service

EDITABLE = ("title", "description", "stage", "party", "assignee_id", "due_date", "status")


def list_milestones(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    a = request.args
    query = queries.milestones_of(
        venture, stage=a.get("stage"), party=a.get("party"), status=a.get("status"),
        assignee_id=parse_id(a.get("assignee_id"), "assignee_id"),
        overdue=a.get("overdue") == "true",
        sort=a.get("sort", "due"))
    return page_json(query, milestone_json)


def create_milestone(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_manage_milestones(api_user(), venture))
    milestone = service.create_milestone(api_user(), venture, json_body())
    return milestone_json(milestone), 201


def _load(milestone_id: int):
    milestone = child_or_404(api_user(), Milestone, milestone_id)
    return db.session.get(Venture, milestone.venture_id), milestone


def get_milestone(milestone_id: int):
    return milestone_json(_load(milestone_id)[1])


def patch_milestone(milestone_id: int):
    venture, milestone = _load(milestone_id)
    require(belongs(api_user(), venture))  # whoever may change nothing is told before the body
    data = json_body(check_text=False)
    changes = {k: v for k, v in data.items() if k in EDITABLE}
    require(can_update_milestone(api_user(), milestone, venture, changes))
    checked_text(data)
    service.update_milestone(api_user(), venture, milestone, changes, data.get("version"))
    return milestone_json(milestone)


def delete_milestone(milestone_id: int):
    venture, milestone = _load(milestone_id)
    require(can_manage_milestones(api_user(), venture))
    version = request.args.get("version", milestone.version)
    service.delete_milestone(api_user(), venture, milestone, version)
    response = current_app.response_class(status=204)
    del response.headers["Content-Type"]  # no body, so no content type (not text/html)
    return response
