"""Three-party sign-off, shared by stage gates and split agreements.

Whatever is being signed (a gate request, an agreement) is locked for the transaction
(SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers), so decisions made at the
same moment are counted one after the other; each party decides once.
"""

from sqlalchemy import Select

from cotrack.domain.errors import Conflict
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES


def lock(query: Select):
    """Load the object for update and see the decisions others committed meanwhile."""
    obj = db.session.scalar(query.with_for_update().execution_options(populate_existing=True))
    if obj is not None:
        db.session.expire(obj, ["approvals"])
    return obj


def add_decision(obj, approval, role: str) -> bool:
    """Append ``approval`` for ``role``; True when all three parties have approved."""
    if obj.decision_of(role) is not None:
        raise Conflict("Your party has decided on this already.")
    obj.approvals.append(approval)
    db.session.flush()
    return {a.role for a in obj.approvals if a.decision == "approve"} == set(PARTY_ROLES)
