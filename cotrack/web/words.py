"""Activity in the reader's words: ``{{ activity_text(row) }}`` in templates, ``text`` in
the API (cotrack.domain.sentences builds the sentence)."""

from flask import Flask

from cotrack.domain.sentences import Words, describe
from cotrack.extensions import db
from cotrack.models import Venture
from cotrack.web.timefmt import viewer_locale


def activity_text(row) -> str:
    venture = db.session.get(Venture, row.venture_id)  # loaded already: the identity map
    return describe(row, Words(viewer_locale(), venture.currency if venture else None))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(activity_text=activity_text)
