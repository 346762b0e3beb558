"""The mail outbox: every mail is a row written in the transaction that caused it."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db


class OutboundMail(db.Model):
    """One mail to one address. Delivered at least once by the worker; ``sent_at`` marks
    it delivered, and ``message_id`` stays the same on every attempt, so a resend after a
    crash is recognisable as the same mail."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_mail_outbox_undelivered", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    #: "notification", "digest", "password_reset", ...
    kind: Mapped[str] = mapped_column(String(40))
    #: at most one mail per notification (never sent twice for one notification)
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification.id", ondelete="SET NULL"), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    #: None until the worker writes it (a notification's mail is composed when it is sent,
    #: in the recipient's zone and words, and only while they may still see it)
    text_body: Mapped[str | None] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    #: extra headers, e.g. List-Unsubscribe
    headers: Mapped[dict] = mapped_column(db.JSON, default=dict)
    #: "<...@...>", made once (when written, or at the first attempt) and kept
    message_id: Mapped[str | None] = mapped_column(String(250), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the delivered marker
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: a worker is sending it until then (no second worker takes it meanwhile)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: the sweeper leaves it to the queue until then
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<OutboundMail {self.id} {self.kind} to={self.to_address} sent={self.sent_at}>"
