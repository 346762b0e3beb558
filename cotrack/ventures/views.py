"""Venture pages: list, create, show, edit, answer an invitation, activity feed."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from cotrack import queries
from cotrack.auth.forms import EmptyForm
from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.forms_util import show_domain_error
from cotrack.loading import venture_or_404
from cotrack.models import PARTY_ROLES, STAGE_LABELS, STATUSES, Organisation
from cotrack.money import currency_choices
from cotrack.page_cache import cached_page
from cotrack.pagination import paginate
from cotrack.permissions import (
    can_create_venture,
    can_edit_venture,
    can_respond_to_invitation,
    can_view_venture,
    require,
)
from cotrack.scorecard import scorecard
from cotrack.services import ventures as service
from cotrack.services.gates import gate_problems, open_gate
from cotrack.stages import stage_spans
from cotrack.ventures.forms import (
    DeclineForm,
    GateDecisionForm,
    NewVentureForm,
    ShelveForm,
    StatusUpdateForm,
    VentureDetailsForm,
)

bp = Blueprint("ventures", __name__)


@bp.before_request
@login_required
def signed_in():
    return None


@bp.route("/")
@cached_page("organisation")
def index():
    args = request.args
    query = queries.filtered_ventures(
        current_user,
        stage=args.get("stage") or None,
        status=args.get("status") or None,
        partner_id=args.get("partner", type=int),
        q=args.get("q") or None,
    )
    page = paginate(query)
    partners = db.session.scalars(queries.partner_organisations(current_user)).all()
    return render_template(
        "ventures/list.html", page=page, partners=partners, stages=STAGE_LABELS,
        statuses=STATUSES, health=queries.latest_health([v.id for v in page.items]),
    )


def _new_form() -> NewVentureForm:
    form = NewVentureForm()
    form.currency.choices = currency_choices()
    orgs = db.session.scalars(
        select(Organisation).where(Organisation.active).order_by(Organisation.name)
    ).all()
    for role in PARTY_ROLES:
        getattr(form, role).choices = {0: "— choose —"} | {o.id: o.name for o in orgs}
    if request.method == "GET":
        form.currency.data = form.currency.data or "EUR"
    return form


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(can_create_venture(current_user))
    form = _new_form()
    if form.validate_on_submit():
        try:
            venture = service.create_venture(
                current_user, name=form.name.data, description=form.description.data,
                currency=form.currency.data, parties=form.parties(),
            )
            db.session.commit()
            flash(f"Venture “{venture.name}” created; invitations sent.", "success")
            return redirect(url_for("ventures.show", venture_id=venture.id))
        except DomainError as exc:
            show_domain_error(form, exc)
    return render_template("ventures/new.html", form=form), 422 if form.errors else 200


@bp.route("/<int:venture_id>")
@cached_page("venture")
def show(venture_id: int):
    venture = venture_or_404(current_user, venture_id, invited_ok=True)
    if not can_view_venture(current_user, venture):
        return render_template("ventures/invitation.html", venture=venture,
                               accept_form=EmptyForm(formdata=None),
                               decline_form=DeclineForm(formdata=None))
    return render_venture(venture)


def render_venture(venture, status=200, **forms):
    gate = open_gate(venture)
    updates = db.session.scalars(queries.status_updates_of(venture).limit(5)).all()
    activity = db.session.scalars(queries.activity_of(venture).limit(15)).all()
    context = dict(
        venture=venture, gate=gate, spans=stage_spans(venture), updates=updates,
        activity=activity, problems=[] if gate else gate_problems(venture),
        scores=scorecard(venture),
        decision_form=forms.get("decision_form") or GateDecisionForm(formdata=None),
        shelve_form=forms.get("shelve_form") or ShelveForm(formdata=None),
        update_form=forms.get("update_form") or StatusUpdateForm(formdata=None),
        action_form=EmptyForm(formdata=None),
    )
    return render_template("ventures/show.html", **context), status


@bp.route("/<int:venture_id>/edit", methods=["GET", "POST"])
def edit(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_edit_venture(current_user, venture))
    form = VentureDetailsForm(obj=venture)
    if form.validate_on_submit():
        try:
            service.update_venture(current_user, venture, {"name": form.name.data,
                                                           "description": form.description.data})
            db.session.commit()
            flash("Venture saved.", "success")
            return redirect(url_for("ventures.show", venture_id=venture.id))
        except DomainError as exc:
            show_domain_error(form, exc)
    return (render_template("ventures/edit.html", form=form, venture=venture),
            422 if form.errors else 200)


@bp.route("/<int:venture_id>/accept", methods=["POST"])
def accept(venture_id: int):
    venture = venture_or_404(current_user, venture_id, invited_ok=True)
    require(can_respond_to_invitation(current_user, venture))
    require(EmptyForm().validate_on_submit(), 400)
    service.accept(current_user, venture)
    db.session.commit()
    flash(f"You joined “{venture.name}”." + (" All three parties are in: the venture is active."
                                              if venture.status == "active" else ""), "success")
    return redirect(url_for("ventures.show", venture_id=venture.id))


@bp.route("/<int:venture_id>/decline", methods=["POST"])
def decline(venture_id: int):
    venture = venture_or_404(current_user, venture_id, invited_ok=True)
    require(can_respond_to_invitation(current_user, venture))
    form = DeclineForm()
    if form.validate_on_submit():
        service.decline(current_user, venture, form.reason.data)
        db.session.commit()
        flash(f"You declined “{venture.name}”.", "info")
        return redirect(url_for("main.home"))
    return render_template("ventures/invitation.html", venture=venture,
                           accept_form=EmptyForm(formdata=None), decline_form=form), 422


@bp.route("/<int:venture_id>/activity")
@cached_page("venture")
def activity(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    page = paginate(queries.activity_of(venture), per_page=50)
    return render_template("ventures/activity.html", venture=venture, page=page)


from cotrack.ventures import gates as _gate_routes  # noqa: E402,F401  (more routes on bp)
from cotrack.ventures import issues as _issue_routes  # noqa: E402,F401
from cotrack.ventures import milestones as _milestone_routes  # noqa: E402,F401
from cotrack.ventures import updates as _update_routes  # noqa: E402,F401
