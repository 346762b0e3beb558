"""/ventures/{id}/gate: the current gate request, request it, approve, reject; shelving."""

from flask import jsonify

from cotrack.api.auth import api_user
from cotrack.api.request import json_body, string_field
from cotrack.api.serialise import gate_json
from cotrack.domain.permissions import can_act_on_gate, require
from cotrack.queries.loading import venture_or_404
from cotrack.services import gates as service


def _lead_venture(venture_id: int):
    venture = venture_or_404(api_user(), venture_id)
    require(can_act_on_gate(api_user(), venture))
    return venture


def get_gate(venture_id: int):
    gate = service.open_gate(venture_or_404(api_user(), venture_id))
    return jsonify(gate_json(gate) if gate else None)


def post_gate(venture_id: int):
    venture = _lead_venture(venture_id)
    json_body()
    gate = service.request_gate(api_user(), venture)
    return gate_json(gate), 201


def _decide(venture_id: int, decision: str):
    venture = _lead_venture(venture_id)
    comment = string_field(json_body(), "comment")
    gate = service.decide(api_user(), venture, decision, comment)
    return gate_json(gate)


def approve_gate(venture_id: int):
    return _decide(venture_id, "approve")


def reject_gate(venture_id: int):
    return _decide(venture_id, "reject")


def shelve(venture_id: int):
    venture = _lead_venture(venture_id)
    gate = service.request_shelving(api_user(), venture, string_field(json_body(), "reason"))
    return gate_json(gate), 201
