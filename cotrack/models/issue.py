"""Issues (problems found along the way, above all field-trial bugs) and their comments."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, case
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db
from cotrack.models.milestone import Milestone
from cotrack.models.user import User
from cotrack.models.venture import PARTY_ROLES, Venture, _in

SEVERITIES = ("low", "medium", "high", "critical")
ISSUE_STATUSES = ("open", "in_progress", "resolved", "closed")
UNRESOLVED = ("open", "in_progress")
#: allowed status changes; resolved and closed issues can be reopened
ISSUE_FLOW = {
    "open": ("in_progress", "resolved", "closed"),
    "in_progress": ("open", "resolved", "closed"),
    "resolved": ("closed", "open"),
    "closed": ("open",),
}


class Issue(db.Model):
    __tablename__ = "issue"
    __table_args__ = (
        CheckConstraint(_in("severity", SEVERITIES), name="severity_known"),
        CheckConstraint(_in("status", ISSUE_STATUSES), name="status_known"),
        CheckConstraint(_in("party", PARTY_ROLES), name="party_known"),
        Index("ix_issue_venture_status_severity", "venture_id", "status", "severity"),
        Index("ix_issue_assignee_status", "assignee_id", "status"),
        # a person's issues, oldest first (Home's "waiting on you")
        Index("ix_issue_assignee_created", "assignee_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="open")
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: the role of the party that raised it (the raiser's organisation at the time)
    raised_by_party: Mapped[str] = mapped_column(String(20))
    #: the accountable party's role
    party: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestone.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: optimistic lock: every update must name the version it read
    version: Mapped[int] = mapped_column(default=1)

    raised_by: Mapped[User] = relationship(foreign_keys=[raised_by_id])
    venture: Mapped["Venture"] = relationship()
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    milestone: Mapped[Milestone | None] = relationship()
    comments: Mapped[list["IssueComment"]] = relationship(
        back_populates="issue", order_by="IssueComment.id")

    __mapper_args__ = {"version_id_col": version}

    #: low 0 … critical 3, for sorting
    severity_order = column_property(
        case({s: i for i, s in enumerate(SEVERITIES)}, value=severity, else_=0))

    def __repr__(self) -> str:
        return f"<Issue {self.id} {self.severity} {self.status} {self.title!r}>"


class IssueComment(db.Model):
    __tablename__ = "issue_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issue.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    issue: Mapped[Issue] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()

    @property
    def venture_id(self) -> int:
        return self.issue.venture_id

    def __repr__(self) -> str:
        return f"<IssueComment {self.id} issue={self.issue_id}>"
