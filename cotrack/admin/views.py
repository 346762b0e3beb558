"""Admin pages: organisations and user accounts."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from cotrack.admin.forms import NewUserForm, OrganisationForm, ResetPasswordForm, UserForm
from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.forms_util import show_domain_error
from cotrack.models import Organisation, User
from cotrack.pagination import paginate
from cotrack.permissions import can_administer, require
from cotrack.services import accounts

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def admins_only():
    require(can_administer(current_user))


def _org_or_404(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    require(org is not None, 404)
    return org


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    require(user is not None, 404)
    return user


def _org_choices(form) -> None:
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    form.organisation_id.choices = {o.id: o.name for o in orgs}


@bp.route("/organisations")
def organisations():
    q = request.args.get("q", "").strip()
    query = select(Organisation).order_by(Organisation.name)
    if q:
        query = query.where(Organisation.name.ilike(f"%{q}%"))
    return render_template("admin/organisations.html", page=paginate(query), q=q)


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
def organisation(org_id: int | None = None):
    org = _org_or_404(org_id) if org_id else None
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        try:
            org = accounts.save_organisation(current_user, org, form.name.data, form.active.data)
            db.session.commit()
            flash(f"Organisation “{org.name}” saved.", "success")
            return redirect(url_for("admin.organisations"))
        except DomainError as exc:
            show_domain_error(form, exc)
    status = 422 if form.errors else 200
    return render_template("admin/organisation.html", form=form, org=org), status


@bp.route("/users")
def users():
    q = request.args.get("q", "").strip()
    query = select(User).join(User.organisation).order_by(Organisation.name, User.email)
    if q:
        query = query.where(User.email.ilike(f"%{q}%") | User.name.ilike(f"%{q}%"))
    return render_template("admin/users.html", page=paginate(query), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = NewUserForm()
    _org_choices(form)
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                current_user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                organisation=db.session.get(Organisation, form.organisation_id.data),
                password=form.password.data,
            )
            db.session.commit()
            flash(f"Account {user.email} created.", "success")
            return redirect(url_for("admin.users"))
        except DomainError as exc:
            show_domain_error(form, exc)
    status = 422 if form.errors else 200
    return render_template("admin/user.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    _org_choices(form)
    if form.validate_on_submit():
        try:
            accounts.update_user(
                current_user,
                user,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                organisation=db.session.get(Organisation, form.organisation_id.data),
                active=form.active.data,
            )
            db.session.commit()
            flash(f"Account {user.email} saved.", "success")
            return redirect(url_for("admin.users"))
        except DomainError as exc:
            show_domain_error(form, exc)
    status = 422 if form.errors else 200
    reset = ResetPasswordForm(formdata=None)
    return render_template("admin/user.html", form=form, user=user, reset=reset), status


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def reset_password(user_id: int):
    user = _user_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(current_user, user, form.password.data)
            db.session.commit()
            flash(f"Password of {user.email} reset; their sessions are signed out.", "success")
            return redirect(url_for("admin.edit_user", user_id=user.id))
        except DomainError as exc:
            show_domain_error(form, exc)
    edit = UserForm(obj=user)
    _org_choices(edit)
    return render_template("admin/user.html", form=edit, user=user, reset=form), 422
