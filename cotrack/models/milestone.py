"""Milestones: the shared plan, per stage, each with an accountable party."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, case
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db
from cotrack.models.user import User
from cotrack.models.venture import PARTY_ROLES, STAGES, Venture, _in

MILESTONE_STATUSES = ("planned", "in_progress", "blocked", "done", "cancelled")
FINISHED = ("done", "cancelled")


class Milestone(db.Model):
    __tablename__ = "milestone"
    __table_args__ = (
        CheckConstraint(_in("stage", STAGES), name="stage_known"),
        CheckConstraint(_in("party", PARTY_ROLES), name="party_known"),
        CheckConstraint(_in("status", MILESTONE_STATUSES), name="status_known"),
        CheckConstraint("(status = 'done') = (completed_at IS NOT NULL)",
                        name="completed_iff_done"),
        Index("ix_milestone_venture_stage_due", "venture_id", "stage", "due_date"),
        Index("ix_milestone_assignee_status", "assignee_id", "status"),
        # a person's milestones in order of waiting (Home's "waiting on you"): the overdue
        # by due date, the others by when they were created
        Index("ix_milestone_assignee_due", "assignee_id", "due_date", "created_at", "id"),
        Index("ix_milestone_assignee_created", "assignee_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    stage: Mapped[str] = mapped_column(String(20))
    #: the accountable party's role: customer, reseller or manufacturer
    party: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: optimistic lock: every update must name the version it read
    version: Mapped[int] = mapped_column(default=1)

    assignee: Mapped[User | None] = relationship()
    venture: Mapped["Venture"] = relationship()

    __mapper_args__ = {"version_id_col": version}

    #: the stage's position in the lifecycle, for sorting
    stage_order = column_property(
        case({s: i for i, s in enumerate(STAGES)}, value=stage, else_=99))

    def overdue_on(self, today: date) -> bool:
        """Past its due date and neither done nor cancelled (derived, never stored)."""
        return self.status not in FINISHED and self.due_date < today

    @property
    def overdue(self) -> bool:
        return self.overdue_on(utcnow().date())

    def __repr__(self) -> str:
        return f"<Milestone {self.id} {self.title!r} {self.status}>"
