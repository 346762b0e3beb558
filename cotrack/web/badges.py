"""Small pieces shown wherever ventures appear, written in Python: a venture's health and
status badges and its parties' line. They are on every row of the venture list, every card
of Home's board and the venture page; as Jinja macros each call cost a macro's frame (the
list's 75 calls were about a sixth of its page's CPU), as functions a string."""

from flask import Flask
from markupsafe import Markup, escape

#: Bootstrap's badge colour for each venture status
STATUS_STYLES = {"pending": "warning", "active": "success", "declined": "secondary",
                 "shelved": "secondary", "closed": "dark"}


def health_badge(health: str | None) -> Markup:
    """The latest status update's health, or "no update"."""
    if not health:
        return Markup('<span class="badge text-bg-light border" '
                      'title="No status update yet">no update</span>')
    text = escape(health)
    return Markup(  # noqa: S704  (escaped above)
        f'<span class="badge health-{text}" title="Latest health: {text}">{text}</span>')


def status_badge(status: str) -> Markup:
    style = STATUS_STYLES.get(status, "secondary")
    return Markup(f'<span class="badge text-bg-{style}">{escape(status)}</span>')  # noqa: S704


def parties_line(parties) -> Markup:
    """Rows of (role, organisation (its name), accepted_at, declined_at, withdrawn_at),
    as "customer: Name · reseller: Name (invited) · …"."""
    return Markup(" · ").join(_party(party) for party in parties)


def _party(party) -> Markup:
    state = "" if party.accepted_at else " <em class=\"small\">({})</em>".format(
        "declined" if party.declined_at else "withdrawn" if party.withdrawn_at else "invited")
    return Markup(  # noqa: S704  (role and name escaped; the state is one of three words)
        f'<span class="text-nowrap"><span class="text-body-secondary">{escape(party.role)}:'
        f'</span> {escape(party.organisation)}{state}</span>')


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(health_badge=health_badge, status_badge=status_badge,
                                 parties_line=parties_line)
