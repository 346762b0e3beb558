"""The per-party scorecard of a venture (DOMAIN.md): every contribution acknowledged.

Three queries whatever the size of the venture; the figures are computed from the rows.
"""

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from functools import cache
from statistics import median

from sqlalchemy import select

from cotrack.db.prebuilt import VENTURE_ID
from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import (
    FINISHED,
    PARTY_ROLES,
    UNRESOLVED,
    GateApproval,
    GateRequest,
    Issue,
    Milestone,
    Venture,
)


@dataclass
class PartyScore:
    role: str
    organisation: str
    milestones_owned: int = 0
    milestones_done: int = 0
    milestones_done_on_time: int = 0
    milestones_overdue: int = 0
    issues_raised: int = 0
    issues_owned: int = 0
    issues_resolved: int = 0
    approvals_given: int = 0
    _resolve_times: list = field(default_factory=list, repr=False)
    _approval_times: list = field(default_factory=list, repr=False)

    @property
    def on_time_percent(self) -> int | None:
        if not self.milestones_done:
            return None
        return round(100 * self.milestones_done_on_time / self.milestones_done)

    @property
    def median_days_to_resolve(self) -> float | None:
        return _days(self._resolve_times)

    @property
    def median_days_to_approve(self) -> float | None:
        return _days(self._approval_times)

    def as_json(self) -> dict:
        data = {k: v for k, v in asdict(self).items() if not k.startswith("_")}
        data.update(on_time_percent=self.on_time_percent,
                    median_days_to_resolve=self.median_days_to_resolve,
                    median_days_to_approve=self.median_days_to_approve)
        return data


def _days(durations: list[timedelta]) -> float | None:
    if not durations:
        return None
    return round(median(d.total_seconds() for d in durations) / 86400, 1)


def scorecard(venture: Venture) -> list[PartyScore]:
    scores = {p.role: PartyScore(p.role, p.organisation.name) for p in venture.sorted_parties}
    today = utcnow().date()
    params = {"venture_id": venture.id}
    milestones, issues, approvals = _statements()
    for party, status, due, completed in db.session.execute(milestones, params):
        score = scores[party]
        score.milestones_owned += 1
        if status == "done":
            score.milestones_done += 1
            score.milestones_done_on_time += completed.date() <= due
        elif status not in FINISHED and due < today:
            score.milestones_overdue += 1
    for party, raised_by, status, created, resolved in db.session.execute(issues, params):
        scores[raised_by].issues_raised += 1
        scores[party].issues_owned += 1
        if status not in UNRESOLVED:
            scores[party].issues_resolved += 1
            if resolved is not None:
                scores[party]._resolve_times.append(resolved - created)
    for role, at, requested in db.session.execute(approvals, params):
        scores[role].approvals_given += 1
        scores[role]._approval_times.append(at - requested)
    return [scores[r] for r in PARTY_ROLES if r in scores]


@cache
def _statements() -> tuple:
    """The venture's milestones, issues and gate decisions: the columns the figures need."""
    return (
        select(Milestone.party, Milestone.status, Milestone.due_date, Milestone.completed_at)
        .where(Milestone.venture_id == VENTURE_ID),
        select(Issue.party, Issue.raised_by_party, Issue.status, Issue.created_at,
               Issue.resolved_at).where(Issue.venture_id == VENTURE_ID),
        select(GateApproval.role, GateApproval.at, GateRequest.requested_at)
        .join(GateRequest, GateApproval.gate_id == GateRequest.id)
        .where(GateRequest.venture_id == VENTURE_ID),
    )
