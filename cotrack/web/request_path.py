"""The one path every request takes: load → check → act in the view, then one commit.

Before the view: the request's time limit starts, and a writing request's body is
received in full before anything touches the database (a trickled upload must not hold
SQLite's write lock).

Around the view (:class:`CoTrack` runs every view through :func:`answer`): views and API
handlers load, check, call a service and render; they never commit and never catch a
DomainError. When the view returns, a writing request is committed if its answer is a
success (2xx or a redirect) and rolled back otherwise, so every state change is one
transaction and an answer is always built from data in hand before the commit. A
DomainError a service raises is answered the same way everywhere:

- JSON (the API) and reads: the error handlers (cotrack.web.errors) answer 422 or 409 with
  the message and the fields;
- an HTML form: the write is rolled back and the view runs once more, its submitted form now
  invalid with each message beside its field (cotrack.web.forms); the page answers 422/409;
- an HTML button (a form without input fields): the message is flashed and the browser sent
  back to the page it came from.

A commit that fails raises on to the error handlers (503 when the database is gone, 409 for
a race lost at a unique constraint), and any message the view flashed is withdrawn. Work
that must only follow a write that really happened is given to :func:`after_commit`.
"""

import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from werkzeug.wrappers import Response

from cotrack import jobs
from cotrack.db.engine import reading
from cotrack.domain.errors import DomainError, NotAllowed
from cotrack.extensions import db
from cotrack.web import deadline, page_store
from cotrack.web.errors import wants_json
from cotrack.web.forms import Refusal

log = logging.getLogger(__name__)


class CoTrack(Flask):
    """Flask whose every view answers through :func:`answer`."""

    def dispatch_request(self):
        return answer(super().dispatch_request)


def answer(view) -> Response:
    try:
        response = current_app.make_response(view())
    except DomainError as exc:
        if reading() or wants_json() or isinstance(exc, NotAllowed):
            raise
        response = _refused(exc, view)
    _end(response)
    return response


def _end(response: Response) -> None:
    if reading():
        return
    if response.status_code >= 400:
        db.session.rollback()
        return
    try:
        db.session.commit()
    except Exception:
        session.pop("_flashes", None)  # "saved" was not true
        raise
    for work in g.pop("after_commit", []):
        try:
            work()
        except Exception:  # the writes are committed: the answer must still say so
            log.exception("work after the commit of %s failed", request.path)
    jobs.dispatch_ready()


def after_commit(work) -> None:
    """Call ``work()`` once this request's writes are committed (never if they are not)."""
    g.setdefault("after_commit", []).append(work)


def _refused(exc: DomainError, view) -> Response:
    form = g.pop("submitted_form", None)
    if form is None or not form.shows_refusals():
        db.session.rollback()
        flash(" ".join([exc.message, *(m for m in exc.fields.values()
                                       if m not in exc.message)]), "danger")
        return redirect(back(), 303)
    g.refusal = Refusal.of(exc, form)
    db.session.rollback()
    response = current_app.make_response(view())
    response.status_code = exc.status
    return response


def back() -> str:
    """The page the request came from, if it is one of ours; else Home."""
    referrer = urlsplit(request.referrer or "")
    path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if referrer.netloc == request.host and path.startswith("/") and not path.startswith("//") \
            and "\\" not in path:
        return path
    return url_for("main.home")


def read_body_first() -> None:
    """Receive a writing request's whole body before anything touches the database.

    On SQLite the first statement of a writing request takes the write lock (BEGIN
    IMMEDIATE), and the first statement is the sign-in or token look-up: a client trickling
    its upload would otherwise hold every writer on the site for as long as it likes."""
    if reading():
        return
    if request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        request.form  # noqa: B018  (parses the body; files are spooled to disk)
    else:
        request.get_data(cache=True)


def init_app(app: Flask) -> None:
    # first of all before-request hooks, ahead of the rate limiter's, CSRF's and the loaders'
    # (and the database's state for a page that may be kept, before anything is read)
    app.before_request_funcs.setdefault(None, [])[:0] = [deadline.start, read_body_first,
                                                         page_store.take_state]
    app.context_processor(lambda: {"refusal": g.get("refusal")})
