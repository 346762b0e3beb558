"""Who may do what (DOMAIN.md's table): pure ``can_*(user, obj) -> bool`` checks and
``require`` that aborts. The same functions hide buttons in templates (Jinja globals).

A user *belongs* to a venture when their organisation is an accepted party of it; anyone
else gets 404 for everything of that venture (``venture_or_404`` and friends). Admins see
every venture but never act for a party.

Each rule once, in two languages: beside every predicate stands its SQL twin
``sql_*``, the same rule as a clause over rows, which every list, feed, count, report,
export and search filters with (a list without it is a leak waiting to happen).
``TWINS`` names the pairs; tests/test_permission_twins.py compares each pair on random
data. A venture's twins take the venture's id (a column, correlated, or a value); a
milestone's or an issue's are clauses over ``Milestone`` or ``Issue`` rows. Inside a twin
every table is an alias of its own, so no outer query can correlate it away; the aliases
are made once (see below), and ``sql_belongs``'s clause once per organisation and column.
"""

from functools import lru_cache

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import QueryableAttribute, aliased
from sqlalchemy.orm.util import AliasedClass

from cotrack.db.constants import among, constant
from cotrack.models import (
    Activity,
    Issue,
    Milestone,
    Notification,
    OrganisationPartner,
    User,
    Venture,
    VentureParty,
)

LEAD_OR_FINANCE = ("lead", "finance")
OPEN_FOR_PLANNING = ("pending", "active")


def require(allowed: bool, status: int = 403) -> None:
    """Abort with ``status`` unless ``allowed``: 404 for outsiders, 403 for a role not allowed."""
    if not allowed:
        abort(status)


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _party_user(user) -> bool:
    """Signed in and not an admin: someone who can act for a party."""
    return _signed_in(user) and not user.is_admin


def _sql(condition: bool) -> ColumnElement[bool]:
    return true() if condition else false()


# The tables inside the EXISTS of the SQL twins, aliased once (an ORM alias costs about a
# millisecond to build and each request builds several twins). Each EXISTS has its own
# scope and never contains another twin's EXISTS over the same alias, so sharing one alias
# between sibling subqueries of a query is safe; the alias keeps them from correlating
# with the tables of the enclosing query.
_STATUS_VENTURE = aliased(Venture, name="status_venture")
_INVITED_PARTY = aliased(VentureParty, name="invited_party")
_BELONGS_PARTY = aliased(VentureParty, name="belongs_party")
# the party rows a read takes in place of the ventures (``sql_viewable_by_party``): their own
# alias, never inside a twin's EXISTS
_MEMBER_PARTY = aliased(VentureParty, name="member_party")
_MANAGED_VENTURE = aliased(Venture, name="managed_venture")
_CREATOR = aliased(User, name="venture_creator")


def _venture_status(venture_id, statuses: tuple[str, ...]) -> ColumnElement[bool]:
    venture = _STATUS_VENTURE
    return exists().where(venture.id == venture_id, among(venture.status, statuses))


def can_administer(user: User) -> bool:
    return _signed_in(user) and user.is_admin


def party_of(user: User, venture: Venture) -> VentureParty | None:
    """The user's organisation's accepted party in the venture, if any."""
    if not _party_user(user):
        return None
    party = venture.party_of(user.organisation_id)
    return party if party is not None and party.accepted else None


def invitation_for(user: User, venture: Venture) -> VentureParty | None:
    """The open invitation of the user's organisation to a pending venture, if any."""
    if not _party_user(user) or venture.status != "pending":
        return None
    party = venture.party_of(user.organisation_id)
    if (party is None or party.accepted or party.declined_at is not None
            or party.withdrawn_at is not None):
        return None
    return party


def sql_invitation_for(user: User, venture_id) -> ColumnElement[bool]:
    """SQL twin of ``invitation_for`` (is there one)."""
    if not _party_user(user):
        return false()
    party = _INVITED_PARTY
    return and_(_venture_status(venture_id, ("pending",)), exists().where(
        party.venture_id == venture_id, party.organisation_id == user.organisation_id,
        party.accepted_at.is_(None), party.declined_at.is_(None),
        party.withdrawn_at.is_(None)))


