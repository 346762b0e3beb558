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


class Conflict(DomainError):
    """The object's state forbids the action, or it changed under the user (HTTP 409)."""

    status = 409
