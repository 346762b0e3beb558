"""The inbox: a user's notifications, newest first, each only while they may see it."""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from cotrack.domain.permissions import sql_can_view_notification
from cotrack.models import Notification, User


def inbox(user: User, unread: bool = False) -> Select:
    query = (select(Notification).where(sql_can_view_notification(user))
             .options(joinedload(Notification.venture))
             .order_by(Notification.id.desc()))
    return query.where(Notification.read_at.is_(None)) if unread else query
