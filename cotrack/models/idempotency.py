"""Answers kept for Idempotency-Key (API.md): a retried money-writing POST answers again
what the first one answered, without writing a second time."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db


class IdempotencyKey(db.Model):
    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: the client's Idempotency-Key header
    key: Mapped[str] = mapped_column(String(200))
    #: SHA-256 of the method, path and body it was first sent with
    fingerprint: Mapped[str] = mapped_column(String(64))
    #: the answer given the first time; None while that request is still running
    status: Mapped[int | None] = mapped_column()
    body: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<IdempotencyKey {self.id} user={self.user_id} {self.status}>"
