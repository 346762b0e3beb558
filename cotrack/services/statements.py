"""Taking signed statements of a venture's ledger: on request (finance), monthly on their
own (the worker, on the 1st at 02:00 UTC) and as checkpoints after a full verification
(nightly), where the report page's chain check starts."""

import logging

from sqlalchemy import func, select

from cotrack import jobs
from cotrack.db.timestamps import utcnow
from cotrack.domain.errors import Conflict, NotAllowed
from cotrack.domain.permissions import can_record_revenue
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, LedgerStatement, RevenueEntry, User, Venture
from cotrack.reports.integrity import verify_ledger
from cotrack.reports.statements import sign_statement
from cotrack.services.activity import record

log = logging.getLogger(__name__)


def latest_statement(venture_id: int) -> LedgerStatement | None:
    return db.session.scalar(select(LedgerStatement).where(
        LedgerStatement.venture_id == venture_id).order_by(LedgerStatement.id.desc()).limit(1))


def take_statement(venture: Venture, kind: str, actor: User | None = None) -> LedgerStatement:
    """Verify the venture's whole chain, then record a signed statement of it (Conflict if
    the ledger does not verify: a statement never vouches for a tampered ledger)."""
    if actor is not None and not can_record_revenue(actor, venture):
        raise NotAllowed("Only finance users of a party take statements.")
    head = db.session.execute(select(RevenueEntry.id, RevenueEntry.hash).where(
        RevenueEntry.venture_id == venture.id).order_by(RevenueEntry.id.desc()).limit(1)).first()
    sums: dict = {}
    problems = verify_ledger(venture.id, limit=5, through=head.id, sums=sums) if head else []
    if problems:
        log.error("venture %s: ledger does not verify, no statement: %s", venture.id, problems)
        raise Conflict("The ledger does not verify, so no statement was taken: "
                       + "; ".join(f"entry {p['entry_id']}: {p['problem']}" for p in problems))
    count = db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == venture.id, RevenueEntry.id <= (head.id if head else 0)))
    statement = LedgerStatement(
        venture_id=venture.id, kind=kind, taken_at=utcnow().replace(microsecond=0),
        taken_by_id=actor.id if actor else None, through_entry_id=head.id if head else None,
        entry_count=count, chain_head=head.hash if head else "", currency=venture.currency,
        **{r: sums.get(r, 0) for r in PARTY_ROLES})
    sign_statement(statement)
    db.session.add(statement)
    db.session.flush()
    if actor is not None:
        record(actor, venture, "took", statement, label=f"statement #{statement.id}",
               changes={"entries": count}, audience="revenue")
    log.info("venture %s: %s statement %s of %s entries", venture.id, kind, statement.id, count)
    return statement


def resign_statements(renamed: dict[str, str]) -> int:
    """After the ledger key changed: each statement's chain head as re-keyed, signed anew
    (files downloaded before hold the old head; parties download them again)."""
    count = 0
    for statement in db.session.scalars(select(LedgerStatement)):
        statement.chain_head = renamed.get(statement.chain_head, statement.chain_head)
        sign_statement(statement)
        count += 1
    return count


def _ventures_with_entries(changed_only: bool):
    ids = select(RevenueEntry.venture_id).distinct()
    ventures = db.session.scalars(select(Venture).where(Venture.id.in_(ids))).all()
    for venture in ventures:
        last = latest_statement(venture.id)
        if changed_only and last is not None:
            newest = db.session.scalar(select(func.max(RevenueEntry.id)).where(
                RevenueEntry.venture_id == venture.id))
            if newest == last.through_entry_id:
                continue
        yield venture


def take_all(kind: str) -> int:
    """A statement of every venture with revenue (checkpoints: of those that grew); each
    committed on its own, a venture that does not verify is logged and skipped."""
    taken = 0
    for venture in list(_ventures_with_entries(changed_only=kind == "checkpoint")):
        try:
            take_statement(venture, kind)
            db.session.commit()
            taken += 1
        except Conflict:
            db.session.rollback()
    return taken


def monthly_statements() -> int:
    return take_all("monthly")


def nightly_checkpoints() -> int:
    return take_all("checkpoint")


def init_app(app) -> None:
    jobs.register_periodic(app, "ledger.monthly_statements", monthly_statements,
                           day="1", hour="2", minute="0")
    jobs.register_periodic(app, "ledger.checkpoints", nightly_checkpoints,
                           hour="3", minute="17")
