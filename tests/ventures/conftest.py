"""A venture with a user of every kind around it: party lead, finance, member, admin, outsider."""

import pytest

from cotrack.extensions import db
from cotrack.services import agreements, issues, ledger, milestones

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
    ns.finance = make_user("finance", org=ns.orgs["reseller"])
    ns.finance_maker = make_user("finance", org=ns.orgs["manufacturer"])
    ns.agreement = agreements.propose(lead, ns.venture, effective_from="2025-01-01", shares={
        "customer": "20.00", "reseller": "25.00", "manufacturer": "55.00"})
    for signer in (lead, ns.finance, ns.finance_maker):
        agreements.decide(signer, ns.venture, ns.agreement, "approve")
    ns.entry = ledger.record_entry(ns.users["finance"], ns.venture, {
        "date": "2025-02-28", "amount": "100.00", "reference": "INV-1"})
    ns.proposal = agreements.propose(lead, ns.venture, effective_from="2026-01-01", shares={
        "customer": "10.00", "reseller": "30.00", "manufacturer": "60.00"})
    db.session.commit()
    return ns

