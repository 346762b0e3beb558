"""What the venture pages share: signed-in only, the overview page, the people to assign."""

from functools import cache

from flask import render_template
from flask_login import current_user, login_required

from cotrack import queries
from cotrack.db.prebuilt import VENTURE_ID, per_viewer
from cotrack.db.timestamps import utcnow
from cotrack.domain.permissions import can_manage_invitations
from cotrack.domain.stages import stage_spans
from cotrack.extensions import db
from cotrack.queries.scorecard import scorecard
from cotrack.queries.waiting import venture_waiting
from cotrack.services.gates import gate_blockers, latest_gate, rejection_of
from cotrack.ventures.forms import (
    AbandonForm,
    GateDecisionForm,
    InviteForm,
    ShelveForm,
    StatusUpdateForm,
)
from cotrack.ventures.invitations import invite_choices
from cotrack.web.forms import EmptyForm

#: the latest activity on a venture's overview; the Activity tab has the rest
OVERVIEW_ACTIVITY = 10


@login_required
def signed_in():
    return None


def _gate_card(venture, latest) -> dict:
    """The open gate request, the live blockers of the gate to the next stage (shown with
    an open advance request and before one is made), and the last rejection."""
    gate = latest if latest is not None and latest.status == "open" else None
    conditional = (venture.status == "active" and venture.next_stage is not None
                   and (gate is None or gate.kind == "advance"))
    return dict(gate=gate, blockers=gate_blockers(venture) if conditional else [],
                rejection=rejection_of(latest))


@cache
def _latest_updates():
    return queries.status_updates_of(VENTURE_ID).limit(5)


@per_viewer
def _latest_activity(viewer):
    return queries.activity_of(VENTURE_ID, viewer).limit(OVERVIEW_ACTIVITY)


def render_venture(venture, status=200, **forms):
    params = {"venture_id": venture.id}
    updates = db.session.scalars(_latest_updates(), params).all()
    activity = db.session.scalars(_latest_activity(current_user), params).all()
    gate_card = _gate_card(venture, latest_gate(venture))
    context = dict(
        venture=venture, spans=stage_spans(venture), updates=updates, activity=activity,
        **gate_card, scores=scorecard(venture),
        decision_form=forms.get("decision_form") or GateDecisionForm(formdata=None),
        shelve_form=forms.get("shelve_form") or ShelveForm(formdata=None),
        update_form=forms.get("update_form") or StatusUpdateForm(formdata=None),
        action_form=EmptyForm(formdata=None),
        invite_form=InviteForm(formdata=None), abandon_form=AbandonForm(formdata=None),
        waiting_on=venture_waiting(venture, current_user, utcnow().date(),
                                   gate=gate_card["gate"]),
    )
    if can_manage_invitations(current_user, venture):
        context["invite_form"].organisation_id.choices = invite_choices()
    return render_template("ventures/show.html", **context), status


def assignee_choices(venture) -> dict:
    people = db.session.execute(queries.party_users(venture)).all()
    return {0: "— nobody —"} | {u.id: f"{u.name} ({u.organisation})" for u in people}
