"""All models, imported here so Alembic and the app see one metadata."""

from cotrack.models.activity import Activity
from cotrack.models.agreement import SIGNED, AgreementApproval, SplitAgreement
from cotrack.models.idempotency import IdempotencyKey
from cotrack.models.issue import (
    ISSUE_FLOW,
    ISSUE_STATUSES,
    SEVERITIES,
    UNRESOLVED,
    Issue,
    IssueComment,
)
from cotrack.models.job import JOB_KINDS, JOB_STATUSES, Job
from cotrack.models.ledger import (
    Allocation,
    LedgerStatement,
    RevenueEntry,
    RevenueMonth,
    RevenueOrgMonth,
)
from cotrack.models.mail import OutboundMail
from cotrack.models.milestone import FINISHED, MILESTONE_STATUSES, Milestone
from cotrack.models.notification import DigestRun, EmailPreference, Notification
from cotrack.models.ratelimit import RateLimitCounter
from cotrack.models.user import ACCOUNT_ROLES, ApiToken, Organisation, User, UserSession
from cotrack.models.venture import (
    HEALTH,
    OPEN_STATUSES,
    PARTY_ROLES,
    STAGE_LABELS,
    STAGES,
    STATUSES,
    GateApproval,
    GateRequest,
    OrganisationPartner,
    StageTransition,
    StatusUpdate,
    Venture,
    VentureParty,
)

__all__ = [
    "SIGNED", "AgreementApproval", "Allocation", "LedgerStatement", "RevenueEntry", "RevenueMonth",
    "RevenueOrgMonth",
    "SplitAgreement",
    "FINISHED", "ISSUE_FLOW", "ISSUE_STATUSES", "MILESTONE_STATUSES", "SEVERITIES", "UNRESOLVED",
    "Issue", "IssueComment", "Milestone",
    "HEALTH", "PARTY_ROLES", "ACCOUNT_ROLES", "STAGES", "STAGE_LABELS", "OPEN_STATUSES", "STATUSES",
    "Activity", "ApiToken", "GateApproval", "GateRequest", "IdempotencyKey", "Organisation",
    "OrganisationPartner",
    "RateLimitCounter",
    "StageTransition", "StatusUpdate", "User", "UserSession", "Venture",
    "VentureParty",
    "DigestRun", "EmailPreference", "Notification", "OutboundMail",
    "JOB_KINDS", "JOB_STATUSES", "Job",
]
