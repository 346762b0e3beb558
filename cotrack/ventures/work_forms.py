"""Forms for milestones, issues and comments (shape only; services check the rules)."""

from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cotrack.domain.text_limits import LONG, NAME
from cotrack.domain.valid_input import id_value
from cotrack.models import (
    ISSUE_STATUSES,
    MILESTONE_STATUSES,
    PARTY_ROLES,
    SEVERITIES,
    STAGE_LABELS,
)
from cotrack.web.forms import Form
from cotrack.web.input import DateInput, LongText, PlainText


def labels(values) -> dict:
    return {v: v.replace("_", " ").capitalize() for v in values}


def optional_int(value):
    """A chosen id, or None for "nobody"/"none"; ValueError (shown on the field) for a value
    no row can have."""
    if value in (None, "", "None", "0", 0):
        return None
    number = id_value(value)
    if number is None:
        raise ValueError("Not a valid choice.")
    return number


class VersionedForm(Form):
    #: the version the user read; a stale one is refused (optimistic locking) unless what
    #: they changed and what was saved meanwhile are different fields (``read``: the values
    #: they were shown; cotrack.web.forms.unclashing_changes)
    version = HiddenField()
    read = HiddenField()


class MilestoneForm(VersionedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=NAME), PlainText()])
    description = TextAreaField("Description",
                                validators=[Optional(), Length(max=LONG), LongText()],
                                render_kw={"rows": 3})
    stage = SelectField("Stage", choices={k: v for k, v in STAGE_LABELS.items() if k != "closed"})
    party = SelectField("Accountable party", choices=labels(PARTY_ROLES))
    assignee_id = SelectField("Assignee", coerce=optional_int, validate_choice=False)
    due_date = DateInput("Due date", validators=[DataRequired()])
    status = SelectField("Status", choices=labels(MILESTONE_STATUSES))
    submit = SubmitField("Save milestone")


class MilestoneStatusForm(VersionedForm):
    status = SelectField("Status", choices=labels(MILESTONE_STATUSES))
    submit = SubmitField("Update status")


class DeleteForm(VersionedForm):
    submit = SubmitField("Delete")


class IssueForm(VersionedForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=NAME), PlainText()])
    description = TextAreaField("Description",
                                validators=[Optional(), Length(max=LONG), LongText()],
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


class TakeForm(VersionedForm):
    refused_in_place = False  # a button: a stale or refused take is flashed above the page

    submit = SubmitField("Take it")


class CommentForm(VersionedForm):
    """A comment, and (for a lead or the assignee) the issue's status in the same step."""

    body = TextAreaField("Comment", validators=[DataRequired(), Length(max=LONG), LongText()],
                         render_kw={"rows": 3})
    status = SelectField("Then the issue is", default="", id="comment-status")  # absent: as is
    submit = SubmitField("Add comment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version.id = "comment-version"  # the status form beside it has a version too
