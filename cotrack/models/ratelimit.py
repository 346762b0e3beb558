"""Rate-limit counters shared by all workers when no Redis is configured."""

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from cotrack.extensions import db


class RateLimitCounter(db.Model):
    __tablename__ = "rate_limit_counter"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    #: Unix time (seconds) at which the window ends and the count restarts
    expires_at: Mapped[float] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<RateLimitCounter {self.key} {self.count}>"
