"""Sign-in, password and token forms: shape only; services check the rules."""

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from cotrack.domain.notifications import DELIVERY_LABELS, KINDS, kinds_for
from cotrack.domain.passwords import MAX_LENGTH
from cotrack.domain.preferences import locales, time_zones
from cotrack.domain.text_limits import EMAIL, SHORT
from cotrack.web.forms import Form
from cotrack.web.input import PlainText


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL), PlainText()],
                       render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_LENGTH)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Remember me on this device")
    #: the browser's IANA zone (static/timezone.js); the first sign-in adopts it
    time_zone = HiddenField(validators=[Optional(), Length(max=64)])
    submit = SubmitField("Sign in")


class ChangePasswordForm(Form):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired()],
        description="At least 12 characters. A phrase of several words works well.",
    )
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("new_password", message="The passwords differ.")],
    )
    submit = SubmitField("Change password")


class ForgotPasswordForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=EMAIL), PlainText()],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField("Mail me a link")


class NewPasswordForm(Form):
    password = PasswordField(
        "New password", validators=[DataRequired(), Length(max=MAX_LENGTH)],
        description="At least 12 characters. A phrase of several words works well.",
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(
        "Repeat new password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Set password")


class TokenForm(Form):
    name = StringField("Token name", validators=[DataRequired(), Length(max=SHORT), PlainText()])
    submit = SubmitField("Create token")




class PreferencesForm(Form):
    time_zone = SelectField("Time zone", description="Times are shown in this zone.")
    locale = SelectField("Numbers and amounts", description="Separators as in this locale.")
    submit = SubmitField("Save")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone.choices = {zone: zone.replace("_", " ") for zone in time_zones()}
        self.locale.choices = locales()


class EmailForm(Form):
    """How each kind of notification is mailed: at once, in a digest, or not at all."""

    submit = SubmitField("Save mail choices")

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in set(KINDS) - set(kinds_for(role)):  # what this person never receives
            del self[kind]

    def kinds(self) -> dict[str, str]:
        return {kind: self[kind].data for kind in KINDS if kind in self}


for _kind, (_label, _waits) in KINDS.items():
    setattr(EmailForm, _kind, SelectField(_label, choices=DELIVERY_LABELS,
                                          validators=[DataRequired()]))