def belongs(user: User, venture: Venture) -> bool:
    return party_of(user, venture) is not None


def sql_belongs(user: User, venture_id) -> ColumnElement[bool]:
    """SQL twin of ``belongs``."""
    if not _party_user(user):
        return false()
    if isinstance(venture_id, QueryableAttribute):  # a model's column: built once per org
        return _belongs(user.organisation_id, venture_id)
    return _belongs.__wrapped__(user.organisation_id, venture_id)


@lru_cache(maxsize=2048)
def _belongs(organisation_id: int, venture_id) -> ColumnElement[bool]:
    """The EXISTS of ``sql_belongs``: an immutable expression, shared by every statement
    that asks it for this organisation and column (most pages ask it several times)."""
    return exists().where(_BELONGS_PARTY.venture_id == venture_id,
                          *_belonging_parties(organisation_id))


def sql_belongs_by_lookup(user: User, venture_id) -> ColumnElement[bool]:
    """``sql_belongs`` written as a look-up per row (the belonging party's venture id, a
    scalar sub-select, IS NOT NULL), for a read that takes the first few rows in an index's
    order. PostgreSQL turns an EXISTS into a join, and plans a prepared statement's join for
    an average person's few rows: for the busy lead's oldest issues waiting it then joined
    and sorted all 224 to take eleven. A scalar sub-select stays a look-up of the row at
    hand, so the read stops once it has the rows it needs. (One party at most per venture
    and organisation, ``uq_venture_party_venture_id_organisation_id``: the sub-select has
    one row or none.)"""
    if not _party_user(user):
        return false()
    party = _BELONGS_PARTY
    return select(party.venture_id).where(
        party.venture_id == venture_id, *_belonging_parties(user.organisation_id)
    ).correlate_except(party).scalar_subquery().is_not(None)


def _belonging_parties(organisation_id: int,
                       party=_BELONGS_PARTY) -> tuple[ColumnElement[bool], ...]:
    """The parties (``party``, by default ``_BELONGS_PARTY``) that make their organisation
    belong to a venture."""
    return party.organisation_id == organisation_id, party.accepted_at.is_not(None)


def sql_viewable_by_party(user: User) -> tuple[AliasedClass, ColumnElement[bool]] | None:
    """The party rows through which ``can_view_venture`` lets ``user`` see a venture, one
    per venture (a party is unique per venture and organisation), as the parties' alias and
    the condition on it; None for an administrator, who sees every venture, parties or not.
    A read of what the party rows carry (their venture's id and its copied name, stage and
    status) reads them alone, not each venture tested against them."""
    if can_administer(user):
        return None
    party = _MEMBER_PARTY
    if not _party_user(user):
        return party, false()
    return party, and_(*_belonging_parties(user.organisation_id, party))


def sql_partner_ids(user: User) -> Select:
    """Ids of the organisations with a party in a venture ``can_view_venture`` lets
    ``user`` see (their own included). An administrator's: every organisation with a
    party. A party's: its organisation's rows of ``organisation_partner``, which the
    database keeps (``cotrack.db.partner_counts``: the organisation's belonging parties'
    ventures, their parties' organisations), instead of going through each venture."""
    if can_administer(user):
        return select(VentureParty.organisation_id)
    partner = OrganisationPartner
    if not _party_user(user):
        return select(partner.partner_id).where(false())
    return select(partner.partner_id).where(partner.organisation_id == user.organisation_id)


def sql_count_viewable_ventures(user: User) -> Select:
    """How many ventures ``can_view_venture`` lets ``user`` see: all of them for an admin,
    else their belonging parties counted (``sql_viewable_by_party``): 0.2 instead of 1.8 ms
    of PostgreSQL for an organisation in 1,000 of 10,000 ventures."""
    viewable = sql_viewable_by_party(user)
    if viewable is None:
        return select(func.count()).select_from(Venture)
    party, condition = viewable
    return select(func.count()).select_from(party).where(condition)


def can_view_venture(user: User, venture: Venture) -> bool:
    return can_administer(user) or belongs(user, venture)


def sql_can_view_venture(user: User, venture_id) -> ColumnElement[bool]:
    return true() if can_administer(user) else sql_belongs(user, venture_id)


