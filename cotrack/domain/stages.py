"""Stage history: how long a venture spent in each stage."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cotrack.db.timestamps import utcnow
from cotrack.models import STAGE_LABELS, STAGES, Venture


@dataclass
class StageSpan:
    stage: str
    label: str
    entered: datetime | None
    left: datetime | None
    state: str  # "done" | "current" | "future"

    @property
    def days(self) -> int | None:
        if self.entered is None:
            return None
        return max(((self.left or utcnow()) - self.entered).days, 0)


def stage_spans(venture: Venture, transitions: Iterable) -> list[StageSpan]:
    """One span per stage from discovery to rollout (and closed once reached).
    ``transitions``: the venture's, oldest first, as (stage entered, when)."""
    entered = {}
    for stage, at in transitions:
        entered.setdefault(stage, at)
    order = [s for s in STAGES if s != "closed" or venture.stage == "closed"]
    current = STAGES.index(venture.stage)
    spans = []
    for stage in order:
        index = STAGES.index(stage)
        later = [entered[s] for s in STAGES[index + 1:] if s in entered]
        state = "done" if index < current else "current" if index == current else "future"
        left = min(later) if later and state == "done" else None
        spans.append(StageSpan(stage, STAGE_LABELS[stage], entered.get(stage), left, state))
    return spans
