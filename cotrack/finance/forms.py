"""Finance forms: agreements, revenue entries, CSV import, reversal, report filters."""

from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cotrack.domain.text_limits import REMARK, SHORT, SUMMARY
from cotrack.web.forms import Form
from cotrack.web.input import DateInput, LongText, PlainText


class AgreementForm(Form):
    effective_from = DateInput("Effective from", validators=[DataRequired()])
    customer = StringField("Customer share (%)", validators=[DataRequired(), Length(max=40)],
                           render_kw={"inputmode": "decimal", "placeholder": "33.34"})
    reseller = StringField("Reseller share (%)", validators=[DataRequired(), Length(max=40)],
                           render_kw={"inputmode": "decimal"})
    manufacturer = StringField("Manufacturer share (%)",
                               validators=[DataRequired(), Length(max=40)],
                               render_kw={"inputmode": "decimal"})
    note = TextAreaField("Note", validators=[Optional(), Length(max=SUMMARY), LongText()],
                         render_kw={"rows": 2})
    submit = SubmitField("Propose agreement")


class DecisionForm(Form):
    refused_in_place = False  # one per agreement on the page: a refusal is flashed

    comment = StringField("Comment", validators=[Optional(), Length(max=REMARK), LongText()])


class EntryForm(Form):
    date = DateInput("Date", validators=[DataRequired()])
    amount = StringField("Amount", validators=[DataRequired(), Length(max=40)],
                         render_kw={"inputmode": "decimal", "placeholder": "1234.50"})
    reference = StringField("Reference (invoice number)",
                            validators=[DataRequired(), Length(max=SHORT), PlainText()])
    region = StringField("Region / location",
                         validators=[Optional(), Length(max=SHORT), PlainText()])
    note = StringField("Note", validators=[Optional(), Length(max=REMARK), LongText()])
    #: shown only once a duplicate reference was refused (or when it was ticked)
    allow_duplicate_reference = BooleanField("Record this duplicate reference")
    submit = SubmitField("Record revenue")


class ReverseForm(Form):
    reason = TextAreaField("Why is this entry reversed?",
                           validators=[DataRequired(), Length(max=REMARK), LongText()],
                           description="Both entries and the activity trail show it.",
                           render_kw={"rows": 3})
    submit = SubmitField("Reverse the entry")