def can_see_invitation(user: User, venture: Venture) -> bool:
    return can_view_venture(user, venture) or invitation_for(user, venture) is not None


def sql_can_see_invitation(user: User, venture_id) -> ColumnElement[bool]:
    return or_(sql_can_view_venture(user, venture_id), sql_invitation_for(user, venture_id))


def _is_party_lead(user: User, venture: Venture) -> bool:
    return belongs(user, venture) and user.role == "lead"


def _sql_is_party_lead(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql(_party_user(user) and user.role == "lead"), sql_belongs(user, venture_id))


def can_respond_to_invitation(user: User, venture: Venture) -> bool:
    return invitation_for(user, venture) is not None and user.role == "lead"


def sql_can_respond_to_invitation(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql(_party_user(user) and user.role == "lead"),
                sql_invitation_for(user, venture_id))


def can_manage_invitations(user: User, venture: Venture) -> bool:
    """Withdraw or resend an invitation, invite another organisation for a role, give the
    venture up: a lead of the organisation that created the pending venture."""
    return (_is_party_lead(user, venture) and venture.status == "pending"
            and user.organisation_id == venture.created_by.organisation_id)


def sql_can_manage_invitations(user: User, venture_id) -> ColumnElement[bool]:
    if not _party_user(user) or user.role != "lead":
        return false()
    venture, creator = _MANAGED_VENTURE, _CREATOR
    return and_(sql_belongs(user, venture_id), exists().where(
        venture.id == venture_id, venture.status == "pending",
        creator.id == venture.created_by_id, creator.organisation_id == user.organisation_id))


def can_edit_venture(user: User, venture: Venture) -> bool:
    return _is_party_lead(user, venture) and venture.status in OPEN_FOR_PLANNING


def sql_can_edit_venture(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql_is_party_lead(user, venture_id),
                _venture_status(venture_id, OPEN_FOR_PLANNING))


def can_post_update(user: User, venture: Venture) -> bool:
    return _is_party_lead(user, venture) and venture.status == "active"


def sql_can_post_update(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql_is_party_lead(user, venture_id), _venture_status(venture_id, ("active",)))


def can_act_on_gate(user: User, venture: Venture) -> bool:
    """Request, approve or reject a stage gate (or shelving) for one's own party."""
    return _is_party_lead(user, venture) and venture.status == "active"


def sql_can_act_on_gate(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql_is_party_lead(user, venture_id), _venture_status(venture_id, ("active",)))


def can_manage_milestones(user: User, venture: Venture) -> bool:
    """Create, edit and delete milestones (and edit any milestone's status)."""
    return _is_party_lead(user, venture) and venture.status in OPEN_FOR_PLANNING


def sql_can_manage_milestones(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql_is_party_lead(user, venture_id),
                _venture_status(venture_id, OPEN_FOR_PLANNING))


def can_update_milestone(user: User, milestone, venture: Venture, fields) -> bool:
    """Change these ``fields`` of a milestone: any of them (a lead who manages milestones),
    or only its status (its assignee, in any role). The one place of this rule: the API,
    the pages and the service all ask it."""
    if can_manage_milestones(user, venture):
        return True
    return set(fields) <= {"status"} and belongs(user, venture) and (
        milestone.assignee_id == user.id)


def can_change_milestone_status(user: User, milestone, venture: Venture) -> bool:
    return can_update_milestone(user, milestone, venture, {"status"})


def sql_can_change_milestone_status(user: User) -> ColumnElement[bool]:
    """Over ``Milestone`` rows."""
    assignee = Milestone.assignee_id == user.id if _party_user(user) else false()
    return or_(sql_can_manage_milestones(user, Milestone.venture_id),
               and_(assignee, sql_belongs(user, Milestone.venture_id)))


def can_raise_issue(user: User, venture: Venture) -> bool:
    """Raise an issue or comment on one: any user of a party, never an admin."""
    return belongs(user, venture)


def sql_can_raise_issue(user: User, venture_id) -> ColumnElement[bool]:
    return sql_belongs(user, venture_id)


