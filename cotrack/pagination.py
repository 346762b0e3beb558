"""One pagination helper for every list (HTML and API): ORM objects or plain rows."""

from flask import current_app, request
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import Select

from cotrack.extensions import db

MAX_PER_PAGE = 200


class RowPagination(SelectPagination):
    """Pages of a multi-column select: the items are rows, not the first column."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select))


def paginate(query: Select, per_page: int | None = None, rows: bool = False):
    args = {
        "page": request.args.get("page", 1, type=int),
        "per_page": per_page or request.args.get("per_page", current_app.config["PER_PAGE"],
                                                 type=int),
        "max_per_page": MAX_PER_PAGE,
        "error_out": False,
    }
    if rows:
        return RowPagination(select=query, session=db.session(), **args)
    return db.paginate(query, **args)
