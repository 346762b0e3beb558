"""Notifications (the inbox), each user's email choice per kind, and the digests sent."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db
from cotrack.models.user import User
from cotrack.models.venture import Venture, _in

#: who may still see a notification, by the permission named here: "venture"
#: (can_view_venture), "revenue" (can_view_revenue), "personal" (news of an invitation to
#: the recipient's own organisation: it tells only what the invitation told them)
NOTIFICATION_AUDIENCES = ("venture", "revenue", "personal")
DELIVERIES = ("immediate", "daily", "weekly", "off")
DIGEST_PERIODS = ("daily", "weekly")


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_unread", "user_id", "read_at", "id"),
        Index("ix_notification_user_created", "user_id", "created_at"),
        UniqueConstraint("user_id", "dedupe_key"),
        CheckConstraint(_in("audience", NOTIFICATION_AUDIENCES), name="audience_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: what happened: "invited", "gate_requested", "mentioned", ... (domain.notifications)
    kind: Mapped[str] = mapped_column(String(40))
    venture_id: Mapped[int | None] = mapped_column(
        ForeignKey("venture.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    audience: Mapped[str] = mapped_column(String(10))
    #: the sentence, in the recipient's words and numbers when it was written
    text: Mapped[str] = mapped_column(String(1000))
    #: the page it is about (a path on this site)
    url: Mapped[str] = mapped_column(String(500))
    #: set for news that must reach a person once only (a milestone overdue on a date)
    dedupe_key: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    venture: Mapped[Venture | None] = relationship()

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"


class EmailPreference(db.Model):
    """A user's choice for one kind of notification; no row: the kind's default."""

    __tablename__ = "email_preference"
    __table_args__ = (CheckConstraint(_in("delivery", DELIVERIES), name="delivery_known"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(10))

    def __repr__(self) -> str:
        return f"<EmailPreference {self.user_id} {self.kind}={self.delivery}>"


class DigestRun(db.Model):
    """A user's daily or weekly digest for one local date: written once, so never twice."""

    __tablename__ = "digest_run"
    __table_args__ = (
        UniqueConstraint("user_id", "period", "local_date"),
        CheckConstraint(_in("period", DIGEST_PERIODS), name="period_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    #: the date in the user's time zone the digest is for
    local_date: Mapped[date] = mapped_column(Date)
    #: notifications after this time and up to ``created_at`` are in it
    covers_from: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the mail, if there was anything to say
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mail_outbox.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<DigestRun {self.user_id} {self.period} {self.local_date}>"
