"""Venture forms: shape only; services check the rules."""

from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cotrack.domain.text_limits import LONG, NAME, REMARK, SUMMARY
from cotrack.models import HEALTH, PARTY_ROLES
from cotrack.web.forms import Form
from cotrack.web.input import LongText, PlainText


class VentureDetailsForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME), PlainText()])
    description = TextAreaField("Description",
                                validators=[Optional(), Length(max=LONG), LongText()],
                                render_kw={"rows": 4})
    submit = SubmitField("Save")


class NewVentureForm(VentureDetailsForm):
    currency = SelectField("Currency", validators=[DataRequired()])
    customer = SelectField("Customer", coerce=int)
    reseller = SelectField("Reseller", coerce=int)
    manufacturer = SelectField("Manufacturer", coerce=int)
    submit = SubmitField("Create and send invitations")

    def parties(self) -> dict:
        return {role: getattr(self, role).data for role in PARTY_ROLES}


class DeclineForm(Form):
    reason = TextAreaField("Reason for declining (all parties see it)",
                           validators=[DataRequired(), Length(max=REMARK), LongText()],
                           render_kw={"rows": 2})
    submit = SubmitField("Decline")


class GateDecisionForm(Form):
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=REMARK), LongText()],
                            render_kw={"rows": 2})


class ShelveForm(Form):
    reason = TextAreaField("Why shelve this venture?",
                           validators=[DataRequired(), Length(max=REMARK), LongText()],
                           render_kw={"rows": 2})
    submit = SubmitField("Request shelving")


class StatusUpdateForm(Form):
    health = RadioField("Health", choices={h: h.capitalize() for h in HEALTH},
                        validators=[DataRequired()])
    summary = TextAreaField("Summary", validators=[DataRequired(), Length(max=SUMMARY), LongText()],
                            render_kw={"rows": 3})
    decisions = TextAreaField("Decisions taken",
                              validators=[Optional(), Length(max=SUMMARY), LongText()],
                              render_kw={"rows": 2})
    submit = SubmitField("Post update")


class InviteForm(Form):
    """Invite another organisation for a role that was declined or withdrawn."""

    refused_in_place = False  # a row of the invitations card: a refusal is flashed above
    organisation_id = SelectField("Organisation", coerce=int, validators=[DataRequired()])
    submit = SubmitField("Invite")


class AbandonForm(Form):
    refused_in_place = False
    reason = TextAreaField("Why give it up? (every invited organisation reads it)",
                           validators=[DataRequired(), Length(max=REMARK), LongText()],
                           render_kw={"rows": 2})
    submit = SubmitField("Give up this venture")
