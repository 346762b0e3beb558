"""The milestone timeline: a Gantt-like chart computed on the server, drawn as SVG.

Each milestone is a bar from when it was planned to when it is due (or was completed),
grouped by stage; today is a vertical line; overdue bars are marked. The axis spans at
most the dates input may have (1900–2199): a milestone stored with a date outside them
(before dates were checked) is drawn at the edge, never breaks the chart.
"""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from cotrack.domain.valid_input import MAX_DATE, MIN_DATE
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


def _on_axis(day: date) -> date:
    return min(max(day, MIN_DATE), MAX_DATE)


def _span(m: Milestone) -> tuple[date, date]:
    due = _on_axis(m.due_date)
    begin = min(_on_axis(m.created_at.date()), due)
    end = _on_axis(m.completed_at.date()) if m.completed_at else due
    return begin, max(end, begin + timedelta(days=1))


def _months_per_tick(days: int) -> int:
    """Monthly ticks for a year, quarterly for three, then years: never more than ~20."""
    if days < 400:
        return 1
    if days < 1200:
        return 3
    return 12 * math.ceil(days / 365 / 20)


def timeline(milestones: list[Milestone], today: date) -> Chart:
    spans = [_span(m) for m in milestones]
    start = min([s for s, _ in spans] + [_on_axis(today)]) - timedelta(days=7)
    end = max([e for _, e in spans] + [_on_axis(today)]) + timedelta(days=7)
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
    step = _months_per_tick(days)
    while month <= end:
        if month >= start:
            ticks.append((x(month), month.strftime("%b %Y")))
        year, mon = divmod(month.month - 1 + step, 12)
        month = date(month.year + year, mon + 1, 1)
    return Chart(groups, bars, ticks, x(today), y + 10, start, end)
