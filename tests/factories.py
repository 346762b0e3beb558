"""Factory fixtures: each returns a callable that makes one object with sensible defaults."""

import itertools
from types import SimpleNamespace

import pytest

from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Organisation, User
from cotrack.services import gates, ventures
from cotrack.services.api_tokens import create_token

_seq = itertools.count(1)


@pytest.fixture
def make_org():
    def make(name: str | None = None, **fields) -> Organisation:
        org = Organisation(name=name or f"Org {next(_seq)}", **fields)
        db.session.add(org)
        db.session.commit()
        return org

    return make


@pytest.fixture
def make_user(make_org, password_hash):
    def make(role: str = "lead", org: Organisation | None = None, email: str | None = None,
             **fields) -> User:
        n = next(_seq)
        user = User(
            email=email or f"{role}{n}@example.org",
            name=fields.pop("name", f"{role.capitalize()} {n}"),
            role=role,
            organisation=org or make_org(),
            password_hash=fields.pop("password_hash", password_hash),
            **fields,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_token():
    def make(user: User) -> dict:
        _, raw = create_token(user, "test")
        db.session.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


@pytest.fixture
def make_venture(make_org, make_user):
    """A venture of three new organisations, each with a lead; active unless pending=True.

    Returns a namespace: .venture, .orgs[role], .leads[role].
    """

    def make(name: str | None = None, pending: bool = False, currency: str = "EUR",
             creator_role: str = "customer") -> SimpleNamespace:
        orgs = {role: make_org() for role in PARTY_ROLES}
        leads = {role: make_user("lead", org=orgs[role]) for role in PARTY_ROLES}
        venture = ventures.create_venture(
            leads[creator_role], name=name or f"Venture {next(_seq)}",
            description="A test venture.", currency=currency,
            parties={role: org.id for role, org in orgs.items()},
        )
        if not pending:
            for role in PARTY_ROLES:
                if role != creator_role:
                    ventures.accept(leads[role], venture)
        db.session.commit()
        return SimpleNamespace(venture=venture, orgs=orgs, leads=leads)

    return make


def pass_gate(ns: SimpleNamespace) -> None:
    """Request the next gate and have all three leads approve it."""
    gate_request = gates.request_gate(ns.leads["customer"], ns.venture)
    for role in PARTY_ROLES:
        gates.decide(ns.leads[role], ns.venture, "approve")
    db.session.commit()
    assert gate_request.status == "approved"
