"""Finance forms: agreements, revenue entries, CSV import, reversal, report filters."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class AgreementForm(FlaskForm):
    effective_from = DateField("Effective from", validators=[DataRequired()])
    customer = StringField("Customer share (%)", validators=[DataRequired()],
                           render_kw={"inputmode": "decimal", "placeholder": "33.34"})
    reseller = StringField("Reseller share (%)", validators=[DataRequired()],
                           render_kw={"inputmode": "decimal"})
    manufacturer = StringField("Manufacturer share (%)", validators=[DataRequired()],
                               render_kw={"inputmode": "decimal"})
    note = TextAreaField("Note", validators=[Optional(), Length(max=5000)], render_kw={"rows": 2})
    submit = SubmitField("Propose agreement")


class DecisionForm(FlaskForm):
    comment = StringField("Comment", validators=[Optional(), Length(max=2000)])


class EntryForm(FlaskForm):
    date = DateField("Date", validators=[DataRequired()])
    amount = StringField("Amount", validators=[DataRequired(), Length(max=40)],
                         render_kw={"inputmode": "decimal", "placeholder": "1234.50"})
    reference = StringField("Reference (invoice number)",
                            validators=[DataRequired(), Length(max=100)])
    region = StringField("Region / location", validators=[Optional(), Length(max=100)])
    note = StringField("Note", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Record revenue")


class ReverseForm(FlaskForm):
    note = StringField("Why reverse?", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Reverse")


class ImportForm(FlaskForm):
    file = FileField("CSV file (date,amount,reference,region,note)",
                     validators=[FileRequired(), FileAllowed(["csv", "txt"], "A .csv file.")])
    submit = SubmitField("Import")
