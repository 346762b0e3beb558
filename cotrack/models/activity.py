"""The activity trail: append-only rows of who did what to which object, with field changes."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db
from cotrack.models.user import User

#: which permission governs who sees a row: "venture" (can_view_venture) or "revenue"
#: (can_view_revenue: agreements, ledger entries, imports)
AUDIENCES = ("venture", "revenue")


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (
        Index("ix_activity_venture_at", "venture_id", "at", "id"),
        CheckConstraint(f"audience IN {AUDIENCES!r}", name="audience_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: e.g. "created", "updated", "accepted", "approved"
    action: Mapped[str] = mapped_column(String(40))
    #: the kind of object acted on: "venture", "gate", "milestone", ...
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[int] = mapped_column()
    #: a readable name of the object at the time, e.g. the milestone's title
    object_label: Mapped[str] = mapped_column(String(300), default="")
    #: {field: [old, new]} for updates; other details for other actions
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    #: who may see the row, by the permission named here (AUDIENCES); set by record()
    audience: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()

    @property
    def actor_name(self) -> str | None:
        """Who a sentence names (None: CoTrack itself); a feed read as rows (queries'
        ``activity_rows``) has it as a column."""
        return self.actor.name if self.actor is not None else None

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.object_type}:{self.object_id} {self.action}>"


class AppendOnlyError(RuntimeError):
    pass


@event.listens_for(Activity, "before_update")
def _no_update(mapper, connection, target):
    raise AppendOnlyError("the activity trail is append-only")


@event.listens_for(Activity, "before_delete")
def _no_delete(mapper, connection, target):
    raise AppendOnlyError("the activity trail is append-only")
