"""The per-party scorecard of a venture (DOMAIN.md): every contribution acknowledged; and
the stage history the overview's stage bar shows beside it.

One statement whatever the size of the venture; the figures are computed from its rows.
"""

from dataclasses import asdict, dataclass, field
from datetime import timedelta
from functools import cache
from statistics import median

from sqlalchemy import Date, String, literal, null, select, type_coerce, union_all

from cotrack.db.prebuilt import VENTURE_ID
from cotrack.db.rows import rows
from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.models import (
    FINISHED,
    PARTY_ROLES,
    UNRESOLVED,
    GateApproval,
    GateRequest,
    Issue,
    Milestone,
    StageTransition,
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
    return scorecard_and_stages(venture)[0]


def scorecard_and_stages(venture: Venture) -> tuple[list[PartyScore], list[tuple]]:
    """The scorecard, and the stage history as (stage entered, when), oldest first: the
    overview shows both, and one statement instead of two saved it about 0.1 ms of CPU."""
    found = rows(_statement(), {"venture_id": venture.id})
    stages = sorted(((stage, at) for kind, stage, _, _, _, at, _ in found if kind == "stage"),
                    key=lambda entered: entered[1])
    return _scores(venture, found), stages


def _scores(venture: Venture, found) -> list[PartyScore]:
    scores = {p.role: PartyScore(p.role, p.organisation.name) for p in venture.sorted_parties}
    today = utcnow().date()
    for kind, party, other, status, due, at, since in found:
        if kind == "milestone":
            score = scores[party]
            score.milestones_owned += 1
            if status == "done":
                score.milestones_done += 1
                score.milestones_done_on_time += at.date() <= due
            elif status not in FINISHED and due < today:
                score.milestones_overdue += 1
        elif kind == "issue":
            scores[other].issues_raised += 1
            scores[party].issues_owned += 1
            if status not in UNRESOLVED:
                scores[party].issues_resolved += 1
                if at is not None:
                    scores[party]._resolve_times.append(at - since)
        elif kind == "approval":
            scores[party].approvals_given += 1
            scores[party]._approval_times.append(at - since)
    return [scores[r] for r in PARTY_ROLES if r in scores]


def _none(type_):
    return type_coerce(null(), type_)


@cache
def _statement():
    """The venture's milestones, issues, gate decisions and stage transitions in one
    statement, a row each: (kind, party, other party, status, due date, at, since), the
    columns the figures need. A milestone: its party, status, due date and completion (at);
    an issue: its party, the raising party (other), status, resolution (at) and creation
    (since); a gate decision: its party, when (at) and when the gate was requested (since);
    a stage transition: the stage entered (party) and when (at). One statement instead of
    four: each costs the app about 0.1–0.3 ms of CPU however few its rows."""
    return union_all(
        select(literal("milestone").label("kind"), Milestone.party, _none(String),
               Milestone.status, Milestone.due_date, Milestone.completed_at,
               _none(UTCDateTime())).where(Milestone.venture_id == VENTURE_ID),
        select(literal("issue"), Issue.party, Issue.raised_by_party, Issue.status,
               _none(Date), Issue.resolved_at, Issue.created_at)
        .where(Issue.venture_id == VENTURE_ID),
        select(literal("approval"), GateApproval.role, _none(String), _none(String),
               _none(Date), GateApproval.at, GateRequest.requested_at)
        .join(GateRequest, GateApproval.gate_id == GateRequest.id)
        .where(GateRequest.venture_id == VENTURE_ID),
        select(literal("stage"), StageTransition.to_stage, _none(String), _none(String),
               _none(Date), StageTransition.at, _none(UTCDateTime()))
        .where(StageTransition.venture_id == VENTURE_ID),
    )
