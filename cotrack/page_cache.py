"""Rendered pages, kept per viewer until anything they show changes.

A view marked ``@cached_page("venture")`` or ``@cached_page("organisation")`` has its
rendered page stored under a key of

- its scope and that scope's revision: the venture in the URL, or the viewer's own
  organisation (all the ventures it is party to). cotrack.revisions bumps both in the
  transaction of every change;
- the site revision (users and organisations: names, roles, activation);
- the viewer's user id: nothing rendered for one user is ever served to another;
- the day (overdue flags, the timeline's "today" line) and the full path with its query.

The key is read in one query, before the view runs and before Flask-Login loads the user:
that query also checks the sign-in session is still valid. A page found under the key is
answered at once. That is safe without running the view's permission checks again: a
page is only stored after the view answered 200 for this user, and everything those
checks read (the user, their organisation, the venture and its parties) is covered by
the revisions in the key, so it is unchanged. Otherwise the view runs and its page is
stored under the key read before it: the page is never older than its key.

The CSRF token of the request that rendered the page is replaced by a marker, and every
answer from the cache carries the asking session's own token. Pages with flashed messages
are neither answered from nor kept in the cache. Each worker process keeps its own cache
(cachelib's SimpleCache, at most ``PAGE_CACHE_SIZE`` pages); the revisions live in the
database, so every worker sees a change at once.
"""

from functools import wraps

from cachelib import SimpleCache
from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, select

from cotrack.extensions import db
from cotrack.models import Organisation, SiteRevision, User, UserSession, Venture
from cotrack.timeutil import utcnow
from cotrack.tokens import digest

#: stands for the CSRF token in a stored page; "<" never survives escaping of user text
CSRF_MARK = "<cotrack-csrf>"
SCOPES = ("venture", "organisation")

_VIEWER = (
    select(User.id, User.role, Organisation.id.label("organisation_id"),
           Organisation.revision.label("organisation_revision"),
           SiteRevision.revision.label("site_revision"))
    .select_from(UserSession)
    .join(User, User.id == UserSession.user_id)
    .join(Organisation, Organisation.id == User.organisation_id)
    .join(SiteRevision, SiteRevision.id == 1)
    .where(UserSession.token_hash == bindparam("token"),
           UserSession.expires_at > bindparam("now"), User.active, Organisation.active)
)
_VIEWER_AND_VENTURE = _VIEWER.add_columns(Venture.revision.label("venture_revision")).join(
    Venture, Venture.id == bindparam("venture_id"))


def cached_page(scope: str):
    """Keep this GET view's page per viewer until its ``scope`` changes."""
    if scope not in SCOPES:
        raise ValueError(f"unknown page cache scope {scope!r}")

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            response = view(*args, **kwargs)
            key = g.pop("page_cache_key", None)
            if key is not None:
                _store(key, response)
            return response
        wrapper.page_cache_scope = scope
        return wrapper
    return decorate


def skip() -> None:
    """Do not keep the page this request renders (a view that must always run afresh)."""
    g.pop("page_cache_key", None)


def init_app(app: Flask) -> None:
    size = app.config.get("PAGE_CACHE_SIZE", 0)
    if size:
        app.extensions["page_cache"] = SimpleCache(
            threshold=size, default_timeout=app.config.get("PAGE_CACHE_SECONDS", 600))
        app.before_request(_answer_from_cache)


def clear(app: Flask) -> None:
    cache = app.extensions.get("page_cache")
    if cache is not None:
        cache.clear()


def _answer_from_cache():
    view = current_app.view_functions.get(request.endpoint)
    scope = getattr(view, "page_cache_scope", None)
    if scope is None or request.method != "GET" or session.get("_flashes"):
        return None
    key = page_key(scope)
    if key is None:
        return None
    page = current_app.extensions["page_cache"].get(key)
    if page is None:
        g.page_cache_key = key
        return None
    return page.replace(CSRF_MARK, generate_csrf()) if CSRF_MARK in page else page


def page_key(scope: str) -> str | None:
    """The key for this request's page, or None when it is not to be cached."""
    token = session.get("_user_id")
    if not token:
        return None
    params = {"token": digest(token), "now": utcnow()}
    if scope == "venture":
        params["venture_id"] = (request.view_args or {}).get("venture_id")
        row = db.session.execute(_VIEWER_AND_VENTURE, params).first()
        scoped = row and ("venture", params["venture_id"], row.venture_revision)
    else:
        row = db.session.execute(_VIEWER, params).first()
        # an admin sees every venture: no one organisation's revision covers their pages
        scoped = row and row.role != "admin" and (
            "organisation", row.organisation_id, row.organisation_revision)
    if not scoped:
        return None
    return repr((*scoped, row.site_revision, row.id, utcnow().date().isoformat(),
                 request.full_path))


def _store(key: str, response) -> None:
    body, status = response if isinstance(response, tuple) else (response, 200)
    if status != 200 or not isinstance(body, str) or session.get("_flashes"):
        return
    token = g.get("csrf_token")
    current_app.extensions["page_cache"].set(key, body.replace(token, CSRF_MARK)
                                             if token else body)
