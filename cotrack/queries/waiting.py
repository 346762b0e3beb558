"""What waits on a person (Home, My work, GET /api/v1/me/waiting), and per venture who
holds up what (the venture's "waiting on" panel). Each item with the time it has waited."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, case, exists, func, literal_column, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from cotrack.db.constants import constant, not_among
from cotrack.db.prebuilt import TODAY, VENTURE_ID, per_viewer
from cotrack.db.rows import rows
from cotrack.domain import paths
from cotrack.domain.permissions import (
    can_view_revenue,
    sql_belongs_by_lookup,
    sql_can_sign_agreements,
)
from cotrack.domain.sentences import possessive
from cotrack.extensions import db
from cotrack.models import (
    FINISHED,
    STAGE_LABELS,
    AgreementApproval,
    GateRequest,
    Issue,
    Milestone,
    Notification,
    Organisation,
    SplitAgreement,
    User,
    Venture,
    VentureParty,
)
from cotrack.queries.notifications import inbox
from cotrack.queries.ventures import (
    assigned_unfinished,
    assigned_unresolved,
    gates_awaiting,
    my_issues_order,
    my_milestones_order,
    open_invitations,
)

LIMIT = 200

#: a venture with its parties and their organisations (who is still missing)
WITH_PARTIES = selectinload(Venture.parties).joinedload(VentureParty.organisation)


class VentureName(NamedTuple):
    """What an item shows of its venture: its name, linked by its id."""

    id: int
    name: str


@dataclass
class Waiting:
    kind: str  # invitation, gate, agreement, milestone, overdue, issue, mention
    venture: Venture | VentureName | None
    title: str
    since: datetime
    url: str
    object: dict = field(default_factory=dict)
    detail: str = ""


def _day(d) -> datetime:
    return datetime.combine(d, time(), tzinfo=UTC)


def gate_label(gate: GateRequest) -> str:
    if gate.kind == "shelve":
        return "shelve the venture"
    return f"{STAGE_LABELS[gate.from_stage]} → {STAGE_LABELS[gate.to_stage]}"


def _missing(venture: Venture, decided: set[str]) -> str:
    names = [p.organisation.name for p in venture.sorted_parties if p.role not in decided]
    return ", ".join(names)


def agreements_awaiting(user: User):
    """Proposed agreements in the user's ventures that their party has not decided on."""
    my_role = (select(VentureParty.role).where(
        VentureParty.venture_id == SplitAgreement.venture_id,
        VentureParty.organisation_id == user.organisation_id,
        VentureParty.accepted_at.is_not(None)).correlate_except(VentureParty).scalar_subquery())
    decided = exists().where(AgreementApproval.agreement_id == SplitAgreement.id,
                             AgreementApproval.role == my_role)
    # 'proposed' written into the SQL: a prepared statement's generic plan can then use the
    # partial index of proposed agreements (as a parameter it was planned afresh each time)
    return (select(SplitAgreement)
            .where(SplitAgreement.status == constant("proposed"), ~decided,
                   sql_can_sign_agreements(user, SplitAgreement.venture_id))
            .order_by(SplitAgreement.proposed_at))


def _since_milestone(today, milestone=Milestone):
    """ORDER BY a milestone's ``since``: its due date when overdue (midnight, so before
    anything created that day), else when it was created. ``milestone``: the milestone
    columns' owner (the model, or a subquery's ``.c``)."""
    overdue = milestone.due_date < today
    return (case((overdue, milestone.due_date), else_=func.date(milestone.created_at)),
            case((overdue, 0), else_=1), milestone.created_at, milestone.id)


#: what an item shows of a milestone and an issue (and its venture's name,
#: ``_in_my_ventures``): plain rows, no objects (an object costs the ORM about twice the
#: CPU of a row with the columns shown)
_MILESTONE = (Milestone.id, Milestone.title, Milestone.status, Milestone.due_date,
              Milestone.created_at, Milestone.venture_id)
_ISSUE = (Issue.id, Issue.title, Issue.severity, Issue.status, Issue.created_at,
          Issue.venture_id)


def _in_my_ventures(user: User, query: Select, venture_id) -> Select:
    """``query`` (rows of ventures' work) kept to the ventures ``user`` belongs to, each row
    with its venture's name (``venture_name``), both looked up per row: a read of a
    person's oldest few along an index then stops at the first few (no join of every row
    of theirs, ``sql_belongs_by_lookup``)."""
    name = select(Venture.name).where(Venture.id == venture_id).scalar_subquery()
    return query.add_columns(name.label("venture_name")).where(
        sql_belongs_by_lookup(user, venture_id))


