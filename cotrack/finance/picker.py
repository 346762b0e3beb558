"""The report filters' venture picker: every one of the viewer's ventures when they have
few, else the ventures a search names (and the one chosen).

A busy organisation belongs to a thousand ventures. Listing them all cost every view of the
report pages a thousand rows read and a thousand ``<option>``s written, more than the report
itself. Above ``VENTURE_PICKER_LIMIT`` the picker is a search box beside the list: typed
into, it asks ``/reports/ventures?venture_q=`` and lists what matches (static/picker.js); without
script, the search goes with the filters (``venture_q``) and the page lists the matches.
"""

from dataclasses import dataclass, field

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import Select

from cotrack import queries
from cotrack.db.prebuilt import per_viewer
from cotrack.domain.permissions import can_use_reports, require
from cotrack.extensions import db
from cotrack.models import User, Venture

#: a search longer than a venture's name can be matches nothing more
QUERY_MAX = 200


@dataclass(frozen=True)
class Picker:
    #: (id, name) of the ventures listed, by name
    options: list = field(default_factory=list)
    #: the viewer has more ventures than the list shows: a search box stands beside it
    searching: bool = False
    #: what was searched for
    q: str = ""
    #: how many matched, when there was a search
    found: int | None = None


def picker(chosen_id: int | None) -> Picker:
    """The picker for the current viewer and request: ``chosen_id``, the venture the
    filters name (already checked as one the viewer may see), is always among its options."""
    limit = current_app.config["VENTURE_PICKER_LIMIT"]
    first = _read(_first(current_user, limit))
    if len(first) <= limit:
        return Picker(first)
    q = search_text(request.args)
    found = _read(matching(current_user, q, limit)) if q else []
    options = found
    if chosen_id and chosen_id not in {venture_id for venture_id, _ in found}:
        chosen = db.session.get(Venture, chosen_id)
        options = [(chosen.id, chosen.name), *found]
    return Picker(options, True, q, len(found) if q else None)


def search_text(args) -> str:
    return (args.get("venture_q") or "").strip()[:QUERY_MAX]


def matching(user: User, q: str, limit: int) -> Select:
    """(id, name) of the first ``limit`` of the user's ventures whose name contains ``q``
    (any case; ``%`` and ``_`` are matched as themselves), by name."""
    return (queries.visible_ventures(user).with_only_columns(Venture.id, Venture.name)
            .where(Venture.name.icontains(q, autoescape=True))
            .order_by(Venture.name, Venture.id).limit(limit))


def venture_names():
    """GET /reports/ventures?venture_q=: the viewer's ventures whose name contains ``q``, for the
    picker's search as one types: ``{"ventures": [{"id", "name"}], "more": bool}``."""
    require(can_use_reports(current_user))
    limit = current_app.config["VENTURE_PICKER_LIMIT"]
    q = search_text(request.args)
    rows = _read(matching(current_user, q, limit + 1)) if q else []
    return {"ventures": [{"id": i, "name": name} for i, name in rows[:limit]],
            "more": len(rows) > limit}


def _read(query: Select) -> list:
    """Plain rows through the session's connection (its transaction), not the ORM's row
    handling. Being no ORM execution, it runs no session hooks (there are none)."""
    return [tuple(row) for row in db.session.connection().execute(query)]


@per_viewer
def _first(user: User, limit: int) -> Select:
    """The user's first ``limit`` + 1 ventures by name: all of them, when that is no more
    than ``limit``."""
    return (queries.visible_ventures(user).with_only_columns(Venture.id, Venture.name)
            .order_by(Venture.name, Venture.id).limit(limit + 1))
