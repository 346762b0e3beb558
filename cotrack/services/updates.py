"""Status updates: a lead reports health (green, amber, red), a summary and decisions."""

from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.models import HEALTH, StatusUpdate, User, Venture
from cotrack.permissions import can_post_update
from cotrack.services.activity import record


def post_update(actor: User, venture: Venture, *, health: str, summary: str,
                decisions: str = "") -> StatusUpdate:
    if not can_post_update(actor, venture):
        raise DomainError("Only a lead of a party can post a status update.")
    problems = {}
    if health not in HEALTH:
        problems["health"] = "Choose green, amber or red."
    if not (summary or "").strip():
        problems["summary"] = "Write a short summary."
    elif len(summary) > 5000:
        problems["summary"] = "Use at most 5,000 characters."
    if len(decisions or "") > 5000:
        problems["decisions"] = "Use at most 5,000 characters."
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    update = StatusUpdate(venture_id=venture.id, author=actor, health=health,
                          summary=summary.strip(), decisions=(decisions or "").strip())
    db.session.add(update)
    db.session.flush()
    record(actor, venture, "posted", update, label=f"Status {health}",
           changes={"health": health, "summary": update.summary})
    return update
