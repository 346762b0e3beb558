"""A venture with a user of every kind around it: party lead, finance, member, admin, outsider."""

from types import SimpleNamespace

import pytest

from cotrack.extensions import db
from cotrack.services import issues, milestones

ROLES = ("lead", "finance", "member", "admin", "outsider")


@pytest.fixture
def cast(make_venture, make_user, make_org):
    ns = make_venture()
    customer = ns.orgs["customer"]
    ns.users = {
        "lead": ns.leads["customer"],
        "finance": make_user("finance", org=customer),
        "member": make_user("member", org=customer),
        "admin": make_user("admin", org=make_org()),
        "outsider": make_user("lead", org=make_org()),
    }
    lead = ns.users["lead"]
    ns.milestone = milestones.create_milestone(lead, ns.venture, {
        "title": "Site survey", "stage": "feasibility", "party": "customer",
        "due_date": "2030-01-31"})
    ns.issue = issues.raise_issue(lead, ns.venture, {
        "title": "Rack does not fit", "severity": "high", "party": "manufacturer"})
    db.session.commit()
    return ns


def as_namespace(**kw) -> SimpleNamespace:
    return SimpleNamespace(**kw)
