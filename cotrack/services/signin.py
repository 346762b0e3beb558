"""Server-side sign-in sessions: create on sign-in, look up per request, delete on sign-out."""

import logging
from collections import OrderedDict
from datetime import timedelta
from functools import cache
from threading import Lock

from flask import current_app
from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.orm import joinedload

from cotrack.db.engine import reading
from cotrack.db.prebuilt import Viewer, per_viewer, viewer
from cotrack.db.snapshot import current_state
from cotrack.db.timestamps import utcnow
from cotrack.domain.passwords import hash_password, needs_rehash, verify_password
from cotrack.domain.tokens import digest, new_token
from cotrack.extensions import db
from cotrack.models import User, UserSession
from cotrack.queries.notifications import unread_count

log = logging.getLogger(__name__)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(email: str, password: str) -> tuple[User | None, str | None]:
    """The user for these credentials, or None and the message to show."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if not verify_password(user.password_hash if user else None, password):
        return None, "Wrong email or password."
    if not user.is_active:
        return None, "This account is deactivated. Ask your administrator."
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user, None


def open_session(user: User, remember: bool) -> str:
    """Record a new server-side session for ``user``; returns the token for the cookie."""
    token = new_token()
    seconds = (
        current_app.config["REMEMBER_COOKIE_DURATION"]
        if remember
        else current_app.config["SESSION_LIFETIME_SECONDS"]
    )
    db.session.add(
        UserSession(
            user=user, token_hash=digest(token), expires_at=utcnow() + timedelta(seconds=seconds)
        )
    )
    db.session.flush()
    user.session_token = token
    _viewer_of.remember(digest(token), viewer(user))
    log.info("user %s signed in", user.id)
    return token


@cache
def _session_user() -> Select:
    """Every signed-in request runs it: built once (building it was about 0.2 ms of the
    look-up's 0.56 ms of CPU). With the user, the database's state the statement reads
    (``current_state``): the first read of a page that may be kept takes it so
    (``cotrack.web.page_store``)."""
    return (select(User, current_state()).join(UserSession, UserSession.user_id == User.id)
            .options(joinedload(User.organisation))
            .where(UserSession.token_hash == bindparam("token_hash"),
                   UserSession.expires_at > bindparam("now")))


def load_session_user(token: str) -> User | None:
    """The user whose unexpired session the token names (the session itself is not loaded:
    one object fewer on every request).

    A page that only reads (a GET) also reads the bell's count with them
    (``User.bell_count``): every page shows it, and it cost a statement of its own. Its SQL
    depends on who is looking (``per_viewer``), which is not known before this statement
    runs, so it is built for the person the token named the last time this process saw it
    (``_viewer_of``), and kept only if they are still that person (the same id,
    organisation and role); on a token's first request in this process (other than the one
    that signed in), or after such a change, the bell reads its count itself."""
    token_hash = digest(token)
    params = {"token_hash": token_hash, "now": utcnow()}
    hint = _viewer_of.get(token_hash) if reading() else None
    statement = _session_user() if hint is None else _session_user_and_bell(hint)
    row = db.session.execute(statement, params).first()
    if row is None:
        _viewer_of.forget(token_hash)
        return None
    user, state, count = row[0], row[1], row[2] if hint is not None else None
    if not user.is_active:
        _viewer_of.forget(token_hash)
        return None
    seen = viewer(user)
    _viewer_of.remember(token_hash, seen)
    user.session_token = token
    user.bell_count = count if seen == hint else None
    user.database_state = state
    return user


class _Viewers:
    """The person (``Viewer``) each recently seen session token named, by the token's
    digest: the most recent ``size`` tokens of this process."""

    def __init__(self, size: int = 4096):
        self._seen: OrderedDict[bytes, Viewer] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, token_hash) -> Viewer | None:
        with self._lock:
            return self._seen.get(token_hash)

    def remember(self, token_hash, who: Viewer) -> None:
        with self._lock:
            self._seen[token_hash] = who
            self._seen.move_to_end(token_hash)
            if len(self._seen) > self._size:
                self._seen.popitem(last=False)

    def forget(self, token_hash) -> None:
        with self._lock:
            self._seen.pop(token_hash, None)


_viewer_of = _Viewers()


@per_viewer
def _session_user_and_bell(who: Viewer) -> Select:
    """``_session_user`` and the bell's count for ``who``."""
    return _session_user().add_columns(unread_count(who).scalar_subquery())


def close_session(token: str | None) -> None:
    if token:
        db.session.execute(delete(UserSession).where(UserSession.token_hash == digest(token)))


def close_all_sessions(users: User | Select) -> None:
    """Sign a user (or the users a ``select(User.id)`` names) out everywhere."""
    owner = UserSession.user_id.in_(users) if isinstance(users, Select) else \
        UserSession.user_id == users.id
    db.session.execute(delete(UserSession).where(owner))


def close_other_sessions(user: User) -> None:
    """Sign ``user`` out everywhere but the session they are using now."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if user.session_token:
        query = query.where(UserSession.token_hash != digest(user.session_token))
    db.session.execute(query)
