"""Home page (my ventures as a board by stage, invitations, gates awaiting me), health check."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from cotrack import queries
from cotrack.extensions import db, limiter
from cotrack.models import STAGE_LABELS, GateRequest, Venture, VentureParty
from cotrack.page_cache import cached_page
from cotrack.timeutil import utcnow

bp = Blueprint("main", __name__)

#: the board shows this many cards per stage, with the stage's count and a link to the list
BOARD_LIMIT = 12


@bp.route("/")
@cached_page("organisation")
@login_required
def home():
    rows = db.session.execute(queries.board_ventures(current_user, BOARD_LIMIT)).all()
    board = {stage: [] for stage in STAGE_LABELS if stage != "closed"}
    counts = {}
    for venture, in_stage in rows:
        board[venture.stage].append(venture)
        counts[venture.stage] = in_stage
    ventures = [venture for venture, _ in rows]
    invitations = db.session.scalars(
        queries.open_invitations(current_user).options(
            selectinload(VentureParty.venture).selectinload(Venture.created_by),
            selectinload(VentureParty.invited_by),
        )
    ).all()
    gates = db.session.scalars(
        queries.gates_awaiting(current_user).options(
            selectinload(GateRequest.venture), selectinload(GateRequest.requested_by)
        )
    ).all()
    return render_template(
        "main/home.html", user=current_user, board=board, stages=STAGE_LABELS,
        counts=counts,
        health=queries.latest_health([v.id for v in ventures]),
        invitations=invitations, gates=gates,
    )


@bp.route("/healthz")
@limiter.exempt
def healthz():
    return {"status": "ok"}


@bp.route("/my-work")
@cached_page("organisation")
@login_required
def my_work():
    today = utcnow().date()
    milestones = db.session.scalars(queries.my_milestones(current_user, today).limit(500)).all()
    issues = db.session.scalars(queries.my_issues(current_user).limit(500)).all()
    return render_template("main/my_work.html", milestones=milestones, issues=issues,
                           today=today)
