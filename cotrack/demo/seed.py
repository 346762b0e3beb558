"""Demo data: DOMAIN.md's example partners, their accounts and ventures with a history.

Built directly (not through the services) so that the history can carry past dates; every
row the services would write, including the activity trail, is written here as well.
"""

from datetime import timedelta

from cotrack.db.timestamps import utcnow
from cotrack.demo.news import seed_news
from cotrack.demo.revenue import seed_revenue
from cotrack.demo.work import seed_work
from cotrack.domain.passwords import hash_password
from cotrack.extensions import db
from cotrack.models import (
    STAGES,
    GateApproval,
    GateRequest,
    Organisation,
    StageTransition,
    StatusUpdate,
    User,
    Venture,
    VentureParty,
)
from cotrack.services.activity import record

DEMO_PASSWORD = "cotrack-demo"  # noqa: S105  (documented demo password)

ORGANISATIONS = {
    "Northwind Storage": [("lead@northwind.example", "Nora Lind", "lead"),
                          ("member@northwind.example", "Mats Berg", "member")],
    "Summit Channel Partners": [("lead@summit.example", "Sam Okafor", "lead"),
                                ("finance@summit.example", "Fiona Reyes", "finance")],
    "Forge Devices": [("lead@forge.example", "Lena Forsberg", "lead"),
                      ("finance@forge.example", "Felix Braun", "finance"),
                      ("engineer@forge.example", "Eli Novak", "member")],
    "Harbor Logistics": [("lead@harbor.example", "Hana Ito", "lead")],
    "CoTrack": [("admin@cotrack.example", "Ada Admin", "admin")],
}


class Demo:
    """Handles to what the seed made, for later parts of the seed to build on."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.orgs: dict[str, Organisation] = {}
        self.ventures: dict[str, Venture] = {}

    def lead(self, org_name: str) -> User:
        return next(u for u in self.users.values()
                    if u.organisation.name == org_name and u.role == "lead")


def seed() -> list[User]:
    demo = Demo()
    _accounts(demo)
    _ventures(demo)
    db.session.flush()
    seed_work(demo)
    seed_revenue(demo)
    db.session.flush()
    seed_news(demo)
    return list(demo.users.values())


def _accounts(demo: Demo) -> None:
    for org_name, people in ORGANISATIONS.items():
        org = demo.orgs[org_name] = Organisation(name=org_name)
        db.session.add(org)
        for email, name, role in people:
            demo.users[email] = User(email=email, name=name, role=role, organisation=org,
                                     password_hash=hash_password(DEMO_PASSWORD))
    db.session.add_all(demo.users.values())
    db.session.flush()


def _ventures(demo: Demo) -> None:
    now = utcnow()
    nsf = ("Northwind Storage", "Summit Channel Partners", "Forge Devices")
    demo.ventures["mobile"] = _venture(
        demo, "Mobile storage array",
        "A rugged, mobile storage array for Northwind's field locations. Summit ran the "
        "discovery after the first system did not fit; Forge builds the new product.",
        "EUR", nsf, creator="Summit Channel Partners", start=now - timedelta(days=425),
        stage_days=[45, 60, 110, 150], updates=[
            ("green", "Discovery done: the requirements are the sites, not the boxes.", ""),
            ("amber", "Field trial found a firmware bug under vibration.",
             "Forge ships a fix; trial extended by four weeks."),
            ("green", "Northwind orders for every location; Forge sells it worldwide.",
             "Rollout to 14 sites this quarter."),
        ])
    demo.ventures["edge"] = _venture(
        demo, "Edge cache appliance",
        "A cache appliance at the edge of Northwind's network, trialled at three sites.",
        "USD", nsf, creator="Summit Channel Partners", start=now - timedelta(days=240),
        stage_days=[30, 40, 95], updates=[
            ("green", "Prototype meets the latency target.", "Start the field trial."),
            ("amber", "Two open field-trial issues slow the trial.", "Weekly bug triage."),
        ])
    demo.ventures["cold"] = _venture(
        demo, "Cold-chain sensors",
        "Temperature sensors for Harbor's refrigerated containers.", "EUR",
        ("Harbor Logistics", "Summit Channel Partners", "Forge Devices"),
        creator="Harbor Logistics", start=now - timedelta(days=20), stage_days=[], updates=[
            ("green", "Kick-off held; discovery interviews planned.", ""),
        ])
    demo.ventures["shelf"] = _venture(
        demo, "Smart shelf labels",
        "E-paper shelf labels for Northwind's warehouses, driven by the storage inventory.",
        "EUR", nsf, creator="Summit Channel Partners", start=now - timedelta(days=3),
        stage_days=[], updates=[], pending_for=("Northwind Storage",))


def _venture(demo, name, description, currency, org_names, *, creator, start, stage_days,
             updates, pending_for=()) -> Venture:
    author = demo.lead(creator)
    venture = Venture(name=name, description=description, currency=currency,
                      created_by=author, created_at=start,
                      status="pending" if pending_for else "active")
    for role, org_name in zip(("customer", "reseller", "manufacturer"), org_names, strict=True):
        answered = None if org_name in pending_for else start + timedelta(
            days=0 if org_name == creator else 2)
        venture.parties.append(VentureParty(
            role=role, organisation=demo.orgs[org_name], invited_by=author, invited_at=start,
            accepted_at=answered, responded_by=demo.lead(org_name) if answered else None))
    db.session.add(venture)
    db.session.add(StageTransition(venture=venture, to_stage="discovery", at=start))
    db.session.flush()
    _at(record(author, venture, "created", venture, changes={"currency": currency}), start)
    when = start
    for days in stage_days:
        when += timedelta(days=days)
        _pass_gate(demo, venture, org_names, when)
    for i, (health, summary, decisions) in enumerate(updates):
        posted = start + (when - start) * (i + 1) / max(len(updates), 1) + timedelta(days=1)
        update = StatusUpdate(venture_id=venture.id, author=demo.lead(org_names[i % 3]),
                              health=health, summary=summary, decisions=decisions,
                              created_at=min(posted, utcnow()))
        db.session.add(update)
        db.session.flush()
        _at(record(update.author, venture, "posted", update, label=f"Status {health}",
                   changes={"health": health, "summary": summary}), update.created_at)
    return venture


def _pass_gate(demo, venture, org_names, when) -> None:
    """Request the gate to the next stage and have all three leads approve it."""
    to_stage = STAGES[STAGES.index(venture.stage) + 1]
    requester = demo.lead(org_names[1])
    gate = GateRequest(venture=venture, from_stage=venture.stage, to_stage=to_stage,
                       requested_by=requester, requested_at=when - timedelta(days=4),
                       status="approved", decided_at=when)
    for offset, (role, org_name) in enumerate(zip(("reseller", "customer", "manufacturer"),
                                                  (org_names[1], org_names[0], org_names[2]),
                                                  strict=True)):
        gate.approvals.append(GateApproval(role=role, user=demo.lead(org_name),
                                           decision="approve", comment="Agreed.",
                                           at=when - timedelta(days=2 - offset)))
    db.session.add(gate)
    db.session.flush()
    db.session.add(StageTransition(venture=venture, from_stage=venture.stage,
                                   to_stage=to_stage, gate_id=gate.id, at=when))
    _at(record(requester, venture, "stage changed", venture,
               changes={"stage": [venture.stage, to_stage]}), when)
    venture.stage = to_stage


def _at(activity, when) -> None:
    activity.at = when
