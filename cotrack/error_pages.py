"""HTML and JSON errors from one place: /api/ paths get API.md's JSON, the rest a page."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from cotrack.errors import DomainError
from cotrack.extensions import db

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
    429: "Too many attempts. Wait a few minutes and try again.",
    500: "Something went wrong on our side. It has been logged.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str | None = None, fields: dict | None = None, **extra):
    body = {"status": status, "message": message or MESSAGES.get(status, "Error"),
            "fields": fields or {}}
    body.update(extra)
    return jsonify({"error": body}), status


def error_response(status: int, message: str | None = None):
    if wants_json():
        return json_error(status, message)
    message = message or MESSAGES.get(status, "Error")
    return render_template("errors/generic.html", status=status, message=message), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 401 and not wants_json():
            return exc.get_response()
        message = exc.description if isinstance(exc, CSRFError) else None
        if exc.code == 429:
            message = MESSAGES[429]
        response = error_response(exc.code or 500, message)
        if exc.code == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            response = (response[0], response[1], {"Allow": ", ".join(exc.valid_methods)})
        return response

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if wants_json():
            return json_error(exc.status, exc.message, exc.fields)
        return error_response(exc.status, exc.message)

    @app.errorhandler(StaleDataError)
    @app.errorhandler(IntegrityError)
    def concurrent_change(exc):
        # A concurrent request won the race (version check at flush, unique constraint).
        db.session.rollback()
        log.info("conflict on %s: %s", request.path, exc.__class__.__name__)
        return error_response(409, "Someone else changed this at the same moment; "
                                   "reload and try again.")

    @app.errorhandler(InternalServerError)
    def server_error(exc):
        db.session.rollback()
        log.exception("unhandled error on %s", request.path)
        return error_response(500)
