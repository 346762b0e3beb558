""""Forgot password?": a mailed link that sets a new password once, within an hour.

The link carries a token signed with the site's secret (itsdangerous, timed) that names
the account and a fingerprint of its current password hash: setting any new password
(with this link or otherwise) changes the hash, so the link dies once used, and an older
link dies with it. Asking never tells whether an account exists: the answer is the same,
and a mail goes out only to an active account of an active organisation.
"""

import hashlib
import logging

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from cotrack import mail
from cotrack.extensions import db
from cotrack.models import User
from cotrack.services.accounts import checked_password_hash
from cotrack.services.api_tokens import revoke_all_tokens
from cotrack.services.signin import close_all_sessions, normalise_email

log = logging.getLogger(__name__)
SALT = "cotrack.password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


def _may_reset(user: User | None) -> bool:
    return bool(user is not None and user.active and user.organisation.active)


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "p": _fingerprint(user)})


def user_for_token(token: str) -> User | None:
    """The account a live link is for; None when the link is forged, expired, used, or its
    password was changed since (or the account is closed)."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["RESET_LINK_SECONDS"])
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) \
            or not isinstance(data.get("p"), str) or not 0 < data["u"] < 2**31:
        return None
    user = db.session.get(User, data["u"])
    if not _may_reset(user) or data["p"] != _fingerprint(user):
        return None
    return user


def request_reset(email: str) -> None:
    """Mail a link to the account with this address, if there is one that may sign in."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if not _may_reset(user):
        log.info("password reset asked for an address with no usable account")
        return
    hours = current_app.config["RESET_LINK_SECONDS"] // 3600
    link = mail.external(mail.path_for("auth.reset_password", token=make_token(user)))
    parts = mail.render(
        "message", subject="Set a new CoTrack password", link=link,
        link_label="Set a new password",
        text=f"Hello {user.name},\n\nsomeone (we hope you) asked to set a new password for "
             f"your CoTrack account {user.email}. The link below works once, for "
             f"{hours} hour{'s' if hours != 1 else ''}. If it was not you, ignore this mail: "
             "your password stays as it is.")
    mail.queue_mail(to=user.email, user=user, subject="Set a new CoTrack password",
                    kind="password_reset", **parts)
    log.info("password reset link mailed to user %s", user.id)


def reset_with_token(user: User, password: str) -> None:
    """Set the new password (the usual rules); every session and API token of the account
    ends, as with any password change, and the link is spent."""
    user.password_hash = checked_password_hash(password, user)
    close_all_sessions(user)
    revoke_all_tokens(user)
    db.session.flush()
    log.info("user %s set a new password through a mailed link", user.id)