def _my_milestones(user: User) -> Select:
    """Rows (``_MILESTONE`` and the venture's name) of the unfinished milestones assigned to
    ``user`` in the ventures they belong to."""
    return _in_my_ventures(user, select(*_MILESTONE).where(*assigned_unfinished(user)),
                           Milestone.venture_id)


def _my_issues(user: User) -> Select:
    """Rows (``_ISSUE`` and the venture's name) of the unresolved issues assigned to
    ``user`` in the ventures they belong to."""
    return _in_my_ventures(user, select(*_ISSUE).where(*assigned_unresolved(user)),
                           Issue.venture_id)


def oldest_milestones(user: User, today, count: int):
    """Rows (``_MILESTONE``) of the ``count`` unfinished milestones assigned to ``user``
    that have waited longest (``_since_milestone``): the oldest ``count`` overdue (by due
    date) and the oldest ``count`` others (by creation), each read along its index
    (``ix_milestone_assignee_due`` / ``_created``) until it has ``count``, then ordered
    together; not every open milestone of the person sorted (the busy lead has 309)."""
    mine = _my_milestones(user)
    overdue = (mine.where(Milestone.due_date < today)
               .order_by(Milestone.due_date, Milestone.created_at, Milestone.id).limit(count))
    others = (mine.where(Milestone.due_date >= today)
              .order_by(Milestone.created_at, Milestone.id).limit(count))
    # each limited part as a subquery: SQLite allows no LIMIT inside a compound SELECT
    both = union_all(*(select(part) for part in (overdue.subquery(), others.subquery())))
    oldest = both.subquery()
    return select(oldest).order_by(*_since_milestone(today, oldest.c)).limit(count)


def _oldest(query, per_kind: int, ordered: bool, *order):
    """``query``'s first ``per_kind`` rows; ``ordered``: oldest first, by ``order``."""
    return (query.order_by(None).order_by(*order) if ordered else query).limit(per_kind)


@per_viewer
def _invitations(user: User, per_kind: int, ordered: bool):
    return _oldest(open_invitations(user).options(joinedload(VentureParty.venture)),
                   per_kind, ordered, VentureParty.invited_at, VentureParty.id)


@per_viewer
def _gates(user: User, per_kind: int, ordered: bool):
    return _oldest(gates_awaiting(user).options(
        joinedload(GateRequest.venture).options(WITH_PARTIES),
        selectinload(GateRequest.approvals)), per_kind, ordered, GateRequest.requested_at,
        GateRequest.id)


@per_viewer
def _agreements(user: User, per_kind: int, ordered: bool):
    return _oldest(agreements_awaiting(user).options(
        joinedload(SplitAgreement.venture).options(WITH_PARTIES),
        selectinload(SplitAgreement.approvals)), per_kind, ordered,
        SplitAgreement.proposed_at, SplitAgreement.id)


@per_viewer
def _milestones(user: User, today, per_kind: int, ordered: bool):
    if ordered:
        return oldest_milestones(user, today, per_kind)
    return _my_milestones(user).order_by(*my_milestones_order(today)).limit(per_kind)


@per_viewer
def _issues(user: User, per_kind: int, ordered: bool):
    return _oldest(_my_issues(user).order_by(*my_issues_order()), per_kind, ordered,
                   Issue.created_at, Issue.id)


@per_viewer
def _mentions(user: User, per_kind: int, ordered: bool):
    mentions = (_unread_mentions(user)
                .with_only_columns(Notification.id, Notification.text, Notification.url,
                                   Notification.created_at, Notification.venture_id,
                                   Venture.name.label("venture_name"))
                .outerjoin(Venture, Notification.venture_id == Venture.id))
    return _oldest(mentions, per_kind, ordered, Notification.created_at, Notification.id)


