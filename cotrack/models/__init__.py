"""All models, imported here so Alembic and the app see one metadata."""

from cotrack.models.activity import Activity
from cotrack.models.agreement import SIGNED, AgreementApproval, SplitAgreement
from cotrack.models.issue import (
    ISSUE_FLOW,
    ISSUE_STATUSES,
    SEVERITIES,
    UNRESOLVED,
    Issue,
    IssueComment,
)
from cotrack.models.ledger import Allocation, RevenueEntry, RevenueMonth
from cotrack.models.milestone import FINISHED, MILESTONE_STATUSES, Milestone
from cotrack.models.ratelimit import RateLimitCounter
from cotrack.models.revision import SiteRevision
from cotrack.models.user import ROLES, ApiToken, Organisation, User, UserSession
from cotrack.models.venture import (
    HEALTH,
    PARTY_ROLES,
    STAGE_LABELS,
    STAGES,
    STATUSES,
    GateApproval,
    GateRequest,
    StageTransition,
    StatusUpdate,
    Venture,
    VentureParty,
)

__all__ = [
    "SIGNED", "AgreementApproval", "Allocation", "RevenueEntry", "RevenueMonth", "SplitAgreement",
    "FINISHED", "ISSUE_FLOW", "ISSUE_STATUSES", "MILESTONE_STATUSES", "SEVERITIES", "UNRESOLVED",
    "Issue", "IssueComment", "Milestone",
    "HEALTH", "PARTY_ROLES", "ROLES", "STAGES", "STAGE_LABELS", "STATUSES",
    "Activity", "ApiToken", "GateApproval", "GateRequest", "Organisation", "RateLimitCounter",
    "SiteRevision", "StageTransition", "StatusUpdate", "User", "UserSession", "Venture",
    "VentureParty",
]
