"""Background work a person asked for (a large import, a whole-ledger export): its state and
progress, shown on its page and at GET /api/v1/jobs/{id} to the person who asked only."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db
from cotrack.models.venture import _in

JOB_KINDS = ("import", "export")
JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (
        CheckConstraint(_in("kind", JOB_KINDS), name="kind_known"),
        CheckConstraint(_in("status", JOB_STATUSES), name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    #: who asked for it: the only one who sees it
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"),
                                         index=True)
    venture_id: Mapped[int | None] = mapped_column(ForeignKey("venture.id"))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    #: rows done when the job finished (while it runs: the live count, cotrack.services.jobs)
    done: Mapped[int] = mapped_column(default=0)
    #: rows in all
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(Text, default="")
    #: what to do: an import's upload token and options; an export's filters and format
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    #: what came of it: {"created": N}; {"rows": [problems]}; {"filename": …, "rows": N}
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    #: an export's file in the instance folder ("" until written)
    result_file: Mapped[str] = mapped_column(String(300), default="")

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status} {self.done}/{self.total}>"