def can_change_issue(user: User, issue, venture: Venture) -> bool:
    """Change an issue's status or assignee: a lead, or the assignee in any role."""
    if not belongs(user, venture):
        return False
    return user.role == "lead" or issue.assignee_id == user.id


def sql_can_change_issue(user: User) -> ColumnElement[bool]:
    """Over ``Issue`` rows."""
    if not _party_user(user):
        return false()
    return and_(sql_belongs(user, Issue.venture_id),
                or_(_sql(user.role == "lead"), Issue.assignee_id == user.id))


def can_edit_issue(user: User, issue, venture: Venture) -> bool:
    """Edit title, description, severity, party, milestone: a lead or whoever raised it."""
    return belongs(user, venture) and (user.role == "lead" or issue.raised_by_id == user.id)


def sql_can_edit_issue(user: User) -> ColumnElement[bool]:
    """Over ``Issue`` rows."""
    if not _party_user(user):
        return false()
    return and_(sql_belongs(user, Issue.venture_id),
                or_(_sql(user.role == "lead"), Issue.raised_by_id == user.id))


def can_take_issue(user: User, issue, venture: Venture) -> bool:
    """Assign an unassigned issue to oneself: any user of a party."""
    return belongs(user, venture) and issue.assignee_id is None


def sql_can_take_issue(user: User) -> ColumnElement[bool]:
    """Over ``Issue`` rows."""
    return and_(sql_belongs(user, Issue.venture_id), Issue.assignee_id.is_(None))


ISSUE_DETAILS = frozenset({"title", "description", "severity", "party", "milestone_id"})
ISSUE_WORKFLOW = frozenset({"status", "assignee_id"})


def can_update_issue(user: User, issue, venture: Venture, changes: dict) -> bool:
    """Change these fields of an issue (DOMAIN.md): its details (a lead or whoever raised
    it), its status or assignee (a lead or the assignee), or take it (an unassigned issue,
    assigned to oneself with its status as it is, by anyone of a party). The API, the pages
    and the service ask this.
    (Its twins are those of the three rules it combines.)"""
    fields = set(changes)
    if fields & ISSUE_DETAILS and not can_edit_issue(user, issue, venture):
        return False
    if fields & ISSUE_WORKFLOW and not can_change_issue(user, issue, venture):
        taking = (changes.get("assignee_id") == user.id
                  and changes.get("status", issue.status) == issue.status)
        return taking and can_take_issue(user, issue, venture)
    return belongs(user, venture)


def can_view_revenue(user: User, venture: Venture) -> bool:
    """Split agreements, the ledger and reports: leads and finance of every party, admins."""
    return can_administer(user) or (belongs(user, venture) and user.role in LEAD_OR_FINANCE)


def sql_can_view_revenue(user: User, venture_id) -> ColumnElement[bool]:
    if can_administer(user):
        return true()
    if not _party_user(user) or user.role not in LEAD_OR_FINANCE:
        return false()
    return sql_belongs(user, venture_id)


def revenue_organisation(user: User) -> int | None:
    """The organisation whose ventures' revenue ``user`` may view: with ``sql_can_view_revenue``
    they see the revenue of exactly the ventures it is an accepted party of, so its monthly
    rollup (``revenue_org_month``) is their whole report. None for an admin (every venture)
    and for those who see no revenue."""
    if not _party_user(user) or user.role not in LEAD_OR_FINANCE:
        return None
    return user.organisation_id


def can_view_activity(user: User, activity: Activity, venture: Venture) -> bool:
    """An activity row is seen by whoever may view its subject (``Activity.audience``)."""
    if activity.audience == "revenue":
        return can_view_revenue(user, venture)
    return can_view_venture(user, venture)


def sql_can_view_activity(user: User) -> ColumnElement[bool]:
    """Over ``Activity`` rows of any venture."""
    return or_(
        and_(Activity.audience == "venture", sql_can_view_venture(user, Activity.venture_id)),
        and_(Activity.audience == "revenue", sql_can_view_revenue(user, Activity.venture_id)),
    )


