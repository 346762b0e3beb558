"""The report filters' venture picker: every one of the viewer's ventures when they have
few; else the first of them by name, or those a search names, and the one chosen.

A busy organisation belongs to a thousand ventures. Listing them all cost every view of the
report pages a thousand rows read and a thousand ``<option>``s written, more than the report
itself. Above ``VENTURE_PICKER_LIMIT`` the list holds that many and a search box stands
beside it: typed into, it asks ``/reports/ventures?venture_q=`` and lists what matches
(static/picker.js); without script, the search goes with the filters (``venture_q``) and
the page lists the matches. Names match in any case; SQLite folds the case of ASCII letters
only, PostgreSQL of every letter.
"""

from dataclasses import dataclass, field

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import Select, bindparam

from cotrack import queries
from cotrack.db.prebuilt import per_viewer
from cotrack.db.rows import rows
from cotrack.domain import like
from cotrack.domain.errors import DomainError
from cotrack.domain.permissions import can_use_reports, require
from cotrack.domain.text_limits import SHORT
from cotrack.domain.valid_input import text_field
from cotrack.extensions import db
from cotrack.models import User, Venture

#: the search's parameter, on the report pages and the search's own address
PARAMETER = "venture_q"


@dataclass(frozen=True)
class Picker:
    #: (id, name) of the ventures listed: the chosen one first, then by name
    options: list = field(default_factory=list)
    #: the viewer has more ventures than the list shows: a search box stands beside it
    searching: bool = False
    #: what was searched for
    q: str = ""
    #: how many of the first (or of the matching) ventures are listed
    found: int = 0
    #: there are more (first, or matching) ventures than the list shows
    more: bool = False


def picker(chosen_id: int | None) -> Picker:
    """The picker for the current viewer and request: ``chosen_id``, the venture the
    filters name (already checked as one the viewer may see), is always among its options."""
    limit = current_app.config["VENTURE_PICKER_LIMIT"]
    first = rows(_first(current_user, limit))
    if len(first) <= limit:
        return Picker(first)
    q = search_text(request.args)
    listed = rows(_matching(current_user, limit), {"pattern": like.containing(q)}) if q else first
    options = listed[:limit]
    if chosen_id and chosen_id not in {venture_id for venture_id, _ in options}:
        chosen = db.session.get(Venture, chosen_id)  # (loaded by the filter's check)
        options = [(chosen.id, chosen.name), *options]
    return Picker(options, True, q, min(len(listed), limit), len(listed) > limit)


def search_problem(args) -> str | None:
    """What is wrong with the search text, for the report pages' list of filter problems."""
    try:
        _search(args)
    except DomainError as exc:
        return exc.fields[PARAMETER]
    return None


def search_text(args) -> str:
    """The search text; nothing when it is at fault (``search_problem`` says why)."""
    try:
        return _search(args)
    except DomainError:
        return ""


def venture_names():
    """GET /reports/ventures?venture_q=: the viewer's ventures whose name contains the text
    (with none, their first ventures by name), for the picker's search as one types:
    ``{"ventures": [{"id", "name"}], "more": bool}``; 422 naming ``venture_q`` when the
    text is at fault."""
    require(can_use_reports(current_user))
    limit = current_app.config["VENTURE_PICKER_LIMIT"]
    q = _search(request.args)
    found = rows(_matching(current_user, limit), {"pattern": like.containing(q)}) if q else \
        rows(_first(current_user, limit))
    return {"ventures": [{"id": i, "name": name} for i, name in found[:limit]],
            "more": len(found) > limit}


def _search(args) -> str:
    return text_field(args.get(PARAMETER) or "", PARAMETER, False, SHORT)


def _names(user: User, limit: int) -> Select:
    """(id, name) of the user's first ``limit`` + 1 ventures by name."""
    return queries.named_ventures(user).limit(limit + 1)


@per_viewer
def _first(user: User, limit: int) -> Select:
    """The user's first ``limit`` + 1 ventures by name: all of them, when that is no more
    than ``limit``."""
    return _names(user, limit)


@per_viewer
def _matching(user: User, limit: int) -> Select:
    """The first ``limit`` + 1 of the user's ventures whose name is like ``pattern`` (any
    case), by name."""
    names = _names(user, limit)
    return names.where(names.selected_columns[1].ilike(bindparam("pattern"),
                                                       escape=like.ESCAPE))
