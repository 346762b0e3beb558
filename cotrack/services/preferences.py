"""A user's own preferences: time zone and locale (DOMAIN.md, "People's time and
numbers"), and how each kind of notification is mailed ("Keeping partners in step")."""

import logging

from sqlalchemy import select

from cotrack.db.timestamps import utcnow
from cotrack.domain.errors import NotAllowed
from cotrack.domain.notifications import KINDS, default_delivery, email_choices
from cotrack.domain.preferences import locale_value, time_zone_value, time_zones
from cotrack.domain.valid_input import collect
from cotrack.extensions import db
from cotrack.models import EmailPreference, User

log = logging.getLogger(__name__)


def update_preferences(actor: User, user: User, data: dict) -> User:
    """Set any of ``time_zone``, ``locale`` and ``email`` ({kind: delivery}), each checked
    against its table; nothing is written unless all of it is valid."""
    if actor.id != user.id:
        raise NotAllowed("People set their own preferences.")
    checks = {"time_zone": lambda: time_zone_value(data.get("time_zone")),
              "locale": lambda: locale_value(data.get("locale")),
              "email": lambda: email_choices(data.get("email"))}
    values = collect({name: check for name, check in checks.items() if name in data})
    for name in ("time_zone", "locale"):
        if name in values:
            setattr(user, name, values[name])
    set_email_choices(user, values.get("email", {}))
    db.session.flush()
    log.info("user %s changed their preferences", user.id)
    return user


def email_deliveries(user: User) -> dict[str, str]:
    """{kind: delivery} for every kind: the user's choice, else the kind's default."""
    chosen = dict(db.session.execute(
        select(EmailPreference.kind, EmailPreference.delivery)
        .where(EmailPreference.user_id == user.id)).all())
    return {kind: chosen.get(kind) or default_delivery(kind) for kind in KINDS}


def set_email_choices(user: User, choices: dict[str, str]) -> None:
    if not choices:
        return
    stored = {p.kind: p for p in db.session.scalars(
        select(EmailPreference).where(EmailPreference.user_id == user.id,
                                      EmailPreference.kind.in_(list(choices))))}
    for kind, delivery in choices.items():
        if kind in stored:
            stored[kind].delivery = delivery
        else:
            db.session.add(EmailPreference(user_id=user.id, kind=kind, delivery=delivery))


def unsubscribe(user: User, kinds: list[str]) -> list[str]:
    """Turn mail off for these kinds (a signed one-click link; no sign-in needed)."""
    kinds = [k for k in kinds if k in KINDS]
    set_email_choices(user, dict.fromkeys(kinds, "off"))
    db.session.flush()
    log.info("user %s unsubscribed from %s", user.id, ",".join(kinds))
    return kinds


def first_signin(user: User, browser_zone: str | None) -> None:
    """At the first sign-in the browser's time zone becomes the user's (else UTC stays)."""
    if user.first_signin_at is not None:
        return
    user.first_signin_at = utcnow()
    if isinstance(browser_zone, str) and browser_zone in time_zones():
        user.time_zone = browser_zone
