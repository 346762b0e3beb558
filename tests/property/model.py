"""The machine's model: facts read from the database with plain SQL, and an oracle that says
from those facts what DOMAIN.md's permission table allows each person.

Nothing here calls cotrack.permissions, cotrack.queries or the services: the oracle is a
second, independent reading of the table, so the app cannot agree with itself by mistake.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import text

STAGES = ("discovery", "feasibility", "development", "field_trial", "rollout", "closed")
ROLES = ("customer", "reseller", "manufacturer")
FINISHED = ("done", "cancelled")
UNRESOLVED = ("open", "in_progress")
ISSUE_FLOW = {"open": ("in_progress", "resolved", "closed"),
              "in_progress": ("open", "resolved", "closed"),
              "resolved": ("closed", "open"), "closed": ("open",)}


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass
class Venture:
    id: int
    name: str
    status: str
    stage: str
    currency: str
    #: organisation id -> (role, accepted, declined)
    parties: dict = field(default_factory=dict)

    def accepted(self, org_id: int) -> bool:
        party = self.parties.get(org_id)
        return bool(party and party[1])

    def invited(self, org_id: int) -> bool:
        party = self.parties.get(org_id)
        return bool(self.status == "pending" and party and not party[1] and not party[2])

    def role_of(self, org_id: int) -> str | None:
        return self.parties[org_id][0] if self.accepted(org_id) else None

    @property
    def next_stage(self) -> str | None:
        index = STAGES.index(self.stage)
        return STAGES[index + 1] if index + 1 < len(STAGES) else None


@dataclass
class World:
    """Everything the oracle needs, as the database holds it at one moment."""

    ventures: dict
    users: dict            # id -> (org_id, role, active)
    milestones: dict       # id -> row
    issues: dict           # id -> row
    open_gates: dict       # venture id -> (gate id, kind, {role: decision})
    agreements: dict       # id -> (row, {role: decision})
    entries: dict          # id -> row, with .reversed
    fingerprint: tuple

    def party_users(self, venture: Venture) -> set[int]:
        return {uid for uid, (org, _, active) in self.users.items()
                if active and venture.accepted(org)}

    def unfinished(self, venture: Venture) -> list[int]:
        return [m.id for m in self.milestones.values()
                if m.venture_id == venture.id and m.stage == venture.stage
                and m.status not in FINISHED]

    def open_critical(self, venture: Venture) -> list[int]:
        return [i.id for i in self.issues.values() if i.venture_id == venture.id
                and i.severity == "critical" and i.status in UNRESOLVED]

    def gate_conditions_hold(self, venture: Venture) -> bool:
        """DOMAIN.md: every milestone of the stage done or cancelled; leaving field trial,
        no open critical issue."""
        if self.unfinished(venture):
            return False
        return venture.stage != "field_trial" or not self.open_critical(venture)

    def latest_revenue_date(self, venture_id: int):
        dates = [_date(e.entry_date) for e in self.entries.values() if e.venture_id == venture_id]
        return max(dates, default=None)

    def latest_signed_from(self, venture_id: int):
        dates = [_date(a.effective_from) for a, _ in self.agreements.values()
                 if a.venture_id == venture_id and a.status in ("active", "superseded")]
        return max(dates, default=None)

    def agreement_on(self, venture_id: int, day: date) -> bool:
        return any(a.venture_id == venture_id and a.status in ("active", "superseded")
                   and _date(a.effective_from) <= day for a, _ in self.agreements.values())

    def live_references(self, venture_id: int) -> set[str]:
        """References of the venture's entries that are neither reversals nor reversed."""
        return {e.reference for e in self.entries.values() if e.venture_id == venture_id
                and e.reverses_id is None and not e.reversed}

    def any_references(self, venture_id: int) -> set[str]:
        return {e.reference for e in self.entries.values() if e.venture_id == venture_id}


FINGERPRINT = text("""SELECT
  (SELECT count(*) FROM activity), (SELECT count(*) FROM revenue_entry),
  (SELECT count(*) FROM milestone), (SELECT coalesce(sum(version), 0) FROM milestone),
  (SELECT count(*) FROM issue), (SELECT coalesce(sum(version), 0) FROM issue),
  (SELECT count(*) FROM issue_comment), (SELECT count(*) FROM gate_request),
  (SELECT count(*) FROM gate_approval), (SELECT count(*) FROM split_agreement),
  (SELECT count(*) FROM agreement_approval), (SELECT count(*) FROM status_update),
  (SELECT count(*) FROM venture), (SELECT count(*) FROM venture_party
                                   WHERE accepted_at IS NOT NULL OR declined_at IS NOT NULL)""")


