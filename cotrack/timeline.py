"""The milestone timeline: a Gantt-like chart computed on the server, drawn as SVG.

Each milestone is a bar from when it was planned to when it is due (or was completed),
grouped by stage; today is a vertical line; overdue bars are marked.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from cotrack.models import STAGE_LABELS, Milestone

WIDTH = 1000  # SVG user units for the time axis
LABEL = 260  # room for the labels left of the axis
ROW = 26


@dataclass
class Bar:
    milestone: Milestone
    x: float
    width: float
    y: int
    overdue: bool


@dataclass
class Chart:
    groups: list  # [(stage label, y of header)]
    bars: list
    ticks: list  # [(x, label)]
    today_x: float | None
    height: int
    start: date
    end: date


def _span(m: Milestone) -> tuple[date, date]:
    begin = min(m.created_at.date(), m.due_date)
    end = m.completed_at.date() if m.completed_at else m.due_date
    return begin, max(end, begin + timedelta(days=1))


def timeline(milestones: list[Milestone], today: date) -> Chart:
    spans = [_span(m) for m in milestones]
    start = min([s for s, _ in spans] + [today]) - timedelta(days=7)
    end = max([e for _, e in spans] + [today]) + timedelta(days=7)
    days = max((end - start).days, 1)

    def x(day: date) -> float:
        return LABEL + (day - start).days / days * WIDTH

    groups, bars, y, current = [], [], 30, None
    for m, (begin, finish) in zip(milestones, spans, strict=True):
        if m.stage != current:
            current = m.stage
            y += 8
            groups.append((STAGE_LABELS[m.stage], y))
            y += ROW
        bars.append(Bar(m, x(begin), max(x(finish) - x(begin), 3), y, m.overdue_on(today)))
        y += ROW
    ticks, month = [], date(start.year, start.month, 1)
    step = 1 if days < 400 else 3 if days < 1200 else 12
    while month <= end:
        if month >= start:
            ticks.append((x(month), month.strftime("%b %Y")))
        year, mon = divmod(month.month - 1 + step, 12)
        month = date(month.year + year, mon + 1, 1)
    return Chart(groups, bars, ticks, x(today), y + 10, start, end)
