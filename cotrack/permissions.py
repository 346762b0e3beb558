"""Who may do what (DOMAIN.md's table): pure ``can_*(user, obj) -> bool`` checks and
``require`` that aborts. The same functions hide buttons in templates (Jinja globals).

A user *belongs* to a venture when their organisation is an accepted party of it; anyone
else gets 404 for everything of that venture (``venture_or_404`` and friends). Admins see
every venture but never act for a party.
"""

from flask import abort

from cotrack.models import User, Venture, VentureParty


def require(allowed: bool, status: int = 403) -> None:
    """Abort with ``status`` unless ``allowed``: 404 for outsiders, 403 for a role not allowed."""
    if not allowed:
        abort(status)


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def can_administer(user: User) -> bool:
    return _signed_in(user) and user.is_admin


def party_of(user: User, venture: Venture) -> VentureParty | None:
    """The user's organisation's accepted party in the venture, if any."""
    if not _signed_in(user) or user.is_admin:
        return None
    party = venture.party_of(user.organisation_id)
    return party if party is not None and party.accepted else None


def invitation_for(user: User, venture: Venture) -> VentureParty | None:
    """The open invitation of the user's organisation to a pending venture, if any."""
    if not _signed_in(user) or user.is_admin or venture.status != "pending":
        return None
    party = venture.party_of(user.organisation_id)
    if party is None or party.accepted or party.declined_at is not None:
        return None
    return party


def belongs(user: User, venture: Venture) -> bool:
    return party_of(user, venture) is not None


def can_view_venture(user: User, venture: Venture) -> bool:
    return can_administer(user) or belongs(user, venture)


def can_see_invitation(user: User, venture: Venture) -> bool:
    return can_view_venture(user, venture) or invitation_for(user, venture) is not None


def _is_party_lead(user: User, venture: Venture) -> bool:
    return belongs(user, venture) and user.role == "lead"


def can_respond_to_invitation(user: User, venture: Venture) -> bool:
    return invitation_for(user, venture) is not None and user.role == "lead"


def can_edit_venture(user: User, venture: Venture) -> bool:
    return _is_party_lead(user, venture) and venture.status in ("pending", "active")


def can_post_update(user: User, venture: Venture) -> bool:
    return _is_party_lead(user, venture) and venture.status == "active"


def can_act_on_gate(user: User, venture: Venture) -> bool:
    """Request, approve or reject a stage gate (or shelving) for one's own party."""
    return _is_party_lead(user, venture) and venture.status == "active"


def can_manage_milestones(user: User, venture: Venture) -> bool:
    """Create, edit and delete milestones (and edit any milestone's status)."""
    return _is_party_lead(user, venture) and venture.status in ("pending", "active")


def can_change_milestone_status(user: User, milestone, venture: Venture) -> bool:
    if can_manage_milestones(user, venture):
        return True
    return belongs(user, venture) and milestone.assignee_id == user.id


def can_raise_issue(user: User, venture: Venture) -> bool:
    """Raise an issue or comment on one: any user of a party, never an admin."""
    return belongs(user, venture)


def can_change_issue(user: User, issue, venture: Venture) -> bool:
    """Change an issue's status or assignee: a lead, or the assignee in any role."""
    if not belongs(user, venture):
        return False
    return user.role == "lead" or issue.assignee_id == user.id


def can_edit_issue(user: User, issue, venture: Venture) -> bool:
    """Edit title, description, severity, party, milestone: a lead or whoever raised it."""
    return belongs(user, venture) and (user.role == "lead" or issue.raised_by_id == user.id)


def can_view_revenue(user: User, venture: Venture) -> bool:
    """Split agreements, the ledger and reports: leads and finance of every party, admins."""
    return can_administer(user) or (belongs(user, venture) and user.role in ("lead", "finance"))


def can_sign_agreements(user: User, venture: Venture) -> bool:
    """Propose a split agreement, approve or reject it for one's own party."""
    return (belongs(user, venture) and user.role in ("lead", "finance")
            and venture.status in ("active", "closed"))


def can_record_revenue(user: User, venture: Venture) -> bool:
    """Record or reverse revenue, import a CSV: finance of a party."""
    return belongs(user, venture) and user.role == "finance"


def can_export_revenue(user: User, venture: Venture) -> bool:
    return can_view_revenue(user, venture)


def can_use_reports(user: User) -> bool:
    return _signed_in(user) and user.role in ("admin", "lead", "finance")


def can_create_venture(user: User) -> bool:
    return _signed_in(user) and user.role == "lead"


TEMPLATE_CHECKS = {
    name: fn for name, fn in globals().items() if name.startswith("can_") and callable(fn)
}
TEMPLATE_CHECKS.update(party_of=party_of, invitation_for=invitation_for)
