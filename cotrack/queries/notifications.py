"""The inbox: a user's notifications, newest first, each only while they may see it."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from cotrack.db.prebuilt import per_viewer
from cotrack.domain.permissions import sql_can_view_notification
from cotrack.models import Notification, User


def inbox(user: User, unread: bool = False) -> Select:
    query = (select(Notification).where(sql_can_view_notification(user))
             .options(joinedload(Notification.venture))
             .order_by(Notification.id.desc()))
    return query.where(Notification.read_at.is_(None)) if unread else query


@per_viewer
def unread_count(user: User) -> Select:
    """The bell's number (every page shows it): a count over the inbox's rule, no entity."""
    return select(func.count(Notification.id)).where(
        sql_can_view_notification(user), Notification.read_at.is_(None))
