"""What the venture pages share: signed-in only, the overview page, the people to assign."""

from functools import cache, cached_property

from flask import render_template
from flask_login import current_user, login_required

from cotrack import queries
from cotrack.db.prebuilt import VENTURE_ID, per_viewer
from cotrack.db.rows import rows
from cotrack.db.timestamps import utcnow
from cotrack.domain.stages import stage_spans
from cotrack.extensions import db
from cotrack.queries.scorecard import scorecard_and_stages
from cotrack.queries.waiting import venture_waiting
from cotrack.services.gates import gate_blockers, latest_gate, rejection_of
from cotrack.ventures.forms import (
    AbandonForm,
    GateDecisionForm,
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
    return queries.status_update_rows(VENTURE_ID).limit(5)


@per_viewer
def _latest_activity(viewer):
    return queries.activity_rows(VENTURE_ID, viewer).limit(OVERVIEW_ACTIVITY)


class OverviewForms:
    """The overview's forms, each built the first time the template uses it: which ones a
    page shows depends on the viewer and the venture's state, and the template alone says
    so. Most views show two of the six or none, and each blank form cost about 0.1 ms to
    build. A form posted and refused is passed in, to be shown with its errors."""

    _blank = {"decision": GateDecisionForm, "shelve": ShelveForm, "update": StatusUpdateForm,
              "action": EmptyForm, "abandon": AbandonForm}

    def __init__(self, **posted):
        self.__dict__.update(posted)

    def __getattr__(self, name):  # (only for a form not built yet)
        if name not in self._blank:
            raise AttributeError(name)
        form = self.__dict__[name] = self._blank[name](formdata=None)
        return form

    @cached_property
    def invite_choices(self) -> dict:
        """The organisations a declined or withdrawn role can be offered to."""
        return invite_choices()


def render_venture(venture, status=200, **posted):
    """The overview; ``posted``: a refused form by its name in ``OverviewForms``."""
    params = {"venture_id": venture.id}
    updates = rows(_latest_updates(), params)
    activity = rows(_latest_activity(current_user), params)
    gate_card = _gate_card(venture, latest_gate(venture))
    scores, stages = scorecard_and_stages(venture)
    context = dict(
        venture=venture, spans=stage_spans(venture, stages), updates=updates,
        activity=activity, **gate_card, scores=scores, forms=OverviewForms(**posted),
        waiting_on=venture_waiting(venture, current_user, utcnow().date(),
                                   gate=gate_card["gate"]),
    )
    return render_template("ventures/show.html", **context), status


def assignee_choices(venture) -> dict:
    people = db.session.execute(queries.party_users(venture)).all()
    return {0: "— nobody —"} | {u.id: f"{u.name} ({u.organisation})" for u in people}
