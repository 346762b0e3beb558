"""API bearer tokens: created with a name, shown once, stored hashed, revocable."""

import logging

from sqlalchemy import select

from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.models import ApiToken, User
from cotrack.timeutil import utcnow
from cotrack.tokens import digest, new_token

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


def user_for_token(raw: str) -> User | None:
    token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == digest(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def tokens_of(user: User):
    return select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
