"""A request's time limit, kept by the app so that a request too long to finish answers
503 (JSON or a page, with Retry-After) before gunicorn's own timeout would kill the worker
and answer its HTML error page. Nothing is committed by a request that runs out of time.

Long loops (a revenue import) call :func:`check`; on PostgreSQL a writing request's
statements are also cancelled at the limit (``statement_timeout``, cotrack.db.engine).
"""

from time import monotonic

from flask import current_app, g, has_request_context
from werkzeug.exceptions import ServiceUnavailable

#: seconds a client is asked to wait before sending a stopped request again
RETRY_AFTER_SECONDS = 5


class OutOfTime(ServiceUnavailable):
    description = ("This request took too long and was stopped; nothing was saved. "
                   "Try again later, or send less at once.")

    def __init__(self):
        super().__init__(retry_after=RETRY_AFTER_SECONDS)


def seconds() -> float:
    return float(current_app.config["REQUEST_TIME_LIMIT_SECONDS"])


def start() -> None:
    g.deadline = monotonic() + seconds()


def check() -> None:
    """Stop the request (503) once its time is up."""
    if has_request_context() and monotonic() > g.get("deadline", float("inf")):
        raise OutOfTime()
