"""Route × role → status for every venture page, form post and API endpoint.

The table below is the permission table of DOMAIN.md as HTTP answers. A test walks
``app.url_map`` and fails when a route is neither in the table nor listed as unrelated to
ventures, so a new route cannot ship without its row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from cotrack.extensions import db
from cotrack.services import gates
from tests.conftest import csrf_token, login
from tests.ventures.conftest import ROLES

#: routes that show or change nothing of any venture
NOT_VENTURE_ROUTES = {
    "static", "bootstrap.static", "main.healthz", "auth.login", "auth.logout", "auth.profile",
    "auth.forgot_password", "auth.reset_password",  # tests/auth/test_password_reset.py
    "auth.create_token", "auth.revoke_token", "admin.organisations", "admin.organisation",
    "admin.users", "admin.new_user", "admin.edit_user", "admin.reset_password",
    "api.me", "api.organisations", "api.openapi", "auth.preferences", "api.get_preferences",
    "api.put_preferences",
    # mail and notifications: each person's own (tests/notifications), admins' mail page
    "main.unsubscribe", "main.one_click_unsubscribe", "admin.mails", "admin.eml_file",
    "main.notifications", "main.read_notification", "main.read_all_notifications",
    "main.open_notification", "api.list_notifications", "api.read_notification",
    "api.read_all_notifications", "api.waiting", "auth.email_preferences",
}

VIEW = {"lead": 200, "finance": 200, "member": 200, "admin": 200, "outsider": 404}


def lead_only(ok: int) -> dict:
    return {"lead": ok, "finance": 403, "member": 403, "admin": 403, "outsider": 404}


PARTY = {"lead": 200, "finance": 200, "member": 200, "admin": 403, "outsider": 404}


def party_ok(ok: int) -> dict:
    return {**PARTY, "lead": ok, "finance": ok, "member": ok}


def m_version(c):
    return c.milestone.version


MONEY = {"lead": 200, "finance": 200, "member": 403, "admin": 200, "outsider": 404}
REPORTS = {"lead": 200, "finance": 200, "member": 403, "admin": 200, "outsider": 200}


def FINANCE_ONLY(ok: int) -> dict:  # noqa: N802  (reads like the other tables)
    return {"lead": 403, "finance": ok, "member": 403, "admin": 403, "outsider": 404}


def OWNER(ok: int) -> dict:  # noqa: N802  (the finance user's own job)
    return {"lead": 404, "finance": ok, "member": 404, "admin": 404, "outsider": 404}


def SIGNERS(ok: int) -> dict:  # noqa: N802
    return {"lead": ok, "finance": ok, "member": 403, "admin": 403, "outsider": 404}


NOBODY = {"lead": 403, "finance": 403, "member": 403, "admin": 403, "outsider": 404}


@dataclass
class Case:
    endpoint: str
    method: str
    path: str
    expected: dict
    data: dict | Callable = field(default_factory=dict)
    setup: str | None = None

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


CASES = [
    # pages
    Case("main.home", "GET", "/", {r: 200 for r in ROLES}),
    Case("ventures.index", "GET", "/ventures/", {r: 200 for r in ROLES}),
    Case("ventures.new", "GET", "/ventures/new", {"lead": 200, "finance": 403, "member": 403,
                                                  "admin": 403, "outsider": 200}),
    Case("ventures.show", "GET", "/ventures/{v}", VIEW),
    Case("ventures.activity", "GET", "/ventures/{v}/activity", VIEW),
    Case("ventures.updates", "GET", "/ventures/{v}/updates", VIEW),
    Case("ventures.edit", "GET", "/ventures/{v}/edit", lead_only(200)),
    # form posts
    Case("ventures.new", "POST", "/ventures/new",
         {"lead": 422, "finance": 403, "member": 403, "admin": 403, "outsider": 422},
         data={"name": ""}),
    Case("ventures.edit", "POST", "/ventures/{v}/edit", lead_only(302), data={"name": "New name"}),
    Case("ventures.accept", "POST", "/ventures/{v}/accept", NOBODY),
    Case("ventures.decline", "POST", "/ventures/{v}/decline", NOBODY, data={"reason": "No."}),
    Case("ventures.updates", "POST", "/ventures/{v}/updates", lead_only(302),
         data={"health": "green", "summary": "On track."}),
    Case("ventures.request_gate", "POST", "/ventures/{v}/gate", lead_only(302)),
    Case("ventures.approve_gate", "POST", "/ventures/{v}/gate/approve", lead_only(302),
         setup="open_gate"),
    Case("ventures.reject_gate", "POST", "/ventures/{v}/gate/reject", lead_only(302),
         data={"comment": "Not yet."}, setup="open_gate"),
    Case("ventures.shelve", "POST", "/ventures/{v}/shelve", lead_only(302),
         data={"reason": "Market moved."}),
    # milestones and issues, reached by their own ids
    Case("main.my_work", "GET", "/my-work", {r: 200 for r in ROLES}),
    # search: everyone searches; each finds only what they may see (tests/ventures/test_search)
    Case("main.search_page", "GET", "/search?q=rack", {r: 200 for r in ROLES}),
    Case("api.search_api", "GET", "/api/v1/search?q=rack", {r: 200 for r in ROLES}),
    Case("ventures.milestones", "GET", "/ventures/{v}/milestones", VIEW),
    Case("ventures.milestone_timeline", "GET", "/ventures/{v}/timeline", VIEW),
    Case("ventures.new_milestone", "GET", "/ventures/{v}/milestones/new", lead_only(200)),
    Case("ventures.new_milestone", "POST", "/ventures/{v}/milestones/new", lead_only(302),
         data={"title": "Pilot", "stage": "discovery", "party": "reseller",
               "due_date": "2030-02-01", "status": "planned", "assignee_id": "0"}),
    Case("ventures.edit_milestone", "GET", "/ventures/{v}/milestones/{m}", VIEW),
    Case("ventures.edit_milestone", "POST", "/ventures/{v}/milestones/{m}", lead_only(302),
         data=lambda c: {"title": "Site survey", "stage": "feasibility", "party": "customer",
                         "due_date": "2030-01-31", "status": "in_progress",
                         "assignee_id": "0", "version": c.milestone.version}),
    Case("ventures.delete_milestone", "GET", "/ventures/{v}/milestones/{m}/delete",
         lead_only(200)),
    Case("ventures.delete_milestone", "POST", "/ventures/{v}/milestones/{m}/delete",
         lead_only(302), data=lambda c: {"version": c.milestone.version}),
    Case("ventures.issues", "GET", "/ventures/{v}/issues", VIEW),
    Case("ventures.new_issue", "GET", "/ventures/{v}/issues/new", PARTY),
    Case("ventures.new_issue", "POST", "/ventures/{v}/issues/new", party_ok(302),
         data={"title": "Fan noise", "severity": "low", "party": "manufacturer",
               "milestone_id": "0", "assignee_id": "0"}),
    Case("ventures.show_issue", "GET", "/ventures/{v}/issues/{i}", VIEW),
    Case("ventures.edit_issue", "GET", "/ventures/{v}/issues/{i}/edit", lead_only(200)),
    Case("ventures.edit_issue", "POST", "/ventures/{v}/issues/{i}/edit", lead_only(302),
         data=lambda c: {"title": "Rack too deep", "severity": "high", "party": "manufacturer",
                         "milestone_id": "0", "version": c.issue.version}),
    Case("ventures.issue_workflow", "POST", "/ventures/{v}/issues/{i}/workflow", lead_only(302),
         data=lambda c: {"status": "in_progress", "assignee_id": "0",
                         "version": c.issue.version}),
    Case("ventures.take_issue", "POST", "/ventures/{v}/issues/{i}/take", party_ok(302),
         data=lambda c: {"version": c.issue.version}),
    Case("ventures.comment_issue", "POST", "/ventures/{v}/issues/{i}/comments", party_ok(302),
         data={"body": "Seen it too."}),
    Case("api.list_milestones", "GET", "/api/v1/ventures/{v}/milestones", VIEW),
    Case("api.create_milestone", "POST", "/api/v1/ventures/{v}/milestones", lead_only(201),
         data={"title": "Pilot", "stage": "discovery", "party": "reseller",
               "due_date": "2030-02-01"}),
    Case("api.get_milestone", "GET", "/api/v1/milestones/{m}", VIEW),
    Case("api.patch_milestone", "PATCH", "/api/v1/milestones/{m}", lead_only(200),
         data=lambda c: {"status": "blocked", "version": c.milestone.version}),
    Case("api.delete_milestone", "DELETE", "/api/v1/milestones/{m}", lead_only(204)),
    Case("api.list_issues", "GET", "/api/v1/ventures/{v}/issues", VIEW),
    Case("api.create_issue", "POST", "/api/v1/ventures/{v}/issues", party_ok(201),
         data={"title": "Fan noise", "severity": "low", "party": "manufacturer"}),
    Case("api.get_issue", "GET", "/api/v1/issues/{i}", VIEW),
    Case("api.patch_issue", "PATCH", "/api/v1/issues/{i}", lead_only(200),
         data=lambda c: {"status": "in_progress", "version": c.issue.version}),
    Case("api.list_comments", "GET", "/api/v1/issues/{i}/comments", VIEW),
    Case("api.create_comment", "POST", "/api/v1/issues/{i}/comments", party_ok(201),
         data={"body": "Seen it too."}),
    Case("api.get_scorecard", "GET", "/api/v1/ventures/{v}/scorecard", VIEW),
    # revenue: leads and finance of every party; members 403; admins view only
    Case("finance.revenue", "GET", "/ventures/{v}/revenue", MONEY),
    Case("finance.revenue", "POST", "/ventures/{v}/revenue", FINANCE_ONLY(302),
         data={"date": "2025-03-31", "amount": "10.00", "reference": "INV-2"}),
    Case("finance.reverse", "GET", "/ventures/{v}/revenue/{e}/reverse", FINANCE_ONLY(200)),
    Case("finance.reverse", "POST", "/ventures/{v}/revenue/{e}/reverse", FINANCE_ONLY(302),
         data={"reason": "Posted twice."}),
    Case("finance.statements", "GET", "/ventures/{v}/revenue/statements", MONEY),
    Case("finance.statements", "POST", "/ventures/{v}/revenue/statements", FINANCE_ONLY(302)),
    Case("finance.download_statement", "GET", "/ventures/{v}/revenue/statements/{s}", MONEY,
         setup="statement"),
    Case("api.list_statements", "GET", "/api/v1/ventures/{v}/statements", MONEY),
    Case("api.create_statement", "POST", "/api/v1/ventures/{v}/statements", FINANCE_ONLY(201)),
    Case("api.get_statement", "GET", "/api/v1/statements/{s}", MONEY, setup="statement"),
    Case("finance.import_revenue", "GET", "/ventures/{v}/revenue/import", FINANCE_ONLY(200)),
    Case("finance.import_revenue", "POST", "/ventures/{v}/revenue/import", FINANCE_ONLY(422)),
    # the import's later steps: an upload no one made is not there
    Case("finance.import_template", "GET", "/ventures/{v}/revenue/import/template.csv",
         FINANCE_ONLY(200)),
    Case("finance.import_template", "GET", "/ventures/{v}/revenue/import/template.xlsx",
         FINANCE_ONLY(200)),
    Case("finance.import_preview", "GET", "/ventures/{v}/revenue/import/no-such-upload",
         FINANCE_ONLY(404)),
    Case("finance.import_preview", "POST", "/ventures/{v}/revenue/import/no-such-upload",
         FINANCE_ONLY(404)),
    # a background job is its requester's alone (here finance's finished export)
    Case("finance.job", "GET", "/jobs/{j}", OWNER(200), setup="job"),
    Case("finance.job_progress", "GET", "/jobs/{j}/progress", OWNER(200), setup="job"),
    Case("finance.job_file", "GET", "/jobs/{j}/file", OWNER(200), setup="job"),
    Case("api.get_job", "GET", "/api/v1/jobs/{j}", OWNER(200), setup="job"),
    Case("api.job_file", "GET", "/api/v1/jobs/{j}/file", OWNER(200), setup="job"),
    Case("finance.export_job", "POST", "/reports/export-job?venture_id={v}",
         {**MONEY, "lead": 303, "finance": 303, "admin": 303},
         data={"venture_id": "{v}", "kind": "ledger", "format": "csv"}),
    Case("api.export_job", "POST", "/api/v1/reports/revenue/export?venture_id={v}&format=csv",
         {**MONEY, "lead": 202, "finance": 202, "admin": 202}),
    Case("finance.agreements", "GET", "/ventures/{v}/agreements", MONEY),
    Case("finance.agreements", "POST", "/ventures/{v}/agreements", SIGNERS(302),
         data={"effective_from": "2026-06-01", "customer": "30", "reseller": "30",
               "manufacturer": "40"}),
    Case("finance.approve_agreement", "POST", "/ventures/{v}/agreements/{a}/approve",
         SIGNERS(302)),
    Case("finance.reject_agreement", "POST", "/ventures/{v}/agreements/{a}/reject",
         SIGNERS(302)),
    Case("finance.reports", "GET", "/reports", REPORTS),
    Case("finance.reports", "GET", "/reports?venture_id={v}", {**REPORTS, "outsider": 404}),
    Case("finance.report_ledger", "GET", "/reports/ledger", REPORTS),
    # the report filters' venture search: anyone's answer holds only their own ventures
    # (tests/finance/test_picker.py)
    Case("finance.venture_names", "GET", "/reports/ventures?venture_q=a", REPORTS),
    Case("finance.export", "GET", "/reports/export?venture_id={v}&format=csv",
         {**REPORTS, "outsider": 404}),
    Case("api.list_agreements", "GET", "/api/v1/ventures/{v}/agreements", MONEY),
    Case("api.create_agreement", "POST", "/api/v1/ventures/{v}/agreements", SIGNERS(201),
         data={"effective_from": "2026-06-01", "shares": {
             "customer": "30.00", "reseller": "30.00", "manufacturer": "40.00"}}),
    Case("api.approve_agreement", "POST", "/api/v1/agreements/{a}/approve", SIGNERS(200)),
    Case("api.reject_agreement", "POST", "/api/v1/agreements/{a}/reject", SIGNERS(200)),
    Case("api.list_revenue", "GET", "/api/v1/ventures/{v}/revenue", MONEY),
    Case("api.create_revenue", "POST", "/api/v1/ventures/{v}/revenue", FINANCE_ONLY(201),
         data={"date": "2025-03-31", "amount": "10.00", "reference": "INV-2"}),
    Case("api.reverse_revenue", "POST", "/api/v1/revenue/{e}/reverse", FINANCE_ONLY(201),
         data={"reason": "Posted twice."}),
    Case("api.import_revenue", "POST", "/api/v1/ventures/{v}/revenue/import", FINANCE_ONLY(422)),
    Case("api.revenue_report", "GET", "/api/v1/reports/revenue?venture_id={v}",
         {**REPORTS, "outsider": 404}),
    # API
    Case("api.list_ventures", "GET", "/api/v1/ventures", {r: 200 for r in ROLES}),
    Case("api.create_venture", "POST", "/api/v1/ventures",
         {"lead": 422, "finance": 403, "member": 403, "admin": 403, "outsider": 422},
         data={"name": "", "currency": "EUR", "parties": {}}),
    Case("api.get_venture", "GET", "/api/v1/ventures/{v}", VIEW),
    Case("api.patch_venture", "PATCH", "/api/v1/ventures/{v}", lead_only(200),
         data={"name": "Renamed"}),
    Case("api.accept_venture", "POST", "/api/v1/ventures/{v}/accept", NOBODY),
    Case("api.decline_venture", "POST", "/api/v1/ventures/{v}/decline", NOBODY,
         data={"reason": "No."}),
    Case("api.list_updates", "GET", "/api/v1/ventures/{v}/updates", VIEW),
    Case("api.create_update", "POST", "/api/v1/ventures/{v}/updates", lead_only(201),
         data={"health": "amber", "summary": "Slipping."}),
    Case("api.list_activity", "GET", "/api/v1/ventures/{v}/activity", VIEW),
    Case("api.get_gate", "GET", "/api/v1/ventures/{v}/gate", VIEW),
    Case("api.post_gate", "POST", "/api/v1/ventures/{v}/gate", lead_only(201)),
    Case("api.approve_gate", "POST", "/api/v1/ventures/{v}/gate/approve", lead_only(200),
         setup="open_gate"),
    Case("api.reject_gate", "POST", "/api/v1/ventures/{v}/gate/reject", lead_only(200),
         data={"comment": "No."}, setup="open_gate"),
    Case("api.shelve", "POST", "/api/v1/ventures/{v}/shelve", lead_only(201),
         data={"reason": "Market moved."}),
    # invitations are managed while a venture is pending (tests/ventures/test_invitations.py);
    # this venture is active: nobody may, outsiders learn nothing
    Case("ventures.people", "GET", "/ventures/{v}/people", VIEW),
    Case("ventures.withdraw", "POST", "/ventures/{v}/invitations/reseller/withdraw", NOBODY),
    Case("ventures.resend", "POST", "/ventures/{v}/invitations/reseller/resend", NOBODY),
    Case("ventures.invite", "POST", "/ventures/{v}/invitations/reseller", NOBODY),
    Case("ventures.abandon", "POST", "/ventures/{v}/abandon", NOBODY, data={"reason": "x"}),
    Case("api.withdraw", "POST", "/api/v1/ventures/{v}/invitations/reseller/withdraw", NOBODY),
    Case("api.resend", "POST", "/api/v1/ventures/{v}/invitations/reseller/resend", NOBODY),
    Case("api.invite", "POST", "/api/v1/ventures/{v}/invitations/reseller", NOBODY,
         data={"organisation_id": 1}),
    Case("api.abandon", "POST", "/api/v1/ventures/{v}/abandon", NOBODY, data={"reason": "x"}),
]


def _finished_export(app, cast):
    """A finished CSV export of the finance user's, with its file in the exports folder."""
    from cotrack.models import Job
    from cotrack.services import background

    job = Job(kind="export", user_id=cast.users["finance"].id, venture_id=cast.venture.id,
              status="done", done=1, total=1, result_file=f"access-{cast.venture.id}.csv",
              result={"filename": "ledger.csv", "rows": 1})
    db.session.add(job)
    db.session.commit()
    with app.app_context():
        folder = background._exports_folder()
    (folder / job.result_file).write_text("date,amount\n")
    return job


