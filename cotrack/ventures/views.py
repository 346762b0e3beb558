"""Venture pages: list, create, show, edit, answer an invitation, activity feed."""

from functools import partial

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from cotrack import queries
from cotrack.domain.money import currency_choices
from cotrack.domain.permissions import (
    can_create_venture,
    can_edit_venture,
    can_respond_to_invitation,
    can_view_venture,
    require,
)
from cotrack.domain.valid_input import parse_id
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, STAGE_LABELS, STATUSES
from cotrack.queries.loading import venture_or_404
from cotrack.queries.organisations import party_organisations, usual_role
from cotrack.services import ventures as service
from cotrack.ventures.common import render_venture
from cotrack.ventures.forms import (
    DeclineForm,
    NewVentureForm,
    VentureDetailsForm,
)
from cotrack.web import page_store
from cotrack.web.forms import EmptyForm, add_rule_problems
from cotrack.web.mentions import venture_people
from cotrack.web.pagination import paginate


@page_store.kept
def index():
    return page_store.page(_list)


def _list() -> str:
    args = request.args
    filters = dict(stage=args.get("stage") or None, status=args.get("status") or None,
                   partner_id=parse_id(args.get("partner"), "partner"), q=args.get("q") or None)
    page = paginate(queries.filtered_ventures(current_user, **filters), rows=True,
                    count_select=queries.listed_count(current_user, **filters))
    partners = db.session.execute(queries.partner_organisations(current_user)).all()
    shown = [v.id for v in page.items]
    return render_template(
        "ventures/list.html", page=page, partners=partners, stages=STAGE_LABELS,
        statuses=STATUSES, parties=queries.party_lines(shown),
    )


def _new_form() -> NewVentureForm:
    form = NewVentureForm()
    form.currency.choices = currency_choices()
    orgs = db.session.scalars(party_organisations()).all()
    for role in PARTY_ROLES:
        getattr(form, role).choices = {0: "— choose —"} | {o.id: o.name for o in orgs}
    if request.method == "GET":
        form.currency.data = form.currency.data or "EUR"
        own = current_user.organisation_id
        if own in {o.id for o in orgs}:  # the creator's organisation, in its usual role
            getattr(form, usual_role(own)).data = own
    return form


def new():
    require(can_create_venture(current_user))
    form = _new_form()
    if form.validate_on_submit():
        venture = service.create_venture(
            current_user, name=form.name.data, description=form.description.data,
            currency=form.currency.data, parties=form.parties(),
        )
        flash(f"Venture “{venture.name}” created; invitations sent.", "success")
        return redirect(url_for("ventures.show", venture_id=venture.id))
    if form.errors:
        add_rule_problems(form, partial(
            service.venture_problems, current_user, name=form.name.data,
            description=form.description.data, currency=form.currency.data,
            parties=form.parties()))
    return render_template("ventures/new.html", form=form), 422 if form.errors else 200


@page_store.kept
def show(venture_id: int):
    venture = venture_or_404(current_user, venture_id, invited_ok=True)
    if not can_view_venture(current_user, venture):
        return render_template("ventures/invitation.html", venture=venture,
                               accept_form=EmptyForm(formdata=None),
                               decline_form=DeclineForm(formdata=None))
    return page_store.page(lambda: render_venture(venture)[0])


def edit(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_edit_venture(current_user, venture))
    form = VentureDetailsForm(obj=venture)
    if form.validate_on_submit():
        service.update_venture(current_user, venture, {"name": form.name.data,
                                                       "description": form.description.data})
        flash("Venture saved.", "success")
        return redirect(url_for("ventures.show", venture_id=venture.id))
    return (render_template("ventures/edit.html", form=form, venture=venture),
            422 if form.errors else 200)


def accept(venture_id: int):
    venture = venture_or_404(current_user, venture_id, invited_ok=True)
    require(can_respond_to_invitation(current_user, venture))
    require(EmptyForm().validate_on_submit(), 400)
    service.accept(current_user, venture)
    flash(f"You joined “{venture.name}”." + (" All three parties are in: the venture is active."
                                              if venture.status == "active" else ""), "success")
    return redirect(url_for("ventures.show", venture_id=venture.id))


def decline(venture_id: int):
    venture = venture_or_404(current_user, venture_id, invited_ok=True)
    require(can_respond_to_invitation(current_user, venture))
    form = DeclineForm()
    if form.validate_on_submit():
        service.decline(current_user, venture, form.reason.data)
        flash(f"You declined “{venture.name}”.", "info")
        return redirect(url_for("main.home"))
    return render_template("ventures/invitation.html", venture=venture,
                           accept_form=EmptyForm(formdata=None), decline_form=form), 422


def people(venture_id: int):
    """The venture's people, for @mention suggestions as one types."""
    venture = venture_or_404(current_user, venture_id)
    return {"people": [{"id": i, "name": name, "organisation": org}
                       for i, name, org in venture_people(venture.id)]}


def activity(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    page = paginate(queries.activity_of(venture, current_user), per_page=50)
    return render_template("ventures/activity.html", venture=venture, page=page)
