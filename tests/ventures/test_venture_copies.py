"""The board reads each venture's name, stage and status from copies on its party rows
that the database keeps: a change made through any path shows at once, and the copies
cannot be set apart from the venture."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import (
    PARTY_ROLES,
    STAGES,
    STATUSES,
    Organisation,
    OrganisationPartner,
    User,
    Venture,
    VentureParty,
)
from tests.conftest import login


def _board(client) -> dict[str, list[str]]:
    """Each stage column's card names, as the lead sees Home."""
    html = client.get("/").get_data(as_text=True)
    columns = re.findall(r'data-stage="(\w+)"(.*?)(?=data-stage="|</main>)', html, re.S)
    return {stage: re.findall(r'<div class="fw-semibold">([^<]+)</div>', body)
            for stage, body in columns}


def test_the_board_follows_a_venture_changed_by_raw_sql_and_ignores_forged_copies(
        client, make_venture):
    made = make_venture(name="Cold room")
    lead = made.leads["customer"]
    login(client, lead.email)
    assert _board(client)["discovery"] == ["Cold room"]
    # a write no service made: psql, a script, another instance
    db.session.execute(text("UPDATE venture SET name = 'Cold room II', stage = 'rollout' "
                            "WHERE id = :id"), {"id": made.venture.id})
    db.session.commit()
    board = _board(client)
    assert board["rollout"] == ["Cold room II"] and board["discovery"] == []
    # a copy written directly is put back from the venture
    db.session.execute(text("UPDATE venture_party SET venture_name = 'Forged', "
                            "venture_stage = 'discovery' WHERE venture_id = :id"),
                       {"id": made.venture.id})
    db.session.commit()
    assert _board(client)["rollout"] == ["Cold room II"]
    # shelved by raw SQL: off the board
    db.session.execute(text("UPDATE venture SET status = 'shelved' WHERE id = :id"),
                       {"id": made.venture.id})
    db.session.commit()
    assert not any(_board(client).values())


def test_a_party_written_by_raw_sql_puts_the_venture_on_its_board(client, make_venture,
                                                                   make_user):
    made = make_venture(name="Joined late")
    newcomer = Organisation(name="Newcomer")
    db.session.add(newcomer)
    db.session.flush()
    lead = make_user("lead", org=newcomer)
    db.session.execute(text(
        "UPDATE venture_party SET organisation_id = :org WHERE venture_id = :id "
        "AND role = 'reseller'"), {"org": newcomer.id, "id": made.venture.id})
    db.session.commit()
    login(client, lead.email)
    assert _board(client)["discovery"] == ["Joined late"]


changes = st.lists(st.tuples(
    st.integers(0, 2),  # which venture
    st.sampled_from(["name", "stage", "status", "party_org", "accepted", "drop_party",
                     "add_party", "drop_venture", "forge"]),
    st.integers(0, 1000), st.booleans()), min_size=1, max_size=12)


def _sql(statement: str, **params) -> None:
    db.session.execute(text(statement), params)


