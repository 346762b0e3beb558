"""Reading API requests: the JSON body (400 when malformed) and typed fields (422)."""

from flask import current_app, request

from cotrack.domain.errors import DomainError
from cotrack.domain.text_limits import LONG
from cotrack.web.input import json_text_problems


class MalformedBody(DomainError):
    """The body is not a JSON object: 400, with what is wrong as the message."""

    status = 400


#: no text field of the API is longer (descriptions); a longer string is refused unread
MAX_TEXT = LONG


def json_body(check_text: bool = True) -> dict:
    """The body as a JSON object ({} when empty): 400 unless it is JSON (bounded nesting, no
    NaN), 422 naming the field when a string holds a lone surrogate or a control character
    other than tab and line breaks (each field's own check refuses those where they are
    not allowed either). A handler whose permission depends on which fields are sent reads
    the body with ``check_text=False``, checks the permission, then ``checked_text(body)``:
    a role that may not change a field is told so before anything about its value."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    if not request.is_json:
        raise MalformedBody("The body is not a JSON object (send Content-Type: "
                            "application/json).")
    try:
        data = current_app.json.loads(raw)
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise MalformedBody(f"The body is not valid JSON: {exc}.") from None
    if not isinstance(data, dict):
        raise MalformedBody("The body is not a JSON object.")
    return checked_text(data) if check_text else data


def checked_text(data: dict) -> dict:
    if problems := json_text_problems(data):
        raise DomainError("Some text holds characters it cannot have.", fields=problems)
    return data


def string_field(data: dict, name: str, required: bool = False, default: str = "") -> str:
    value = data.get(name, default)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(f"{name} must be a string.", field=name)
    if required and not value.strip():
        raise DomainError(f"{name} is required.", field=name)
    if len(value) > MAX_TEXT:
        raise DomainError(f"Use at most {MAX_TEXT:,} characters.", field=name)
    return value
