"""Reading API requests: the JSON body (400 when malformed) and typed fields (422)."""

from flask import abort, request

from cotrack.errors import DomainError


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        if request.get_data() and request.get_data().strip():
            abort(400, "The body is not a JSON object.")
        data = {}
    return data


def string_field(data: dict, name: str, required: bool = False, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(f"{name} must be a string.", field=name)
    if required and not value.strip():
        raise DomainError(f"{name} is required.", field=name)
    return value
