"""One pagination helper for every list (HTML and API)."""

from flask import current_app, request
from sqlalchemy import Select

from cotrack.extensions import db

MAX_PER_PAGE = 200


def paginate(query: Select, per_page: int | None = None):
    return db.paginate(
        query,
        page=request.args.get("page", 1, type=int),
        per_page=per_page or request.args.get("per_page", current_app.config["PER_PAGE"], type=int),
        max_per_page=MAX_PER_PAGE,
        error_out=False,
    )
