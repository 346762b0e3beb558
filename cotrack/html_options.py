"""<option> lists rendered in Python: a choice among a thousand ventures is one string
join, not a thousand template loop iterations (the report filters of a busy organisation)."""

from collections.abc import Iterable

from markupsafe import Markup, escape


def options(pairs: Iterable, selected=None) -> Markup:
    """``<option>`` elements for (value, label) pairs, the one equal to ``selected`` chosen."""
    chosen = None if selected is None else str(selected)
    return Markup("".join(  # noqa: S704  (every value and label is escaped here)
        f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
        f"{escape(label)}</option>" for value, label in pairs))
