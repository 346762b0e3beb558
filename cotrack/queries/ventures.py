"""Reads that return a Select; the caller paginates. Visibility lives here, once."""

from functools import cache

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    exists,
    func,
    select,
    union_all,
)
from sqlalchemy.orm import aliased, contains_eager, joinedload

from cotrack.db.constants import among, constant, not_among
from cotrack.db.prebuilt import VENTURE_ID, VENTURE_IDS, per_viewer
from cotrack.db.timestamps import utcnow
from cotrack.domain import like
from cotrack.domain.permissions import (
    sql_belongs,
    sql_can_act_on_gate,
    sql_can_see_invitation,
    sql_can_view_activity,
    sql_can_view_venture,
    sql_count_viewable_ventures,
    sql_invitation_for,
    sql_partner_ids,
    sql_viewable_by_party,
)
from cotrack.extensions import db
from cotrack.models import (
    FINISHED,
    OPEN_STATUSES,
    PARTY_ROLES,
    STAGES,
    UNRESOLVED,
    Activity,
    GateApproval,
    GateRequest,
    Issue,
    Milestone,
    Organisation,
    StatusUpdate,
    User,
    Venture,
    VentureParty,
)


def _id_of(venture: Venture | BindParameter):
    """A venture's id, or the parameter that stands for it in a statement built once."""
    return venture if isinstance(venture, BindParameter) else venture.id


def _member_of(user: User):
    """SQL condition: the user's organisation is an accepted party of Venture."""
    return sql_belongs(user, Venture.id)


def visible_ventures(user: User) -> Select:
    """Ventures the user may see: all for an admin, else those their organisation belongs to."""
    query = select(Venture)
    return query if user.is_admin else query.where(sql_can_view_venture(user, Venture.id))


def _venture_columns(user: User) -> tuple[tuple, ColumnElement[bool] | None]:
    """The (id, name, stage, status) columns of the ventures the user may see, and the
    condition that chooses them: a party's are its party rows' copies (read along their
    indexes by organisation, no venture looked up), an administrator's the ventures' own
    (no condition)."""
    viewable = sql_viewable_by_party(user)
    if viewable is None:
        return (Venture.id, Venture.name, Venture.stage, Venture.status), None
    party, condition = viewable
    return (party.venture_id, party.venture_name, party.venture_stage,
            party.venture_status), condition


def _selected(columns: tuple, condition) -> Select:
    query = select(*columns)
    return query if condition is None else query.where(condition)


def named_ventures(user: User) -> Select:
    """(id, name) of the ventures the user may see, by name (``_venture_columns``: a
    party's along ``ix_venture_party_by_name``, 0.1 instead of 1.6 ms of PostgreSQL for the
    first 100 of 1,000). Its second column is the name, to filter by."""
    (venture_id, name, _, _), condition = _venture_columns(user)
    return (_selected((venture_id.label("id"), name.label("name")), condition)
            .order_by(name, venture_id))


def _on_board(user: User) -> Select:
    """The user's open ventures. The statuses and the stage are written into the SQL, not
    sent as parameters: a prepared statement's generic plan can then use the partial index
    of open ventures (``ix_venture_open``)."""
    return visible_ventures(user).where(_open(Venture.status, Venture.stage))


def _open(status, stage):
    """SQL: open (as ``OPEN_STATUSES``), in the literal form of the partial indexes'."""
    return and_(among(status, OPEN_STATUSES), stage != constant("closed"))


@per_viewer
def board_ventures(user: User, per_stage: int) -> Select:
    """Rows (id, name, stage, status, in_stage, health) of up to ``per_stage`` of the
    user's open ventures in each stage, by name; ``in_stage``: how many open ventures the
    user has in its stage; ``health``: that of the venture's latest status update, or
    None. One query; plain rows, only the columns a card shows."""
    viewable = sql_viewable_by_party(user)
    cards = _all_cards(user, per_stage) if viewable is None else \
        _party_cards(*viewable, per_stage)
    return (select(cards.c.id, cards.c.name, cards.c.stage, cards.c.status,
                   cards.c.in_stage, _latest_health(cards.c.id).label("health"))
            .order_by(cards.c.name, cards.c.id))


