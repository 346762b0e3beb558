"""Demo milestones and issues for the demo ventures (part of `flask seed-demo`)."""

from datetime import timedelta

from cotrack.extensions import db
from cotrack.models import STAGES, Issue, IssueComment, Milestone
from cotrack.services.activity import record

# (stage, title, party, assignee email or None, due offset days from stage start,
#  completed offset days or None, status)
PLAN = {
    "discovery": [("Site visits at three locations", "reseller", "lead@summit.example", 20, 18),
                  ("Requirements workshop", "customer", "member@northwind.example", 35, 40)],
    "feasibility": [("Site engineering report", "reseller", "lead@summit.example", 40, 38),
                    ("Power and cooling survey", "customer", "member@northwind.example", 30, 29)],
    "development": [("Prototype build", "manufacturer", "engineer@forge.example", 80, 95),
                    ("Firmware for vibration damping", "manufacturer",
                     "engineer@forge.example", 90, 88)],
    "field_trial": [("Trial at Northwind depot", "customer", "member@northwind.example", 90, 100),
                    ("Bug bash with all three partners", "manufacturer",
                     "engineer@forge.example", 120, 118)],
    "rollout": [("Rollout to 14 sites", "reseller", "lead@summit.example", 150, None),
                ("Worldwide launch material", "manufacturer", "lead@forge.example", 40, None)],
}


def seed_work(demo) -> None:
    for key in ("mobile", "edge", "cold"):
        _milestones(demo, demo.ventures[key])
    _issues(demo)


def _of_a_party(demo, venture, email, role):
    """The person named, if their organisation is a party of the venture; else the lead of
    the accountable party (the plan names Northwind's people, not every venture has it)."""
    person = demo.users.get(email)
    if person is None or venture.party_of(person.organisation_id) is not None:
        return person
    return demo.lead(venture.party(role).organisation.name)


def _milestones(demo, venture) -> None:
    entered = {t.to_stage: t.at for t in venture.transitions}
    current = STAGES.index(venture.stage)
    for stage in STAGES[: current + 1]:
        start = entered[stage]
        for title, party, email, due, done in PLAN.get(stage, []):
            finished = stage != venture.stage and done is not None
            milestone = Milestone(
                venture_id=venture.id, title=title, stage=stage, party=party,
                assignee=_of_a_party(demo, venture, email, party),
                due_date=(start + timedelta(days=due)).date(),
                status="done" if finished else "in_progress" if due < 60 else "planned",
                completed_at=start + timedelta(days=done) if finished else None,
                created_at=start)
            db.session.add(milestone)
            db.session.flush()
            record(demo.lead(venture.created_by.organisation.name), venture, "created",
                   milestone).at = start


def _issue(demo, venture, title, severity, party, raiser, assignee, status, age_days,
           comments=(), created=None):
    raised_by = demo.users[raiser]
    created = created or venture.transitions[-1].at + timedelta(days=5)
    issue = Issue(venture_id=venture.id, title=title, severity=severity, party=party,
                  raised_by=raised_by, assignee=demo.users.get(assignee), status=status,
                  raised_by_party=venture.party_of(raised_by.organisation_id).role,
                  created_at=created, resolved_at=created + timedelta(days=age_days)
                  if status in ("resolved", "closed") else None)
    db.session.add(issue)
    db.session.flush()
    record(raised_by, venture, "raised", issue, changes={"severity": severity}).at = created
    for email, body in comments:
        db.session.add(IssueComment(issue=issue, author=demo.users[email], body=body,
                                    created_at=created + timedelta(days=1)))
    return issue


def _issues(demo) -> None:
    mobile, edge = demo.ventures["mobile"], demo.ventures["edge"]
    trial = next(t.at for t in mobile.transitions if t.to_stage == "field_trial")
    _issue(demo, mobile, "Array drops a disk under vibration", "critical", "manufacturer",
           "member@northwind.example", "engineer@forge.example", "resolved", 12, [
               ("engineer@forge.example", "Reproduced on the shaker table."),
               ("lead@summit.example", "Fix verified at the depot.")],
           created=trial + timedelta(days=20))
    _issue(demo, mobile, "Handle latch squeaks", "low", "manufacturer",
           "lead@northwind.example", "engineer@forge.example", "closed", 3)
    _issue(demo, edge, "Cache misses spike after failover", "high", "manufacturer",
           "member@northwind.example", "engineer@forge.example", "in_progress", 0,
           [("engineer@forge.example", "Looking at the warm-up path.")])
    _issue(demo, edge, "Trial site needs a second uplink", "medium", "customer",
           "lead@summit.example", "member@northwind.example", "open", 0)
    _issue(demo, edge, "Admin UI times out on large configs", "medium", "reseller",
           "lead@forge.example", None, "open", 0)