def can_view_notification(user: User, notification: Notification,
                          venture: Venture | None) -> bool:
    """A notification is its recipient's, and shown while they may view its subject
    (``Notification.audience``): news of an invitation ("personal") stays theirs."""
    if not _signed_in(user) or notification.user_id != user.id:
        return False
    if notification.audience == "personal" or venture is None:
        return True
    if notification.audience == "revenue":
        return can_view_revenue(user, venture)
    return can_view_venture(user, venture)


def sql_can_view_notification(user: User) -> ColumnElement[bool]:
    """SQL twin of ``can_view_notification``, over ``Notification`` rows."""
    if not _signed_in(user):
        return false()
    audience = Notification.audience
    venture = sql_can_view_venture(user, Notification.venture_id)
    revenue = sql_can_view_revenue(user, Notification.venture_id)
    # the audiences' words in the SQL itself, and the venture's rule asked once where the
    # revenue's is the same (a lead's, finance's): a shorter text (Home's "what waits"
    # statement stays under the 4,096 characters whose parse psycopg keeps)
    about_venture = and_(among(audience, ("venture", "revenue")), venture) \
        if revenue is venture else \
        or_(and_(audience == constant("venture"), venture),
            and_(audience == constant("revenue"), revenue))
    return and_(Notification.user_id == user.id, or_(
        audience == constant("personal"), Notification.venture_id.is_(None), about_venture))


def can_sign_agreements(user: User, venture: Venture) -> bool:
    """Propose a split agreement, approve or reject it for one's own party."""
    return (belongs(user, venture) and user.role in LEAD_OR_FINANCE
            and venture.status in ("active", "closed"))


def sql_can_sign_agreements(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql(_party_user(user) and user.role in LEAD_OR_FINANCE),
                sql_belongs(user, venture_id), _venture_status(venture_id, ("active", "closed")))


def can_record_revenue(user: User, venture: Venture) -> bool:
    """Record or reverse revenue, import a CSV: finance of a party."""
    return belongs(user, venture) and user.role == "finance"


def sql_can_record_revenue(user: User, venture_id) -> ColumnElement[bool]:
    return and_(_sql(_party_user(user) and user.role == "finance"),
                sql_belongs(user, venture_id))


def can_use_reports(user: User) -> bool:
    """Open the reports at all (which ventures they cover: ``sql_can_view_revenue``)."""
    return _signed_in(user) and user.role in ("admin", *LEAD_OR_FINANCE)


def can_create_venture(user: User) -> bool:
    """Not about an existing venture: no list filters by it, so it needs no twin."""
    return _signed_in(user) and user.role == "lead"


#: (predicate, its SQL twin, what the twin's rows are): checked pair by pair on random data
TWINS = [
    (can_view_venture, sql_can_view_venture, "venture"),
    (can_see_invitation, sql_can_see_invitation, "venture"),
    (can_respond_to_invitation, sql_can_respond_to_invitation, "venture"),
    (can_edit_venture, sql_can_edit_venture, "venture"),
    (can_post_update, sql_can_post_update, "venture"),
    (can_act_on_gate, sql_can_act_on_gate, "venture"),
    (can_manage_milestones, sql_can_manage_milestones, "venture"),
    (can_raise_issue, sql_can_raise_issue, "venture"),
    (can_view_revenue, sql_can_view_revenue, "venture"),
    (can_sign_agreements, sql_can_sign_agreements, "venture"),
    (can_record_revenue, sql_can_record_revenue, "venture"),
    (belongs, sql_belongs, "venture"),
    (lambda u, v: invitation_for(u, v) is not None, sql_invitation_for, "venture"),
    (can_change_milestone_status, sql_can_change_milestone_status, "milestone"),
    (can_change_issue, sql_can_change_issue, "issue"),
    (can_edit_issue, sql_can_edit_issue, "issue"),
    (can_take_issue, sql_can_take_issue, "issue"),
    (can_view_activity, sql_can_view_activity, "activity"),
    (can_manage_invitations, sql_can_manage_invitations, "venture"),
    (can_view_notification, sql_can_view_notification, "notification"),
]

TEMPLATE_CHECKS = {
    name: fn for name, fn in globals().items() if name.startswith("can_") and callable(fn)
}
TEMPLATE_CHECKS.update(party_of=party_of, invitation_for=invitation_for)
