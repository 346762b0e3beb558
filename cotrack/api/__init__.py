"""JSON API (API.md): /api/v1/..., bearer tokens, JSON errors, /api/openapi.json."""

from flask import Blueprint

from cotrack.api import (
    auth,
    conflicts,
    core,
    gates,
    invitations,
    issues,
    jobs,
    milestones,
    notifications,
    openapi,
    revenue,
    search,
    statements,
    ventures,
)
from cotrack.domain.errors import StaleVersion

bp = Blueprint("api", __name__)
bp.before_request(auth.authenticate)
bp.register_error_handler(StaleVersion, conflicts.stale_version)

# jobs.py
bp.add_url_rule("/v1/jobs/<id:job_id>", view_func=jobs.get_job, methods=["GET"])
bp.add_url_rule("/v1/jobs/<id:job_id>/file", view_func=jobs.job_file, methods=["GET"])

# core.py
bp.add_url_rule("/v1/me", view_func=core.me, methods=["GET"])
bp.add_url_rule("/v1/organisations", view_func=core.organisations, methods=["GET"])
bp.add_url_rule("/v1/me/preferences", view_func=core.get_preferences, methods=["GET"])
bp.add_url_rule("/v1/me/preferences", view_func=core.put_preferences, methods=["PUT"])

# ventures.py
bp.add_url_rule("/v1/ventures", view_func=ventures.list_ventures, methods=["GET"])
bp.add_url_rule("/v1/ventures", view_func=ventures.create_venture, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>", view_func=ventures.get_venture, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>", view_func=ventures.patch_venture, methods=["PATCH"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/accept",
                 view_func=ventures.accept_venture, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/decline",
                 view_func=ventures.decline_venture, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/updates",
                 view_func=ventures.list_updates, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/updates",
                 view_func=ventures.create_update, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/activity",
                 view_func=ventures.list_activity, methods=["GET"])

# invitations.py
bp.add_url_rule("/v1/ventures/<id:venture_id>/invitations/<role>/withdraw",
                 view_func=invitations.withdraw, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/invitations/<role>/resend",
                 view_func=invitations.resend, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/invitations/<role>",
                 view_func=invitations.invite, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/abandon",
                 view_func=invitations.abandon, methods=["POST"])

# notifications.py
bp.add_url_rule("/v1/notifications", view_func=notifications.list_notifications,
                 methods=["GET"])
bp.add_url_rule("/v1/notifications/<id:notification_id>/read",
                 view_func=notifications.read_notification, methods=["POST"])
bp.add_url_rule("/v1/notifications/read-all", view_func=notifications.read_all_notifications,
                 methods=["POST"])
bp.add_url_rule("/v1/me/waiting", view_func=notifications.waiting, methods=["GET"])

# gates.py
bp.add_url_rule("/v1/ventures/<id:venture_id>/gate", view_func=gates.get_gate, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/gate", view_func=gates.post_gate, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/gate/approve",
                 view_func=gates.approve_gate, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/gate/reject",
                 view_func=gates.reject_gate, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/shelve", view_func=gates.shelve, methods=["POST"])

# milestones.py
bp.add_url_rule("/v1/ventures/<id:venture_id>/milestones",
                 view_func=milestones.list_milestones, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/milestones",
                 view_func=milestones.create_milestone, methods=["POST"])
bp.add_url_rule("/v1/milestones/<id:milestone_id>",
                 view_func=milestones.get_milestone, methods=["GET"])
bp.add_url_rule("/v1/milestones/<id:milestone_id>",
                 view_func=milestones.patch_milestone, methods=["PATCH"])
bp.add_url_rule("/v1/milestones/<id:milestone_id>",
                 view_func=milestones.delete_milestone, methods=["DELETE"])

# issues.py
bp.add_url_rule("/v1/ventures/<id:venture_id>/issues",
                 view_func=issues.list_issues, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/issues",
                 view_func=issues.create_issue, methods=["POST"])
bp.add_url_rule("/v1/issues/<id:issue_id>", view_func=issues.get_issue, methods=["GET"])
bp.add_url_rule("/v1/issues/<id:issue_id>", view_func=issues.patch_issue, methods=["PATCH"])
bp.add_url_rule("/v1/issues/<id:issue_id>/comments",
                 view_func=issues.list_comments, methods=["GET"])
bp.add_url_rule("/v1/issues/<id:issue_id>/comments",
                 view_func=issues.create_comment, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/scorecard",
                 view_func=issues.get_scorecard, methods=["GET"])

# revenue.py
bp.add_url_rule("/v1/ventures/<id:venture_id>/agreements",
                 view_func=revenue.list_agreements, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/agreements",
                 view_func=revenue.create_agreement, methods=["POST"])
bp.add_url_rule("/v1/agreements/<id:agreement_id>/approve",
                 view_func=revenue.approve_agreement, methods=["POST"])
bp.add_url_rule("/v1/agreements/<id:agreement_id>/reject",
                 view_func=revenue.reject_agreement, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/revenue",
                 view_func=revenue.list_revenue, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/revenue",
                 view_func=revenue.create_revenue, methods=["POST"])
bp.add_url_rule("/v1/revenue/<id:entry_id>/reverse",
                 view_func=revenue.reverse_revenue, methods=["POST"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/revenue/import",
                 view_func=revenue.import_revenue, methods=["POST"])
bp.add_url_rule("/v1/reports/revenue", view_func=revenue.revenue_report, methods=["GET"])
bp.add_url_rule("/v1/reports/revenue/export", view_func=revenue.export_job, methods=["POST"])

# search.py
bp.add_url_rule("/v1/search", view_func=search.search_api, methods=["GET"])

# statements.py
bp.add_url_rule("/v1/ventures/<id:venture_id>/statements",
                 view_func=statements.list_statements, methods=["GET"])
bp.add_url_rule("/v1/ventures/<id:venture_id>/statements",
                 view_func=statements.create_statement, methods=["POST"])
bp.add_url_rule("/v1/statements/<id:statement_id>",
                 view_func=statements.get_statement, methods=["GET"])

# openapi.py
bp.add_url_rule("/openapi.json", view_func=openapi.openapi, methods=["GET"])
