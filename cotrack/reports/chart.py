"""A stacked bar chart of per-period party totals, drawn as SVG on the server."""

from dataclasses import dataclass

from cotrack.models import PARTY_ROLES

HEIGHT = 220
BAR_AREA = 1000


@dataclass
class Segment:
    role: str
    y: float
    height: float
    amount: int


@dataclass
class Column:
    period: str
    x: float
    width: float
    segments: list
    total: int


def chart(rows, roles=PARTY_ROLES) -> list[Column]:
    """Rows of one currency (period, customer, reseller, manufacturer) → bar geometry.

    Negative totals (a month of reversals) draw as zero-height bars; the numbers beside
    the chart are the exact figures.
    """
    rows = list(rows)
    if not rows:
        return []
    peak = max(max(sum(max(getattr(r, role), 0) for role in roles) for r in rows), 1)
    slot = BAR_AREA / len(rows)
    columns = []
    for i, row in enumerate(rows):
        y, segments = HEIGHT, []
        for role in roles:
            amount = getattr(row, role)
            height = max(amount, 0) / peak * (HEIGHT - 20)
            y -= height
            segments.append(Segment(role, y, height, amount))
        columns.append(Column(row.period, i * slot + slot * 0.15, slot * 0.7, segments,
                              sum(getattr(row, role) for role in roles)))
    return columns