def _open_gate(cast) -> None:
    gates.request_gate(cast.leads["reseller"], cast.venture)
    db.session.commit()


def call(client, case: Case, cast, role: str, make_token):
    user = cast.users[role]
    statement_id = None
    if case.setup == "statement":
        from cotrack.services.statements import take_statement

        statement_id = take_statement(cast.venture, "requested").id
        db.session.commit()
    job_id = _finished_export(client.application, cast).id if case.setup == "job" else None
    path = case.path.format(v=cast.venture.id, m=cast.milestone.id, i=cast.issue.id,
                            e=cast.entry.id, a=cast.proposal.id, s=statement_id, j=job_id)
    if case.setup == "open_gate":
        _open_gate(cast)
    body = case.data(cast) if callable(case.data) else dict(case.data)
    body = {k: v.format(v=cast.venture.id) if isinstance(v, str) else v for k, v in body.items()}
    if case.api:
        return client.open(path, method=case.method, json=body, headers=make_token(user))
    login(client, user.email)
    data = body
    if case.method != "GET":
        data["csrf_token"] = csrf_token(client, "/auth/profile")
    return client.open(path, method=case.method, data=data or None)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_route_answers_each_role(app, cast, make_token, case):
    """Each role in turn, each from the same state: what one role's request wrote is rolled
    back (a savepoint around it) before the next role asks, with a client of its own."""
    connection = db.session.get_bind()
    answers = {}
    for role in ROLES:
        savepoint = connection.begin_nested()
        try:
            response = call(app.test_client(), case, cast, role, make_token)
            response.close()  # a file sent is a stream
            answers[role] = response.status_code
            if case.api and response.status_code >= 400:
                assert response.json["error"]["status"] == response.status_code, role
        finally:
            db.session.rollback()
            savepoint.rollback()
            db.session.expire_all()
    assert answers == {role: case.expected[role] for role in ROLES}, (str(case), answers)


