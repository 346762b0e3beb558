"""Status updates: a lead reports health (green, amber, red), a summary and decisions."""

from sqlalchemy import select

from cotrack.domain import paths
from cotrack.domain.errors import DomainError, NotAllowed
from cotrack.domain.permissions import can_post_update
from cotrack.domain.sentences import quoted
from cotrack.domain.text_limits import SUMMARY
from cotrack.domain.valid_input import choice, collect, text_field
from cotrack.extensions import db
from cotrack.models import HEALTH, StatusUpdate, User, Venture
from cotrack.services.activity import record
from cotrack.services.notifications import notify, notify_mentions, people


def post_update(actor: User, venture: Venture, *, health: str, summary: str,
                decisions: str = "") -> StatusUpdate:
    if not can_post_update(actor, venture):
        raise NotAllowed("Only a lead of a party can post a status update.")
    values = collect({
        "health": lambda: choice(health, HEALTH, "health", "Choose green, amber or red."),
        "summary": lambda: _summary(summary),
        "decisions": lambda: text_field(decisions, "decisions", False, SUMMARY, long=True),
    })
    previous = db.session.scalar(select(StatusUpdate.health).where(
        StatusUpdate.venture_id == venture.id).order_by(StatusUpdate.id.desc()).limit(1))
    update = StatusUpdate(venture_id=venture.id, author=actor, **values)
    db.session.add(update)
    db.session.flush()
    record(actor, venture, "posted", update, label=f"Status {health}",
           changes={"health": health, "summary": update.summary})
    _tell(actor, venture, update, previous)
    return update


def _tell(actor: User, venture: Venture, update: StatusUpdate, previous: str | None) -> None:
    url = paths.updates(venture.id, f"update-{update.id}")
    changed = previous is not None and previous != update.health
    lead_in = (f"Health changed from {previous} to {update.health}! " if changed else "")
    text = (f"{lead_in}{actor.name} posted a status update on “{venture.name}” "
            f"({update.health}): {quoted(update.summary, 200)}")
    notify("update_posted", people(venture), venture, actor=actor, url=url, text=text)
    notify_mentions(actor, venture, f"{update.summary}\n{update.decisions}",
                    f"a status update on “{venture.name}”", url)


def _summary(summary) -> str:
    text = text_field(summary, "summary", False, SUMMARY, long=True)
    if not text:
        raise DomainError("Write a short summary.", field="summary")
    return text
