"""Stacked bar charts of per-period party totals, drawn as SVG on the server.

Two drawings of the same numbers: columns with a value axis for wide screens, and one
row per period (its label, the stacked bar, its total) for phones, drawn near 1:1 on a
390 px screen so that every label stays readable.
"""

from dataclasses import dataclass

from cotrack.models import PARTY_ROLES

HEIGHT = 220
BAR_AREA = 1000
#: the value axis' labels sit left of this x in the wide chart
AXIS_LEFT = 84
#: the phone chart: its viewBox width, the label column, the total's column, a row's height
PHONE_WIDTH = 340
PHONE_LABEL = 62
PHONE_TOTAL = 92
PHONE_ROW = 26


@dataclass
class Segment:
    role: str
    y: float
    height: float
    amount: int
    x: float = 0.0
    width: float = 0.0


@dataclass
class Column:
    period: str
    x: float
    width: float
    segments: list
    total: int


@dataclass
class Tick:
    y: float
    value: int


@dataclass
class Row:
    period: str
    y: float
    segments: list
    total: int


def _peak(rows, roles) -> int:
    # int(): PostgreSQL's SUM of BIGINT is a numeric (a Decimal here), whole all the same
    return int(max(max(sum(max(getattr(r, role), 0) for role in roles) for r in rows), 1))


def _trough(rows, roles) -> int:
    """The most negative stack (a month of reversals), or 0."""
    return int(min(min(sum(min(getattr(r, role), 0) for role in roles) for r in rows), 0))


class _Scale:
    """Values to y in the wide chart: the peak at y 20, the trough at the bottom (HEIGHT),
    zero between them (at the bottom when nothing is negative)."""

    def __init__(self, rows, roles) -> None:
        self.low, self.high = _trough(rows, roles), _peak(rows, roles)
        self.per_unit = (HEIGHT - 20) / (self.high - self.low)

    def y(self, value) -> float:
        return HEIGHT - (value - self.low) * self.per_unit


def nice_step(peak: int, lines: int = 4) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving about ``lines`` grid lines."""
    raw = max(peak / lines, 1)
    power = 1
    while power * 10 <= raw:
        power *= 10
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power  # pragma: no cover


def axis(rows, roles=PARTY_ROLES) -> list[Tick]:
    """Grid lines of the wide chart, from the trough (or 0) to the peak, with their values
    (minor units); one of them is 0."""
    rows = list(rows)
    if not rows:
        return []
    scale = _Scale(rows, roles)
    step = nice_step(scale.high - scale.low, 5 if scale.low else 4)
    first = -((-scale.low) // step) * step  # the lowest multiple of step at or above low
    return [Tick(scale.y(value), value) for value in range(first, scale.high + 1, step)]


def chart(rows, roles=PARTY_ROLES) -> list[Column]:
    """Rows of one currency (period, customer, reseller, manufacturer) → bar geometry:
    each party's positive amount stacked up from zero, a negative one (a month of
    reversals) down from it."""
    rows = list(rows)
    if not rows:
        return []
    scale = _Scale(rows, roles)
    zero = scale.y(0)
    slot = (BAR_AREA - AXIS_LEFT) / len(rows)
    columns = []
    for i, row in enumerate(rows):
        up, down, segments = zero, zero, []
        for role in roles:
            amount = getattr(row, role)
            height = abs(amount) * scale.per_unit
            if amount >= 0:
                up -= height
                segments.append(Segment(role, up, height, amount))
            else:
                segments.append(Segment(role, down, height, amount))
                down += height
        columns.append(Column(row.period, AXIS_LEFT + i * slot + slot * 0.15, slot * 0.7,
                              segments, sum(getattr(row, role) for role in roles)))
    return columns


def phone_chart(rows, roles=PARTY_ROLES) -> list[Row]:
    """The same figures as one horizontal stacked bar per period, for narrow screens."""
    rows = list(rows)
    if not rows:
        return []
    peak = _peak(rows, roles)
    room = PHONE_WIDTH - PHONE_LABEL - PHONE_TOTAL
    out = []
    for i, row in enumerate(rows):
        x, segments = PHONE_LABEL, []
        for role in roles:
            amount = getattr(row, role)
            width = max(amount, 0) / peak * room
            segments.append(Segment(role, i * PHONE_ROW + 4, PHONE_ROW - 8, amount, x, width))
            x += width
        out.append(Row(row.period, i * PHONE_ROW, segments,
                       sum(getattr(row, role) for role in roles)))
    return out