def test_every_route_is_in_the_table(app):
    covered = {(c.endpoint, c.method) for c in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_VENTURE_ROUTES:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "routes without a row in the access table: " + ", ".join(missing)


def test_outsider_404_does_not_differ_from_a_missing_venture(client, cast, make_token):
    headers = make_token(cast.users["outsider"])
    hidden = client.get(f"/api/v1/ventures/{cast.venture.id}", headers=headers)
    missing = client.get("/api/v1/ventures/987654321", headers=headers)
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json == missing.json


@pytest.mark.parametrize("path", [
    "/ventures/{other}/milestones/{m}", "/ventures/{other}/issues/{i}",
    "/ventures/{other}/milestones/{m}/delete", "/ventures/{other}/issues/{i}/edit",
])
def test_child_reached_through_another_venture_is_404(client, cast, make_venture, path):
    other = make_venture(name="Other")
    lead = other.leads["customer"]
    login(client, lead.email)
    url = path.format(other=other.venture.id, m=cast.milestone.id, i=cast.issue.id)
    assert client.get(url).status_code == 404


def test_outsider_gets_404_for_children_by_their_own_id(client, cast, make_token):
    headers = make_token(cast.users["outsider"])
    for url in (f"/api/v1/milestones/{cast.milestone.id}", f"/api/v1/issues/{cast.issue.id}",
                f"/api/v1/issues/{cast.issue.id}/comments"):
        assert client.get(url, headers=headers).status_code == 404, url