def fingerprint(connection) -> tuple:
    """Counts that any write changes: a refused request must leave them as they were."""
    return tuple(connection.execute(FINGERPRINT).one())


def read_world(connection) -> World:
    q = lambda sql: connection.execute(text(sql)).all()  # noqa: E731
    ventures = {r.id: Venture(r.id, r.name, r.status, r.stage, r.currency)
                for r in q("SELECT id, name, status, stage, currency FROM venture")}
    for r in q("SELECT venture_id, organisation_id, role, accepted_at, declined_at "
               "FROM venture_party"):
        ventures[r.venture_id].parties[r.organisation_id] = (
            r.role, r.accepted_at is not None, r.declined_at is not None)
    users = {r.id: (r.organisation_id, r.role, bool(r.active) and bool(r.org_active)) for r in q(
        "SELECT u.id, u.organisation_id, u.role, u.active, o.active AS org_active "
        "FROM user_account u JOIN organisation o ON o.id = u.organisation_id")}
    milestones = {r.id: r for r in q(
        "SELECT id, venture_id, title, description, stage, party, status, assignee_id, "
        "due_date, version FROM milestone")}
    issues = {r.id: r for r in q(
        "SELECT id, venture_id, title, description, severity, party, status, assignee_id, "
        "raised_by_id, milestone_id, version FROM issue")}
    decisions = defaultdict(dict)
    for r in q("SELECT gate_id, role, decision FROM gate_approval"):
        decisions[r.gate_id][r.role] = r.decision
    open_gates = {}
    for r in q("SELECT id, venture_id, kind FROM gate_request WHERE status = 'open'"):
        open_gates[r.venture_id] = (r.id, r.kind, decisions.get(r.id, {}))
    signed = defaultdict(dict)
    for r in q("SELECT agreement_id, role, decision FROM agreement_approval"):
        signed[r.agreement_id][r.role] = r.decision
    agreements = {r.id: (r, signed.get(r.id, {})) for r in q(
        "SELECT id, venture_id, version, status, effective_from FROM split_agreement")}
    reversed_ids = {r.reverses_id for r in q(
        "SELECT reverses_id FROM revenue_entry WHERE reverses_id IS NOT NULL")}
    entries = {}
    for r in q("SELECT id, venture_id, reference, amount, entry_date, reverses_id "
               "FROM revenue_entry"):
        entries[r.id] = Entry(r.id, r.venture_id, r.reference, r.amount, r.entry_date,
                              r.reverses_id, r.id in reversed_ids)
    return World(ventures, users, milestones, issues, open_gates, agreements, entries,
                 fingerprint(connection))


@dataclass
class Entry:
    id: int
    venture_id: int
    reference: str
    amount: int
    entry_date: object
    reverses_id: int | None
    reversed: bool


class Oracle:
    """DOMAIN.md's table for one person: who may see and do what in a venture."""

    def __init__(self, actor, world: World):
        self.actor, self.world = actor, world
        self.admin = actor.role == "admin"

    def venture(self, venture_id) -> Venture | None:
        return self.world.ventures.get(venture_id)

    def belongs(self, v: Venture | None) -> bool:
        return v is not None and not self.admin and v.accepted(self.actor.org_id)

    def sees(self, v: Venture | None) -> bool:
        """Views the venture: admins, and users of an accepted party. Everyone else: 404."""
        return v is not None and (self.admin or self.belongs(v))

    def sees_name(self, v: Venture) -> bool:
        """The name and description: also any organisation invited to it."""
        return self.sees(v) or (not self.admin and self.actor.org_id in v.parties)

    def lead(self, v) -> bool:
        return self.belongs(v) and self.actor.role == "lead"

    def views_revenue(self, v) -> bool:
        return self.sees(v) and (self.admin or self.actor.role in ("lead", "finance"))

    def signs(self, v) -> bool:
        return self.belongs(v) and self.actor.role in ("lead", "finance")

    def records(self, v) -> bool:
        return self.belongs(v) and self.actor.role == "finance"

    def denial(self, v, allowed: bool) -> int | None:
        """404 when the venture is not the person's to see, 403 when the role may not act."""
        if not self.sees(v):
            return 404
        return None if allowed else 403
