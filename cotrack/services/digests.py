"""Periodic work: daily and weekly digests at 08:00 in each person's zone, and the news
that a milestone is overdue (once per milestone and due date).

A digest holds the notifications of the kinds the person chose for it since their last
digest, read through the inbox's permission clause (so never what they may not see now),
and says nothing at all when there is nothing: no mail. Each digest is a row for its local
date, unique, so two workers never send the same one.
"""

import logging
from datetime import timedelta

from flask import render_template
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from cotrack import jobs
from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.domain.timefmt import local, when
from cotrack.extensions import db
from cotrack.mail import external, queue_mail
from cotrack.models import FINISHED, DigestRun, Milestone, Notification, User, Venture
from cotrack.queries.notifications import inbox
from cotrack.services.notifications import leads, notify
from cotrack.services.preferences import email_deliveries

log = logging.getLogger(__name__)

DIGEST_HOUR = 8
SPAN = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
MAX_ITEMS = 200


def send_digests(now=None) -> int:
    """Every person whose local time is past 08:00 and who has no digest for today yet
    (weekly: on Mondays) gets one. Returns the number of mails written."""
    now = now or utcnow()
    sent = 0
    for user in db.session.scalars(select(User).where(User.active).order_by(User.id)).all():
        there = local(now, user.time_zone)
        if there.hour < DIGEST_HOUR:
            continue
        periods = ["daily"] + (["weekly"] if there.weekday() == 0 else [])
        for period in periods:
            sent += _digest(user, period, there.date(), now)
    return sent


def _digest(user: User, period: str, local_date, now) -> int:
    if db.session.scalar(select(DigestRun.id).where(
            DigestRun.user_id == user.id, DigestRun.period == period,
            DigestRun.local_date == local_date)) is not None:
        return 0
    previous = db.session.scalar(select(func.max(DigestRun.created_at)).where(
        DigestRun.user_id == user.id, DigestRun.period == period))
    since = previous or now - SPAN[period]
    kinds = [k for k, d in email_deliveries(user).items() if d == period]
    items = db.session.scalars(inbox(user).where(
        Notification.kind.in_(kinds), Notification.read_at.is_(None),  # not seen yet
        Notification.created_at > since,
        Notification.created_at <= now).limit(MAX_ITEMS)).all() if kinds else []
    run = DigestRun(user_id=user.id, period=period, local_date=local_date, covers_from=since,
                    created_at=now)
    db.session.add(run)
    try:
        db.session.flush()
    except IntegrityError:  # another worker wrote this digest a moment ago
        db.session.rollback()
        return 0
    if items:
        run.mail_id = _mail(user, period, items, kinds).id
    db.session.commit()
    return 1 if items else 0


def _mail(user: User, period: str, items: list[Notification], kinds: list[str]):
    by_venture: dict[str, list] = {}
    for n in reversed(items):  # oldest first
        name = n.venture.name if n.venture else "CoTrack"
        by_venture.setdefault(name, []).append({
            "text": n.text, "link": external(n.url),
            "at": when(n.created_at, user.time_zone, user.locale)})
    subject = (f"Your {period} CoTrack digest: {len(items)} "
               f"notification{'' if len(items) == 1 else 's'}")
    context = dict(subject=subject, period=period, groups=by_venture, user=user,
                   inbox=external("/notifications"),
                   unsubscribe_note="Unsubscribe from this digest with one click in your mail "
                                    "program, or choose per kind on your profile: "
                                    + external(paths.profile("email")))
    return queue_mail(to=user.email, user=user, subject=subject, kind=f"digest_{period}",
                      text=render_template("mail/digest.txt", **context),
                      html=render_template("mail/digest.html", **context),
                      unsubscribe_kinds=kinds)


def tell_overdue(today=None) -> int:
    """Once per milestone and due date: its assignee (or, unassigned, the leads of the
    accountable party) hears that it is overdue."""
    today = today or utcnow().date()
    told = 0
    late = db.session.scalars(select(Milestone).where(
        Milestone.status.not_in(FINISHED), Milestone.due_date < today,
        Milestone.due_date >= today - timedelta(days=30)).order_by(Milestone.id)).all()
    for m in late:
        venture = db.session.get(Venture, m.venture_id)
        if venture.status != "active":
            continue
        key = f"overdue:{m.id}:{m.due_date.isoformat()}"
        people = [m.assignee] if m.assignee else [
            u for u in leads(venture) if u.organisation_id == venture.party(m.party)
            .organisation_id]
        known = set(db.session.scalars(select(Notification.user_id).where(
            Notification.dedupe_key == key)))
        fresh = [u for u in people if u is not None and u.id not in known]
        if fresh:
            notify("milestone_overdue", fresh, venture, actor=None, dedupe_key=key,
                   url=paths.milestone(venture.id, m.id),
                   text=f"The milestone “{m.title}” of “{venture.name}” was due "
                        f"{m.due_date.isoformat()} and is {m.status.replace('_', ' ')}.")
            told += len(fresh)
    db.session.commit()
    return told


def init_app(app) -> None:
    jobs.register_periodic(app, "digests.send", send_digests, minute="*/15")
    jobs.register_periodic(app, "milestones.overdue", tell_overdue, minute="7")
