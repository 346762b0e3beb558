"""Organisations and user accounts: created and changed by admins, passwords by their owner."""

import logging

from sqlalchemy import func, select

from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.models import ROLES, Organisation, User
from cotrack.passwords import hash_password, password_problem, verify_password
from cotrack.services.signin import close_all_sessions, close_other_sessions, normalise_email

log = logging.getLogger(__name__)


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise DomainError("Only administrators manage organisations and accounts.")


def _unique_org_name(name: str, org: Organisation | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name.", field="name")
    query = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if org is not None and org.id is not None:
        query = query.where(Organisation.id != org.id)
    if db.session.scalar(query) is not None:
        raise DomainError("An organisation with this name exists already.", field="name")
    return name


def save_organisation(actor: User, org: Organisation | None, name: str, active: bool = True):
    _require_admin(actor)
    name = _unique_org_name(name, org)
    if org is None:
        org = Organisation(name=name, active=active)
        db.session.add(org)
    else:
        org.name, org.active = name, active
    db.session.flush()
    log.info("organisation %s saved by user %s", org.id, actor.id)
    return org


def _password_hash(password: str, email: str, name: str, field: str = "password") -> str:
    problem = password_problem(password, (email, name))
    if problem:
        raise DomainError(problem, field=field)
    return hash_password(password)


def _user_field_problems(user: User | None, email: str, role: str, organisation) -> dict:
    problems = {}
    query = select(User.id).where(User.email == email)
    if user is not None and user.id is not None:
        query = query.where(User.id != user.id)
    if db.session.scalar(query) is not None:
        problems["email"] = "An account with this email exists already."
    if role not in ROLES:
        problems["role"] = "Choose a role."
    if organisation is None:
        problems["organisation_id"] = "Choose an organisation."
    return problems


def _raise_if(problems: dict) -> None:
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)


def create_user(actor: User, *, email, name, role, organisation, password) -> User:
    _require_admin(actor)
    email = normalise_email(email)
    problems = _user_field_problems(None, email, role, organisation)
    password_msg = password_problem(password, (email, name))
    if password_msg:
        problems["password"] = password_msg
    _raise_if(problems)
    user = User(email=email, name=name.strip(), role=role, organisation=organisation,
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    log.info("user %s created by user %s", user.id, actor.id)
    return user


def update_user(actor: User, user: User, *, email, name, role, organisation, active) -> User:
    _require_admin(actor)
    email = normalise_email(email)
    problems = _user_field_problems(user, email, role, organisation)
    if user.id == actor.id and (not active or role != "admin"):
        problems["active"] = "You cannot deactivate or demote your own account."
    _raise_if(problems)
    user.email, user.name, user.role = email, name.strip(), role
    user.organisation, user.active = organisation, active
    if not active:
        close_all_sessions(user)
    db.session.flush()
    log.info("user %s updated by user %s", user.id, actor.id)
    return user


def reset_password(actor: User, user: User, password: str) -> None:
    _require_admin(actor)
    user.password_hash = _password_hash(password, user.email, user.name)
    close_all_sessions(user)
    db.session.flush()
    log.info("password of user %s reset by user %s", user.id, actor.id)


def change_own_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise DomainError("This is not your current password.", field="current_password")
    user.password_hash = _password_hash(new, user.email, user.name, field="new_password")
    close_other_sessions(user)
    db.session.flush()
    log.info("user %s changed their password", user.id)
