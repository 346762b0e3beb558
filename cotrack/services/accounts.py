"""Organisations and user accounts: created and changed by admins, passwords by their owner.

``actor`` None stands for the command line (someone with access to the server), which
creates the first administrator (``flask create-user``)."""

import logging

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from cotrack.domain.errors import DomainError, NotAllowed
from cotrack.domain.passwords import hash_password, password_problem, verify_password
from cotrack.domain.text_limits import EMAIL, NAME
from cotrack.domain.valid_input import choice, collect, text_field
from cotrack.extensions import db
from cotrack.models import ACCOUNT_ROLES, Organisation, User
from cotrack.services.api_tokens import revoke_all_tokens
from cotrack.services.signin import close_all_sessions, close_other_sessions, normalise_email

log = logging.getLogger(__name__)


class WrongCurrentPassword(DomainError):
    """The password given as the current one is not (the profile page limits these)."""


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.is_admin:
        raise NotAllowed("Only administrators manage organisations and accounts.")


def _unique_org_name(name: str, org: Organisation | None = None) -> str:
    name = text_field(name, "name", True, NAME)
    query = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if org is not None and org.id is not None:
        query = query.where(Organisation.id != org.id)
    if db.session.scalar(query) is not None:
        raise DomainError("An organisation with this name exists already.", field="name")
    return name


def save_organisation(actor: User | None, org: Organisation | None, name: str, active: bool = True):
    _require_admin(actor)
    name = _unique_org_name(name, org)
    if org is None:
        org = Organisation(name=name, active=active)
        db.session.add(org)
    else:
        org.name, org.active = name, active
        if not active:  # as for a deactivated user: signed out, tokens revoked for good
            members = select(User.id).where(User.organisation_id == org.id)
            close_all_sessions(members)
            revoke_all_tokens(members)
    db.session.flush()
    log.info("organisation %s saved by %s", org.id, _who(actor))
    return org


def _password_hash(password: str, email: str, name: str, field: str = "password") -> str:
    problem = password_problem(password, (email, name))
    if problem:
        raise DomainError(problem, field=field)
    return hash_password(password)


def checked_password_hash(password: str, user: User, field: str = "password") -> str:
    """The hash of a new password for ``user``, refused (naming ``field``) unless it meets
    the rules (cotrack/domain/passwords.py)."""
    return _password_hash(password, user.email, user.name, field=field)


def _who(actor: User | None) -> str:
    return f"user {actor.id}" if actor is not None else "the command line"


def _email(email, user: User | None) -> str:
    email = normalise_email(text_field(email, "email", True, EMAIL))
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise DomainError("Enter an email address such as name@example.org.",
                          field="email") from None
    query = select(User.id).where(User.email == email)
    if user is not None and user.id is not None:
        query = query.where(User.id != user.id)
    if db.session.scalar(query) is not None:
        raise DomainError("An account with this email exists already.", field="email")
    return email


def _organisation(organisation) -> Organisation:
    if organisation is None:
        raise DomainError("Choose an organisation.", field="organisation_id")
    return organisation


def _account(user: User | None, email, name, role, organisation, **more) -> dict:
    """The checked fields of an account, or one DomainError naming every field at fault."""
    return collect({
        "email": lambda: _email(email, user),
        "name": lambda: text_field(name, "name", True, NAME),
        "role": lambda: choice(role, ACCOUNT_ROLES, "role", "Choose a role."),
        "organisation": lambda: _organisation(organisation),
        **more,
    })


def create_user(actor: User | None, *, email, name, role, organisation, password) -> User:
    _require_admin(actor)
    values = _account(None, email, name, role, organisation, password_hash=lambda: (
        _password_hash(password, normalise_email(email), name or "")))
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    log.info("user %s created by %s", user.id, _who(actor))
    return user


def update_user(actor: User, user: User, *, email, name, role, organisation, active) -> User:
    _require_admin(actor)

    def _active():
        if actor is not None and user.id == actor.id and (not active or role != "admin"):
            raise DomainError("You cannot deactivate or demote your own account.",
                              field="active")
        return bool(active)

    values = _account(user, email, name, role, organisation, active=_active)
    for field, value in values.items():
        setattr(user, field, value)
    if not active:
        # signed out, and tokens revoked for good: reactivating gives back neither
        close_all_sessions(user)
        revoke_all_tokens(user)
    db.session.flush()
    log.info("user %s updated by %s", user.id, _who(actor))
    return user


def reset_password(actor: User, user: User, password: str) -> None:
    """Set a new password; every session of the user ends and their API tokens are revoked."""
    _require_admin(actor)
    user.password_hash = _password_hash(password, user.email, user.name)
    close_all_sessions(user)
    revoke_all_tokens(user)
    db.session.flush()
    log.info("password of user %s reset by %s", user.id, _who(actor))


def change_own_password(user: User, current: str, new: str) -> None:
    """Change one's password: other sessions end and the user's API tokens are revoked."""
    if not verify_password(user.password_hash, current):
        raise WrongCurrentPassword("This is not your current password.",
                                   field="current_password")
    user.password_hash = _password_hash(new, user.email, user.name, field="new_password")
    close_other_sessions(user)
    revoke_all_tokens(user)
    db.session.flush()
    log.info("user %s changed their password", user.id)
