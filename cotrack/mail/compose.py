"""A notification's mail, composed when it is sent: in the recipient's zone and words,
linking back to the page, and only while the recipient may still see its subject."""

from flask import render_template

from cotrack.domain import paths
from cotrack.domain.notifications import KINDS
from cotrack.domain.permissions import can_view_notification
from cotrack.domain.timefmt import when
from cotrack.extensions import db
from cotrack.mail.links import external, path_for
from cotrack.mail.unsubscribe import make_token
from cotrack.models import Notification, OutboundMail, User, Venture


def unsubscribe_headers(user: User, kinds: list[str]) -> dict:
    link = external(path_for("main.unsubscribe", token=make_token(user.id, kinds)))
    return {"List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def compose(mail: OutboundMail) -> bool:
    """Fill in the mail's bodies and headers; False if it must not be sent."""
    notification = db.session.get(Notification, mail.notification_id or 0)
    user = db.session.get(User, mail.user_id or 0)
    if notification is None or user is None or not user.is_active:
        return False
    venture = db.session.get(Venture, notification.venture_id or 0)
    if not can_view_notification(user, notification, venture):
        return False
    label = KINDS[notification.kind][0]
    context = dict(
        subject=mail.subject, text=notification.text, venture=venture,
        link=external(notification.url), at=when(notification.created_at, user.time_zone,
                                                 user.locale),
        unsubscribe_note=f"You get this at once because of your choice for “{label}”. "
                         "Unsubscribe with one click in your mail program, or choose on your "
                         f"profile: {external(paths.profile('email'))}")
    mail.text_body = render_template("mail/notification.txt", **context)
    mail.html_body = render_template("mail/notification.html", **context)
    mail.headers = unsubscribe_headers(user, [notification.kind])
    db.session.commit()
    return True
