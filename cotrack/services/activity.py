"""The one mechanism every service uses to record the activity trail (append-only)."""

from datetime import date, datetime

from cotrack.extensions import db
from cotrack.models import Activity, User

#: how a table's rows are named in the trail
OBJECT_TYPES = {"venture_party": "party", "gate_request": "gate", "status_update": "update"}


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "id") and hasattr(value, "__table__"):
        return value.id
    return value


def record(actor: User | None, venture, action: str, obj, label: str = "",
           changes: dict | None = None) -> Activity:
    """Append one row: ``actor`` did ``action`` to ``obj`` (in ``venture``)."""
    row = Activity(
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
    """Set each attribute that differs; return {field: [old, new]} of what changed."""
    changed = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [_plain(old), _plain(new)]
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
