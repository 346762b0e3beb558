"""Pages kept for the database state they were rendered in.

A view marked :func:`kept` renders through :func:`page`, after it has loaded and checked,
so every hook, loader and permission check runs on every request. Before the request reads
anything, the database's state is taken (:func:`take_state`); a
page is kept under that state together with everything else it is made of: the viewer's
session (the server-side session, the signed cookie's contents), the address with its
query, the language the browser asks for and the minute (ages read "3 minutes"). A later
request finds the page only if its own state is the same, that is if nothing at all was
committed in between: no writer has to say what it changed, so a write through any path (a
service, raw SQL, psql, another instance) is never followed by a kept page. A page whose
request saw a write committed after its state was taken may show that write, never less
than the state it is kept under.

Each worker keeps at most ``PAGE_STORE_PAGES`` pages in its own memory, each for
``PAGE_STORE_SECONDS`` at most (0 keeps none). Instances need not share them: a page's
validity is the database's state, which every instance sees alike; and memory bounded per
worker cannot be filled by asking for endless addresses (a shared Redis could, beside the
sign-in limits and the task queue it holds). On SQLite, which has no such state, every page
is rendered.
"""

import hashlib
from collections.abc import Callable

from cachelib import SimpleCache
from flask import Flask, current_app, g, request, session
from flask_login import current_user

from cotrack.db.snapshot import database_state
from cotrack.db.timestamps import utcnow

EXTENSION = "cotrack_page_store"


def kept(view: Callable) -> Callable:
    """Mark a view whose page may be kept (it renders through :func:`page`)."""
    view.kept_page = True
    return view


def take_state() -> None:
    """Before the request reads anything: the database's state, for a marked GET page asked
    for by someone signed in (anyone else is sent to sign in) with no message waiting to be
    shown (a flashed message is shown once). With ``PAGE_STORE_SECONDS`` 0, none: nothing
    is then kept or looked up. The request's first read is the sign-in look-up, made here,
    and it reads the state with the user (``User.database_state``); loaded some other way
    (none is, this hook comes first), the user's state is not this request's, and it is
    read on its own."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method in ("GET", "HEAD") and getattr(view, "kept_page", False) \
            and current_app.config["PAGE_STORE_SECONDS"] and "_user_id" in session \
            and "_flashes" not in session:
        first_read = "_login_user" not in g
        user = current_user._get_current_object()
        state = getattr(user, "database_state", None) if first_read else None
        g.page_state = state if state is not None else database_state()


def page(render: Callable[[], str]) -> str:
    """The page kept for this request's key, or ``render()`` kept under it."""
    state = g.get("page_state")
    if state is None:
        return render()
    key = _key(state)
    store: SimpleCache = current_app.extensions[EXTENSION]
    hit = store.get(key)
    if hit is not None:
        return hit
    rendered = render()
    if not session.modified:  # the page did not depend on something it set
        store.set(key, rendered)
    return rendered


def _key(state: str) -> str:
    parts = (
        state, utcnow().strftime("%Y-%m-%dT%H:%M"),
        getattr(current_user, "session_token", None) or "", repr(sorted(session.items())),
        request.full_path, request.headers.get("Accept-Language", ""),
    )
    return "page:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = SimpleCache(threshold=app.config["PAGE_STORE_PAGES"],
                                            default_timeout=app.config["PAGE_STORE_SECONDS"])
