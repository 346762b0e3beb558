"""Why a page answered 403: the rule of DOMAIN.md's permission table behind it, in words.

The 403 page shows the reason for the endpoint that refused, who the person is signed in
as, and a way back (the venture's page when the refusal was inside a venture).
"""

from flask import request, url_for
from flask_login import current_user

#: endpoint (or endpoint prefix ending in ".") -> the rule, most specific first
REASONS = (
    ("admin.", "Organisations, accounts and mail are managed by administrators."),
    ("finance.import_revenue", "Revenue is recorded, imported and reversed by the finance "
                               "people of the venture's parties."),
    ("finance.reverse", "Revenue is recorded, imported and reversed by the finance people "
                        "of the venture's parties."),
    ("finance.approve_agreement", "Split agreements are signed by the leads and finance "
                                  "people of the venture's parties."),
    ("finance.reject_agreement", "Split agreements are signed by the leads and finance "
                                 "people of the venture's parties."),
    ("finance.", "Revenue, split agreements and reports are open to leads, finance people "
                 "and administrators; members see the venture's work, not its money."),
    ("ventures.new", "Ventures are created by project leads."),
    ("ventures.edit", "A venture's details are edited by the project leads of its parties."),
    ("ventures.new_milestone", "Milestones are created, edited and deleted by the project "
                               "leads of the venture's parties."),
    ("ventures.delete_milestone", "Milestones are created, edited and deleted by the "
                                  "project leads of the venture's parties."),
    ("ventures.edit_milestone", "A milestone is edited by the venture's project leads; its "
                                "status also by the person it is assigned to."),
    ("ventures.edit_issue", "An issue's status and assignee are changed by project leads "
                            "and by the person it is assigned to."),
    ("ventures.issue_workflow", "An issue's status and assignee are changed by project "
                                "leads and by the person it is assigned to."),
    ("ventures.take_issue", "An unassigned issue can be taken by the venture's people."),
    ("ventures.", "This is done by the people of the venture's parties (project leads for "
                  "gates, status updates and invitations)."),
)
ADMIN_IN_VENTURE = ("Administrators see every venture but never act for a party: the "
                    "venture's own people do this.")


def reason() -> str:
    endpoint = request.endpoint or ""
    if (endpoint.startswith("ventures.") and current_user.is_authenticated
            and current_user.role == "admin"):
        return ADMIN_IN_VENTURE
    for key, text in REASONS:
        if endpoint == key or (key.endswith(".") and endpoint.startswith(key)):
            return text
    return "Your account's role does not allow it."


def way_back() -> tuple[str, str]:
    """(url, label) of the nearest page the person may see."""
    venture_id = (request.view_args or {}).get("venture_id")
    if venture_id is not None and request.endpoint != "ventures.show":
        return url_for("ventures.show", venture_id=venture_id), "Back to the venture"
    return url_for("main.home"), "Back to Home"


def explain() -> dict:
    """What the 403 page shows."""
    url, label = way_back()
    who = None
    if current_user.is_authenticated:
        who = (f"You are signed in as {current_user.name}, "
               f"{current_user.role} at {current_user.organisation.name}.")
    return {"reason": reason(), "who": who, "back_url": url, "back_label": label}
