"""/notifications (the inbox), mark read, read-all; /me/waiting."""

from flask import request

from cotrack.api.auth import api_user
from cotrack.api.serialise import iso, page_json
from cotrack.db.timestamps import utcnow
from cotrack.domain.errors import DomainError
from cotrack.domain.permissions import can_view_notification, require
from cotrack.extensions import db
from cotrack.models import Notification
from cotrack.queries.notifications import inbox
from cotrack.queries.waiting import waiting_for
from cotrack.services import notifications as service


def notification_json(n: Notification) -> dict:
    return {"id": n.id, "kind": n.kind, "at": iso(n.created_at), "read": n.read_at is not None,
            "venture": {"id": n.venture.id, "name": n.venture.name} if n.venture else None,
            "text": n.text, "url": request.host_url.rstrip("/") + n.url}


def list_notifications():
    unread = request.args.get("unread", "")
    if unread not in ("", "true", "false"):
        raise DomainError("unread is true or false.", field="unread")
    return page_json(inbox(api_user(), unread=unread == "true"), notification_json)


def read_notification(notification_id: int):
    notification = db.session.get(Notification, notification_id)
    venture = notification.venture if notification else None
    require(notification is not None
            and can_view_notification(api_user(), notification, venture), 404)
    service.mark_read(api_user(), notification)
    return notification_json(notification)


def read_all_notifications():
    return {"updated": service.mark_all_read(api_user())}


def waiting():
    """API.md: a list, oldest first (not a page: it is what waits, all of it)."""
    items = waiting_for(api_user(), utcnow().date())
    return [{
        "kind": w.kind,
        "venture": {"id": w.venture.id, "name": w.venture.name} if w.venture else None,
        "object": {**w.object, "title": w.title}, "detail": w.detail, "since": iso(w.since),
        "url": request.host_url.rstrip("/") + w.url} for w in items]
