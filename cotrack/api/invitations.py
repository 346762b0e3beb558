"""/ventures/{id}/invitations/{role}/withdraw · /resend, /invitations/{role}, /abandon."""

from cotrack.api.auth import api_user
from cotrack.api.request import json_body, string_field
from cotrack.api.serialise import venture_json
from cotrack.domain.permissions import can_manage_invitations, require
from cotrack.queries.loading import venture_or_404
from cotrack.services import invitations as service


def _load(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_manage_invitations(api_user(), venture))
    return venture


def withdraw(venture_id: int, role: str):
    venture = _load(venture_id)
    service.withdraw(api_user(), venture, role)
    return venture_json(venture)


def resend(venture_id: int, role: str):
    venture = _load(venture_id)
    service.resend(api_user(), venture, role)
    return venture_json(venture)


def invite(venture_id: int, role: str):
    venture = _load(venture_id)
    service.invite(api_user(), venture, role, json_body().get("organisation_id"))
    return venture_json(venture)


def abandon(venture_id: int):
    venture = _load(venture_id)
    service.abandon(api_user(), venture, string_field(json_body(), "reason"))
    return venture_json(venture)
