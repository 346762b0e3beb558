"""The one mechanism every service uses to record the activity trail (append-only)."""

from datetime import date, datetime

from cotrack.extensions import db
from cotrack.models import Activity, User
from cotrack.models.activity import AUDIENCES

#: how a table's rows are named in the trail
OBJECT_TYPES = {"venture_party": "party", "gate_request": "gate", "status_update": "update"}
#: tables whose rows only those who may view revenue see (DOMAIN.md's table)
REVENUE_TABLES = frozenset({"split_agreement", "agreement_approval", "revenue_entry",
                            "allocation"})


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "id") and hasattr(value, "__table__"):
        return value.id
    return value


def record(actor: User | None, venture, action: str, obj, label: str = "",
           changes: dict | None = None, *, audience: str | None = None) -> Activity:
    """Append one row: ``actor`` did ``action`` to ``obj`` (in ``venture``).

    ``audience`` names the permission that governs who sees the row (Activity.AUDIENCES):
    "revenue" for agreements and ledger entries, "venture" for everything else unless the
    caller says otherwise, as a service must when it reports revenue on another object
    (an import is recorded on the venture).
    """
    if audience is None:
        audience = "revenue" if obj.__tablename__ in REVENUE_TABLES else "venture"
    if audience not in AUDIENCES:
        raise ValueError(f"unknown activity audience {audience!r}")
    row = Activity(
        audience=audience,
        venture_id=venture.id,
        actor_id=actor.id if actor else None,
        action=action,
        object_type=OBJECT_TYPES.get(obj.__tablename__, obj.__tablename__),
        object_id=obj.id,
        object_label=(label or getattr(obj, "name", None) or getattr(obj, "title", "") or "")[:300],
        changes={k: _plain(v) if not isinstance(v, list) else [_plain(x) for x in v]
                 for k, v in (changes or {}).items()},
    )
    db.session.add(row)
    return row


def apply_changes(obj, values: dict) -> dict:
    """Set each attribute that differs; return {field: [old, new]} of what changed.

    Old and new are compared as the plain values the trail stores (a related row by its
    id), never as ORM objects.
    """
    changed = {}
    for field, new in values.items():
        old, plain = _plain(getattr(obj, field)), _plain(new)
        if old != plain:
            changed[field] = [old, plain]
            setattr(obj, field, new)
    return changed


def readable(changes: dict) -> dict:
    """Replace ids of related rows in {field: [old, new]} by names people recognise."""
    from cotrack.models import Milestone, User

    names = {"assignee": (User, "name"), "milestone": (Milestone, "title")}
    for field, (model, attr) in names.items():
        if field in changes:
            changes[field] = [
                getattr(db.session.get(model, v), attr, None) if v else None
                for v in changes[field]
            ]
    return changes
