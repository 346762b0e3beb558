"""Template filters that show times in the signed-in person's zone and words:
``{{ at|localtime }}`` (date, time, zone label), ``{{ at|localdate }}``, ``{{ at|age }}``;
``{{ at|localtime_text }}``: ``localtime``'s words alone, for an attribute (a tooltip)."""

from flask import Flask, request
from flask_login import current_user
from markupsafe import Markup, escape

from cotrack.db.timestamps import utcnow
from cotrack.domain import timefmt
from cotrack.domain.preferences import DEFAULT_LOCALE, best_locale


def viewer_zone() -> str | None:
    return getattr(current_user, "time_zone", None) if current_user else None


def viewer_locale() -> str:
    locale = getattr(current_user, "locale", None) if current_user else None
    if locale:
        return locale
    try:
        return best_locale(request.accept_languages.values())
    except RuntimeError:  # outside a request
        return DEFAULT_LOCALE


def _time_tag(moment, text: str) -> Markup:
    if moment is None:
        return Markup("")
    # each part escaped, then joined: Markup.format's pure-Python formatter cost a page
    # of activity more than the rest of the tag
    return Markup(f'<time datetime="{escape(moment.isoformat())}" '  # noqa: S704
                  f'title="{escape(viewer_zone() or "UTC")}">{escape(text)}</time>')


def localtime_text(moment) -> str:
    return timefmt.when(moment, viewer_zone(), viewer_locale())


def localtime(moment) -> Markup:
    return _time_tag(moment, localtime_text(moment))


def localdate(moment) -> Markup:
    return _time_tag(moment, timefmt.day(moment, viewer_zone(), viewer_locale()))


def age(moment) -> str:
    return timefmt.age(moment, utcnow()) if moment else ""


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(localtime=localtime, localtime_text=localtime_text,
                                 localdate=localdate, age=age)
