"""Pages kept for the database state they were rendered in.

A view marked :func:`kept` renders through :func:`page`, after it has loaded and checked,
so every hook, loader and permission check runs on every request. Before the request reads
anything, the database's state is taken (:func:`cotrack.db.snapshot.database_state`); a
page is kept under that state together with everything else it is made of: the viewer's
session (the server-side session, the signed cookie's contents), the address with its
query, the language the browser asks for, the minute (ages read "3 minutes"), and the
code's release. A later request finds the page only if its own state is the same, that is
if nothing at all was committed in between: no writer has to say what it changed, so a
write through any path (a service, raw SQL, psql, another instance) is never followed by a
kept page. Conversely a page whose request had a write committed after its state was taken
may show that write, never less than the state it is kept under.

Pages are kept in Redis when ``REDIS_URL`` is set (instances share them) and else in the
worker's memory, for ``PAGE_STORE_SECONDS`` at most. On SQLite, which has no such state,
every page is rendered.
"""

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from cachelib import BaseCache, NullCache, RedisCache, SimpleCache
from flask import Flask, current_app, g, request, session
from flask_login import current_user
from redis import Redis
from redis.exceptions import RedisError

from cotrack.db.snapshot import database_state
from cotrack.db.timestamps import utcnow

EXTENSION = "cotrack_page_store"
log = logging.getLogger(__name__)


def kept(view: Callable) -> Callable:
    """Mark a view whose page may be kept (it renders through :func:`page`)."""
    view.kept_page = True
    return view


def take_state() -> None:
    """Before the request reads anything: the database's state, for a marked GET page with
    no message waiting to be shown (a flashed message is shown once)."""
    view = current_app.view_functions.get(request.endpoint or "")
    if request.method in ("GET", "HEAD") and getattr(view, "kept_page", False) \
            and current_app.config["PAGE_STORE_SECONDS"] and "_flashes" not in session:
        g.page_state = database_state()


def page(render: Callable[[], str]) -> str:
    """The page kept for this request's key, or ``render()`` kept under it."""
    state = g.get("page_state")
    if state is None:
        return render()
    key = _key(state)
    store: BaseCache = current_app.extensions[EXTENSION]
    try:
        kept_page = store.get(key)
    except RedisError:  # a page is rendered without Redis as with it
        log.warning("kept pages unavailable (Redis)", exc_info=True)
        return render()
    if kept_page is not None:
        return kept_page
    rendered = render()
    if not session.modified:  # the page did not depend on something it set
        try:
            store.set(key, rendered)
        except RedisError:
            log.warning("kept pages unavailable (Redis)", exc_info=True)
    return rendered


def _key(state: str) -> str:
    parts = (
        current_app.config["PAGE_STORE_RELEASE"], state, utcnow().strftime("%Y-%m-%dT%H:%M"),
        getattr(current_user, "session_token", None) or "", repr(sorted(session.items())),
        request.full_path, request.headers.get("Accept-Language", ""),
    )
    return "page:" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()


def release(*folders: Path) -> str:
    """The code's release: what its files are (names, sizes and times of change)."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html"):
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}"
                              .encode())
    return digest.hexdigest()[:16]


def init_app(app: Flask) -> None:
    seconds = app.config["PAGE_STORE_SECONDS"]
    if not seconds:
        store = NullCache()
    elif app.config.get("REDIS_URL"):
        store = RedisCache(Redis.from_url(app.config["REDIS_URL"], socket_timeout=1),
                           default_timeout=seconds, key_prefix="cotrack:")
    else:
        store = SimpleCache(threshold=app.config["PAGE_STORE_PAGES"], default_timeout=seconds)
    app.extensions[EXTENSION] = store
    app.config.setdefault("PAGE_STORE_RELEASE", release(
        Path(__file__).resolve().parents[1], Path(app.template_folder)))
