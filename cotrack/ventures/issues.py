"""Issue pages of a venture: list, raise, show with comments, edit, workflow, comment."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack import queries
from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.forms_util import show_domain_error
from cotrack.loading import in_venture_or_404, venture_or_404
from cotrack.models import ISSUE_STATUSES, PARTY_ROLES, SEVERITIES, Issue, IssueComment, Milestone
from cotrack.page_cache import cached_page
from cotrack.pagination import paginate
from cotrack.permissions import can_change_issue, can_edit_issue, can_raise_issue, require
from cotrack.services import issues as service
from cotrack.services.common import StaleVersion
from cotrack.ventures.milestones import assignee_choices
from cotrack.ventures.views import bp
from cotrack.ventures.work_forms import CommentForm, IssueForm, IssueWorkflowForm


def _milestone_choices(venture) -> dict:
    rows = db.session.execute(
        select(Milestone.id, Milestone.title).where(Milestone.venture_id == venture.id)
        .order_by(Milestone.due_date)).all()
    return {0: "— none —"} | {i: t for i, t in rows}


@bp.route("/<int:venture_id>/issues")
@cached_page("venture")
def issues(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    a = request.args
    query = queries.issues_of(venture, severity=a.get("severity") or None,
                              status=a.get("status") or None, party=a.get("party") or None,
                              assignee_id=a.get("assignee", type=int), q=a.get("q") or None)
    return render_template("issues/list.html", venture=venture, page=paginate(query, 50),
                           severities=SEVERITIES, statuses=ISSUE_STATUSES, parties=PARTY_ROLES,
                           people=assignee_choices(venture))


def _details(form: IssueForm) -> dict:
    fields = ("title", "description", "severity", "party", "milestone_id", "assignee_id")
    return {name: form[name].data for name in fields if name in form}


def _issue_form(venture, obj=None) -> IssueForm:
    form = IssueForm(obj=obj)
    form.milestone_id.choices = _milestone_choices(venture)
    form.assignee_id.choices = assignee_choices(venture)
    return form


@bp.route("/<int:venture_id>/issues/new", methods=["GET", "POST"])
def new_issue(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_raise_issue(current_user, venture))
    form = _issue_form(venture)
    if request.method == "GET" and request.args.get("milestone", type=int):
        form.milestone_id.data = request.args.get("milestone", type=int)
    if form.validate_on_submit():
        try:
            issue = service.raise_issue(current_user, venture, _details(form))
            db.session.commit()
            flash(f"Issue #{issue.id} raised.", "success")
            return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                    issue_id=issue.id))
        except DomainError as exc:
            show_domain_error(form, exc)
    return (render_template("issues/form.html", venture=venture, form=form, issue=None),
            422 if form.errors else 200)


def _render_issue(venture, issue, status=200, workflow=None, comment=None, theirs=None):
    comments = db.session.scalars(
        select(IssueComment).where(IssueComment.issue_id == issue.id)
        .options(selectinload(IssueComment.author)).order_by(IssueComment.id)).all()
    if workflow is None:
        workflow = IssueWorkflowForm(obj=issue, formdata=None)
        workflow.assignee_id.choices = assignee_choices(venture)
    return render_template(
        "issues/show.html", venture=venture, issue=issue, comments=comments, workflow=workflow,
        comment_form=comment or CommentForm(formdata=None), theirs=theirs, form=workflow,
    ), status


@bp.route("/<int:venture_id>/issues/<int:issue_id>")
def show_issue(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    return _render_issue(venture, issue)


@bp.route("/<int:venture_id>/issues/<int:issue_id>/edit", methods=["GET", "POST"])
def edit_issue(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    require(can_edit_issue(current_user, issue, venture))
    form, theirs, status = _issue_form(venture, issue), None, 200
    del form["assignee_id"]  # the assignee changes through the workflow form
    if form.validate_on_submit():
        try:
            service.update_issue(current_user, venture, issue, _details(form), form.version.data)
            db.session.commit()
            flash("Issue saved.", "success")
            return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                    issue_id=issue.id))
        except StaleVersion as exc:
            show_domain_error(form, exc)
            theirs, status, form.version.data = exc.current, 409, exc.current["version"]
        except DomainError as exc:
            show_domain_error(form, exc)
    status = 422 if form.errors and status == 200 else status
    return render_template("issues/form.html", venture=venture, form=form, issue=issue,
                           theirs=theirs), status


@bp.route("/<int:venture_id>/issues/<int:issue_id>/workflow", methods=["POST"])
def issue_workflow(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    require(can_change_issue(current_user, issue, venture))
    form = IssueWorkflowForm()
    form.assignee_id.choices = assignee_choices(venture)
    if form.validate_on_submit():
        data = {"status": form.status.data, "assignee_id": form.assignee_id.data}
        try:
            service.update_issue(current_user, venture, issue, data, form.version.data)
            db.session.commit()
            flash(f"Issue #{issue.id} is {issue.status.replace('_', ' ')}.", "success")
            return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                    issue_id=issue.id))
        except StaleVersion as exc:
            show_domain_error(form, exc)
            form.version.data = exc.current["version"]
            return _render_issue(venture, issue, 409, workflow=form, theirs=exc.current)
        except DomainError as exc:
            show_domain_error(form, exc)
    return _render_issue(venture, issue, 422, workflow=form)


@bp.route("/<int:venture_id>/issues/<int:issue_id>/comments", methods=["POST"])
def comment_issue(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    require(can_raise_issue(current_user, venture))
    form = CommentForm()
    if form.validate_on_submit():
        service.add_comment(current_user, venture, issue, form.body.data)
        db.session.commit()
        flash("Comment added.", "success")
        return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                issue_id=issue.id) + "#comments")
    return _render_issue(venture, issue, 422, comment=form)
