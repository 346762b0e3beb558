"""Home page (my ventures as a board by stage, invitations, gates awaiting me), health check."""

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload, selectinload

from cotrack import jobs, mail, queries
from cotrack.db.prebuilt import per_viewer
from cotrack.db.timestamps import utcnow
from cotrack.extensions import db, limiter
from cotrack.models import STAGE_LABELS, GateRequest, User, VentureParty
from cotrack.queries.waiting import WITH_PARTIES, kinds_waiting, waiting_for
from cotrack.web import page_store

#: the board shows this many cards per stage, with the stage's count and a link to the list
BOARD_LIMIT = 12
#: "Waiting on you" on Home shows the oldest this many; My work shows everything
HOME_WAITING = 10


@page_store.kept
@login_required
def home():
    return page_store.page(_home)


def _home():
    rows = db.session.execute(queries.board_ventures(current_user, BOARD_LIMIT)).all()
    board = {stage: [] for stage in STAGE_LABELS if stage != "closed"}
    counts = {}
    for venture in rows:
        board[venture.stage].append(venture)
        counts[venture.stage] = venture.in_stage
    kinds = kinds_waiting(current_user)
    invitations = db.session.scalars(_invitations(current_user)).all() \
        if "invitation" in kinds else []
    gates = db.session.scalars(_gates(current_user)).all() if "gate" in kinds else []
    waiting = waiting_for(current_user, utcnow().date(), limit=HOME_WAITING,
                          invitations=invitations, gates=gates, kinds=kinds)
    return render_template(
        "main/home.html", user=current_user, board=board, stages=STAGE_LABELS,
        counts=counts,
        health={v.id: v.health for v in rows},
        invitations=invitations, gates=gates,
        waiting=waiting[:HOME_WAITING], more_waiting=len(waiting) > HOME_WAITING,
    )


@per_viewer
def _invitations(user: User):
    return queries.open_invitations(user).options(
        joinedload(VentureParty.venture),
        joinedload(VentureParty.invited_by).joinedload(User.organisation))


@per_viewer
def _gates(user: User):
    return queries.gates_awaiting(user).options(
        joinedload(GateRequest.venture).options(WITH_PARTIES),
        selectinload(GateRequest.approvals), joinedload(GateRequest.requested_by))


@limiter.exempt
def healthz():
    """Up, with the task queue's length and the oldest mail not yet delivered."""
    status = mail.outbox_status()
    oldest = status["oldest_undelivered_at"]
    return {"status": "ok", "queue": jobs.queue_length(),
            "mail": {"undelivered": status["undelivered"],
                     "oldest_undelivered_at": oldest.isoformat() if oldest else None}}


@login_required
def my_work():
    today = utcnow().date()
    milestones = db.session.scalars(queries.my_milestones(current_user, today).limit(500)).all()
    issues = db.session.scalars(queries.my_issues(current_user).limit(500)).all()
    return render_template("main/my_work.html", milestones=milestones, issues=issues,
                           today=today, waiting=waiting_for(current_user, today))
