"""Admin forms for organisations and accounts."""

from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from cotrack.domain.text_limits import EMAIL, NAME
from cotrack.models import ACCOUNT_ROLES
from cotrack.web.forms import Form
from cotrack.web.input import PlainText


class OrganisationForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME), PlainText()])
    active = BooleanField(
        "Active", default=True,
        description="Deactivating signs its people out and revokes their API tokens for good.",
    )
    submit = SubmitField("Save")


class UserForm(Form):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME), PlainText()])
    email = EmailField("Email",
                       validators=[DataRequired(), PlainText(), Email(), Length(max=EMAIL)])
    organisation_id = SelectField("Organisation", coerce=int, validators=[
        DataRequired("Choose an organisation.")])
    role = SelectField("Role", choices={r: r.capitalize() for r in ACCOUNT_ROLES},
                       default="member")
    active = BooleanField(
        "Active", default=True,
        description="Deactivating signs the person out and revokes their API tokens for good.",
    )
    submit = SubmitField("Save")


class NewUserForm(UserForm):
    password = PasswordField(
        "Initial password",
        validators=[DataRequired()],
        description="At least 12 characters; tell it to the person by a separate channel.",
    )


class ResetPasswordForm(Form):
    password = PasswordField("New password", validators=[DataRequired()])
    submit = SubmitField("Reset password")
