"""Each rule once, in two languages: every predicate of cotrack.domain.permissions and its
SQL twin admit exactly the same rows, on random organisations, people (every account
role), ventures (every status, parties accepted, declined or still invited), milestones,
issues and activity."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import false, func, select

from cotrack.db.timestamps import utcnow
from cotrack.domain.permissions import (
    TWINS,
    can_view_revenue,
    revenue_organisation,
    sql_belongs,
    sql_belongs_by_lookup,
    sql_can_view_venture,
    sql_count_viewable_ventures,
    sql_partner_ids,
    sql_viewable_by_party,
)
from cotrack.extensions import db
from cotrack.models import (
    ACCOUNT_ROLES,
    PARTY_ROLES,
    STATUSES,
    Activity,
    Issue,
    Milestone,
    Notification,
    Organisation,
    User,
    Venture,
    VentureParty,
)

ROWS = {"venture": Venture, "milestone": Milestone, "issue": Issue, "activity": Activity,
        "notification": Notification}
PARTY_STATES = st.sampled_from(["accepted", "declined", "invited", "withdrawn"])

world = st.integers(min_value=3, max_value=5).flatmap(lambda n_orgs: st.fixed_dictionaries({
    "orgs": st.just(n_orgs),
    "users": st.lists(st.tuples(st.sampled_from(ACCOUNT_ROLES), st.integers(0, n_orgs - 1)),
                      min_size=2, max_size=7),
    "ventures": st.lists(st.tuples(st.permutations(range(n_orgs)),
                                   st.lists(PARTY_STATES, min_size=3, max_size=3),
                                   st.sampled_from(STATUSES)), min_size=1, max_size=4),
    "work": st.lists(st.tuples(st.integers(0, 3), st.integers(-1, 6), st.integers(0, 6),
                               st.sampled_from(["venture", "revenue", "personal"])),
                     min_size=1, max_size=8),
}))


def _build(spec, password_hash):
    tag = id(spec)
    orgs = [Organisation(name=f"Twin {tag} {i}") for i in range(spec["orgs"])]
    users = [User(email=f"twin{tag}-{i}@example.org", name=f"U{i}", role=role,
                  organisation=orgs[org], password_hash=password_hash)
             for i, (role, org) in enumerate(spec["users"])]
    db.session.add_all(users)
    ventures = []
    for order, states, status in spec["ventures"]:
        venture = Venture(name="V", currency="EUR", created_by=users[0], status=status)
        for role, org, state in zip(PARTY_ROLES, order[:3], states, strict=True):
            venture.parties.append(VentureParty(
                role=role, organisation=orgs[org],
                accepted_at=utcnow() if state == "accepted" else None,
                declined_at=utcnow() if state == "declined" else None,
                withdrawn_at=utcnow() if state == "withdrawn" else None))
        db.session.add(venture)
        ventures.append(venture)
    db.session.flush()
    for venture_index, assignee, raiser, audience in spec["work"]:
        venture = ventures[venture_index % len(ventures)]
        person = users[assignee % len(users)] if assignee >= 0 else None
        db.session.add_all([
            Milestone(venture_id=venture.id, title="M", stage="discovery", party="customer",
                      due_date=utcnow().date(), assignee_id=person and person.id),
            Issue(venture_id=venture.id, title="I", severity="low", party="customer",
                  raised_by_id=users[raiser % len(users)].id, raised_by_party="customer",
                  assignee_id=person and person.id),
            Activity(venture_id=venture.id, actor_id=users[0].id, action="did",
                     object_type="venture", object_id=venture.id,
                     audience="venture" if audience == "personal" else audience),
            Notification(user_id=users[raiser % len(users)].id, kind="mentioned",
                         venture_id=venture.id if assignee >= 0 else None,
                         audience=audience, text="t", url="/")])
    db.session.flush()
    return users, ventures


def _python_admits(predicate, kind, user, row, ventures_by_id):
    if kind == "venture":
        return predicate(user, row)
    return predicate(user, row, ventures_by_id.get(row.venture_id))


def _sql_admits(twin, kind, user, model):
    clause = twin(user, Venture.id) if kind == "venture" else twin(user)
    return set(db.session.scalars(select(model.id).where(clause)))


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(world)
def test_every_predicate_and_its_sql_twin_admit_the_same_rows(password_hash, spec):
    savepoint = db.session.begin_nested()
    try:
        users, ventures = _build(spec, password_hash)
        ventures_by_id = {v.id: v for v in ventures}
        for predicate, twin, kind in TWINS:
            model = ROWS[kind]
            rows = db.session.scalars(select(model).where(
                (model.id if kind == "venture" else model.venture_id).in_(ventures_by_id)
                | (model.user_id.in_([u.id for u in users]) if kind == "notification"
                   else false()))).all()
            for user in users:
                expected = {r.id for r in rows
                            if _python_admits(predicate, kind, user, r, ventures_by_id)}
                found = _sql_admits(twin, kind, user, model) & {r.id for r in rows}
                assert found == expected, (twin.__name__, user.role, spec)
        # the venture list's count of them (counted from the parties alone) is the twin's
        for user in users:
            viewable = select(Venture.id).where(sql_can_view_venture(user, Venture.id))
            assert db.session.scalar(sql_count_viewable_ventures(user)) == db.session.scalar(
                select(func.count()).select_from(viewable.subquery())), (user.role, spec)
        # the party rows read in place of the ventures (Home's board) are one per venture
        # the twin admits, or None for whoever sees every venture
        for user in users:
            viewable = sql_viewable_by_party(user)
            if viewable is None:
                assert user.is_admin, spec
                continue
            party, condition = viewable
            via_parties = db.session.scalars(select(party.venture_id).where(condition)).all()
            expected = db.session.scalars(
                select(Venture.id).where(sql_can_view_venture(user, Venture.id))).all()
            assert sorted(via_parties) == sorted(expected), (user.role, spec)
        # belonging asked as a look-up per row (Home's oldest work waiting) is belonging
        for user in users:
            by_lookup = db.session.scalars(select(Venture.id).where(
                sql_belongs_by_lookup(user, Venture.id))).all()
            expected = db.session.scalars(
                select(Venture.id).where(sql_belongs(user, Venture.id))).all()
            assert sorted(by_lookup) == sorted(expected), (user.role, spec)
        # the organisations the database counts as sharing a venture with the viewer's
        # (the partner filter) are those with a party in a venture the twin admits
        for user in users:
            visible = select(VentureParty.organisation_id).where(
                sql_can_view_venture(user, VentureParty.venture_id))
            assert set(db.session.scalars(sql_partner_ids(user))) == \
                set(db.session.scalars(visible)), (user.role, spec)
        # the organisation's revenue rollup is the whole report of its leads and finance
        for user in users:
            organisation = revenue_organisation(user)
            for venture in ventures:
                in_rollup = organisation is not None and any(
                    p.organisation_id == organisation and p.accepted for p in venture.parties)
                assert can_view_revenue(user, venture) == (in_rollup or user.is_admin), spec
    finally:
        savepoint.rollback()


def test_every_rule_about_a_venture_or_its_work_has_a_twin():
    from cotrack.domain import permissions

    paired = {predicate.__name__ for predicate, _, _ in TWINS}
    combined = {"can_update_milestone", "can_update_issue"}  # made of paired rules
    about_nobody = {"can_administer", "can_use_reports", "can_create_venture"}
    rules = {name for name in dir(permissions) if name.startswith("can_")}
    assert rules - paired - combined - about_nobody == set()
