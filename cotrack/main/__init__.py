"""Home (a board of my ventures by stage, invitations, gates awaiting me), My work, health."""

from flask import Blueprint

from cotrack.main import notifications, search, unsubscribe, views

bp = Blueprint("main", __name__)
bp.app_context_processor(notifications.unread_badge)

# views.py
bp.add_url_rule("/", view_func=views.home)
bp.add_url_rule("/healthz", view_func=views.healthz)
bp.add_url_rule("/my-work", view_func=views.my_work)

# search.py
bp.add_url_rule("/search", view_func=search.search_page)

# unsubscribe.py (no sign-in: the signed token is the credential; POST is RFC 8058's one click)
bp.add_url_rule("/mail/unsubscribe/<token>", view_func=unsubscribe.unsubscribe)
bp.add_url_rule("/mail/unsubscribe/<token>", view_func=unsubscribe.one_click,
                endpoint="one_click_unsubscribe", methods=["POST"])

# notifications.py
bp.add_url_rule("/notifications", view_func=notifications.notifications)
bp.add_url_rule("/notifications/<id:notification_id>/open",
                view_func=notifications.open_notification, methods=["POST"])
bp.add_url_rule("/notifications/<id:notification_id>/read",
                view_func=notifications.read_notification, methods=["POST"])
bp.add_url_rule("/notifications/read-all", view_func=notifications.read_all_notifications,
                methods=["POST"])
