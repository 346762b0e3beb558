"""The board reads each venture's name, stage and status from copies on its party rows
that the database keeps: a change made through any path shows at once, and the copies
cannot be set apart from the venture."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import (
    PARTY_ROLES,
    STAGES,
    STATUSES,
    Organisation,
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
    st.sampled_from(["name", "stage", "status", "party_org", "forge"]),
    st.integers(0, 1000), st.booleans()), min_size=1, max_size=12)


@settings(max_examples=25, deadline=None)
@given(changes=changes)
def test_every_party_carries_its_venture_s_columns_after_any_writes(password_hash, changes):
    """Random writes, through the ORM and through raw SQL, to ventures and to parties:
    afterwards every party row's copies equal its venture's columns."""
    savepoint = db.session.begin_nested()
    try:
        orgs = [Organisation(name=f"Copies {i}") for i in range(4)]
        spare = orgs[3]
        creator = User(email=f"copies{id(changes)}@example.org", name="C", role="lead",
                       organisation=orgs[0], password_hash=password_hash)
        made = [Venture(name=f"Copied {i}", currency="EUR", created_by=creator,
                        parties=[VentureParty(role=role, organisation=org, accepted_at=utcnow())
                                 for role, org in zip(PARTY_ROLES, orgs, strict=False)])
                for i in range(3)]
        db.session.add_all([*made, spare])
        db.session.flush()
        for which, column, value, raw in changes:
            venture = made[which]
            new = {"name": f"Renamed {value}", "stage": STAGES[value % len(STAGES)],
                   "status": STATUSES[value % len(STATUSES)]}.get(column)
            if column in ("name", "stage", "status"):
                if raw:
                    db.session.execute(text(f"UPDATE venture SET {column} = :v WHERE id = :id"),  # noqa: S608
                                       {"v": new, "id": venture.id})
                    db.session.expire(venture)
                else:
                    setattr(venture, column, new)
            elif column == "party_org":
                party = venture.parties[value % 3]
                if spare.id not in {p.organisation_id for p in venture.parties}:
                    party.organisation = spare
            else:
                db.session.execute(text("UPDATE venture_party SET venture_name = 'x', "
                                        "venture_status = 'y' WHERE venture_id = :id"),
                                   {"id": venture.id})
            db.session.flush()
        rows = db.session.execute(select(
            VentureParty.venture_name, VentureParty.venture_stage, VentureParty.venture_status,
            text("venture.name"), text("venture.stage"), text("venture.status"))
            .join_from(VentureParty, VentureParty.venture)).all()
        assert rows and all(tuple(r[:3]) == tuple(r[3:]) for r in rows)
    finally:
        savepoint.rollback()