def _all_cards(user: User, per_stage: int) -> Subquery:
    """An administrator's cards: every open venture ranked in its stage."""
    ranked = _on_board(user).with_only_columns(
        Venture.id, Venture.name, Venture.stage, Venture.status,
        func.row_number().over(partition_by=Venture.stage, order_by=(Venture.name, Venture.id))
        .label("rank"),
        func.count().over(partition_by=Venture.stage).label("in_stage")).subquery()
    return select(ranked).where(ranked.c.rank <= per_stage).subquery()


def _party_cards(party, condition, per_stage: int) -> Subquery:
    """A party's cards, read from its rows alone along the index of them by organisation,
    stage and name (``ix_venture_party_board``): the first ``per_stage`` of each stage, and
    each stage's count from the index's entries; no venture is looked up and nothing sorted
    but the cards shown (0.3 ms of PostgreSQL for an organisation in 1,000 open ventures,
    against 3.8 ms looking each venture up and sorting them)."""
    member = and_(condition, _open(party.venture_status, party.venture_stage))
    # a stage named implies "not closed": the partial index is used without saying it again
    # (the statement stays under the 4,096 characters whose parse psycopg keeps)
    firsts = [select(party.venture_id.label("id"), party.venture_name.label("name"),
                     party.venture_stage.label("stage"), party.venture_status.label("status"))
              .where(condition, among(party.venture_status, OPEN_STATUSES),
                     party.venture_stage == constant(stage))
              .order_by(party.venture_name, party.venture_id).limit(per_stage).subquery()
              for stage in STAGES if stage != "closed"]
    shown = union_all(*(select(first) for first in firsts)).subquery()
    counts = (select(party.venture_stage.label("stage"), func.count().label("in_stage"))
              .where(member).group_by(party.venture_stage).subquery())
    return (select(shown, counts.c.in_stage)
            .join_from(shown, counts, counts.c.stage == shown.c.stage).subquery())


def filtered_ventures(user: User, *, stage=None, status=None, partner_id=None, q=None) -> Select:
    """Rows (id, name, stage, status, health) of the ventures the list shows, by name: the
    columns a row shows (``health``: the latest status update's, or None), no objects
    (their parties: ``party_lines``). ``q``: part of the name, as
    typed (``%`` and ``_`` stand for themselves). Unfiltered (most views), the statement
    is built once per viewer; filtered, per request: the filters are the request's own
    text, and keeping a statement per value would let anyone push everyone else's out of
    the statements kept (``prebuilt.SIZE``)."""
    if _unfiltered(stage, status, partner_id, q):
        return _listed(user)
    return _filtered(user, stage, status, partner_id, _name_part(q))


def listed_count(user: User, *, stage=None, status=None, partner_id=None,
                 q=None) -> Select | None:
    """A cheaper statement counting ``filtered_ventures``' rows (unfiltered: the viewer's
    belonging parties, ``sql_count_viewable_ventures``), or None: count the rows."""
    return _viewable_count(user) if _unfiltered(stage, status, partner_id, q) else None


def _name_part(q: str | None) -> str | None:
    return (q or "").strip() or None


def _unfiltered(stage, status, partner_id, q) -> bool:
    return stage is None and status is None and partner_id is None and _name_part(q) is None


@per_viewer
def _viewable_count(user: User) -> Select:
    return sql_count_viewable_ventures(user)


@per_viewer
def _listed(user: User) -> Select:
    return _filtered(user, None, None, None, None)


