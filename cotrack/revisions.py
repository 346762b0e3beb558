"""Revisions: every commit records what it changed, so cached pages know they are stale.

A commit that changed anything bumps, in its own transaction:

- ``venture.revision`` of every venture whose rows, or whose children's rows, it wrote;
- ``organisation.revision`` of every party organisation of those ventures (and of any
  organisation whose party row it added, changed or removed);
- the one ``site_revision`` row when it wrote anything else: users, organisations, or a
  statement that does not say which venture it writes.

So the default is the widest: a write the tracker cannot place invalidates every cached
page. ORM objects are placed by their ``venture_id``; a Core statement names its venture
with ``.execution_options(revision_venture=venture_id)`` (see :func:`for_venture`).

Because the bumps commit atomically with the data, a reader that sees revision *r* sees
data at least as new as *r* in every later statement: a page cached under *r* is never
older than *r*. The cache itself is in cotrack.page_cache.
"""

from dataclasses import dataclass, field

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.orm import Session

from cotrack.models import (
    ApiToken,
    Organisation,
    RateLimitCounter,
    SiteRevision,
    UserSession,
    Venture,
    VentureParty,
)

#: written, but never shown on a cached page: no revision moves for these
UNSHOWN = (UserSession, ApiToken, RateLimitCounter)
UNSHOWN_TABLES = frozenset(model.__table__ for model in UNSHOWN)

OPTION = "revision_venture"


@dataclass
class Touched:
    ventures: set[int] = field(default_factory=set)
    organisations: set[int] = field(default_factory=set)
    site: bool = False

    def __bool__(self) -> bool:
        return bool(self.ventures or self.organisations or self.site)

    def add(self, obj) -> None:
        if isinstance(obj, UNSHOWN):
            return
        if isinstance(obj, Venture):
            self.ventures.add(obj.id)
            return
        if isinstance(obj, VentureParty):
            history = inspect(obj).attrs.organisation_id.history
            self.organisations.update(
                org for org in (obj.organisation_id, *history.deleted) if org is not None)
        venture_id = getattr(obj, "venture_id", None)
        if venture_id is None:  # users, organisations, anything not inside one venture
            self.site = True
        else:
            self.ventures.add(venture_id)


def for_venture(statement, venture_id: int):
    """A Core write statement that touches only ``venture_id``'s data."""
    return statement.execution_options(**{OPTION: venture_id})


def touched(session: Session) -> Touched:
    return session.info.setdefault("revisions_touched", Touched())


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, flush_context) -> None:
    marks = touched(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Venture) and obj in session.deleted:
            marks.site = True  # its parties are gone: no organisation to name
        marks.add(obj)


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_select:
        return
    venture_id = state.execution_options.get(OPTION)
    if venture_id is not None:
        touched(state.session).ventures.add(venture_id)
    elif getattr(state.statement, "table", None) not in UNSHOWN_TABLES:
        touched(state.session).site = True


@event.listens_for(Session, "before_commit")
def _bump(session: Session) -> None:
    session.flush()
    marks = session.info.pop("revisions_touched", None)
    if not marks:
        return
    connection = session.connection()
    ventures = sorted(marks.ventures)
    if ventures:
        connection.execute(
            update(Venture).where(Venture.id.in_(bindparam("ids", expanding=True)))
            .values(revision=Venture.revision + 1), {"ids": ventures})
        marks.organisations.update(connection.scalars(
            select(VentureParty.organisation_id)
            .where(VentureParty.venture_id.in_(bindparam("ids", expanding=True))),
            {"ids": ventures}))
    if marks.organisations:
        connection.execute(
            update(Organisation).where(Organisation.id.in_(bindparam("ids", expanding=True)))
            .values(revision=Organisation.revision + 1), {"ids": sorted(marks.organisations)})
    if marks.site:
        connection.execute(update(SiteRevision).where(SiteRevision.id == 1)
                           .values(revision=SiteRevision.revision + 1))


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("revisions_touched", None)
