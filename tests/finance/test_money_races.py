"""Revenue recorded while the third approval activates a new split agreement: whichever
comes second sees the first (both take the venture's lock before deciding), so no entry is
ever allocated by an agreement other than the one in effect on its date. Real commits from
two threads on a database of its own; PostgreSQL when TEST_DATABASE_URL is set."""

import threading

import pytest
from sqlalchemy import select

from cotrack.domain.errors import DomainError
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Organisation, RevenueEntry, SplitAgreement, User, Venture
from cotrack.services import agreements, ledger, ventures

ROUNDS = 8  # the race is timing-bound: several rounds make a miss unlikely



def _venture(n: int, password_hash) -> tuple[int, dict, int]:
    """A venture with v1 (from 2025-01-01) active and v2 (from 2026-03-01) approved twice."""
    finance = {}
    for role in PARTY_ROLES:
        org = Organisation(name=f"Race {n} {role}")
        lead = User(email=f"lead-{n}-{role}@example.org", name=f"Lead {role}", role="lead",
                    organisation=org, password_hash=password_hash)
        finance[role] = User(email=f"fin-{n}-{role}@example.org", name=f"Finance {role}",
                             role="finance", organisation=org, password_hash=password_hash)
        db.session.add_all([lead, finance[role]])
        finance[f"lead_{role}"] = lead
    db.session.flush()
    venture = ventures.create_venture(
        finance["lead_customer"], name=f"Race {n}", description="", currency="EUR",
        parties={r: finance[f"lead_{r}"].organisation_id for r in PARTY_ROLES})
    for role in ("reseller", "manufacturer"):
        ventures.accept(finance[f"lead_{role}"], venture)
    for effective_from, deciders in (("2025-01-01", PARTY_ROLES),
                                     ("2026-03-01", ("customer", "reseller"))):
        agreement = agreements.propose(finance["customer"], venture,
                                       effective_from=effective_from,
                                       shares={"customer": "20.00", "reseller": "30.00",
                                               "manufacturer": "50.00"})
        for role in deciders:
            agreements.decide(finance[role], venture, agreement, "approve")
    db.session.commit()
    return venture.id, {r: finance[r].id for r in PARTY_ROLES}, agreement.id


@pytest.mark.own_db
def test_revenue_and_the_last_approval_of_an_agreement_at_once(race_db, password_hash):
    with race_db.app_context():
        cases = [_venture(n, password_hash) for n in range(ROUNDS)]
    for venture_id, finance, second_id in cases:
        barrier = threading.Barrier(2, timeout=30)
        outcomes = {}

        def act(name, work, venture_id=venture_id, barrier=barrier, outcomes=outcomes):
            with race_db.app_context():
                venture = db.session.get(Venture, venture_id)
                _ = [(p.role, p.organisation_id) for p in venture.parties]
                db.session.commit()  # end the read (on SQLite it would hold the lock)
                barrier.wait()
                try:
                    work(venture)
                    db.session.commit()
                    outcomes[name] = "ok"
                except DomainError as exc:
                    db.session.rollback()
                    outcomes[name] = exc.message

        def approve(venture, finance=finance, second_id=second_id):
            agreements.decide(db.session.get(User, finance["manufacturer"]), venture,
                              db.session.get(SplitAgreement, second_id), "approve")

        def record(venture, finance=finance):
            ledger.record_entry(db.session.get(User, finance["customer"]), venture, {
                "date": "2026-04-01", "amount": "100.00", "reference": "R-1", "region": "",
                "note": ""})

        threads = [threading.Thread(target=act, args=("approve", approve)),
                   threading.Thread(target=act, args=("record", record))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert outcomes.get("record") == "ok", outcomes
        with race_db.app_context():
            venture = db.session.get(Venture, venture_id)
            entry = db.session.scalar(select(RevenueEntry).where(
                RevenueEntry.venture_id == venture_id))
            in_effect = agreements.agreement_in_effect(venture, entry.entry_date)
            assert entry.agreement_id == in_effect.id, (
                f"the entry dated {entry.entry_date} was allocated by agreement "
                f"{entry.agreement_id}, but {in_effect.id} is in effect then ({outcomes})")
