"""Sign in, sign out, profile: change password, API tokens."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from cotrack.auth.forms import ChangePasswordForm, EmptyForm, LoginForm, TokenForm
from cotrack.errors import DomainError
from cotrack.extensions import db, limiter
from cotrack.forms_util import show_domain_error
from cotrack.models import ApiToken
from cotrack.permissions import require
from cotrack.services import accounts, api_tokens, signin

bp = Blueprint("auth", __name__)


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


def _failed(response) -> bool:
    """A sign-in attempt that did not succeed counts against the limit."""
    return request.method == "POST" and response.status_code != 302


def _account_key() -> str:
    return "signin-account:" + signin.normalise_email(request.form.get("email", ""))


def _account_limit() -> str:
    return current_app.config["SIGNIN_LIMIT_PER_ACCOUNT"]


def _address_limit() -> str:
    return current_app.config["SIGNIN_LIMIT_PER_ADDRESS"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user, problem = signin.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(problem)
        else:
            signin.open_session(user, remember=form.remember.data)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            flash(f"Signed in as {user.name}.", "success")
            return redirect(safe_next(request.args.get("next")))
    status = 200 if request.method != "POST" else 401 if form.errors.get("password") else 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = EmptyForm()
    require(form.validate_on_submit(), 400)
    if current_user.is_authenticated:
        signin.close_session(current_user.session_token)
        db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_own_password(
                current_user, form.current_password.data, form.new_password.data
            )
            db.session.commit()
            flash("Your password is changed. Other devices are signed out.", "success")
            return redirect(url_for("auth.profile"))
        except DomainError as exc:
            show_domain_error(form, exc)
    return _render_profile(password_form=form)


def _render_profile(password_form=None, token_form=None, new_token=None, status=200):
    tokens = db.session.scalars(api_tokens.tokens_of(current_user)).all()
    return (
        render_template(
            "auth/profile.html",
            password_form=password_form or ChangePasswordForm(formdata=None),
            token_form=token_form or TokenForm(formdata=None),
            revoke_form=EmptyForm(formdata=None),
            tokens=tokens,
            new_token=new_token,
        ),
        status,
    )


@bp.route("/profile/tokens", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _render_profile(token_form=form, status=422)
    _, raw = api_tokens.create_token(current_user, form.name.data)
    db.session.commit()
    flash("Token created. Copy it now: it is not shown again.", "success")
    return _render_profile(new_token=raw)


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    require(token is not None and token.user_id == current_user.id, 404)
    require(EmptyForm().validate_on_submit(), 400)
    api_tokens.revoke_token(current_user, token)
    db.session.commit()
    flash(f"Token “{token.name}” revoked.", "info")
    return redirect(url_for("auth.profile"))
