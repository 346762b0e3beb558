"""The paths notifications and mails point at are the app's own routes."""

from flask import url_for

from cotrack.domain import paths


def test_each_path_is_the_routes_path(app):
    with app.test_request_context():
        assert paths.venture(3, "gate") == url_for("ventures.show", venture_id=3) + "#gate"
        assert paths.issue(3, 7, "comment-9") == url_for(
            "ventures.show_issue", venture_id=3, issue_id=7) + "#comment-9"
        assert paths.milestone(3, 5) == url_for("ventures.edit_milestone", venture_id=3,
                                                milestone_id=5)
        assert paths.milestones(3, "field_trial") == url_for(
            "ventures.milestones", venture_id=3, stage="field_trial")
        assert paths.issues(3, "critical") == url_for("ventures.issues", venture_id=3,
                                                      severity="critical")
        assert paths.updates(3) == url_for("ventures.updates", venture_id=3)
        assert paths.agreements(3) == url_for("finance.agreements", venture_id=3)
        assert paths.revenue(3) == url_for("finance.revenue", venture_id=3)
        assert paths.profile("email") == url_for("auth.profile") + "#email"
