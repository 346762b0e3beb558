"""Checks shared by the services that need the database: optimistic locking, assignees.

Plain input (dates, ids, text, choices) is read through ``cotrack.domain.valid_input``."""


from sqlalchemy import select

from cotrack.domain.errors import DomainError, StaleVersion
from cotrack.domain.valid_input import MAX_ID, id_value, whole_number
from cotrack.extensions import db
from cotrack.models import User, Venture, VentureParty


def check_version(obj, version) -> None:
    """Refuse the change unless ``version`` is the one stored now.

    The row is locked and read again first, so no concurrent save can slip in between this
    comparison and the write (PostgreSQL at READ COMMITTED; SQLite serialises writers): a
    stale version is always this 409 with the stored record, on every database."""
    if version is None:
        raise DomainError("Send the version you read.", field="version")
    version = version_number(version)
    db.session.refresh(obj, with_for_update=True)
    if version != obj.version:
        raise StaleVersion(obj)


def version_number(version) -> int:
    """A version as sent: a whole number from 1 (versions are INTEGER columns from 1)."""
    number = None if version is None else whole_number(version)
    if number is None or not 1 <= number <= MAX_ID:
        raise DomainError(f"version must be a whole number from 1 to {MAX_ID:,}.",
                          field="version")
    return number


def party_user(venture: Venture, user_id, field: str = "assignee_id") -> User | None:
    """A user of an accepted party organisation of the venture, or None for nobody (which
    is null: the forms read their "nobody" as None, and 0 or "" is no one's id)."""
    if user_id is None:
        return None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id == 0:
        raise DomainError("Choose a person.", field=field)
    user_id = id_value(user_id)
    user = user_id and db.session.scalar(
        select(User).join(VentureParty, VentureParty.organisation_id == User.organisation_id)
        .where(User.id == user_id, User.active, VentureParty.venture_id == venture.id,
               VentureParty.accepted_at.is_not(None))
    )
    if user is None:
        raise DomainError("The assignee must be a user of one of the parties.", field=field)
    return user


def lock_money(venture: Venture) -> None:
    """Lock the venture's row for this transaction: revenue and split agreements decide
    against each other (an entry needs an agreement in effect on its date; an agreement may
    not start before revenue already recorded), so they take the same lock first."""
    db.session.execute(select(Venture.id).where(Venture.id == venture.id).with_for_update())


def lock_venture(venture: Venture) -> Venture:
    """Lock the venture's row for this transaction and read it and its parties afresh, so
    changes to who takes part (accepting, declining, withdrawing, inviting) are made one
    after the other on PostgreSQL, as SQLite's single writer makes them anyway."""
    # FOR UPDATE OF the venture alone: its eagerly joined relations are outer joins, which
    # PostgreSQL refuses to lock
    db.session.refresh(venture, with_for_update={"of": Venture})
    db.session.scalars(select(VentureParty).where(VentureParty.venture_id == venture.id)
                       .execution_options(populate_existing=True)).all()
    db.session.expire(venture, ["parties"])
    return venture
