"""Two invitations answered at once by one organisation, in two ventures with the same
partners: the database's count of the ventures they share (the partner filter's,
``organisation_partner``) counts both, and neither answer fails. Runs on its own database
with real commits from two threads, on PostgreSQL when TEST_DATABASE_URL is set."""

import threading

import pytest
from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import Organisation, OrganisationPartner, User, Venture, VentureParty
from cotrack.services import ventures


def _counted() -> dict:
    return {(r.organisation_id, r.partner_id): r.ventures
            for r in db.session.scalars(select(OrganisationPartner))}


def _expected() -> dict:
    member, party = VentureParty, select(VentureParty).subquery()
    rows = db.session.execute(
        select(member.organisation_id, party.c.organisation_id, func.count())
        .join(party, party.c.venture_id == member.venture_id)
        .where(member.accepted_at.is_not(None))
        .group_by(member.organisation_id, party.c.organisation_id)).all()
    return {(a, b): n for a, b, n in rows}


@pytest.mark.own_db
def test_two_answers_at_once_are_both_counted(race_db, password_hash):
    with race_db.app_context():
        leads = {role: User(email=f"partners-{role}@example.org", name=role, role="lead",
                            organisation=Organisation(name=f"Partners {role}"),
                            password_hash=password_hash)
                 for role in ("customer", "reseller", "manufacturer")}
        db.session.add_all(leads.values())
        db.session.flush()
        made = [ventures.create_venture(
            leads["customer"], name=f"Shared {i}", description="", currency="EUR",
            parties={r: u.organisation_id for r, u in leads.items()}) for i in range(2)]
        db.session.commit()
        venture_ids = [v.id for v in made]
        reseller_id = leads["reseller"].id
        orgs = {r: u.organisation_id for r, u in leads.items()}
    first_written, second_done = threading.Event(), threading.Event()
    outcomes = {}

    def answer(index):
        with race_db.app_context():
            try:
                if index == 1:  # read nothing before: on SQLite a read would hold the lock
                    first_written.wait(30)
                user = db.session.get(User, reseller_id)
                ventures.accept(user, db.session.get(Venture, venture_ids[index]))
                db.session.flush()  # the database counts the pairs again here
                if index == 0:
                    first_written.set()  # hold the first open while the second writes
                    second_done.wait(2)
                db.session.commit()
                outcomes[index] = "ok"
            except Exception as exc:  # noqa: BLE001  (reported by the assertion)
                db.session.rollback()
                outcomes[index] = repr(exc)
            finally:
                if index == 1:
                    second_done.set()

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == {0: "ok", 1: "ok"}
    with race_db.app_context():
        counted = _counted()
        assert counted[orgs["reseller"], orgs["customer"]] == 2
        assert counted[orgs["reseller"], orgs["manufacturer"]] == 2
        assert counted == _expected()
