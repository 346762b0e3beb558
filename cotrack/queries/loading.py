"""Load, check: fetch an object for the signed-in user or answer 404 (outsiders).

Every route that takes a venture's id, or the id of anything inside a venture, goes
through one of these, so an outsider cannot learn that the object exists.
"""

from functools import cache

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from cotrack.db.prebuilt import VENTURE_ID
from cotrack.domain.permissions import can_see_invitation, can_view_venture, require
from cotrack.extensions import db
from cotrack.models import User, Venture, VentureParty

#: the parties (and their organisations) are needed for every permission check and page
VENTURE_WITH_PARTIES = [joinedload(Venture.parties).joinedload(VentureParty.organisation)]


@cache
def _venture_with_parties() -> Select:
    """Built once: ``Session.get`` built its SELECT, with the parties' loader options,
    on every request (about 0.3 ms of CPU on every venture page)."""
    return select(Venture).where(Venture.id == VENTURE_ID).options(*VENTURE_WITH_PARTIES)


def venture_or_404(user: User, venture_id: int, invited_ok: bool = False) -> Venture:
    venture = db.session.execute(_venture_with_parties(),
                                 {"venture_id": venture_id}).unique().scalar_one_or_none()
    require(venture is not None, 404)
    check = can_see_invitation if invited_ok else can_view_venture
    require(check(user, venture), 404)
    return venture


def child_or_404(user: User, model, object_id: int):
    """Anything with a ``venture_id``: 404 unless the user may view its venture."""
    obj = db.session.get(model, object_id)
    require(obj is not None, 404)
    require(can_view_venture(user, db.session.get(Venture, obj.venture_id)), 404)
    return obj


def in_venture_or_404(user: User, venture_id: int, model, object_id: int):
    """A venture and one of its children, reached by the child's own id: 404 for outsiders,
    and 404 when the child belongs to another venture."""
    venture = venture_or_404(user, venture_id)
    obj = db.session.get(model, object_id)
    require(obj is not None and obj.venture_id == venture.id, 404)
    return venture, obj