@per_viewer
def _kinds(user: User):
    """One row, a column per kind: whether anything of it waits on ``user`` (an EXISTS
    each, which stops at the first). Invitations and gates for every role: Home lists
    its organisation's invitations to anyone."""
    kinds = {
        "invitation": open_invitations(user),
        "gate": gates_awaiting(user),
        "agreement": agreements_awaiting(user),
        # the rows of assigned_open_milestones and my_issues, their belonging looked up
        # per row of their own venture_id: the EXISTS stops at the first that belongs (as
        # a join it read all 309 of the busy lead's milestones, 0.4 ms)
        "milestone": select(Milestone.id).where(
            *assigned_unfinished(user), sql_belongs_by_lookup(user, Milestone.venture_id)),
        "issue": select(Issue.id).where(
            *assigned_unresolved(user), sql_belongs_by_lookup(user, Issue.venture_id)),
        "mention": _unread_mentions(user).with_only_columns(Notification.id),
    }
    # SELECT 1 inside each EXISTS, not every column of the entity: a shorter text
    return select(*(query.with_only_columns(literal_column("1"), maintain_column_froms=True)
                    .order_by(None).exists().label(kind) for kind, query in kinds.items()))


def kinds_waiting(user: User) -> set[str]:
    """The kinds of thing (``Waiting.kind``; overdue milestones as "milestone") that wait
    on ``user`` at all: one statement, so that a kind with nothing waiting costs no read of
    its own (most people have nothing of most kinds)."""
    row = db.session.execute(_kinds(user)).one()
    return {kind for kind, present in row._mapping.items() if present}


def _unread_mentions(user: User):
    return inbox(user, unread=True).where(Notification.kind == "mentioned")


def _venture(row) -> VentureName | None:
    return None if row.venture_id is None else VentureName(row.venture_id, row.venture_name)


def waiting_for(user: User, today, limit: int | None = None, invitations=None,
                gates=None, kinds: set[str] | None = None) -> list[Waiting]:
    """Everything that waits on ``user``, oldest first. With ``limit``, the ``limit`` oldest
    items and at most one more (so the caller knows there are more): each kind is read
    oldest first, at most ``limit + 1`` of it. A bounded number of queries either way, each
    built once per viewer (``per_viewer``). ``invitations`` (open_invitations) and
    ``gates`` (gates_awaiting, with their ventures' parties and their approvals): all of
    them, when the caller has read them already. Only the kinds that ``kinds_waiting``
    finds (``kinds``, when the caller has asked it already) are read."""
    items: list[Waiting] = []
    per_kind = LIMIT if limit is None else limit + 1
    ordered = limit is not None
    if kinds is None:
        kinds = kinds_waiting(user)
    if user.role == "lead":
        if invitations is None and "invitation" in kinds:
            invitations = db.session.scalars(_invitations(user, per_kind, ordered))
        if gates is None and "gate" in kinds:
            gates = db.session.scalars(_gates(user, per_kind, ordered))
        for party in invitations or ():
            items.append(Waiting("invitation", party.venture, f"Answer the invitation as "
                                 f"{party.role}", party.invited_at, paths.venture(party.venture_id),
                                 {"type": "venture", "id": party.venture_id}))
        for gate in gates or ():
            items.append(Waiting(
                "gate", gate.venture, f"Approve the gate {gate_label(gate)}", gate.requested_at,
                paths.venture(gate.venture_id, "gate"), {"type": "gate", "id": gate.id},
                "still missing: " + _missing(gate.venture, {a.role for a in gate.approvals})))
    if "agreement" in kinds:
        items += _agreement_items(db.session.scalars(_agreements(user, per_kind, ordered)))
    if "milestone" in kinds:
        items += _milestone_items(db.session.execute(_milestones(user, today, per_kind,
                                                                 ordered)), today)
    if "issue" in kinds:
        items += _issue_items(db.session.execute(_issues(user, per_kind, ordered)))
    if "mention" in kinds:
        items += _mention_items(db.session.execute(_mentions(user, per_kind, ordered)))
    items.sort(key=lambda w: w.since)
    return items if limit is None else items[:limit + 1]


def _agreement_items(agreements) -> list[Waiting]:
    items = []
    for agreement in agreements:
        venture = agreement.venture
        items.append(Waiting(
            "agreement", venture, f"Sign split agreement v{agreement.version}",
            agreement.proposed_at, paths.agreements(venture.id),
            {"type": "agreement", "id": agreement.id},
            "still missing: " + _missing(venture, {a.role for a in agreement.approvals})))
    return items


