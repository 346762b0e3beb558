"""@mentions: "@Fiona Reyes" in a comment, update or description names a person of the
venture. Only the venture's own people are recognised; any other "@name" stays plain
text, so mentioning someone outside the venture does nothing and reveals nothing."""

import re

from markupsafe import Markup, escape

_BOUNDARY = re.compile(r"[\w-]")


def _matches(text: str, people: list[tuple[int, str]]):
    """(start, end, person id) of each mention, longest name first where names overlap."""
    by_length = sorted(people, key=lambda p: -len(p[1]))
    lowered = text.lower()
    position = text.find("@")
    while position != -1:
        before_ok = position == 0 or not _BOUNDARY.match(text[position - 1])
        found = None
        if before_ok:
            for person_id, name in by_length:
                end = position + 1 + len(name)
                if name and lowered.startswith(name.lower(), position + 1) and (
                        end >= len(text) or not _BOUNDARY.match(text[end])):
                    found = (position, end, person_id)
                    break
        if found:
            yield found
            position = text.find("@", found[1])
        else:
            position = text.find("@", position + 1)


def mentioned(text: str | None, people: list[tuple[int, str]]) -> set[int]:
    """Ids of the venture's people that ``text`` mentions."""
    return {person for _, _, person in _matches(text or "", people)}


def with_links(text: str | None, people: list[tuple[int, str]], link) -> Markup:
    """``text`` as HTML (escaped) with each mention a link: ``link(person_id)`` is its URL."""
    text = text or ""
    out, last = [], 0
    for start, end, person in _matches(text, people):
        out.append(escape(text[last:start]))
        out.append(Markup('<a class="mention" href="{}">{}</a>').format(link(person),
                                                                        text[start:end]))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)
