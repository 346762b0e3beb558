"""Two leads approving the same gate at the same moment make exactly one transition.

Runs on its own database with real commits from two threads (two connections), on
PostgreSQL when TEST_DATABASE_URL is set and on SQLite otherwise.
"""

import threading

import pytest
from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import GateRequest, StageTransition, User, Venture
from cotrack.services import gates
from tests.conftest import database_url, migrated_app


@pytest.fixture
def gate_db(tmp_path_factory, password_hash):
    app = migrated_app(database_url(tmp_path_factory, suffix="_gates"))
    yield app
    with app.app_context():
        db.engine.dispose()


def _setup(app, password_hash):
    from cotrack.models import Organisation
    from cotrack.services import ventures

    with app.app_context():
        leads = {}
        for role in ("customer", "reseller", "manufacturer"):
            org = Organisation(name=f"Race {role}")
            leads[role] = User(email=f"race-{role}@example.org", name=role, role="lead",
                               organisation=org, password_hash=password_hash)
            db.session.add(leads[role])
        db.session.flush()
        venture = ventures.create_venture(
            leads["customer"], name="Race", description="", currency="EUR",
            parties={r: u.organisation_id for r, u in leads.items()})
        for role in ("reseller", "manufacturer"):
            ventures.accept(leads[role], venture)
        gates.request_gate(leads["customer"], venture)
        gates.decide(leads["customer"], venture, "approve")
        db.session.commit()
        return venture.id, {r: u.id for r, u in leads.items()}


def _approve_at_once(app, venture_id, user_ids):
    barrier = threading.Barrier(len(user_ids), timeout=30)
    outcomes = []

    def approve(user_id):
        with app.app_context():
            user = db.session.get(User, user_id)
            venture = db.session.get(Venture, venture_id)
            _ = venture.parties  # loaded before the race starts
            db.session.commit()  # end the read (on SQLite it would hold the write lock)
            barrier.wait(timeout=30)
            try:
                gates.decide(user, venture, "approve")
                db.session.commit()
                outcomes.append("ok")
            except Exception as exc:  # noqa: BLE001  (reported in the assertion)
                db.session.rollback()
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=approve, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.own_db
def test_simultaneous_final_approvals_make_exactly_one_transition(gate_db, password_hash):
    venture_id, users = _setup(gate_db, password_hash)
    outcomes = _approve_at_once(gate_db, venture_id, [users["reseller"], users["manufacturer"]])
    assert outcomes == ["ok", "ok"]
    with gate_db.app_context():
        venture = db.session.get(Venture, venture_id)
        transitions = db.session.scalar(select(func.count(StageTransition.id)).where(
            StageTransition.venture_id == venture_id, StageTransition.gate_id.is_not(None)))
        gate = db.session.scalar(select(GateRequest).where(GateRequest.venture_id == venture_id))
        assert venture.stage == "feasibility"
        assert transitions == 1
        assert gate.status == "approved" and len(gate.approvals) == 3


@pytest.mark.own_db
def test_the_same_party_approving_twice_at_once_counts_once(gate_db, password_hash):
    venture_id, users = _setup(gate_db, password_hash)
    with gate_db.app_context():
        second = User(email="race-reseller-2@example.org", name="r2", role="lead",
                      organisation_id=db.session.get(User, users["reseller"]).organisation_id,
                      password_hash=password_hash)
        db.session.add(second)
        db.session.commit()
        second_id = second.id
    outcomes = _approve_at_once(gate_db, venture_id, [users["reseller"], second_id])
    assert sorted(o.startswith("ok") for o in outcomes) == [False, True]
    assert any("Conflict" in o for o in outcomes)
    with gate_db.app_context():
        assert db.session.get(Venture, venture_id).stage == "discovery"
