"""Venture forms: shape only; services check the rules."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cotrack.models import HEALTH, PARTY_ROLES


class VentureDetailsForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=10_000)],
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


class DeclineForm(FlaskForm):
    reason = TextAreaField("Reason for declining (all parties see it)",
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField("Decline")


class GateDecisionForm(FlaskForm):
    comment = TextAreaField("Comment", validators=[Optional(), Length(max=2000)],
                            render_kw={"rows": 2})


class ShelveForm(FlaskForm):
    reason = TextAreaField("Why shelve this venture?",
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 2})
    submit = SubmitField("Request shelving")


class StatusUpdateForm(FlaskForm):
    health = RadioField("Health", choices={h: h.capitalize() for h in HEALTH},
                        validators=[DataRequired()])
    summary = TextAreaField("Summary", validators=[DataRequired(), Length(max=5000)],
                            render_kw={"rows": 3})
    decisions = TextAreaField("Decisions taken", validators=[Optional(), Length(max=5000)],
                              render_kw={"rows": 2})
    submit = SubmitField("Post update")
