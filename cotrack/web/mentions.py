"""@mentions shown as links: ``{{ text|mentions(venture) }}`` (the venture's people, loaded
once per request), and the people a venture's textareas suggest (ventures.people)."""

from functools import cache

from flask import Flask, g, url_for
from markupsafe import Markup
from sqlalchemy import select

from cotrack.db.prebuilt import VENTURE_ID
from cotrack.domain.mentions import with_links
from cotrack.extensions import db
from cotrack.models import Organisation, User, VentureParty


def venture_people(venture_id: int) -> list[tuple[int, str, str]]:
    """(id, name, organisation) of the active users of the venture's accepted parties."""
    cache = g.setdefault("venture_people", {})
    if venture_id not in cache:
        cache[venture_id] = db.session.execute(_people(), {"venture_id": venture_id}).all()
    return cache[venture_id]


@cache
def _people():
    return (select(User.id, User.name, Organisation.name)
            .join(VentureParty, VentureParty.organisation_id == User.organisation_id)
            .join(Organisation, Organisation.id == User.organisation_id)
            .where(VentureParty.venture_id == VENTURE_ID, VentureParty.accepted_at.is_not(None),
                   User.active).order_by(User.name))


def mentions(text, venture) -> Markup:
    if "@" not in (text or ""):  # no mention: the venture's people need not be read
        return with_links(text, [], None)
    people = [(i, name) for i, name, _ in venture_people(venture.id)]
    return with_links(text, people, lambda person: url_for(
        "ventures.issues", venture_id=venture.id, assignee=person))


def init_app(app: Flask) -> None:
    app.jinja_env.filters["mentions"] = mentions
