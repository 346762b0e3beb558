"""A venture with finance users in every party and a signed 20/25/55 split agreement."""

import pytest

from cotrack.extensions import db
from cotrack.models import PARTY_ROLES
from cotrack.services import agreements


def sign(ns, effective_from="2025-01-01", shares=("20.00", "25.00", "55.00")):
    agreement = agreements.propose(ns.finance["customer"], ns.venture,
                                   effective_from=effective_from,
                                   shares=dict(zip(PARTY_ROLES, shares, strict=True)))
    for role in PARTY_ROLES:
        agreements.decide(ns.finance[role], ns.venture, agreement, "approve")
    db.session.commit()
    return agreement


@pytest.fixture
def books(make_venture, make_user):
    def make(currency="EUR", signed=True):
        ns = make_venture(currency=currency)
        ns.finance = {r: make_user("finance", org=ns.orgs[r]) for r in PARTY_ROLES}
        ns.member = make_user("member", org=ns.orgs["customer"])
        ns.agreement = sign(ns) if signed else None
        return ns

    return make
