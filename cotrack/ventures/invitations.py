"""The creating lead's side of the invitations: withdraw, resend, invite another
organisation for a role, give the pending venture up (cotrack.services.invitations)."""

from flask import flash, redirect, url_for
from flask_login import current_user

from cotrack.domain.permissions import can_manage_invitations, require
from cotrack.extensions import db
from cotrack.models import Organisation
from cotrack.queries.loading import venture_or_404
from cotrack.queries.organisations import party_organisations
from cotrack.services import invitations as service
from cotrack.ventures.forms import AbandonForm, InviteForm
from cotrack.web.forms import EmptyForm


def _load(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_manage_invitations(current_user, venture))
    return venture


def _back(venture):
    return redirect(url_for("ventures.show", venture_id=venture.id) + "#invitations")


def _not_valid(venture, form):
    for field, errors in form.errors.items():
        flash(f"{getattr(form, field).label.text}: {' '.join(errors)}", "danger")
    return _back(venture)


def withdraw(venture_id: int, role: str):
    venture = _load(venture_id)
    require(EmptyForm().validate_on_submit(), 400)
    party = service.withdraw(current_user, venture, role)
    flash(f"The invitation of {party.organisation.name} is withdrawn.", "info")
    return _back(venture)


def resend(venture_id: int, role: str):
    venture = _load(venture_id)
    require(EmptyForm().validate_on_submit(), 400)
    party = service.resend(current_user, venture, role)
    flash(f"The invitation is sent to {party.organisation.name} again.", "success")
    return _back(venture)


def invite(venture_id: int, role: str):
    venture = _load(venture_id)
    form = InviteForm()
    form.organisation_id.choices = invite_choices()
    if not form.validate_on_submit():
        return _not_valid(venture, form)
    party = service.invite(current_user, venture, role, form.organisation_id.data)
    flash(f"{party.organisation.name} is invited as {party.role}.", "success")
    return _back(venture)


def abandon(venture_id: int):
    venture = _load(venture_id)
    form = AbandonForm()
    if not form.validate_on_submit():
        return _not_valid(venture, form)
    service.abandon(current_user, venture, form.reason.data)
    flash(f"“{venture.name}” is given up; every invited organisation is told.", "info")
    return redirect(url_for("ventures.show", venture_id=venture.id))


def invite_choices() -> dict:
    orgs = db.session.execute(party_organisations().with_only_columns(
        Organisation.id, Organisation.name)).all()
    return {i: n for i, n in orgs}
