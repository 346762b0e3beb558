"""<option> lists rendered in Python: a choice among a thousand ventures is one string
join, not a thousand template loop iterations (the report filters of a busy organisation)."""

from collections.abc import Iterable

from markupsafe import Markup, escape


def _escaped(texts: list[str]) -> list[str]:
    """Each text as ``markupsafe.escape`` writes it, as plain strings: escaped in one call
    over all of them joined (twice as fast over a thousand labels as escaping each)."""
    joined = "\0".join(texts)
    if joined.count("\0") != len(texts) - 1:  # a text holds the separator itself
        return [str(escape(text)) for text in texts]
    return str(escape(joined)).split("\0") if texts else []


def options(pairs: Iterable, selected=None) -> Markup:
    """``<option>`` elements for (value, label) pairs, the one equal to ``selected`` chosen."""
    chosen = None if selected is None else str(selected)
    pairs = list(pairs)
    values = [str(value) for value, _ in pairs]
    escaped = zip(values, _escaped(values), _escaped([str(label) for _, label in pairs]),
                  strict=True)
    return Markup("".join([  # noqa: S704  (every value and label is escaped here)
        f'<option value="{value}"{" selected" if raw == chosen else ""}>{label}</option>'
        for raw, value, label in escaped]))
