"""Sign in, sign out, profile: change password, API tokens."""

from functools import partial
from urllib.parse import urlsplit

from flask import (
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from cotrack.auth import throttle
from cotrack.auth.forms import (
    ChangePasswordForm,
    EmailForm,
    ForgotPasswordForm,
    LoginForm,
    NewPasswordForm,
    PreferencesForm,
    TokenForm,
)
from cotrack.domain.permissions import require
from cotrack.domain.preferences import best_locale
from cotrack.extensions import db
from cotrack.models import ApiToken
from cotrack.services import accounts, api_tokens, password_reset, signin
from cotrack.services import preferences as services_preferences
from cotrack.web.forms import EmptyForm
from cotrack.web.request_path import after_commit


def safe_next(target: str | None) -> str:
    """Only a path on this site; anything with a scheme or host goes home."""
    if not target:
        return url_for("main.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("main.home")
    if "\\" in target:
        return url_for("main.home")
    return target


def rotate_csrf() -> None:
    """A new CSRF token from the next form on: the one from before sign-in (or sign-out)
    no longer validates (Flask-WTF keeps its secret in the session, under the field name)."""
    name = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(name, None)
    g.pop(name, None)


def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        throttle.check_signin(form.email.data)
        user, problem = signin.authenticate(form.email.data, form.password.data)
        if user is None:
            throttle.signin_failed(form.email.data)
            form.password.errors.append(problem)
        else:
            signin.open_session(user, remember=form.remember.data)
            services_preferences.first_signin(user, form.time_zone.data)
            after_commit(partial(throttle.signin_succeeded, form.email.data))
            login_user(user, remember=form.remember.data)
            rotate_csrf()
            flash(f"Signed in as {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")))
    status = 200 if request.method != "POST" else 401 if form.errors.get("password") else 422
    return render_template("auth/login.html", form=form), status


def logout():
    form = EmptyForm()
    require(form.validate_on_submit(), 400)
    if current_user.is_authenticated:
        signin.close_session(current_user.session_token)
    logout_user()
    rotate_csrf()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


RESET_ASKED = ("If an account has that address, a link to set a new password is on its "
               "way. It works once, within an hour. No mail? Check the address, or ask your "
               "CoTrack administrator.")


def forgot_password():
    """Ask for a mailed link; the answer is the same whether the account exists or not."""
    if current_user.is_authenticated:
        return redirect(url_for("auth.profile"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if throttle.check_reset_request(form.email.data):
            password_reset.request_reset(form.email.data)
        flash(RESET_ASKED, "info")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


def reset_password(token: str):
    """Set a new password with a mailed link (once, within the hour)."""
    user = password_reset.user_for_token(token)
    if user is None:
        return render_template("auth/reset.html", form=None), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        password_reset.reset_with_token(user, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        flash("Your password is set. Sign in with it; every other session of yours is "
              "signed out and your API tokens are revoked.", "success")
        return redirect(url_for("auth.login"), 303)
    return render_template("auth/reset.html", form=form, user=user), \
        422 if form.errors else 200


@login_required
def profile():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        session_token = current_user.session_token or str(current_user.id)
        throttle.check_password_check(session_token)
        try:
            accounts.change_own_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except accounts.WrongCurrentPassword:
            throttle.password_check_failed(session_token)  # counted, then refused as usual
            raise
        flash("Your password is changed. Your other devices are signed out and your "
              "API tokens are revoked.", "success")
        return redirect(url_for("auth.profile"))
    return _render_profile(password_form=form)


@login_required
def preferences():
    form = PreferencesForm()
    if form.validate_on_submit():
        services_preferences.update_preferences(current_user, current_user, {
            "time_zone": form.time_zone.data, "locale": form.locale.data})
        flash("Preferences saved.", "success")
        return redirect(url_for("auth.profile"))
    return _render_profile(preferences_form=form, status=422)


@login_required
def email_preferences():
    form = EmailForm(role=current_user.role)
    if form.validate_on_submit():
        services_preferences.update_preferences(current_user, current_user,
                                                {"email": form.kinds()})
        flash("Mail choices saved.", "success")
        return redirect(url_for("auth.profile") + "#email")
    return _render_profile(email_form=form, status=422)


def _render_profile(password_form=None, token_form=None, new_token=None, status=200,
                    preferences_form=None, email_form=None):
    tokens = db.session.scalars(api_tokens.tokens_of(current_user)).all()
    if preferences_form is None:
        preferences_form = PreferencesForm(formdata=None, obj=current_user)
        preferences_form.locale.data = current_user.locale or best_locale(
            request.accept_languages.values())
    return (
        render_template(
            "auth/profile.html",
            preferences_form=preferences_form,
            email_form=email_form or EmailForm(
                formdata=None, data=services_preferences.email_deliveries(current_user),
                role=current_user.role),
            password_form=password_form or ChangePasswordForm(formdata=None),
            token_form=token_form or TokenForm(formdata=None),
            revoke_form=EmptyForm(formdata=None),
            tokens=tokens,
            new_token=new_token,
        ),
        status,
    )


@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_profile(token_form=form, status=422)
    _, raw = api_tokens.create_token(current_user, form.name.data)
    flash("Token created. Copy it now: it is not shown again.", "success")
    return _render_profile(new_token=raw)


@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    require(token is not None and token.user_id == current_user.id, 404)
    require(EmptyForm().validate_on_submit(), 400)
    api_tokens.revoke_token(current_user, token)
    flash(f"Token “{token.name}” revoked.", "info")
    return redirect(url_for("auth.profile"))
