"""The report chart's value axis and its phone drawing (cotrack.reports.chart)."""

from decimal import Decimal
from types import SimpleNamespace

from cotrack.reports.chart import (
    PHONE_LABEL,
    PHONE_TOTAL,
    PHONE_WIDTH,
    axis,
    nice_step,
    phone_chart,
)


def row(period, customer, reseller, manufacturer):
    return SimpleNamespace(period=period, customer=customer, reseller=reseller,
                           manufacturer=manufacturer)


def test_axis_values_are_round_and_reach_the_peak_from_zero():
    ticks = axis([row("2026-01", 2_000_00, 3_000_00, 8_000_00),
                  row("2026-02", 1_000_00, 1_000_00, 1_000_00)])
    values = [t.value for t in ticks]
    assert values[0] == 0 and values == sorted(values)
    assert values[-1] <= 13_000_00 < values[-1] + (values[1] - values[0])
    assert all(v % 5_000_00 == 0 for v in values)  # 13k in about four steps: 5k apart
    assert ticks[0].y > ticks[-1].y  # zero at the bottom


def test_sums_read_from_postgresql_as_decimals_draw_too():
    rows = [row("2026-Q1", Decimal(2_500_00), Decimal(0), Decimal(7_500_00))]
    assert [t.value for t in axis(rows)] == [0, 5_000_00, 10_000_00]
    assert phone_chart(rows)[0].total == 10_000_00


def test_nice_steps():
    assert [nice_step(p) for p in (1, 7, 40, 130, 9_999)] == [1, 2, 10, 50, 5_000]


def test_phone_rows_fit_between_the_label_and_the_total():
    bars = phone_chart([row("2026-01", 100, 200, 300), row("2026-02", -50, 0, 0)])
    widest = bars[0]
    end = widest.segments[-1].x + widest.segments[-1].width
    assert widest.segments[0].x == PHONE_LABEL
    assert round(end, 6) == PHONE_WIDTH - PHONE_TOTAL
    assert [s.width for s in bars[1].segments] == [0, 0, 0] and bars[1].total == -50


def test_a_month_of_reversals_draws_below_zero():
    """A negative month is a bar down from the zero line, with values below zero on the
    axis (it was left blank, the axis starting at 0, as if the month had no revenue)."""
    from cotrack.reports.chart import HEIGHT, chart
    rows = [row("2026-10", 3_000_00, 3_000_00, 6_000_00),
            row("2026-11", -2_000_00, -2_500_00, -5_000_00)]
    ticks = axis(rows)
    zero = next(t for t in ticks if t.value == 0)
    assert ticks[0].value < 0 < ticks[-1].value and HEIGHT > zero.y > 20
    assert all(HEIGHT >= t.y >= 20 for t in ticks)
    october, november = chart(rows)
    assert round(october.segments[-1].y, 6) == 20  # the peak at the top
    for s in november.segments:
        assert s.height > 0 and s.y >= zero.y - 1e-9  # below the zero line
    last = november.segments[-1]
    assert round(last.y + last.height, 6) == HEIGHT  # the trough at the bottom
    assert november.total == -9_500_00


def test_without_negatives_zero_stays_at_the_bottom():
    from cotrack.reports.chart import HEIGHT, chart
    (column,) = chart([row("2026-01", 100, 200, 300)])
    assert round(column.segments[0].y + column.segments[0].height, 6) == HEIGHT
