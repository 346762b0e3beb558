"""Stage gate actions on a venture page: request, approve, reject, request shelving."""

from flask import flash, redirect, url_for
from flask_login import current_user

from cotrack.domain.permissions import can_act_on_gate, require
from cotrack.queries.loading import venture_or_404
from cotrack.services import gates as service
from cotrack.ventures.common import render_venture
from cotrack.ventures.forms import GateDecisionForm, ShelveForm
from cotrack.web.forms import EmptyForm


def _lead_venture(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_act_on_gate(current_user, venture))
    return venture


def _back(venture):
    return redirect(url_for("ventures.show", venture_id=venture.id) + "#gate")


def request_gate(venture_id: int):
    venture = _lead_venture(venture_id)
    require(EmptyForm().validate_on_submit(), 400)
    gate = service.request_gate(current_user, venture)
    flash(f"Gate requested: {service.gate_label(gate)}. Each party's lead must approve.",
          "success")
    return _back(venture)


def _decide(venture_id: int, decision: str):
    venture = _lead_venture(venture_id)
    form = GateDecisionForm()
    if not form.validate_on_submit():
        return render_venture(venture, status=422, decision=form)
    gate = service.decide(current_user, venture, decision, form.comment.data)
    messages = {"approved": f"Gate passed: the venture is now in {venture.stage}."
                if gate.kind == "advance" else "The venture is shelved.",
                "rejected": "You rejected the request; it is closed.",
                "open": "Your approval is recorded."}
    flash(messages[gate.status], "success" if gate.status != "rejected" else "info")
    return _back(venture)


def approve_gate(venture_id: int):
    return _decide(venture_id, "approve")


def reject_gate(venture_id: int):
    return _decide(venture_id, "reject")


def shelve(venture_id: int):
    venture = _lead_venture(venture_id)
    form = ShelveForm()
    if form.validate_on_submit():
        service.request_shelving(current_user, venture, form.reason.data)
        flash("Shelving requested; each party's lead must approve.", "success")
        return _back(venture)
    return render_venture(venture, status=422, shelve=form)
