"""Two invited leads accepting at the same moment make the venture active (each answer is
counted after the other: the venture's row is locked first). Runs on its own database
with real commits from two threads, on PostgreSQL when TEST_DATABASE_URL is set."""

import threading

import pytest

from cotrack.extensions import db
from cotrack.models import Organisation, User, Venture
from cotrack.services import ventures


@pytest.mark.own_db
def test_two_invited_leads_accepting_at_once_make_the_venture_active(race_db, password_hash):
    with race_db.app_context():
        leads = {role: User(email=f"accept-{role}@example.org", name=role, role="lead",
                            organisation=Organisation(name=f"Accept {role}"),
                            password_hash=password_hash)
                 for role in ("customer", "reseller", "manufacturer")}
        db.session.add_all(leads.values())
        db.session.flush()
        venture = ventures.create_venture(
            leads["customer"], name="Race", description="", currency="EUR",
            parties={r: u.organisation_id for r, u in leads.items()})
        db.session.commit()
        venture_id, ids = venture.id, {r: u.id for r, u in leads.items()}
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def accept(user_id):
        with race_db.app_context():
            user, venture = db.session.get(User, user_id), db.session.get(Venture, venture_id)
            _ = [p.accepted for p in venture.parties]  # read before the race, as a page does
            db.session.commit()  # end the read (on SQLite it would hold the lock)
            barrier.wait()
            try:
                ventures.accept(user, venture)
                db.session.commit()
                outcomes.append("ok")
            except Exception as exc:  # noqa: BLE001  (reported by the assertion)
                db.session.rollback()
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=accept, args=(ids[r],)) for r in ("reseller",
                                                                          "manufacturer")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == ["ok", "ok"]
    with race_db.app_context():
        venture = db.session.get(Venture, venture_id)
        assert venture.status == "active"
        assert all(p.accepted for p in venture.parties)
