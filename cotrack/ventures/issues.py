"""Issue pages of a venture: list, raise, show with comments, edit, workflow, comment."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack import queries
from cotrack.domain.permissions import (
    belongs,
    can_change_issue,
    can_edit_issue,
    can_raise_issue,
    can_take_issue,
    can_update_issue,
    party_of,
    require,
)
from cotrack.domain.valid_input import parse_id
from cotrack.extensions import db
from cotrack.models import (
    ISSUE_FLOW,
    ISSUE_STATUSES,
    PARTY_ROLES,
    SEVERITIES,
    Issue,
    IssueComment,
    Milestone,
)
from cotrack.queries.loading import in_venture_or_404, venture_or_404
from cotrack.services import issues as service
from cotrack.ventures.common import assignee_choices
from cotrack.ventures.work_forms import (
    CommentForm,
    IssueForm,
    IssueWorkflowForm,
    TakeForm,
    optional_int,
)
from cotrack.web import page_store
from cotrack.web.forms import remember_read, save_merging
from cotrack.web.pagination import paginate


def _milestone_choices(venture) -> dict:
    rows = db.session.execute(
        select(Milestone.id, Milestone.title).where(Milestone.venture_id == venture.id)
        .order_by(Milestone.due_date)).all()
    return {0: "— none —"} | {i: t for i, t in rows}


@page_store.kept
def issues(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    return page_store.page(lambda: _issue_list(venture))


def _issue_list(venture) -> str:
    a = request.args
    query, params = queries.issue_rows(
        venture, severity=a.get("severity") or None, status=a.get("status") or None,
        party=a.get("party") or None, assignee_id=parse_id(a.get("assignee"), "assignee"),
        q=a.get("q") or None)
    return render_template("issues/list.html", venture=venture,
                           page=paginate(query, 50, rows=True, params=params),
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


def new_issue(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_raise_issue(current_user, venture))
    form = _issue_form(venture)
    if request.method == "GET":
        form.party.data = party_of(current_user, venture).role  # the creator's party
    if request.method == "GET" and request.args.get("milestone"):
        form.milestone_id.data = parse_id(request.args["milestone"], "milestone")
    if form.validate_on_submit():
        issue = service.raise_issue(current_user, venture, _details(form))
        flash(f"Issue #{issue.id} raised.", "success")
        return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                issue_id=issue.id))
    return (render_template("issues/form.html", venture=venture, form=form, issue=None),
            422 if form.errors else 200)


def _comment_form(venture, issue, formdata=True) -> CommentForm:
    """The comment box, with a status select for those who may change it (one submit)."""
    form = CommentForm(**({} if formdata else {"formdata": None}))
    if not formdata:
        form.version.data = issue.version
        remember_read(form, issue)  # the status read, for a status change in the same step
    if can_change_issue(current_user, issue, venture):
        form.status.choices = {"": f"still {issue.status.replace('_', ' ')}"} | {
            s: s.replace("_", " ") for s in ISSUE_FLOW[issue.status]}
        if not formdata:
            form.status.data = ""
    else:
        del form.status
    return form


def _render_issue(venture, issue, status=200, workflow=None, comment=None):
    comments = db.session.scalars(
        select(IssueComment).where(IssueComment.issue_id == issue.id)
        .options(selectinload(IssueComment.author)).order_by(IssueComment.id)).all()
    if workflow is None:
        workflow = IssueWorkflowForm(obj=issue, formdata=None)
        workflow.assignee_id.choices = assignee_choices(venture)
        remember_read(workflow, issue)
    return render_template(
        "issues/show.html", venture=venture, issue=issue, comments=comments, workflow=workflow,
        take_form=TakeForm(formdata=None, obj=issue),
        comment_form=comment or _comment_form(venture, issue, formdata=False), form=workflow,
    ), status


def show_issue(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    return _render_issue(venture, issue)


def edit_issue(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    require(can_edit_issue(current_user, issue, venture))
    form = _issue_form(venture, issue)
    del form["assignee_id"]  # the assignee changes through the workflow form
    if request.method == "GET":
        remember_read(form, issue)
    if form.validate_on_submit():
        save_merging(form, _details(form), issue, lambda values, version: service.update_issue(
            current_user, venture, issue, values, version))
        flash("Issue saved.", "success")
        return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                issue_id=issue.id))
    return (render_template("issues/form.html", venture=venture, form=form, issue=issue),
            422 if form.errors else 200)


def _sent_workflow() -> dict:
    """The status and assignee the form sent, as the permission reads them (before the form
    checks them: a role that may not change these is told so first)."""
    try:
        assignee = optional_int(request.form.get("assignee_id"))
    except ValueError:
        assignee = -1  # not a person: a change nobody but a lead or the assignee may make
    return {"status": request.form.get("status"), "assignee_id": assignee}


def issue_workflow(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    require(can_raise_issue(current_user, venture))  # the rule itself needs what is sent
    form = IssueWorkflowForm()
    form.assignee_id.choices = assignee_choices(venture)
    require(can_update_issue(current_user, issue, venture, _sent_workflow()))
    if form.validate_on_submit():
        data = {"status": form.status.data, "assignee_id": form.assignee_id.data}
        save_merging(form, data, issue, lambda values, version: service.update_issue(
            current_user, venture, issue, values, version))
        who = issue.assignee.name if issue.assignee else "nobody"
        flash(f"Issue #{issue.id} is {issue.status.replace('_', ' ')}, assigned to {who}.",
              "success")
        return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                issue_id=issue.id))
    return _render_issue(venture, issue, 422, workflow=form)


def take_issue(venture_id: int, issue_id: int):
    """Assign an unassigned issue to oneself (any user of a party; DOMAIN.md)."""
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    if issue.assignee is not None and belongs(current_user, venture):
        # someone took it between reading the page and pressing "Take it"
        flash(f"Issue #{issue.id} is yours already." if issue.assignee_id == current_user.id
              else f"{issue.assignee.name} has just taken issue #{issue.id}.", "warning")
        return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                issue_id=issue.id))
    require(can_take_issue(current_user, issue, venture))
    form = TakeForm()
    require(form.validate_on_submit(), 400)
    service.update_issue(current_user, venture, issue, {"assignee_id": current_user.id},
                         form.version.data)
    flash(f"Issue #{issue.id} is yours now.", "success")
    return redirect(url_for("ventures.show_issue", venture_id=venture.id, issue_id=issue.id))


def comment_issue(venture_id: int, issue_id: int):
    venture, issue = in_venture_or_404(current_user, venture_id, Issue, issue_id)
    require(can_raise_issue(current_user, venture))
    form = _comment_form(venture, issue)
    if request.form.get("status") and "status" not in form:
        # the page offered a status change that is no longer theirs (the issue was
        # reassigned meanwhile): one step, so nothing is added rather than half of it
        form.validate_on_submit()
        holder = issue.assignee.name if issue.assignee else "nobody"
        form.form_errors.append(
            f"Not added: only a lead or the assignee may change this issue's status, and it "
            f"is assigned to {holder} now. Add your comment again; the issue stays "
            f"{issue.status.replace('_', ' ')}.")
        return _render_issue(venture, issue, 409, comment=form)
    if form.validate_on_submit():
        status = form.status.data if "status" in form else ""
        save_merging(form, {"status": status} if status else {}, issue,
                     lambda values, version: service.comment_and_status(
                         current_user, venture, issue, form.body.data,
                         values.get("status", ""), version))
        flash("Comment added." if not status else
              f"Comment added; the issue is {issue.status.replace('_', ' ')}.", "success")
        return redirect(url_for("ventures.show_issue", venture_id=venture.id,
                                issue_id=issue.id) + "#comments")
    return _render_issue(venture, issue, 422, comment=form)
