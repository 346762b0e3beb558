"""Fresh news for the demo (part of `flask seed-demo`): each demo lead finds unread
notifications and things waiting on them, and the immediate ones go out as mails (written
as .eml files into instance/mail by the worker that `make run` starts).

The history written before this (a year of revenue, signed agreements) is marked read and
not mailed: it is the past, not news.
"""

from datetime import timedelta

from sqlalchemy import delete, update

from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.extensions import db
from cotrack.models import (
    GateApproval,
    GateRequest,
    Issue,
    Milestone,
    Notification,
    OutboundMail,
)
from cotrack.services import issues, updates
from cotrack.services.activity import record
from cotrack.services.notifications import about, leads, notify
from cotrack.services.ventures import tell_invited


def seed_news(demo) -> None:
    now = utcnow()
    db.session.execute(delete(OutboundMail))
    db.session.execute(update(Notification).values(read_at=now))
    _invitation(demo)
    _gate(demo, now)
    _conversation(demo)
    _overdue(demo, now)
    db.session.flush()


def _invitation(demo) -> None:
    shelf = demo.ventures["shelf"]
    party = shelf.party("customer")
    tell_invited(demo.lead("Summit Channel Partners"), shelf, party.role, party.organisation)


def _gate(demo, now) -> None:
    """Edge cache: Summit asked to leave the field trial six days ago; Forge approved,
    Northwind has not yet."""
    edge = demo.ventures["edge"]
    summit, forge = demo.lead("Summit Channel Partners"), demo.lead("Forge Devices")
    gate = GateRequest(venture=edge, from_stage=edge.stage, to_stage="rollout",
                       requested_by=summit, requested_at=now - timedelta(days=6))
    db.session.add(gate)
    db.session.flush()
    row = record(summit, edge, "requested", gate,
                 label="Field trial → Rollout")
    row.at = gate.requested_at
    notify("gate_requested", leads(edge), edge, actor=summit, text=about(row, edge),
           url=paths.venture(edge.id, "gate"))
    gate.approvals.append(GateApproval(role="reseller", user=summit, decision="approve",
                                       comment="", at=gate.requested_at))
    gate.approvals.append(GateApproval(role="manufacturer", user=forge, decision="approve",
                                       comment="Ready from our side.",
                                       at=now - timedelta(days=5)))


def _conversation(demo) -> None:
    """A field-trial issue where people mention each other, and a status update."""
    edge = demo.ventures["edge"]
    issue = db.session.query(Issue).filter_by(venture_id=edge.id,
                                              title="Cache misses spike after failover").one()
    issues.add_comment(demo.users["engineer@forge.example"], edge, issue,
                       "@Nora Lind can your team rerun the failover test at the depot? "
                       "@Sam Okafor the fix is in build 4.2.")
    issues.add_comment(demo.users["lead@northwind.example"], edge, issue,
                       "@Lena Forsberg we rerun it on Thursday; @Eli Novak please stand by.")
    updates.post_update(demo.lead("Summit Channel Partners"), edge, health="amber",
                        summary="Failover fix in test at the depot; the gate to rollout waits "
                                "on Northwind's approval.",
                        decisions="@Hana Ito is not on this venture, so this mention does "
                                  "nothing.")
    cold = demo.ventures["cold"]
    updates.post_update(demo.lead("Forge Devices"), cold, health="green",
                        summary="@Hana Ito sensor samples ship next week; @Sam Okafor please "
                                "book the reefer trial slot.")


def _overdue(demo, now) -> None:
    """Cold-chain: Harbor's site survey was due a week ago."""
    cold = demo.ventures["cold"]
    hana = demo.lead("Harbor Logistics")
    milestone = Milestone(venture_id=cold.id, title="Reefer site survey", stage="discovery",
                          party="customer", assignee=hana, status="in_progress",
                          due_date=(now - timedelta(days=7)).date(),
                          created_at=now - timedelta(days=18))
    db.session.add(milestone)
    db.session.flush()
    record(demo.lead("Harbor Logistics"), cold, "created", milestone).at = milestone.created_at
    notify("milestone_overdue", [hana], cold, actor=None,
           dedupe_key=f"overdue:{milestone.id}:{milestone.due_date.isoformat()}",
           url=paths.milestone(cold.id, milestone.id),
           text=f"The milestone “{milestone.title}” of “{cold.name}” was due "
                f"{milestone.due_date.isoformat()} and is in progress.")
