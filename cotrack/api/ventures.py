"""/ventures: list, create, read, edit, accept/decline, status updates, activity."""

from flask import request

from cotrack import queries
from cotrack.api.auth import api_user
from cotrack.api.request import json_body, string_field
from cotrack.api.serialise import activity_json, page_json, update_json, venture_json
from cotrack.domain.errors import DomainError
from cotrack.domain.permissions import (
    can_create_venture,
    can_edit_venture,
    can_post_update,
    can_respond_to_invitation,
    require,
)
from cotrack.models import PARTY_ROLES, STAGES, STATUSES
from cotrack.queries.loading import venture_or_404
from cotrack.services import ventures as service
from cotrack.services.updates import post_update


def list_ventures():
    stage, status = request.args.get("stage"), request.args.get("status")
    if stage and stage not in STAGES:
        raise DomainError("Unknown stage.", field="stage")
    if status and status not in STATUSES:
        raise DomainError("Unknown status.", field="status")
    query = queries.ventures_for_api(api_user(), stage=stage, status=status)
    return page_json(query, venture_json)


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
    return venture_json(venture), 201


def get_venture(venture_id: int):
    return venture_json(venture_or_404(api_user(), venture_id, invited_ok=True))


def patch_venture(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_edit_venture(api_user(), venture))
    data = json_body()
    values = {k: string_field(data, k) for k in ("name", "description") if k in data}
    service.update_venture(api_user(), venture, values)
    return venture_json(venture)


def accept_venture(venture_id: int):
    venture = venture_or_404(api_user(), venture_id, invited_ok=True)
    require(can_respond_to_invitation(api_user(), venture))
    service.accept(api_user(), venture)
    return venture_json(venture)


def decline_venture(venture_id: int):
    venture = venture_or_404(api_user(), venture_id, invited_ok=True)
    require(can_respond_to_invitation(api_user(), venture))
    service.decline(api_user(), venture, string_field(json_body(), "reason"))
    return venture_json(venture)


def list_updates(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    return page_json(queries.status_updates_of(venture), update_json)


def create_update(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_post_update(api_user(), venture))
    data = json_body()
    update = post_update(api_user(), venture, health=string_field(data, "health"),
                         summary=string_field(data, "summary"),
                         decisions=string_field(data, "decisions"))
    return update_json(update), 201


def list_activity(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    return page_json(queries.activity_of(venture, api_user()), activity_json)
