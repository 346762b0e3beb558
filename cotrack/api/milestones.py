"""/ventures/{id}/milestones, /milestones/{id} (optimistic locking: 409 on a stale version)."""

from flask import request

from cotrack import queries
from cotrack.api import bp
from cotrack.api.auth import api_user
from cotrack.api.request import json_body
from cotrack.api.serialise import milestone_json, page_json
from cotrack.extensions import db
from cotrack.loading import child_or_404, venture_or_404
from cotrack.models import Milestone, Venture
from cotrack.permissions import can_change_milestone_status, can_manage_milestones, require
from cotrack.services import milestones as service

EDITABLE = ("title", "description", "stage", "party", "assignee_id", "due_date", "status")


@bp.get("/v1/ventures/<int:venture_id>/milestones")
def list_milestones(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    a = request.args
    query = queries.milestones_of(
        venture, stage=a.get("stage"), party=a.get("party"), status=a.get("status"),
        assignee_id=a.get("assignee_id", type=int), overdue=a.get("overdue") == "true",
        sort=a.get("sort", "due"))
    return page_json(query, milestone_json)


@bp.post("/v1/ventures/<int:venture_id>/milestones")
def create_milestone(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_manage_milestones(api_user(), venture))
    milestone = service.create_milestone(api_user(), venture, json_body())
    db.session.commit()
    return milestone_json(milestone), 201


def _load(milestone_id: int):
    milestone = child_or_404(api_user(), Milestone, milestone_id)
    return db.session.get(Venture, milestone.venture_id), milestone


@bp.get("/v1/milestones/<int:milestone_id>")
def get_milestone(milestone_id: int):
    return milestone_json(_load(milestone_id)[1])


@bp.patch("/v1/milestones/<int:milestone_id>")
def patch_milestone(milestone_id: int):
    venture, milestone = _load(milestone_id)
    data = json_body()
    changes = {k: v for k, v in data.items() if k in EDITABLE}
    if set(changes) <= {"status"}:
        require(can_change_milestone_status(api_user(), milestone, venture))
    else:
        require(can_manage_milestones(api_user(), venture))
    service.update_milestone(api_user(), venture, milestone, changes, data.get("version"))
    db.session.commit()
    return milestone_json(milestone)


@bp.delete("/v1/milestones/<int:milestone_id>")
def delete_milestone(milestone_id: int):
    venture, milestone = _load(milestone_id)
    require(can_manage_milestones(api_user(), venture))
    version = request.args.get("version", milestone.version)
    service.delete_milestone(api_user(), venture, milestone, version)
    db.session.commit()
    return "", 204
