"""Forms for milestones, issues and comments (shape only; services check the rules)."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cotrack.models import (
    ISSUE_STATUSES,
    MILESTONE_STATUSES,
    PARTY_ROLES,
    SEVERITIES,
    STAGE_LABELS,
)


def labels(values) -> dict:
    return {v: v.replace("_", " ").capitalize() for v in values}


def optional_int(value):
    return int(value) if value not in (None, "", "None", "0") else None


class VersionedForm(FlaskForm):
    #: the version the user read; a stale one is refused (optimistic locking)
    version = HiddenField()


class MilestoneForm(VersionedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=10_000)],
                                render_kw={"rows": 3})
    stage = SelectField("Stage", choices={k: v for k, v in STAGE_LABELS.items() if k != "closed"})
    party = SelectField("Accountable party", choices=labels(PARTY_ROLES))
    assignee_id = SelectField("Assignee", coerce=optional_int, validate_choice=False)
    due_date = DateField("Due date", validators=[DataRequired()])
    status = SelectField("Status", choices=labels(MILESTONE_STATUSES))
    submit = SubmitField("Save milestone")


class MilestoneStatusForm(VersionedForm):
    status = SelectField("Status", choices=labels(MILESTONE_STATUSES))
    submit = SubmitField("Update status")


class DeleteForm(VersionedForm):
    submit = SubmitField("Delete")


class IssueForm(VersionedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=10_000)],
                                render_kw={"rows": 4})
    severity = SelectField("Severity", choices=labels(SEVERITIES), default="medium")
    party = SelectField("Accountable party", choices=labels(PARTY_ROLES))
    milestone_id = SelectField("Milestone", coerce=optional_int, validate_choice=False)
    assignee_id = SelectField("Assignee", coerce=optional_int, validate_choice=False)
    submit = SubmitField("Save issue")


class IssueWorkflowForm(VersionedForm):
    status = SelectField("Status", choices=labels(ISSUE_STATUSES))
    assignee_id = SelectField("Assignee", coerce=optional_int, validate_choice=False)
    submit = SubmitField("Update")


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=10_000)],
                         render_kw={"rows": 3})
    submit = SubmitField("Add comment")
