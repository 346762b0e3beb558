"""The activity trail: append-only rows of who did what to which object, with field changes."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cotrack.extensions import db
from cotrack.models.user import User
from cotrack.timeutil import UTCDateTime, utcnow


class Activity(db.Model):
    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_venture_at", "venture_id", "at", "id"),)

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
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()

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
