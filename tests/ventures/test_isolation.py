"""Isolation: the ventures listed for a user are exactly those the per-venture check admits.

A property-based test builds random organisations, users, ventures and memberships; the
demo data shows the same for lead@northwind.example and "Cold-chain sensors".
"""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from cotrack import queries
from cotrack.db.timestamps import utcnow
from cotrack.demo.seed import seed
from cotrack.domain.permissions import can_see_invitation, can_view_venture
from cotrack.extensions import db
from cotrack.models import ACCOUNT_ROLES, PARTY_ROLES, Organisation, User, Venture, VentureParty
from tests.conftest import login

world = st.integers(min_value=3, max_value=6).flatmap(lambda n_orgs: st.tuples(
    st.just(n_orgs),
    st.lists(st.sampled_from(ACCOUNT_ROLES), min_size=1, max_size=8),            # users' roles
    st.lists(st.integers(0, n_orgs - 1), min_size=8, max_size=8),         # users' orgs
    st.lists(st.tuples(st.permutations(range(n_orgs)),                    # ventures: parties
                       st.lists(st.booleans(), min_size=3, max_size=3)),  # ... accepted?
             max_size=6),
))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(world)
def test_listed_ventures_are_exactly_the_admitted_ones(password_hash, spec):
    n_orgs, roles, user_orgs, venture_specs = spec
    savepoint = db.session.begin_nested()
    try:
        orgs = [Organisation(name=f"P{i}-{id(spec)}") for i in range(n_orgs)]
        users = [User(email=f"u{i}-{id(spec)}@example.org", name="U", role=role,
                      organisation=orgs[user_orgs[i]], password_hash=password_hash)
                 for i, role in enumerate(roles)]
        creator = users[0]
        for order, accepted in venture_specs:
            venture = Venture(name="V", currency="EUR", created_by=creator,
                              status="active" if all(accepted) else "pending")
            for role, org_index, ok in zip(PARTY_ROLES, order[:3], accepted, strict=True):
                venture.parties.append(VentureParty(
                    role=role, organisation=orgs[org_index],
                    accepted_at=utcnow() if ok else None))
            db.session.add(venture)
        db.session.add_all(users)
        db.session.flush()
        everything = db.session.scalars(select(Venture)).all()
        for user in users:
            listed = set(db.session.scalars(queries.visible_ventures(user)).all())
            admitted = {v for v in everything if can_view_venture(user, v)}
            assert listed == admitted
            api_listed = set(db.session.scalars(queries.ventures_for_api(user)).all())
            assert api_listed == {v for v in everything if can_see_invitation(user, v)}
            # the list's rows: (id, name, stage, status)
            filtered = set(db.session.scalars(queries.filtered_ventures(user, q="V")).all())
            assert filtered <= {v.id for v in admitted}
    finally:
        savepoint.rollback()


def _demo(client):
    seed()
    db.session.commit()
    lead = db.session.scalar(select(User).where(User.email == "lead@northwind.example"))
    cold = db.session.scalar(select(Venture).where(Venture.name == "Cold-chain sensors"))
    return lead, cold


def test_northwind_lead_gets_404_on_cold_chain_and_never_sees_it(client, make_token):
    lead, cold = _demo(client)
    headers = make_token(lead)
    assert client.get(f"/api/v1/ventures/{cold.id}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/ventures/{cold.id}/activity", headers=headers).status_code == 404
    listed = client.get("/api/v1/ventures?per_page=200", headers=headers).json
    assert "Cold-chain sensors" not in {v["name"] for v in listed["items"]}
    assert listed["total"] == len(listed["items"])

    login(client, lead.email, "cotrack-demo")
    assert client.get(f"/ventures/{cold.id}").status_code == 404
    for path in ["/", "/ventures/", "/ventures/?q=Cold", "/ventures/?stage=discovery"]:
        assert "Cold-chain" not in client.get(path).get_data(as_text=True), path


def test_demo_ventures_are_where_the_issue_says(client):
    _demo(client)
    by_name = {v.name: v for v in db.session.scalars(select(Venture)).all()}
    mobile = by_name["Mobile storage array"]
    assert (mobile.stage, mobile.status) == ("rollout", "active")
    assert (mobile.transitions[-1].at - mobile.transitions[0].at).days >= 365
    assert by_name["Edge cache appliance"].stage == "field_trial"
    assert by_name["Cold-chain sensors"].stage == "discovery"
    shelf = by_name["Smart shelf labels"]
    assert shelf.status == "pending"
    assert not shelf.party("customer").accepted
    assert shelf.party("customer").organisation.name == "Northwind Storage"
