"""Checks shared by the services: optimistic locking, dates, assignees."""

from datetime import date

from sqlalchemy import select

from cotrack.errors import Conflict, DomainError
from cotrack.extensions import db
from cotrack.models import User, Venture, VentureParty


class StaleVersion(Conflict):
    """Someone else saved the object since it was read; ``current`` holds their values."""

    def __init__(self, obj, fields: tuple[str, ...]):
        super().__init__(
            "Someone else changed this in the meantime. Their values are shown; "
            "nothing of yours was saved.",
            field="version",
        )
        self.current = {f: getattr(obj, f) for f in fields}
        self.current["version"] = obj.version


def check_version(obj, version, fields: tuple[str, ...]) -> None:
    if version is None:
        raise DomainError("Send the version you read.", field="version")
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise DomainError("version must be a whole number.", field="version") from None
    if version != obj.version:
        raise StaleVersion(obj, fields)


def parse_date(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise DomainError("Use a date like 2026-12-31.", field=field) from None


def party_user(venture: Venture, user_id, field: str = "assignee_id") -> User | None:
    """A user of an accepted party organisation of the venture (or None for nobody)."""
    if user_id in (None, "", 0):
        return None
    if not isinstance(user_id, int):
        raise DomainError("Choose a person.", field=field)
    user = db.session.scalar(
        select(User).join(VentureParty, VentureParty.organisation_id == User.organisation_id)
        .where(User.id == user_id, User.active, VentureParty.venture_id == venture.id,
               VentureParty.accepted_at.is_not(None))
    )
    if user is None:
        raise DomainError("The assignee must be a user of one of the parties.", field=field)
    return user


def choice(value, allowed: tuple, field: str, message: str):
    if value not in allowed:
        raise DomainError(message, field=field)
    return value


def text_field(value, field: str, required: bool, limit: int) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise DomainError("Must be text.", field=field)
    if required and not value:
        raise DomainError("This is required.", field=field)
    if len(value) > limit:
        raise DomainError(f"Use at most {limit:,} characters.", field=field)
    return value


def collect(checks: dict) -> dict:
    """Run each field's check; raise one DomainError naming every field at fault."""
    values, problems = {}, {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except DomainError as exc:
            problems.update(exc.fields or {name: exc.message})
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    return values
