"""Writing mails (in the caller's transaction) and delivering them (in the worker).

Delivery is at least once and never silently dropped: each mail is a row of the outbox,
written with the change that caused it; after the commit a task delivers it, retried with
backoff while the mail server is down; a periodic sweep enqueues any undelivered mail the
queue lost. A worker first claims the row for a while (so two workers never send it at
once), sends it, then sets ``sent_at``; the Message-ID is made once, so the rare resend
after a crash between sending and marking is the same message to the receiving server.
"""

import logging
import uuid
from datetime import timedelta
from email.utils import make_msgid

from flask import current_app, render_template
from flask_mailman import EmailMultiAlternatives
from sqlalchemy import func, or_, select, update

from cotrack import jobs
from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.mail.compose import compose, unsubscribe_headers
from cotrack.mail.settings import sender_domain
from cotrack.models import OutboundMail, User

log = logging.getLogger(__name__)

DELIVER, SWEEP = "mail.deliver", "mail.sweep"
#: how long a worker holds a mail it is sending before another may try
CLAIM = timedelta(minutes=5)
#: the sweep leaves a new mail to its own task this long
FIRST_CHANCE = timedelta(minutes=1)


def new_message_id() -> str:
    return make_msgid(idstring=uuid.uuid4().hex,
                      domain=sender_domain(current_app.config["MAIL_DEFAULT_SENDER"]))


def render(template: str, **context) -> dict:
    """{"text": ..., "html": ...} from ``templates/mail/<template>.txt`` and ``.html``."""
    return {"text": render_template(f"mail/{template}.txt", **context),
            "html": render_template(f"mail/{template}.html", **context)}


def queue_mail(*, to: str, subject: str, text: str, html: str | None = None,
               user: User | None = None, kind: str = "notice", notification_id=None,
               unsubscribe_kinds: list[str] | None = None) -> OutboundMail:
    """Write a mail into the outbox; it is delivered after the transaction commits (and
    never if it is rolled back). ``unsubscribe_kinds``: the notification kinds a one-click
    ``List-Unsubscribe`` (RFC 8058) turns off for ``user``."""
    headers = {}
    if user is not None and unsubscribe_kinds:
        headers = unsubscribe_headers(user, unsubscribe_kinds)
    mail = OutboundMail(
        user_id=user.id if user else None, kind=kind, notification_id=notification_id,
        to_address=to, subject=subject[:300], text_body=text, html_body=html, headers=headers,
        message_id=new_message_id(), next_attempt_at=utcnow() + FIRST_CHANCE)
    db.session.add(mail)
    db.session.flush()
    jobs.enqueue_after_commit(DELIVER, mail.id)
    return mail


def queue_notification_mail(notification, user: User, subject: str) -> OutboundMail:
    """The mail of one notification, composed by the worker when it sends it (this needs
    no app: services write it wherever they run). At most one per notification."""
    mail = OutboundMail(user_id=user.id, kind="notification", notification_id=notification.id,
                        to_address=user.email, subject=subject[:300], headers={},
                        next_attempt_at=utcnow() + FIRST_CHANCE)
    db.session.add(mail)
    db.session.flush()
    jobs.enqueue_after_commit(DELIVER, mail.id)
    return mail


def _message(mail: OutboundMail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.text_body,
        from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[mail.to_address],
        headers={"Message-ID": mail.message_id, "Auto-Submitted": "auto-generated",
                 **(mail.headers or {})})
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def _claim(mail_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(
        update(OutboundMail)
        .where(OutboundMail.id == mail_id, OutboundMail.sent_at.is_(None),
               or_(OutboundMail.claimed_until.is_(None), OutboundMail.claimed_until < now))
        .values(claimed_until=now + CLAIM, attempts=OutboundMail.attempts + 1)).rowcount
    db.session.commit()
    return claimed == 1


def _settle(mail_id: int, note: str) -> None:
    """Done without sending (the recipient may no longer see what it was about)."""
    db.session.execute(update(OutboundMail).where(OutboundMail.id == mail_id).values(
        sent_at=utcnow(), claimed_until=None, last_error=note))
    db.session.commit()
    log.info("mail %s not sent: %s", mail_id, note)


def deliver(mail_id: int) -> None:
    """Send one mail unless it was sent already or another worker is sending it. A failure
    raises, so the queue retries it with backoff."""
    if not _claim(mail_id):
        return
    mail = db.session.get(OutboundMail, mail_id)
    if mail.message_id is None:  # made once, before the first attempt, and kept
        mail.message_id = new_message_id()
        db.session.commit()
    if mail.text_body is None and not compose(mail):
        _settle(mail_id, "not sent: the recipient may no longer see its subject")
        return
    try:
        _message(mail).send()
    except Exception as exc:
        retry = current_app.config["MAIL_RETRY_DELAY"]
        db.session.execute(update(OutboundMail).where(OutboundMail.id == mail_id).values(
            claimed_until=None, last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
            next_attempt_at=utcnow() + timedelta(seconds=retry * 2 ** min(mail.attempts, 8))))
        db.session.commit()
        log.warning("mail %s not delivered (attempt %s): %s", mail_id, mail.attempts, exc)
        raise
    db.session.execute(update(OutboundMail).where(OutboundMail.id == mail_id).values(
        sent_at=utcnow(), claimed_until=None, last_error=None))
    db.session.commit()
    log.info("mail %s delivered to %s", mail_id, mail.to_address)


def sweep(limit: int = 200) -> int:
    """Enqueue the undelivered mails whose task the queue lost or gave up on."""
    now = utcnow()
    ids = db.session.scalars(
        select(OutboundMail.id).where(
            OutboundMail.sent_at.is_(None),
            or_(OutboundMail.claimed_until.is_(None), OutboundMail.claimed_until < now),
            or_(OutboundMail.next_attempt_at.is_(None), OutboundMail.next_attempt_at <= now))
        .order_by(OutboundMail.id).limit(limit)).all()
    if ids:
        db.session.execute(update(OutboundMail).where(OutboundMail.id.in_(ids)).values(
            next_attempt_at=now + timedelta(seconds=current_app.config["MAIL_RETRY_DELAY"])))
        db.session.commit()
    for mail_id in ids:
        jobs.enqueue(DELIVER, mail_id)
    return len(ids)


def outbox_status() -> dict:
    """How many mails wait for delivery, and since when the oldest."""
    count, oldest = db.session.execute(
        select(func.count(OutboundMail.id), func.min(OutboundMail.created_at))
        .where(OutboundMail.sent_at.is_(None))).one()
    return {"undelivered": count, "oldest_undelivered_at": oldest}


def init_app(app) -> None:
    cfg = app.config
    jobs.register(app, DELIVER, deliver, retries=cfg["MAIL_RETRIES"],
                  retry_delay=cfg["MAIL_RETRY_DELAY"], retry_backoff=cfg["MAIL_RETRY_BACKOFF"])
    jobs.register_periodic(app, SWEEP, sweep, minute="*")
