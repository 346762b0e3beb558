"""Admin pages: organisations and user accounts."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from cotrack.admin.forms import NewUserForm, OrganisationForm, ResetPasswordForm, UserForm
from cotrack.domain.permissions import can_administer, require
from cotrack.extensions import db
from cotrack.models import Organisation, User
from cotrack.queries.organisations import runs_the_site
from cotrack.services import accounts
from cotrack.web.pagination import paginate


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


def _org_choices(form, choose: bool = False) -> None:
    """Every organisation; ``choose``: none chosen until the admin picks one (the
    organisations that do not run the site first)."""
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    choices = {o.id: o.name for o in orgs}
    if choose:
        site = set(db.session.scalars(select(Organisation.id).where(
            runs_the_site(Organisation.id))))
        choices = {0: "— choose —"} | {i: n for i, n in choices.items() if i not in site} | {
            i: f"{n} (runs the site)" for i, n in choices.items() if i in site}
    form.organisation_id.choices = choices


def organisations():
    q = request.args.get("q", "").strip()
    query = select(Organisation).order_by(Organisation.name)
    if q:
        query = query.where(Organisation.name.ilike(f"%{q}%"))
    return render_template("admin/organisations.html", page=paginate(query), q=q)


def organisation(org_id: int | None = None):
    org = _org_or_404(org_id) if org_id else None
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        org = accounts.save_organisation(current_user, org, form.name.data, form.active.data)
        flash(f"Organisation “{org.name}” saved." if form.active.data else
              f"Organisation “{org.name}” deactivated; its people are signed out and "
              "their API tokens revoked.", "success")
        return redirect(url_for("admin.organisations"))
    status = 422 if form.errors else 200
    return render_template("admin/organisation.html", form=form, org=org), status


def users():
    q = request.args.get("q", "").strip()
    query = select(User).join(User.organisation).order_by(Organisation.name, User.email)
    if q:
        query = query.where(User.email.ilike(f"%{q}%") | User.name.ilike(f"%{q}%"))
    return render_template("admin/users.html", page=paginate(query), q=q)


def new_user():
    form = NewUserForm()
    _org_choices(form, choose=True)
    if form.validate_on_submit():
        user = accounts.create_user(
            current_user,
            email=form.email.data,
            name=form.name.data,
            role=form.role.data,
            organisation=db.session.get(Organisation, form.organisation_id.data),
            password=form.password.data,
        )
        flash(f"Account {user.email} created.", "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/user.html", form=form, user=None), status


def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    _org_choices(form)
    if form.validate_on_submit():
        was_active = user.active
        accounts.update_user(
            current_user,
            user,
            email=form.email.data,
            name=form.name.data,
            role=form.role.data,
            organisation=db.session.get(Organisation, form.organisation_id.data),
            active=form.active.data,
        )
        if not form.active.data:
            flash(f"Account {user.email} deactivated; signed out and API tokens revoked.",
                  "success")
        elif not was_active:
            flash(f"Account {user.email} reactivated: they can sign in again; the API tokens "
                  "revoked when it was deactivated stay revoked.", "success")
        else:
            flash(f"Account {user.email} saved.", "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    reset = ResetPasswordForm(formdata=None)
    return render_template("admin/user.html", form=form, user=user, reset=reset), status


def reset_password(user_id: int):
    user = _user_or_404(user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.reset_password(current_user, user, form.password.data)
        flash(f"Password of {user.email} reset; they are signed out everywhere and their "
              "API tokens are revoked.", "success")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    edit = UserForm(obj=user)
    _org_choices(edit)
    return render_template("admin/user.html", form=edit, user=user, reset=form), 422