def _filtered(user: User, stage, status, partner_id, q) -> Select:
    """Read as ``_venture_columns`` says: a party's along ``ix_venture_party_by_name``."""
    (venture_id, name, stage_of, status_of), condition = _venture_columns(user)
    query = _selected((venture_id.label("id"), name.label("name"), stage_of.label("stage"),
                       status_of.label("status"), _latest_health(venture_id).label("health")),
                      condition)
    if stage:
        query = query.where(stage_of == stage)
    if status:
        query = query.where(status_of == status)
    if partner_id:
        query = query.where(
            exists().where(VentureParty.venture_id == venture_id,
                           VentureParty.organisation_id == partner_id)
        )
    if q:
        query = query.where(name.ilike(like.containing(q), escape=like.ESCAPE))
    return query.order_by(name, venture_id)


def ventures_for_api(user: User, *, stage=None, status=None) -> Select:
    """Ventures the user belongs to, and those their organisation is invited to (API.md)."""
    query = select(Venture) if user.is_admin else select(Venture).where(
        sql_can_see_invitation(user, Venture.id))
    if stage:
        query = query.where(Venture.stage == stage)
    if status:
        query = query.where(Venture.status == status)
    return query.order_by(Venture.id)


def open_invitations(user: User) -> Select:
    return (
        select(VentureParty)
        .where(VentureParty.organisation_id == user.organisation_id,
               sql_invitation_for(user, VentureParty.venture_id))
        .order_by(VentureParty.invited_at.desc())
    )


def gates_awaiting(user: User) -> Select:
    """Open gate requests in the user's ventures where their party has not decided yet."""
    my_party = (
        select(VentureParty.role)
        .where(VentureParty.venture_id == GateRequest.venture_id,
               VentureParty.organisation_id == user.organisation_id,
               VentureParty.accepted_at.is_not(None))
        .correlate_except(VentureParty)  # the gate of the outer query, also inside EXISTS
        .scalar_subquery()
    )
    decided = exists().where(GateApproval.gate_id == GateRequest.id, GateApproval.role == my_party)
    # (the user's party leads the venture, sql_can_act_on_gate: so my_party is theirs)
    return (
        select(GateRequest)
        .where(GateRequest.status == constant("open"),
               sql_can_act_on_gate(user, GateRequest.venture_id), ~decided)
        .order_by(GateRequest.requested_at)
    )


def party_lines(venture_ids: list[int]) -> dict[int, list]:
    """{venture_id: its parties as rows (role, organisation, accepted_at, declined_at,
    withdrawn_at), customer, reseller, manufacturer}, in one query."""
    lines: dict[int, list] = {}
    if venture_ids:
        for row in db.session.execute(_party_lines(), {"venture_ids": venture_ids}):
            lines.setdefault(row.venture_id, []).append(row)
    return lines


@cache
def _party_lines() -> Select:
    return (select(VentureParty.venture_id, VentureParty.role,
                   Organisation.name.label("organisation"), VentureParty.accepted_at,
                   VentureParty.declined_at, VentureParty.withdrawn_at)
            .join(Organisation, Organisation.id == VentureParty.organisation_id)
            .where(VentureParty.venture_id.in_(VENTURE_IDS))
            .order_by(VentureParty.venture_id, case(
                {role: n for n, role in enumerate(PARTY_ROLES)}, value=VentureParty.role)))


def _latest_health(venture_id) -> ScalarSelect:
    """SQL: the health of the latest status update of the venture ``venture_id`` (a
    column of the enclosing query), or NULL: a row's own subquery, run for the rows shown."""
    return (select(StatusUpdate.health).where(StatusUpdate.venture_id == venture_id)
            .order_by(StatusUpdate.id.desc()).limit(1).scalar_subquery())


def activity_of(venture: Venture | BindParameter, viewer: User) -> Select:
    """The venture's trail, newest first: only the rows ``viewer`` may see (each by the
    permission its ``audience`` names), filtered here so pages and totals agree.
    ``venture``: or a parameter standing for its id (``prebuilt.VENTURE_ID``)."""
    return _trail(select(Activity).options(joinedload(Activity.actor)), venture, viewer)


def activity_rows(venture: Venture | BindParameter, viewer: User) -> Select:
    """``activity_of`` as rows of what a feed shows, the actor's name beside each: the
    objects with their actors cost the overview about 0.2 ms of CPU more."""
    return _trail(select(Activity.venture_id, Activity.action, Activity.object_type,
                         Activity.object_label, Activity.changes, Activity.at,
                         User.name.label("actor_name"))
                  .outerjoin(User, Activity.actor_id == User.id), venture, viewer)


