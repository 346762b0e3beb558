"""Reads that return a Select (or load one object for a viewer); HTML and API share them."""

from cotrack.queries.ventures import (  # noqa: F401
    MILESTONE_SORTS,
    activity_of,
    activity_rows,
    board_ventures,
    filtered_ventures,
    gates_awaiting,
    issues_of,
    latest_health,
    listed_count,
    milestones_of,
    my_issues,
    my_milestones,
    open_invitations,
    partner_organisations,
    party_lines,
    party_users,
    status_update_rows,
    status_updates_of,
    ventures_for_api,
    visible_ventures,
)
