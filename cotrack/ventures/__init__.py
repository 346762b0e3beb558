"""Venture pages: list, create, overview, invitations, gates, updates, milestones, issues."""

from flask import Blueprint

from cotrack.ventures import common, gates, invitations, issues, milestones, updates, views

bp = Blueprint("ventures", __name__)
bp.before_request(common.signed_in)

# views.py
bp.add_url_rule("/", view_func=views.index)
bp.add_url_rule("/new", view_func=views.new, methods=["GET", "POST"])
bp.add_url_rule("/<id:venture_id>", view_func=views.show)
bp.add_url_rule("/<id:venture_id>/edit", view_func=views.edit, methods=["GET", "POST"])
bp.add_url_rule("/<id:venture_id>/accept", view_func=views.accept, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/decline", view_func=views.decline, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/activity", view_func=views.activity)
bp.add_url_rule("/<id:venture_id>/people", view_func=views.people)

# invitations.py
bp.add_url_rule("/<id:venture_id>/invitations/<role>/withdraw",
                 view_func=invitations.withdraw, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/invitations/<role>/resend",
                 view_func=invitations.resend, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/invitations/<role>",
                 view_func=invitations.invite, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/abandon", view_func=invitations.abandon, methods=["POST"])

# gates.py
bp.add_url_rule("/<id:venture_id>/gate", view_func=gates.request_gate, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/gate/approve", view_func=gates.approve_gate, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/gate/reject", view_func=gates.reject_gate, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/shelve", view_func=gates.shelve, methods=["POST"])

# updates.py
bp.add_url_rule("/<id:venture_id>/updates", view_func=updates.updates, methods=["GET", "POST"])

# milestones.py
bp.add_url_rule("/<id:venture_id>/milestones", view_func=milestones.milestones)
bp.add_url_rule("/<id:venture_id>/timeline", view_func=milestones.milestone_timeline)
bp.add_url_rule("/<id:venture_id>/milestones/new",
                 view_func=milestones.new_milestone, methods=["GET", "POST"])
bp.add_url_rule("/<id:venture_id>/milestones/<id:milestone_id>",
                 view_func=milestones.edit_milestone, methods=["GET", "POST"])
bp.add_url_rule("/<id:venture_id>/milestones/<id:milestone_id>/delete",
                 view_func=milestones.delete_milestone, methods=["GET", "POST"])

# issues.py
bp.add_url_rule("/<id:venture_id>/issues", view_func=issues.issues)
bp.add_url_rule("/<id:venture_id>/issues/new", view_func=issues.new_issue, methods=["GET", "POST"])
bp.add_url_rule("/<id:venture_id>/issues/<id:issue_id>", view_func=issues.show_issue)
bp.add_url_rule("/<id:venture_id>/issues/<id:issue_id>/edit",
                 view_func=issues.edit_issue, methods=["GET", "POST"])
bp.add_url_rule("/<id:venture_id>/issues/<id:issue_id>/workflow",
                 view_func=issues.issue_workflow, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/issues/<id:issue_id>/take",
                view_func=issues.take_issue, methods=["POST"])
bp.add_url_rule("/<id:venture_id>/issues/<id:issue_id>/comments",
                 view_func=issues.comment_issue, methods=["POST"])
