"""Statements built once per viewer, not once per request.

Building a SELECT with SQLAlchemy and computing its cache key costs more CPU than running
it: Home's board, for example, 0.4 ms to build, 0.6 ms for the key, 0.5 ms to execute
(bench/README.md). A Select is immutable and keeps its cache key once computed, so a
statement that depends only on who is looking (whether they are signed in, their id,
organisation and role: all that the SQL permission twins read) and on a few hashable
arguments can be built once and run again on the database's current rows. Nothing read
from the database is kept here, only the SQL, so no result can be stale.

A builder given to ``per_viewer`` gets a ``Viewer`` (those attributes only) and must be a
pure function of it and its arguments: it may not read the database, the clock or the
request (pass them as arguments, e.g. ``today``). Module constants a builder reads (a page
size) are read once, when it is built. A statement about one venture is built once for all
of them (``functools.cache``) with ``VENTURE_ID`` in place of the venture's id, given when
it runs: ``{"venture_id": venture.id}``; about several, with ``VENTURE_IDS``.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import wraps
from threading import Lock
from typing import TypeVar

from sqlalchemy import Date, Executable, Integer, String, bindparam

#: the venture a statement built once is about (or the ventures: a list), the stage it is
#: in and today, given when it runs
VENTURE_ID = bindparam("venture_id", type_=Integer)
VENTURE_IDS = bindparam("venture_ids", type_=Integer, expanding=True)
STAGE = bindparam("stage", type_=String)
TODAY = bindparam("today", type_=Date)

#: statements kept per process (each a few KB); the least recently used go first
SIZE = 2048

S = TypeVar("S", bound=Executable)

_built: OrderedDict[Hashable, Executable] = OrderedDict()
_lock = Lock()


@dataclass(frozen=True)
class Viewer:
    """All a statement built once may read of the person it is for, and the key it is kept
    under: a builder is given this, not the user, so reading anything else (their time
    zone, their organisation's name, the user object itself) fails at once instead of
    ending up in a statement that later answers for someone else."""

    is_authenticated: bool
    is_admin: bool
    id: int | None
    organisation_id: int | None
    role: str | None


def viewer(user) -> Viewer:
    signed_in = bool(getattr(user, "is_authenticated", False))
    return Viewer(signed_in, signed_in and bool(user.is_admin), getattr(user, "id", None),
                  getattr(user, "organisation_id", None), getattr(user, "role", None))


def per_viewer(builder: Callable[..., S]) -> Callable[..., S]:
    """``builder(viewer(user), *args)``, built once per viewer and ``args``."""

    @wraps(builder)
    def built(user, *args: Hashable) -> S:
        who = viewer(user)
        key = (builder, who, args)
        with _lock:
            statement = _built.get(key)
            if statement is not None:
                _built.move_to_end(key)
                return statement
        statement = builder(who, *args)
        with _lock:
            _built[key] = statement
            if len(_built) > SIZE:
                _built.popitem(last=False)
        return statement

    return built
