"""The timeline's legend shows each state in its bar's own colour, in light and dark mode
(dark mode swapped the bars' blues while the legend kept light mode's: planned bars read as
in progress)."""

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parents[2] / "cotrack/static/cotrack.css").read_text()


def _colour(selector: str, prop: str) -> str:
    match = re.search(re.escape(selector) + r"\s*\{[^}]*?" + prop + r":\s*([^;]+);", CSS)
    assert match, selector
    return match.group(1).strip()


def test_each_legend_swatch_is_its_bar_s_colour():
    assert _colour("svg.timeline .bar rect", "fill") == _colour(".legend::before", "background")
    for state in ("done", "in_progress", "blocked", "overdue"):
        bar = _colour(f"svg.timeline .bar.{state} rect", "fill")
        assert _colour(f".legend.{state}::before", "background") == bar, state


def test_the_bar_colours_are_set_for_both_colour_modes():
    for name in ("--ct-bar-planned", "--ct-bar-done", "--ct-bar-progress"):
        assert len(re.findall(re.escape(name) + r":\s*#", CSS)) == 2, name