def _trail(query: Select, venture: Venture | BindParameter, viewer: User) -> Select:
    return (query.where(Activity.venture_id == _id_of(venture), sql_can_view_activity(viewer))
            .order_by(Activity.at.desc(), Activity.id.desc()))


def status_update_rows(venture: Venture | BindParameter) -> Select:
    """The venture's status updates, newest first, as rows of what its pages show, each
    with its author's name and organisation: the objects (``status_updates_of``, for the
    API) with their authors and organisations cost the overview about 0.2 ms of CPU more."""
    return (
        select(StatusUpdate.id, StatusUpdate.health, StatusUpdate.summary,
               StatusUpdate.decisions, StatusUpdate.created_at,
               User.name.label("author_name"), Organisation.name.label("author_organisation"))
        .join(User, StatusUpdate.author_id == User.id)
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(StatusUpdate.venture_id == _id_of(venture))
        .order_by(StatusUpdate.id.desc())
    )


def status_updates_of(venture: Venture | BindParameter) -> Select:
    return (
        select(StatusUpdate)
        .where(StatusUpdate.venture_id == _id_of(venture))
        .options(joinedload(StatusUpdate.author).joinedload(User.organisation))
        .order_by(StatusUpdate.id.desc())
    )


@per_viewer
def partner_organisations(user: User) -> Select:
    """(id, name) of the organisations that share a visible venture with the user, by name
    (the list filter's options: no object per organisation)."""
    return (select(Organisation.id, Organisation.name)
            .where(Organisation.id.in_(sql_partner_ids(user))).order_by(Organisation.name))


def _where_equal(query: Select, filters: dict) -> Select:
    """Add ``column == value`` for every filter that was given."""
    for column, value in filters.items():
        if value:
            query = query.where(column == value)
    return query


MILESTONE_SORTS = {
    "due": (Milestone.due_date, Milestone.id),
    "stage": (Milestone.stage_order, Milestone.due_date, Milestone.id),
    "status": (Milestone.status, Milestone.due_date, Milestone.id),
    "title": (Milestone.title, Milestone.id),
}


def milestones_of(venture: Venture, *, stage=None, party=None, status=None, assignee_id=None,
                  overdue=False, sort="due", today=None) -> Select:
    query = _where_equal(
        select(Milestone).where(Milestone.venture_id == venture.id)
        .options(joinedload(Milestone.assignee)),
        {Milestone.stage: stage, Milestone.party: party, Milestone.status: status,
         Milestone.assignee_id: assignee_id})
    if overdue:
        query = query.where(not_among(Milestone.status, FINISHED),
                            Milestone.due_date < (today or utcnow().date()))
    return query.order_by(*MILESTONE_SORTS.get(sort, MILESTONE_SORTS["due"]))


def issues_of(venture: Venture, **filters) -> Select:
    """The venture's issues with their assignee, raiser and milestone (the API's)."""
    # many-to-one: joined into the one query that loads the page
    given = _given(filters)
    return (select(Issue).options(
        joinedload(Issue.assignee), joinedload(Issue.raised_by), joinedload(Issue.milestone))
        .where(Issue.venture_id == venture.id, *_issue_filters(given))
        .order_by(*_ISSUE_ORDER))


_ASSIGNEE, _RAISER = aliased(User, name="assignee"), aliased(User, name="raiser")
#: the issue lists' filters (besides ``q``, words of the title), and their order
_ISSUE_COLUMNS = {"severity": Issue.severity, "status": Issue.status, "party": Issue.party,
                  "assignee_id": Issue.assignee_id}
_ISSUE_ORDER = (Issue.severity_order.desc(), Issue.id.desc())


def _given(filters: dict) -> dict:
    """The issue filters given a value, ``q`` as the pattern its words make."""
    given = {name: value for name, value in filters.items() if value}
    if "q" in given:
        given["q"] = f"%{given['q'].strip()}%"
    return given