def _milestone_items(rows, today) -> list[Waiting]:
    items = []
    for m in rows:
        late = m.due_date < today  # (an unfinished one: past its due date, overdue)
        items.append(Waiting("overdue" if late else "milestone", _venture(m), m.title,
                             _day(m.due_date) if late else m.created_at,
                             paths.milestone(m.venture_id, m.id),
                             {"type": "milestone", "id": m.id},
                             f"due {m.due_date.isoformat()}"))
    return items


def _issue_items(rows) -> list[Waiting]:
    items = []
    for i in rows:
        items.append(Waiting("issue", _venture(i), i.title, i.created_at,
                             paths.issue(i.venture_id, i.id), {"type": "issue", "id": i.id},
                             f"{i.severity}, {i.status.replace('_', ' ')}"))
    return items


def _mention_items(rows) -> list[Waiting]:
    return [Waiting("mention", _venture(n), n.text, n.created_at, n.url,
                    {"type": "notification", "id": n.id}) for n in rows]


def venture_waiting(venture: Venture, viewer: User, today, gate=False) -> list[Waiting]:
    """Who holds up what in one venture: gate and agreement decisions (by party), overdue
    milestones (by assignee or accountable party). ``gate``: the venture's open gate request
    with its approvals when the caller has it already (None: there is none)."""
    items = []
    if gate is False:
        gate = db.session.scalar(select(GateRequest).where(
            GateRequest.venture_id == venture.id, GateRequest.status == "open")
            .options(selectinload(GateRequest.approvals)))
    if gate is not None:
        decided = {a.role for a in gate.approvals}
        for p in venture.sorted_parties:
            if p.role not in decided:
                who = possessive(p.organisation.name)
                items.append(Waiting("gate", venture, f"{who} approval of the gate "
                                     f"{gate_label(gate)}", gate.requested_at,
                                     paths.venture(venture.id, "gate")))
    if can_view_revenue(viewer, venture):
        for version, proposed_at, decided in _proposals(venture):
            for p in venture.sorted_parties:
                if p.role not in decided:
                    items.append(Waiting("agreement", venture, f"{possessive(p.organisation.name)} "
                                         f"signature on split agreement v{version}",
                                         proposed_at, paths.agreements(venture.id)))
    overdue = rows(_overdue_milestones(), {"venture_id": venture.id, "today": today})
    for m in overdue:
        who = (f"{m.assignee} ({m.assignee_organisation})" if m.assignee is not None
               else venture.party(m.party).organisation.name)
        items.append(Waiting("overdue", venture, f"{who}: “{m.title}”, due "
                             f"{m.due_date.isoformat()}", _day(m.due_date),
                             paths.milestone(venture.id, m.id)))
    return sorted(items, key=lambda w: w.since)


def _proposals(venture: Venture) -> list[tuple[int, datetime, set[str]]]:
    """(version, proposed at, the roles that decided) of each of the venture's proposed
    split agreements, from one statement of rows: objects with their approvals took two
    statements, and about 0.1 ms more CPU with none proposed."""
    found = {}
    for row in rows(_proposed_agreements(), {"venture_id": venture.id}):
        _, _, decided = found.setdefault(row.id, (row.version, row.proposed_at, set()))
        if row.role is not None:
            decided.add(row.role)
    return list(found.values())


@cache
def _proposed_agreements():
    """Each proposed agreement of the venture with each of its decisions' roles (or none)."""
    return (select(SplitAgreement.id, SplitAgreement.version, SplitAgreement.proposed_at,
                   AgreementApproval.role)
            .outerjoin(AgreementApproval, AgreementApproval.agreement_id == SplitAgreement.id)
            .where(SplitAgreement.venture_id == VENTURE_ID, SplitAgreement.status == "proposed")
            .order_by(SplitAgreement.id))


@cache
def _overdue_milestones():
    """The venture's 10 milestones overdue longest, with their assignees' names and
    organisations: rows of the columns shown, not objects."""
    return (select(Milestone.id, Milestone.title, Milestone.party, Milestone.due_date,
                   User.name.label("assignee"), Organisation.name.label("assignee_organisation"))
            .outerjoin(User, Milestone.assignee_id == User.id)
            .outerjoin(Organisation, User.organisation_id == Organisation.id)
            .where(Milestone.venture_id == VENTURE_ID,
                   not_among(Milestone.status, FINISHED), Milestone.due_date < TODAY)
            .order_by(Milestone.due_date).limit(10))


__all__ = ["Waiting", "venture_waiting", "waiting_for"]
