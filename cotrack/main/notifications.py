"""The inbox: notifications newest first, mark one or all read, open one (read, then go)."""

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from cotrack.domain.permissions import can_view_notification, require
from cotrack.extensions import db
from cotrack.models import Notification
from cotrack.queries.notifications import inbox
from cotrack.services import notifications as service
from cotrack.web.forms import EmptyForm
from cotrack.web.pagination import paginate


def _mine_or_404(notification_id: int) -> Notification:
    notification = db.session.get(Notification, notification_id)
    require(notification is not None and can_view_notification(
        current_user, notification, notification.venture), 404)
    return notification


@login_required
def notifications():
    unread = request.args.get("unread") == "1"
    page = paginate(inbox(current_user, unread=unread), per_page=50)
    return render_template("main/notifications.html", page=page, unread=unread)


@login_required
def open_notification(notification_id: int):
    """Mark it read and go to what it is about (a POST: it writes)."""
    notification = _mine_or_404(notification_id)
    require(EmptyForm().validate_on_submit(), 400)
    service.mark_read(current_user, notification)
    return redirect(notification.url, 303)


@login_required
def read_notification(notification_id: int):
    notification = _mine_or_404(notification_id)
    require(EmptyForm().validate_on_submit(), 400)
    service.mark_read(current_user, notification)
    return redirect(url_for("main.notifications"), 303)


@login_required
def read_all_notifications():
    require(EmptyForm().validate_on_submit(), 400)
    service.mark_all_read(current_user)
    return redirect(url_for("main.notifications"), 303)


def unread_badge() -> dict:
    """The bell's count, on every page of a signed-in person: as read with their session
    (``User.bell_count``), else read now."""
    if not getattr(current_user, "is_authenticated", False):
        return {}
    count = current_user.bell_count
    return {"unread_notifications":
            service.unread_count(current_user) if count is None else count}
