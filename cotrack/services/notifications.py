"""Notifications: written in the transaction of the change they report, only to people who
may view its subject, and mailed at once to those who chose so for the kind (the others
get them in their digest). DOMAIN.md, "Keeping partners in step"."""

import logging
from collections.abc import Callable, Iterable

from sqlalchemy import and_, or_, select, update

from cotrack.db.timestamps import utcnow
from cotrack.domain.mentions import mentioned
from cotrack.domain.notifications import KINDS, REVENUE_KINDS, default_delivery
from cotrack.domain.permissions import (
    can_view_revenue,
    can_view_venture,
)
from cotrack.domain.preferences import DEFAULT_LOCALE
from cotrack.domain.sentences import Words, describe, quoted
from cotrack.extensions import db
from cotrack.mail.outbox import queue_notification_mail
from cotrack.models import EmailPreference, Notification, User, Venture, VentureParty
from cotrack.queries import notifications as queries

log = logging.getLogger(__name__)


def may_see(user: User, venture: Venture | None, audience: str) -> bool:
    """The recipient may view the notification's subject (its ``audience``)."""
    if venture is None:
        return audience == "personal"
    if audience == "revenue":
        return can_view_revenue(user, venture)
    if audience == "personal":  # news of an invitation to the user's own organisation
        return not user.is_admin and venture.party_of(user.organisation_id) is not None
    return can_view_venture(user, venture)


def people(venture: Venture, roles: Iterable[str] | None = None,
           invited: bool = False) -> list[User]:
    """Active users of the venture's accepted parties (and, with ``invited``, of the
    organisations invited and not yet answered), optionally of these account roles."""
    party = VentureParty.accepted_at.is_not(None)
    if invited:
        party = or_(party, and_(VentureParty.declined_at.is_(None),
                                VentureParty.withdrawn_at.is_(None)))
    query = (select(User).join(VentureParty, VentureParty.organisation_id == User.organisation_id)
             .where(VentureParty.venture_id == venture.id, User.active, party)
             .order_by(User.id))
    if roles is not None:
        query = query.where(User.role.in_(tuple(roles)))
    return list(db.session.scalars(query))


def leads(venture: Venture, invited: bool = False) -> list[User]:
    return people(venture, ("lead",), invited)


def org_leads(organisation_id: int) -> list[User]:
    return list(db.session.scalars(select(User).where(
        User.organisation_id == organisation_id, User.role == "lead", User.active)))


def revenue_people(venture: Venture) -> list[User]:
    return people(venture, ("lead", "finance"))


def deliveries(kind: str, users: list[User]) -> dict[int, str]:
    """{user id: how they want this kind mailed}."""
    chosen = dict(db.session.execute(select(EmailPreference.user_id, EmailPreference.delivery)
                                     .where(EmailPreference.kind == kind,
                                            EmailPreference.user_id.in_([u.id for u in users]))
                                     ).all()) if users else {}
    return {u.id: chosen.get(u.id) or default_delivery(kind) for u in users}


def notify(kind: str, users: Iterable[User], venture: Venture | None, *, actor: User | None,
           text: str | Callable[[User], str], url: str, audience: str = "venture",
           dedupe_key: str | None = None) -> list[Notification]:
    """One notification to each of ``users`` who may see it (never to the actor)."""
    if kind in REVENUE_KINDS:
        audience = "revenue"
    chosen, seen = [], set()
    for user in users:
        if user.id in seen or (actor is not None and user.id == actor.id) or not user.active:
            continue
        seen.add(user.id)
        if may_see(user, venture, audience):
            chosen.append(user)
    rows = []
    for user in chosen:
        row = Notification(user_id=user.id, kind=kind, venture_id=venture.id if venture else None,
                           actor_id=actor.id if actor else None, audience=audience,
                           text=(text(user) if callable(text) else text)[:1000], url=url[:500],
                           dedupe_key=dedupe_key, created_at=utcnow())
        db.session.add(row)
        rows.append((row, user))
    db.session.flush()
    wanted = deliveries(kind, chosen)
    for row, user in rows:
        if wanted[user.id] == "immediate":
            mail_now(row, user, venture)
    return [row for row, _ in rows]


def about(activity, venture: Venture) -> Callable[[User], str]:
    """The activity's sentence, in each recipient's own locale."""
    return lambda user: describe(activity, Words(user.locale or DEFAULT_LOCALE, venture.currency))


def mail_now(row: Notification, user: User, venture: Venture | None) -> None:
    label = KINDS[row.kind][0]
    subject = f"{venture.name}: {label}" if venture else label
    queue_notification_mail(row, user, subject)


def venture_people_names(venture: Venture) -> list[tuple[int, str]]:
    return [(u.id, u.name) for u in people(venture)]


def notify_mentions(actor: User, venture: Venture, text: str | None, where: str, url: str,
                    before: str | None = None) -> set[int]:
    """Tell each of the venture's people newly mentioned in ``text`` (not in ``before``)."""
    names = venture_people_names(venture)
    ids = mentioned(text, names) - mentioned(before, names) - {actor.id}
    if ids:
        users = [u for u in people(venture) if u.id in ids]
        notify("mentioned", users, venture, actor=actor, url=url,
               text=f"{actor.name} mentioned you in {where}: {quoted(text or '', 200)}")
    return ids


def unread_count(user: User) -> int:
    """The bell's number (every page shows it)."""
    return db.session.scalar(queries.unread_count(user))


def mark_read(user: User, notification: Notification) -> Notification:
    if notification.user_id == user.id and notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(user: User) -> int:
    done = db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).values(
        read_at=utcnow())).rowcount
    log.info("user %s read all %s notifications", user.id, done)
    return done