def _issue_filters(given: dict) -> list:
    """The conditions of the filters ``given`` (a name of ``_ISSUE_COLUMNS`` or ``q``: its
    value, or a parameter standing for it)."""
    conditions = [_ISSUE_COLUMNS[name] == value for name, value in given.items() if name != "q"]
    if "q" in given:
        conditions.append(Issue.title.ilike(given["q"]))
    return conditions


def issue_rows(venture: Venture, **filters) -> tuple[Select, dict]:
    """The issue list's rows (``_issue_rows``) as ``issues_of`` filters and orders them: the
    statement, built once for the filters given, and its parameters (the venture, the
    filters' values)."""
    given = _given(filters)
    return _issue_rows(frozenset(given)), {"venture_id": venture.id, **given}


@cache
def _issue_rows(given: frozenset[str]) -> Select:
    """The columns the issue list shows, with the names of the assignee (``assignee``),
    the raiser (``raised_by``) and the milestone (``milestone``); no objects (the ORM spent
    more on fifty issues and their three joined objects each than on the rest of the
    page). Built once per set of filters ``given`` (building it and its cache key on every
    request cost more than running it)."""
    return (select(Issue.id, Issue.title, Issue.severity, Issue.status, Issue.party,
                   _ASSIGNEE.name.label("assignee"), _RAISER.name.label("raised_by"),
                   Milestone.title.label("milestone"))
            .outerjoin(_ASSIGNEE, Issue.assignee_id == _ASSIGNEE.id)
            .join(_RAISER, Issue.raised_by_id == _RAISER.id)
            .outerjoin(Milestone, Issue.milestone_id == Milestone.id)
            .where(Issue.venture_id == VENTURE_ID,
                   *_issue_filters({name: bindparam(name) for name in sorted(given)}))
            .order_by(*_ISSUE_ORDER))


def party_users(venture: Venture) -> Select:
    """(id, name, organisation name) of the active users of the accepted parties."""
    return (
        select(User.id, User.name, Organisation.name.label("organisation"))
        .join(VentureParty, VentureParty.organisation_id == User.organisation_id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(VentureParty.venture_id == venture.id, VentureParty.accepted_at.is_not(None),
               User.active)
        .order_by(User.name)
    )


def assigned_unfinished(user: User) -> tuple[ColumnElement[bool], ...]:
    """A milestone assigned to ``user`` and not finished (conditions on it alone)."""
    return Milestone.assignee_id == user.id, not_among(Milestone.status, FINISHED)


def assigned_unresolved(user: User) -> tuple[ColumnElement[bool], ...]:
    """An issue assigned to ``user`` and not resolved (conditions on it alone)."""
    return Issue.assignee_id == user.id, among(Issue.status, UNRESOLVED)


def assigned_open_milestones(user: User, *columns) -> Select:
    """``columns`` of the unfinished milestones assigned to ``user`` in their ventures."""
    return (select(*columns).join(Venture, Milestone.venture_id == Venture.id)
            .where(*assigned_unfinished(user), _member_of(user)))


def my_milestones(user: User, today) -> Select:
    return (
        assigned_open_milestones(user, Milestone)
        .options(contains_eager(Milestone.venture))  # the venture already joined
        .order_by(*my_milestones_order(today))
    )


def my_milestones_order(today) -> tuple:
    """My work's order of milestones: overdue first, then by due date."""
    return (Milestone.due_date < today).desc(), Milestone.due_date, Milestone.id


def my_issues(user: User) -> Select:
    return (
        select(Issue)
        .join(Venture, Issue.venture_id == Venture.id)
        .where(*assigned_unresolved(user), _member_of(user))
        .options(contains_eager(Issue.venture))  # the venture already joined
        .order_by(*my_issues_order())
    )


def my_issues_order() -> tuple:
    """My work's order of issues: most severe first, then oldest."""
    return Issue.severity_order.desc(), Issue.created_at
