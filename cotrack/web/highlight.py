"""Search results with their matches marked: every character escaped, then the words that
start with a search term wrapped in ``<mark>`` (never the other way round)."""

import re

from markupsafe import Markup, escape

from cotrack.domain.search_terms import prefixes


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    kinds = sorted(zip(terms, prefixes(terms), strict=True), key=lambda tp: -len(tp[0]))
    words = "|".join(re.escape(t) + (r"[^\W_]*" if prefix else r"(?![^\W_])")
                     for t, prefix in kinds)
    # a whole word, or (the last term) the start of one; never the middle of a word
    return re.compile(rf"(?<![^\W_])(?:{words})", re.IGNORECASE)


def excerpt(text: str, terms: list[str], width: int = 240) -> str:
    """``text`` cut to about ``width`` characters around its first match (with …)."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, (match.start() if match else 0) - width // 3)
    end = min(len(text), start + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def highlight(text: str, terms: list[str]) -> Markup:
    """``text`` escaped, with each word that starts with a term in ``<mark>``."""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last:match.start()]))
        parts.append(Markup("<mark>%s</mark>") % match.group(0))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)
