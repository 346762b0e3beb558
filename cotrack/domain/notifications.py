"""Kinds of notification, who may see each, and how each is mailed by default
(DOMAIN.md, "Keeping partners in step")."""

from cotrack.domain.errors import DomainError

DELIVERIES = ("immediate", "daily", "weekly", "off")
DELIVERY_LABELS = {"immediate": "At once", "daily": "Daily digest", "weekly": "Weekly digest",
                   "off": "Off"}

#: kind -> (label on the profile page, it waits on the recipient)
KINDS = {
    "invited": ("Your organisation is invited to a venture", True),
    "invitation_answered": ("An invitation was accepted or declined", False),
    "invitation_withdrawn": ("An invitation was withdrawn", False),
    "invitation_replaced": ("Another organisation was invited for a role", False),
    "venture_abandoned": ("A pending venture was given up", False),
    "gate_requested": ("A stage gate waits for your approval", True),
    "gate_approved": ("A party approved a stage gate", False),
    "gate_rejected": ("A stage gate was rejected", False),
    "gate_passed": ("A venture moved to its next stage", False),
    "agreement_proposed": ("A split agreement waits for your signature", True),
    "agreement_approved": ("A party approved a split agreement", False),
    "agreement_active": ("A split agreement became active", False),
    "agreement_rejected": ("A split agreement was rejected", False),
    "assigned": ("A milestone or issue was assigned to you", True),
    "mentioned": ("Someone mentioned you", True),
    "commented": ("A comment on an issue you raised or hold", False),
    "update_posted": ("A status update was posted", False),
    "milestone_overdue": ("A milestone of yours is overdue", True),
    "revenue_recorded": ("Revenue was recorded or reversed", False),
}
#: kinds only those who may view revenue receive (leads and finance)
REVENUE_KINDS = frozenset({"agreement_proposed", "agreement_approved", "agreement_active",
                           "agreement_rejected", "revenue_recorded"})


#: kinds only leads receive (they answer invitations and decide gates)
LEAD_KINDS = frozenset({"invited", "gate_requested"})


def kinds_for(role: str) -> list[str]:
    """The kinds a person with this account role can ever receive (their mail choices)."""
    return [kind for kind in KINDS
            if (kind not in LEAD_KINDS or role == "lead")
            and (kind not in REVENUE_KINDS or role in ("lead", "finance"))]


def default_delivery(kind: str) -> str:
    """What waits on you: at once; the rest: in the daily digest."""
    return "immediate" if KINDS[kind][1] else "daily"


def delivery_value(value, kind: str) -> str:
    if value not in DELIVERIES:
        raise DomainError("Choose immediate, daily, weekly or off.", field=f"email.{kind}")
    return value


def email_choices(data) -> dict[str, str]:
    """{kind: delivery} from a JSON object or form, each checked; unknown kinds refused."""
    if not isinstance(data, dict):
        raise DomainError("email must be an object of kind: delivery.", field="email")
    problems = {f"email.{k}": "Unknown kind of notification." for k in data if k not in KINDS}
    if problems:
        raise DomainError("Unknown kind of notification.", fields=problems)
    choices, problems = {}, {}
    for kind, value in data.items():
        try:
            choices[kind] = delivery_value(value, kind)
        except DomainError as exc:
            problems.update(exc.fields)
    if problems:
        raise DomainError("Choose immediate, daily, weekly or off.", fields=problems)
    return choices
