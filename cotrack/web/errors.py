"""HTML and JSON errors from one place: /api/ paths get API.md's JSON, the rest a page."""

import logging
from math import ceil

from flask import Flask, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from cotrack.domain.errors import DomainError
from cotrack.extensions import db, login_manager
from cotrack.web import forbidden
from cotrack.web.deadline import OutOfTime

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood.",
    401: "Sign in, or send a valid API token.",
    403: "You are not allowed to do this.",
    404: "There is nothing here.",
    405: "This method is not allowed here.",
    409: "This conflicts with the current state.",
    413: "The upload is too large.",
    422: "Some fields are not valid.",
    429: "Too many attempts. Wait a little and try again.",
    500: "Something went wrong on our side. It has been logged.",
    503: "The database cannot be reached just now. Nothing was saved; try again shortly.",
}
#: seconds a client is asked to wait before retrying after a 503
RETRY_AFTER_SECONDS = 5


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str | None = None, fields: dict | None = None, **extra):
    body = {"status": status, "message": message or MESSAGES.get(status, "Error"),
            "fields": fields or {}}
    body.update(extra)
    return jsonify({"error": body}), status


#: the h1 of each error page
TITLES = {
    400: "Bad request", 403: "Not allowed", 404: "Page not found", 405: "Not allowed here",
    409: "Conflict", 413: "Too large", 422: "Not valid", 429: "Too many attempts",
    500: "Something went wrong", 503: "Try again shortly",
}


def error_response(status: int, message: str | None = None, fields: dict | None = None):
    if wants_json():
        return json_error(status, message, fields)
    message = message or MESSAGES.get(status, "Error")
    why = forbidden.explain() if status == 403 else {}
    return render_template("errors/generic.html", status=status, message=message,
                           title=TITLES.get(status, "Error"), fields=fields or {},
                           **why), status


def wait_text(seconds: int) -> str:
    """``15 minutes``, ``1 minute``, ``40 seconds``: a wait, rounded up."""
    amount, unit = (seconds, "second") if seconds < 60 else (ceil(seconds / 60), "minute")
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


def too_many_requests(exc: HTTPException):
    """429 saying the real wait, from the Retry-After the limit set (cotrack.auth.throttle)."""
    seconds = getattr(exc, "retry_after", None)
    if not isinstance(seconds, int):
        return error_response(429)
    body, status = error_response(429, f"Too many attempts. Try again in {wait_text(seconds)}.")
    return body, status, {"Retry-After": str(seconds)}


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 401 and not wants_json():
            return exc.get_response()
        message = exc.description if isinstance(exc, CSRFError | OutOfTime) else None
        if exc.code == 429:
            return too_many_requests(exc)
        body, status = error_response(exc.code or 500, message)
        headers = {}
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            headers["Allow"] = ", ".join(exc.valid_methods)
        if isinstance(exc, OutOfTime):
            db.session.rollback()
            headers["Retry-After"] = str(exc.retry_after)
        return body, status, headers

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if wants_json():
            return json_error(exc.status, exc.message, exc.fields, **exc.details)
        return error_response(exc.status, exc.message, exc.fields)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def concurrent_change(exc):
        db.session.rollback()
        if isinstance(exc, IntegrityError) and not lost_a_race(exc):
            # a check or NOT NULL constraint refused what the code wrote: a bug, not a race
            log.error("constraint refused a write on %s", request.path, exc_info=exc)
            return error_response(500)
        log.info("conflict on %s: %s", request.path, exc.__class__.__name__)
        return error_response(409, "Someone else changed this at the same moment; "
                                   "reload and try again.")

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(exc):
        # The database went away, refused the connection, or cancelled a statement that ran
        # too long: nothing was committed, so the client may safely retry.
        return unavailable(exc)

    @app.errorhandler(InternalServerError)
    def server_error(exc):
        db.session.rollback()
        log.exception("unhandled error on %s", request.path)
        return error_response(500)


#: SQLSTATEs of a write that lost to a concurrent one: a unique key taken, a row it
#: refers to deleted meanwhile
RACE_SQLSTATES = frozenset({"23505", "23503"})


def lost_a_race(exc: IntegrityError) -> bool:
    """The constraint that refused the write is one a concurrent request can break: a
    unique key or a foreign key (PostgreSQL's SQLSTATE; SQLite's message)."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None):
        return orig.sqlstate in RACE_SQLSTATES
    return str(orig).startswith(("UNIQUE constraint failed", "FOREIGN KEY constraint failed"))


def unavailable(exc: Exception):
    """503 with Retry-After, rendered without touching the database again."""
    log.warning("database unavailable on %s: %s", request.path, exc.__class__.__name__)
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.invalidate()
    # the page must not try to load the signed-in user from the database it cannot reach
    g._login_user = login_manager.anonymous_user()
    body, status = error_response(503)
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}
