"""/ventures: list, create, read, edit, accept/decline, status updates, activity."""

from flask import request

from cotrack import queries
from cotrack.api import bp
from cotrack.api.auth import api_user
from cotrack.api.request import json_body, string_field
from cotrack.api.serialise import activity_json, page_json, update_json, venture_json
from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.loading import venture_or_404
from cotrack.models import PARTY_ROLES, STAGES, STATUSES
from cotrack.permissions import (
    can_create_venture,
    can_edit_venture,
    can_post_update,
    can_respond_to_invitation,
    require,
)
from cotrack.services import ventures as service
from cotrack.services.updates import post_update


@bp.get("/v1/ventures")
def list_ventures():
    stage, status = request.args.get("stage"), request.args.get("status")
    if stage and stage not in STAGES:
        raise DomainError("Unknown stage.", field="stage")
    if status and status not in STATUSES:
        raise DomainError("Unknown status.", field="status")
    query = queries.ventures_for_api(api_user(), stage=stage, status=status)
    return page_json(query, venture_json)


@bp.post("/v1/ventures")
def create_venture():
    require(can_create_venture(api_user()))
    data = json_body()
    parties = data.get("parties")
    if not isinstance(parties, dict):
        raise DomainError("parties must be an object with customer, reseller and manufacturer.",
                          field="parties")
    venture = service.create_venture(
        api_user(),
        name=string_field(data, "name", required=True),
        description=string_field(data, "description"),
        currency=string_field(data, "currency", required=True),
        parties={role: parties.get(role) for role in PARTY_ROLES},
    )
    db.session.commit()
    return venture_json(venture), 201


@bp.get("/v1/ventures/<int:venture_id>")
def get_venture(venture_id: int):
    return venture_json(venture_or_404(api_user(), venture_id, invited_ok=True))


@bp.patch("/v1/ventures/<int:venture_id>")
def patch_venture(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_edit_venture(api_user(), venture))
    data = json_body()
    values = {k: string_field(data, k) for k in ("name", "description") if k in data}
    service.update_venture(api_user(), venture, values)
    db.session.commit()
    return venture_json(venture)


@bp.post("/v1/ventures/<int:venture_id>/accept")
def accept_venture(venture_id: int):
    venture = venture_or_404(api_user(), venture_id, invited_ok=True)
    require(can_respond_to_invitation(api_user(), venture))
    service.accept(api_user(), venture)
    db.session.commit()
    return venture_json(venture)


@bp.post("/v1/ventures/<int:venture_id>/decline")
def decline_venture(venture_id: int):
    venture = venture_or_404(api_user(), venture_id, invited_ok=True)
    require(can_respond_to_invitation(api_user(), venture))
    service.decline(api_user(), venture, string_field(json_body(), "reason"))
    db.session.commit()
    return venture_json(venture)


@bp.get("/v1/ventures/<int:venture_id>/updates")
def list_updates(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    return page_json(queries.status_updates_of(venture), update_json)


@bp.post("/v1/ventures/<int:venture_id>/updates")
def create_update(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_post_update(api_user(), venture))
    data = json_body()
    update = post_update(api_user(), venture, health=string_field(data, "health"),
                         summary=string_field(data, "summary"),
                         decisions=string_field(data, "decisions"))
    db.session.commit()
    return update_json(update), 201


@bp.get("/v1/ventures/<int:venture_id>/activity")
def list_activity(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    return page_json(queries.activity_of(venture), activity_json)
