"""API bearer tokens: created with a name, shown once, stored hashed, revocable."""

import logging

from sqlalchemy import Select, select, update

from cotrack.db.timestamps import utcnow
from cotrack.domain.errors import DomainError
from cotrack.domain.tokens import digest, new_token
from cotrack.extensions import db
from cotrack.models import ApiToken, User

log = logging.getLogger(__name__)
PREFIX = "ct_"


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    name = (name or "").strip() or "API token"
    if len(name) > 100:
        raise DomainError("Use at most 100 characters.", field="name")
    raw = new_token(PREFIX)
    token = ApiToken(user=user, name=name, token_hash=digest(raw), prefix=raw[:10])
    db.session.add(token)
    db.session.flush()
    log.info("api token %s created for user %s", token.id, user.id)
    return token, raw


def revoke_token(actor: User, token: ApiToken) -> None:
    if token.user_id != actor.id:
        raise DomainError("Not your token.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()
        log.info("api token %s revoked by user %s", token.id, actor.id)


def revoke_all_tokens(users: User | Select) -> None:
    """Revoke every active token of a user (or of the users a ``select(User.id)`` names):
    after a password reset or change, and for good when the account is deactivated."""
    owner = ApiToken.user_id.in_(users) if isinstance(users, Select) else \
        ApiToken.user_id == users.id
    result = db.session.execute(
        update(ApiToken).where(owner, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch"))
    log.info("%s api tokens revoked", result.rowcount)


def user_for_token(raw: str) -> User | None:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def tokens_of(user: User):
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
