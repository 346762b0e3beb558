"""Milestone pages of a venture: list, timeline, create, edit, status, delete."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from cotrack import queries
from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.forms_util import show_domain_error
from cotrack.loading import in_venture_or_404, venture_or_404
from cotrack.models import MILESTONE_STATUSES, PARTY_ROLES, STAGE_LABELS, Milestone
from cotrack.page_cache import cached_page
from cotrack.pagination import paginate
from cotrack.permissions import can_change_milestone_status, can_manage_milestones, require
from cotrack.services import milestones as service
from cotrack.services.common import StaleVersion
from cotrack.timeline import timeline
from cotrack.timeutil import utcnow
from cotrack.ventures.views import bp
from cotrack.ventures.work_forms import DeleteForm, MilestoneForm, MilestoneStatusForm


def assignee_choices(venture) -> dict:
    people = db.session.execute(queries.party_users(venture)).all()
    return {0: "— nobody —"} | {u.id: f"{u.name} ({u.organisation})" for u in people}


def _list_filters() -> dict:
    args = request.args
    return {"stage": args.get("stage") or None, "party": args.get("party") or None,
            "status": args.get("status") or None,
            "assignee_id": args.get("assignee", type=int), "overdue": bool(args.get("overdue")),
            "sort": args.get("sort", "due")}


@bp.route("/<int:venture_id>/milestones")
@cached_page("venture")
def milestones(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    page = paginate(queries.milestones_of(venture, **_list_filters()), per_page=50)
    return render_template(
        "milestones/list.html", venture=venture, page=page, stages=STAGE_LABELS,
        parties=PARTY_ROLES, statuses=MILESTONE_STATUSES, today=utcnow().date(),
        people=assignee_choices(venture))


@bp.route("/<int:venture_id>/timeline")
@cached_page("venture")
def milestone_timeline(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    rows = db.session.scalars(queries.milestones_of(venture, sort="stage")).all()
    return render_template("milestones/timeline.html", venture=venture,
                           chart=timeline(rows, utcnow().date()))


def _form_data(form: MilestoneForm) -> dict:
    return {"title": form.title.data, "description": form.description.data,
            "stage": form.stage.data, "party": form.party.data,
            "assignee_id": form.assignee_id.data, "due_date": form.due_date.data,
            "status": form.status.data}


@bp.route("/<int:venture_id>/milestones/new", methods=["GET", "POST"])
def new_milestone(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_manage_milestones(current_user, venture))
    form = MilestoneForm()
    form.assignee_id.choices = assignee_choices(venture)
    if request.method == "GET":
        form.stage.data = venture.stage if venture.stage != "closed" else "rollout"
    if form.validate_on_submit():
        try:
            milestone = service.create_milestone(current_user, venture, _form_data(form))
            db.session.commit()
            flash(f"Milestone “{milestone.title}” added.", "success")
            return redirect(url_for("ventures.milestones", venture_id=venture.id))
        except DomainError as exc:
            show_domain_error(form, exc)
    return (render_template("milestones/form.html", venture=venture, form=form, milestone=None),
            422 if form.errors else 200)


@bp.route("/<int:venture_id>/milestones/<int:milestone_id>", methods=["GET", "POST"])
def edit_milestone(venture_id: int, milestone_id: int):
    venture, milestone = in_venture_or_404(current_user, venture_id, Milestone, milestone_id)
    manage = can_manage_milestones(current_user, venture)
    form = MilestoneForm(obj=milestone) if manage else MilestoneStatusForm(obj=milestone)
    if request.method == "POST":
        require(manage or can_change_milestone_status(current_user, milestone, venture))
    if manage:
        form.assignee_id.choices = assignee_choices(venture)
    theirs, status = None, 200
    if form.validate_on_submit():
        data = _form_data(form) if manage else {"status": form.status.data}
        try:
            service.update_milestone(current_user, venture, milestone, data, form.version.data)
            db.session.commit()
            flash("Milestone saved.", "success")
            return redirect(url_for("ventures.milestones", venture_id=venture.id))
        except StaleVersion as exc:
            show_domain_error(form, exc)
            theirs, status = exc.current, 409
            form.version.data = exc.current["version"]
        except DomainError as exc:
            show_domain_error(form, exc)
    if form.errors and status == 200:
        status = 422
    return render_template("milestones/form.html", venture=venture, form=form,
                           milestone=milestone, theirs=theirs, manage=manage), status


@bp.route("/<int:venture_id>/milestones/<int:milestone_id>/delete", methods=["GET", "POST"])
def delete_milestone(venture_id: int, milestone_id: int):
    venture, milestone = in_venture_or_404(current_user, venture_id, Milestone, milestone_id)
    require(can_manage_milestones(current_user, venture))
    form = DeleteForm(obj=milestone)
    if form.validate_on_submit():
        try:
            service.delete_milestone(current_user, venture, milestone, form.version.data)
            db.session.commit()
            flash(f"Milestone “{milestone.title}” deleted.", "info")
            return redirect(url_for("ventures.milestones", venture_id=venture.id))
        except DomainError as exc:
            show_domain_error(form, exc)
            return render_template("milestones/delete.html", venture=venture,
                                   milestone=milestone, form=form), exc.status
    return render_template("milestones/delete.html", venture=venture, milestone=milestone,
                           form=form)