@settings(max_examples=25, deadline=None)
@given(changes=changes)
def test_every_party_carries_its_venture_s_columns_after_any_writes(password_hash, changes):
    """Random writes, through the ORM and through raw SQL, to ventures and to parties
    (renamed, moved, shelved; parties given to another organisation, accepted or not,
    removed, added; ventures deleted): afterwards every party row's copies equal its
    venture's columns, and the partner counts equal the parties counted afresh."""
    savepoint = db.session.begin_nested()
    try:
        orgs = [Organisation(name=f"Copies {i}") for i in range(5)]
        creator = User(email=f"copies{id(changes)}@example.org", name="C", role="lead",
                       organisation=orgs[0], password_hash=password_hash)
        made = [Venture(name=f"Copied {i}", currency="EUR", created_by=creator,
                        parties=[VentureParty(role=role, organisation=orgs[(i + n) % 4],
                                              accepted_at=utcnow())
                                 for n, role in enumerate(PARTY_ROLES)])
                for i in range(3)]
        db.session.add_all([*made, *orgs])
        db.session.flush()
        ids = [v.id for v in made]
        org_ids = [o.id for o in orgs]
        for which, change, value, raw in changes:
            venture_id, role = ids[which], PARTY_ROLES[value % 3]
            new = {"name": f"Renamed {value}", "stage": STAGES[value % len(STAGES)],
                   "status": STATUSES[value % len(STATUSES)]}.get(change)
            if change in ("name", "stage", "status"):
                venture = db.session.get(Venture, venture_id)
                if venture is None:
                    continue
                if raw:
                    _sql(f"UPDATE venture SET {change} = :v WHERE id = :id",  # noqa: S608
                         v=new, id=venture_id)
                else:
                    setattr(venture, change, new)
            elif change == "party_org":
                _sql("UPDATE venture_party SET organisation_id = CAST(:org AS INTEGER) "
                     "WHERE venture_id = CAST(:id AS INTEGER) AND role = :role AND NOT EXISTS "
                     "(SELECT 1 FROM venture_party AS other WHERE other.venture_id = "
                     "CAST(:id AS INTEGER) AND other.organisation_id = CAST(:org AS INTEGER))",
                     org=org_ids[value % 5], id=venture_id, role=role)
            elif change == "accepted":
                _sql("UPDATE venture_party SET accepted_at = :at WHERE venture_id = :id "
                     "AND role = :role", at=utcnow() if raw else None, id=venture_id,
                     role=role)
            elif change == "drop_party":
                _sql("DELETE FROM venture_party WHERE venture_id = :id AND role = :role",
                     id=venture_id, role=role)
            elif change == "add_party":
                _sql("INSERT INTO venture_party (venture_id, role, organisation_id, "
                     "invited_at, accepted_at) SELECT CAST(:id AS INTEGER), "
                     "CAST(:role AS VARCHAR(20)), CAST(:org AS INTEGER), :now, :at "
                     "WHERE EXISTS (SELECT 1 FROM venture WHERE id = CAST(:id AS INTEGER)) "
                     "AND NOT EXISTS (SELECT 1 FROM venture_party WHERE venture_id = "
                     "CAST(:id AS INTEGER) AND (role = CAST(:role AS VARCHAR(20)) "
                     "OR organisation_id = CAST(:org AS INTEGER)))",
                     id=venture_id, role=role, org=org_ids[value % 5], now=utcnow(),
                     at=utcnow() if raw else None)
            elif change == "drop_venture":
                _sql("DELETE FROM venture_party WHERE venture_id = :id", id=venture_id)
                _sql("DELETE FROM venture WHERE id = :id", id=venture_id)
            else:
                _sql("UPDATE venture_party SET venture_name = 'x', venture_status = 'y' "
                     "WHERE venture_id = :id", id=venture_id)
            db.session.flush()
            db.session.expire_all()
        rows = db.session.execute(select(
            VentureParty.venture_name, VentureParty.venture_stage, VentureParty.venture_status,
            text("venture.name"), text("venture.stage"), text("venture.status"))
            .join_from(VentureParty, VentureParty.venture)
            .where(VentureParty.venture_id.in_(ids))).all()
        assert all(tuple(r[:3]) == tuple(r[3:]) for r in rows)
        ours = OrganisationPartner.organisation_id.in_(org_ids)
        counted = {(r.organisation_id, r.partner_id): r.ventures
                   for r in db.session.scalars(select(OrganisationPartner).where(ours))}
        assert counted == _partners_counted_afresh(org_ids)
    finally:
        savepoint.rollback()


def _partners_counted_afresh(org_ids: list[int]) -> dict:
    member, party = VentureParty, select(VentureParty).subquery()
    rows = db.session.execute(
        select(member.organisation_id, party.c.organisation_id, func.count())
        .join(party, party.c.venture_id == member.venture_id)
        .where(member.accepted_at.is_not(None), member.organisation_id.in_(org_ids))
        .group_by(member.organisation_id, party.c.organisation_id)).all()
    return {(a, b): n for a, b, n in rows}
