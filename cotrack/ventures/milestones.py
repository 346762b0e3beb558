"""Milestone pages of a venture: list, timeline, create, edit, status, delete."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from cotrack import queries
from cotrack.db.timestamps import utcnow
from cotrack.domain.permissions import (
    can_manage_milestones,
    can_update_milestone,
    party_of,
    require,
)
from cotrack.domain.timeline import timeline
from cotrack.domain.valid_input import parse_id
from cotrack.extensions import db
from cotrack.models import MILESTONE_STATUSES, PARTY_ROLES, STAGE_LABELS, Milestone
from cotrack.queries.loading import in_venture_or_404, venture_or_404
from cotrack.services import milestones as service
from cotrack.ventures.common import assignee_choices
from cotrack.ventures.work_forms import DeleteForm, MilestoneForm, MilestoneStatusForm
from cotrack.web import page_store
from cotrack.web.forms import NOT_SHOWN, remember_read, save_merging
from cotrack.web.pagination import paginate


def _list_filters() -> dict:
    args = request.args
    return {"stage": args.get("stage") or None, "party": args.get("party") or None,
            "status": args.get("status") or None,
            "assignee_id": parse_id(args.get("assignee"), "assignee"),
            "overdue": bool(args.get("overdue")),
            "sort": args.get("sort", "due")}


def milestones(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    page = paginate(queries.milestones_of(venture, **_list_filters()), per_page=50)
    return render_template(
        "milestones/list.html", venture=venture, page=page, stages=STAGE_LABELS,
        parties=PARTY_ROLES, statuses=MILESTONE_STATUSES, today=utcnow().date(),
        people=assignee_choices(venture))


@page_store.kept
def milestone_timeline(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    return page_store.page(lambda: _timeline(venture))


def _timeline(venture) -> str:
    rows = db.session.scalars(queries.milestones_of(venture, sort="stage")).all()
    return render_template("milestones/timeline.html", venture=venture,
                           chart=timeline(rows, utcnow().date()))


def _form_data(form: MilestoneForm) -> dict:
    return {"title": form.title.data, "description": form.description.data,
            "stage": form.stage.data, "party": form.party.data,
            "assignee_id": form.assignee_id.data, "due_date": form.due_date.data,
            "status": form.status.data}


def new_milestone(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_manage_milestones(current_user, venture))
    form = MilestoneForm()
    form.assignee_id.choices = assignee_choices(venture)
    if request.method == "GET":
        form.stage.data = venture.stage if venture.stage != "closed" else "rollout"
        form.party.data = party_of(current_user, venture).role  # the creator's party
    if form.validate_on_submit():
        milestone = service.create_milestone(current_user, venture, _form_data(form))
        flash(f"Milestone “{milestone.title}” added.", "success")
        return redirect(url_for("ventures.milestones", venture_id=venture.id))
    return (render_template("milestones/form.html", venture=venture, form=form, milestone=None),
            422 if form.errors else 200)


def edit_milestone(venture_id: int, milestone_id: int):
    venture, milestone = in_venture_or_404(current_user, venture_id, Milestone, milestone_id)
    manage = can_manage_milestones(current_user, venture)
    form = MilestoneForm(obj=milestone) if manage else MilestoneStatusForm(obj=milestone)
    if request.method == "POST":
        require(can_update_milestone(current_user, milestone, venture,
                                     {f.name for f in form} - NOT_SHOWN))
    if manage:
        form.assignee_id.choices = assignee_choices(venture)
    if request.method == "GET":
        remember_read(form, milestone)
    if form.validate_on_submit():
        data = _form_data(form) if manage else {"status": form.status.data}
        save_merging(form, data, milestone, lambda values, version: service.update_milestone(
            current_user, venture, milestone, values, version))
        flash("Milestone saved.", "success")
        return redirect(url_for("ventures.milestones", venture_id=venture.id))
    return render_template("milestones/form.html", venture=venture, form=form,
                           milestone=milestone, manage=manage, stage_labels=STAGE_LABELS), \
        422 if form.errors else 200


def delete_milestone(venture_id: int, milestone_id: int):
    venture, milestone = in_venture_or_404(current_user, venture_id, Milestone, milestone_id)
    require(can_manage_milestones(current_user, venture))
    form = DeleteForm(obj=milestone)
    if form.validate_on_submit():
        service.delete_milestone(current_user, venture, milestone, form.version.data)
        flash(f"Milestone “{milestone.title}” deleted.", "info")
        return redirect(url_for("ventures.milestones", venture_id=venture.id))
    return render_template("milestones/delete.html", venture=venture, milestone=milestone,
                           form=form)
