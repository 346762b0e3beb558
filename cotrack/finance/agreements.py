"""Split agreements of a venture: history, propose, approve or reject for one's party."""

from functools import partial

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cotrack.domain.permissions import can_sign_agreements, can_view_revenue, require
from cotrack.extensions import db
from cotrack.finance.forms import AgreementForm, DecisionForm
from cotrack.finance.views import revenue_venture
from cotrack.models import AgreementApproval, SplitAgreement
from cotrack.queries.loading import in_venture_or_404
from cotrack.services import agreements as service
from cotrack.web.forms import add_rule_problems, raised_problems


def _history(venture):
    return db.session.scalars(
        select(SplitAgreement).where(SplitAgreement.venture_id == venture.id)
        .options(selectinload(SplitAgreement.approvals).selectinload(AgreementApproval.user),
                 selectinload(SplitAgreement.proposed_by))
        .order_by(SplitAgreement.version.desc())).all()


def render_agreements(venture, form=None, status=200):
    return render_template(
        "finance/agreements.html", venture=venture, agreements=_history(venture),
        form=form or AgreementForm(formdata=None), decision_form=DecisionForm(formdata=None),
    ), status


def agreements(venture_id: int):
    venture = revenue_venture(venture_id)
    form = AgreementForm()
    if form.is_submitted():
        require(can_sign_agreements(current_user, venture))
        proposal = {"effective_from": form.effective_from.data, "note": form.note.data,
                    "shares": {r: form[r].data for r in ("customer", "reseller", "manufacturer")}}
        if form.validate_on_submit():
            agreement = service.propose(current_user, venture, **proposal)
            flash(f"Agreement v{agreement.version} proposed; each party must approve it.",
                  "success")
            return redirect(url_for("finance.agreements", venture_id=venture.id))
        add_rule_problems(form, partial(raised_problems, service.proposal_values, venture,
                                        **proposal))
        return render_agreements(venture, form, 422)
    return render_agreements(venture)


def _decide(venture_id: int, agreement_id: int, decision: str):
    venture, agreement = in_venture_or_404(current_user, venture_id, SplitAgreement,
                                           agreement_id)
    require(can_view_revenue(current_user, venture))
    require(can_sign_agreements(current_user, venture))
    form = DecisionForm()
    require(form.validate_on_submit(), 400)
    service.decide(current_user, venture, agreement, decision, form.comment.data)
    flash({"active": f"Agreement v{agreement.version} is now active.",
           "rejected": f"Agreement v{agreement.version} rejected.",
           "proposed": "Your approval is recorded."}[agreement.status], "success")
    return redirect(url_for("finance.agreements", venture_id=venture.id))


def approve_agreement(venture_id: int, agreement_id: int):
    return _decide(venture_id, agreement_id, "approve")


def reject_agreement(venture_id: int, agreement_id: int):
    return _decide(venture_id, agreement_id, "reject")
