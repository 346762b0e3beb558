"""Admin forms for organisations and accounts."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from cotrack.models import ROLES


class OrganisationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    active = BooleanField("Active", default=True)
    submit = SubmitField("Save")


class UserForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    organisation_id = SelectField("Organisation", coerce=int, validators=[DataRequired()])
    role = SelectField("Role", choices={r: r.capitalize() for r in ROLES})
    active = BooleanField("Active", default=True)
    submit = SubmitField("Save")


class NewUserForm(UserForm):
    password = PasswordField(
        "Initial password",
        validators=[DataRequired()],
        description="At least 12 characters; tell it to the person by a separate channel.",
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired()])
    submit = SubmitField("Reset password")
