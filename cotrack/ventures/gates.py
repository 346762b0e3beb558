"""Stage gate actions on a venture page: request, approve, reject, request shelving."""

from flask import flash, redirect, url_for
from flask_login import current_user

from cotrack.errors import DomainError
from cotrack.extensions import db
from cotrack.forms_util import show_domain_error
from cotrack.loading import venture_or_404
from cotrack.permissions import can_act_on_gate, require
from cotrack.services import gates as service
from cotrack.ventures.forms import GateDecisionForm, ShelveForm
from cotrack.ventures.views import EmptyForm, bp, render_venture


def _lead_venture(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_act_on_gate(current_user, venture))
    return venture


def _back(venture):
    return redirect(url_for("ventures.show", venture_id=venture.id) + "#gate")


@bp.route("/<int:venture_id>/gate", methods=["POST"])
def request_gate(venture_id: int):
    venture = _lead_venture(venture_id)
    require(EmptyForm().validate_on_submit(), 400)
    try:
        gate = service.request_gate(current_user, venture)
        db.session.commit()
        flash(f"Gate requested: {service.gate_label(gate)}. Each party's lead must approve.",
              "success")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message + " " + " ".join(exc.fields.get("conditions", [])), "danger")
    return _back(venture)


def _decide(venture_id: int, decision: str):
    venture = _lead_venture(venture_id)
    form = GateDecisionForm()
    require(form.validate_on_submit(), 400)
    try:
        gate = service.decide(current_user, venture, decision, form.comment.data)
        db.session.commit()
    except DomainError as exc:
        show_domain_error(form, exc)
        return render_venture(venture, status=exc.status, decision_form=form)
    messages = {"approved": f"Gate passed: the venture is now in {venture.stage}."
                if gate.kind == "advance" else "The venture is shelved.",
                "rejected": "You rejected the request; it is closed.",
                "open": "Your approval is recorded."}
    flash(messages[gate.status], "success" if gate.status != "rejected" else "info")
    return _back(venture)


@bp.route("/<int:venture_id>/gate/approve", methods=["POST"])
def approve_gate(venture_id: int):
    return _decide(venture_id, "approve")


@bp.route("/<int:venture_id>/gate/reject", methods=["POST"])
def reject_gate(venture_id: int):
    return _decide(venture_id, "reject")


@bp.route("/<int:venture_id>/shelve", methods=["POST"])
def shelve(venture_id: int):
    venture = _lead_venture(venture_id)
    form = ShelveForm()
    if form.validate_on_submit():
        try:
            service.request_shelving(current_user, venture, form.reason.data)
            db.session.commit()
            flash("Shelving requested; each party's lead must approve.", "success")
            return _back(venture)
        except DomainError as exc:
            show_domain_error(form, exc)
    return render_venture(venture, status=422, shelve_form=form)
