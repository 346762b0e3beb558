"""Domain errors raised by services; views turn them into form messages or JSON errors."""


class DomainError(Exception):
    """A business rule refused the action. ``field`` names the input at fault, if any."""

    status = 422

    def __init__(self, message: str, field: str | None = None, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = dict(fields or {})
        if field:
            self.fields.setdefault(field, message)
        #: more to answer in a JSON error beside status, message and fields
        self.details: dict = {}


class NotAllowed(DomainError):
    """The acting user's role may not do this (DOMAIN.md's table): HTTP 403, as the views'
    own checks answer, with the same predicate (cotrack.domain.permissions)."""

    status = 403


class Conflict(DomainError):
    """The object's state forbids the action, or it changed under the user (HTTP 409)."""

    status = 409


class StaleVersion(Conflict):
    """Someone else saved the object since it was read; ``record`` is the object as it is
    stored now (the API answers it as ``current``, a form shows it beside the user's)."""

    def __init__(self, record):
        super().__init__("Someone else changed this in the meantime; nothing of yours was "
                         "saved.", field="version")
        self.record = record
