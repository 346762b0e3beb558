"""Hostile input over every route: nothing anyone sends answers 5xx or writes a row.

DOMAIN.md, "Valid input". The walk sends every API route and every HTML form values such as
ids of 2^63 and more, dates outside 1900–2199, "1e999997", "sNaN", control characters, NUL,
lone surrogates, 100,000 nested brackets and over-long text, one field at a time (the other
fields valid), and checks after each request that the answer is no 5xx and that nothing was
written. Each form and body is then sent valid once, to show that the hostile values were
the only reason for the refusals. Stored rows from before the checks must not break pages.
"""

import json
import re
from datetime import date

import pytest
from sqlalchemy import func, select, text, update

from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Milestone
from cotrack.services import agreements, gates, issues, ledger, milestones, ventures
from tests.conftest import csrf_token, login

HUGE_IDS = ["99999999999999999999", "9223372036854775808", "0", "007", "-1"]
BAD_TEXT = ["North\u0001", "\x00", "a\x00b", "\x1b[31m", "\x7f", "a\u0085b", "x" * 10_001]
SHORT_ONLY = ["tab\there", "line\nbreak"]  # fine in long text only
JSON_ONLY = ["\ud800", "x\udfffy"]  # a form cannot send a lone surrogate
HOSTILE = {
    "text": BAD_TEXT + SHORT_ONLY,
    "long": BAD_TEXT,
    "date": ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01", "2026-02-30",
             "20261231", "2026-W01-1", "\x00"],
    "amount": ["1e999997", "-1e999997", "sNaN", "NaN", "Infinity", "1" * 41, "1e16",
               "0.001", "\x00"],
    "share": ["sNaN", "1e999999", "NaN", "-Infinity", "1" * 41, "33.333", "\x00"],
    "id": ["99999999999999999999", "9223372036854775808", "-1", "1e3", "\x00"],
    "choice": ["\x00", "x" * 10_001, "nope"],
    "version": ["1e999997", "99999999999999999999", "\x00"],
}
JSON_HOSTILE = {
    "date": [20261231, None, [2026]], "amount": [12.5, True, 10**50],
    "share": [33.5, None], "id": [2**63, 2**64, -1, 1.5, True, [1], "1"],
    "choice": [["a"], {"a": 1}, 7], "version": [10**30, [1]],
    "text": [7, ["a"]], "long": [7, {"a": "b"}],
}
RAW_BODIES = ["[" * 100_000, "{" * 100_000, '{"a":' * 40 + "1" + "}" * 40,
              '{"version": Infinity}', '{"x": NaN}', b"\xff\xfe{}", "[]", "{nope"]
#: forms re-render whole pages: fewer values, each standing for a class of the above
FORM_HOSTILE = {
    "text": ["North\u0001", "a\x00b", "a\u0085b", "x" * 10_001, "tab\there"],
    "long": ["North\u0001", "a\x00b", "a\u0085b", "x" * 10_001],
    "date": ["9999-12-31", "0001-01-01", "2200-01-01", "2026-02-30", "20261231"],
    "amount": ["1e999997", "sNaN", "Infinity", "1" * 41, "0.001"],
    "share": ["sNaN", "1e999999", "Infinity", "33.333"],
    "id": ["99999999999999999999", "9223372036854775808", "-1", "a\x00b"],
    "choice": ["a\x00b", "x" * 10_001],
    "version": ["1e999997", "99999999999999999999", "a\x00b"],
}
NOT_WRITTEN = ("rate_limit_counter", "site_revision", "user_session")


@pytest.fixture
def world(make_venture, make_user, make_org, make_token):
    """A venture in discovery with an open gate, a milestone, an issue with a comment, an
    active agreement, a proposal, a revenue entry; an invitation to the customer's org."""
    ns = make_venture()
    v, lead = ns.venture, ns.leads["customer"]
    ns.finance = {r: make_user("finance", org=ns.orgs[r]) for r in PARTY_ROLES}
    fin = ns.finance["customer"]
    shares = {"customer": "20.00", "reseller": "25.00", "manufacturer": "55.00"}
    active = agreements.propose(fin, v, effective_from="2025-01-01", shares=shares)
    for role in PARTY_ROLES:
        agreements.decide(ns.finance[role], v, active, "approve")
    ns.entry = ledger.record_entry(fin, v, {"date": "2025-02-28", "amount": "100.00",
                                            "reference": "INV-1"})
    ns.proposal = agreements.propose(fin, v, effective_from="2026-01-01", shares=shares)
    ns.milestone = milestones.create_milestone(lead, v, {
        "title": "Survey", "stage": "feasibility", "party": "customer",
        "due_date": "2030-01-31"})
    ns.issue = issues.raise_issue(lead, v, {"title": "Rack", "severity": "high",
                                            "party": "manufacturer"})
    issues.add_comment(lead, v, ns.issue, "First")
    gates.request_gate(lead, v)
    host = make_user("lead", org=make_org())
    ns.invitation = ventures.create_venture(
        host, name="Invited", description="", currency="EUR", parties={
            "customer": host.organisation_id, "reseller": ns.orgs["customer"].id,
            "manufacturer": make_org().id})
    ns.admin = make_user("admin", org=make_org())
    db.session.commit()
    ns.tokens = {"lead": make_token(lead), "finance": make_token(fin)}
    ns.ids = {"venture_id": v.id, "milestone_id": ns.milestone.id, "issue_id": ns.issue.id,
              "agreement_id": ns.proposal.id, "entry_id": ns.entry.id,
              "org_id": ns.orgs["customer"].id, "user_id": lead.id, "token_id": 1}
    ns.users = {"lead": lead, "finance": fin, "admin": ns.admin}
    return ns


def snapshot():
    """Row counts of every table a request may write, and what an update would change."""
    tables = [t.name for t in db.metadata.sorted_tables if t.name not in NOT_WRITTEN]
    counts = db.session.execute(select(*(
        select(func.count()).select_from(text(f'"{name}"')).scalar_subquery().label(name)
        for name in tables))).one()
    changed = db.session.execute(text(
        "SELECT (SELECT coalesce(sum(version), 0) FROM milestone), "
        "(SELECT coalesce(sum(version), 0) FROM issue), "
        "(SELECT string_agg(name || description, '|') FROM venture), "
        "(SELECT string_agg(name, '|') FROM organisation), "
        "(SELECT string_agg(name || email || role, '|') FROM user_account)"
        if db.session.get_bind().dialect.name == "postgresql" else
        "SELECT (SELECT coalesce(sum(version), 0) FROM milestone), "
        "(SELECT coalesce(sum(version), 0) FROM issue), "
        "(SELECT group_concat(name || description, '|') FROM venture), "
        "(SELECT group_concat(name, '|') FROM organisation), "
        "(SELECT group_concat(name || email || role, '|') FROM user_account)")).one()
    return dict(zip(tables, counts, strict=True)), tuple(changed)


def refused(response, before, what) -> None:
    assert response.status_code < 500, (what, response.status_code, response.get_data()[:300])
    assert 400 <= response.status_code < 500, (what, response.status_code)
    assert snapshot() == before, what


# --- the JSON API --------------------------------------------------------------------------

def _api(ns):
    """{name: (method, path, role, valid body, {field path: kind})} for every route that
    reads a JSON body."""
    i, orgs = ns.ids, ns.orgs
    v, m, iss, me = i["venture_id"], i["milestone_id"], i["issue_id"], i["user_id"]
    shares = {"customer": "30.00", "reseller": "30.00", "manufacturer": "40.00"}
    milestone = {"title": "T", "description": "d", "stage": "development", "party": "reseller",
                 "due_date": "2031-01-01", "assignee_id": me}
    milestone_kinds = {"title": "text", "description": "long", "stage": "choice",
                       "party": "choice", "due_date": "date", "assignee_id": "id"}
    issue = {"title": "T", "description": "d", "severity": "low", "party": "customer",
             "milestone_id": m, "assignee_id": me}
    issue_kinds = {"title": "text", "description": "long", "severity": "choice",
                   "party": "choice", "milestone_id": "id", "assignee_id": "id"}
    return {
        "create venture": (
            "POST", "/api/v1/ventures", "lead",
            {"name": "N", "description": "d", "currency": "EUR",
             "parties": {r: orgs[r].id for r in PARTY_ROLES}},
            {"name": "text", "description": "long", "currency": "choice",
             "parties.reseller": "id", "parties.manufacturer": "id"}),
        "edit venture": (
            "PATCH", f"/api/v1/ventures/{v}", "lead", {"name": "N2", "description": "d2"},
            {"name": "text", "description": "long"}),
        "decline invitation": (
            "POST", f"/api/v1/ventures/{ns.invitation.id}/decline", "lead", {"reason": "No"},
            {"reason": "long"}),
        "post update": (
            "POST", f"/api/v1/ventures/{v}/updates", "lead",
            {"health": "green", "summary": "s", "decisions": "d"},
            {"health": "choice", "summary": "long", "decisions": "long"}),
        "approve gate": (
            "POST", f"/api/v1/ventures/{v}/gate/approve", "lead", {"comment": "ok"},
            {"comment": "long"}),
        "reject gate": (
            "POST", f"/api/v1/ventures/{v}/gate/reject", "lead", {"comment": "no"},
            {"comment": "long"}),
        "create milestone": (
            "POST", f"/api/v1/ventures/{v}/milestones", "lead", milestone, milestone_kinds),
        "edit milestone": (
            "PATCH", f"/api/v1/milestones/{m}", "lead",
            {**milestone, "status": "in_progress", "version": 1},
            {**milestone_kinds, "status": "choice", "version": "version"}),
        "raise issue": ("POST", f"/api/v1/ventures/{v}/issues", "lead", issue, issue_kinds),
        "edit issue": (
            "PATCH", f"/api/v1/issues/{iss}", "lead",
            {**issue, "status": "in_progress", "version": 1},
            {**issue_kinds, "status": "choice", "version": "version"}),
        "comment": (
            "POST", f"/api/v1/issues/{iss}/comments", "lead", {"body": "b"}, {"body": "long"}),
        "propose agreement": (
            "POST", f"/api/v1/ventures/{v}/agreements", "finance",
            {"effective_from": "2027-01-01", "shares": shares, "note": "n"},
            {"effective_from": "date", "shares.customer": "share", "shares.reseller": "share",
             "note": "long"}),
        "approve agreement": (
            "POST", f"/api/v1/agreements/{i['agreement_id']}/approve", "finance",
            {"comment": "ok"}, {"comment": "long"}),
        "reject agreement": (
            "POST", f"/api/v1/agreements/{i['agreement_id']}/reject", "finance",
            {"comment": "no"}, {"comment": "long"}),
        "record revenue": (
            "POST", f"/api/v1/ventures/{v}/revenue", "finance",
            {"date": "2025-06-30", "amount": "10.00", "reference": "INV-2", "region": "North",
             "note": "n"},
            {"date": "date", "amount": "amount", "reference": "text", "region": "text",
             "note": "long"}),
        "reverse revenue": (
            "POST", f"/api/v1/revenue/{i['entry_id']}/reverse", "finance", {"reason": "wrong"},
            {"reason": "long"}),
        "shelve": (  # 409 while the gate is open: in the text limits test only
            "POST", f"/api/v1/ventures/{v}/shelve", "lead", {"reason": "stop"},
            {"reason": "long"}),
    }


def _with(body: dict, path: str, value) -> dict:
    body = json.loads(json.dumps(body))
    *parents, last = path.split(".")
    target = body
    for key in parents:
        target = target[key]
    target[last] = value
    return body


API_CASES = ("create venture", "edit venture", "decline invitation", "post update",
             "approve gate", "reject gate", "create milestone", "edit milestone",
             "raise issue", "edit issue", "comment", "propose agreement",
             "approve agreement", "reject agreement", "record revenue", "reverse revenue")


@pytest.mark.parametrize("case", API_CASES)
def test_api_bodies_with_hostile_values_answer_4xx_and_write_nothing(client, world, case):
    method, path, role, body, kinds = _api(world)[case]
    headers = world.tokens[role]
    send = getattr(client, method.lower())
    before = snapshot()
    for field, kind in kinds.items():
        for value in HOSTILE[kind] + JSON_ONLY + JSON_HOSTILE[kind]:
            refused(send(path, json=_with(body, field, value), headers=headers), before,
                    (path, field, repr(value)[:40]))
    for raw in RAW_BODIES:
        response = send(path, data=raw, headers={**headers, "Content-Type": "application/json"})
        refused(response, before, (path, repr(raw)[:30]))
        assert response.status_code == 400
    valid = send(path, json=body, headers=headers)
    assert valid.status_code in (200, 201), (path, valid.json)
    assert snapshot() != before, path  # the valid body did write


def _body_schema(spec: dict, method: str, path: str) -> dict:
    """The request body schema the description gives for this concrete path."""
    for template, operations in spec["paths"].items():
        pattern = re.sub(r"\\{[^}]+\\}", "[0-9]+", re.escape("/api/v1" + template))
        if re.fullmatch(pattern, path) and method.lower() in operations:
            schema = operations[method.lower()]["requestBody"]["content"][
                "application/json"]["schema"]
            return spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    raise AssertionError(f"{method} {path} is not in the description")


@pytest.mark.parametrize("case", (*API_CASES, "shelve"))
def test_api_text_fields_hold_exactly_what_the_description_says(client, world, case):
    """Every text field takes its description's maxLength and refuses one character more,
    naming the field (a gate comment once took 5,000 characters where the description said
    2,000: the property machine). A field at its limit is never the one refused."""
    method, path, role, body, kinds = _api(world)[case]
    spec = client.get("/api/openapi.json").json
    limits = {name: prop["maxLength"]
              for name, prop in _body_schema(spec, method, path)["properties"].items()
              if "maxLength" in prop and kinds.get(name) in ("text", "long")}
    assert limits, f"{case}: no text field with a limit"
    send = getattr(client, method.lower())
    before = snapshot()
    for field, limit in limits.items():
        over = send(path, json=_with(body, field, "x" * (limit + 1)), headers=world.tokens[role])
        refused(over, before, (case, field, limit + 1))
        assert field in over.json["error"].get("fields", {}), (case, field, over.json)
    for field, limit in limits.items():
        exact = send(path, json=_with(body, field, "x" * limit), headers=world.tokens[role])
        assert exact.status_code < 500, (case, field, exact.status_code)
        if exact.status_code >= 400:
            assert field not in (exact.json["error"].get("fields") or {}), (case, exact.json)


def test_every_api_route_answers_404_for_ids_no_row_can_have(app, client, world):
    headers = world.tokens["lead"]
    before = snapshot()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or not rule.arguments:
            continue
        for bad in HUGE_IDS:
            path = re.sub(r"<[^>]+>", bad, rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                response = getattr(client, method.lower())(path, json={}, headers=headers)
                assert response.status_code == 404, (method, path, response.status_code)
    assert snapshot() == before


QUERY_VALUES = {
    **dict.fromkeys(("page", "per_page", "venture_id", "assignee_id", "assignee", "partner",
                     "milestone"), ["99999999999999999999", "-1", "1e999997", "x"]),
    **dict.fromkeys(("from", "to"), ["9999-12-31", "0001-01-01", "2026-02-30", "20261231"]),
    "currency": ["EU'R", "x" * 5000, "EUR"],
}
LIST = ("page", "per_page")
REPORT = ("from", "to", "venture_id", "party", "period", "kind", "format", "currency", *LIST)
QUERY_ROUTES = {  # the parameters each route reads
    "/api/v1/ventures": ("stage", "status", *LIST),
    "/api/v1/organisations": LIST,
    "/api/v1/ventures/{v}/milestones": ("stage", "party", "status", "assignee_id", "overdue",
                                        "sort", *LIST),
    "/api/v1/ventures/{v}/issues": ("severity", "status", "party", "assignee_id", "q", *LIST),
    "/api/v1/ventures/{v}/revenue": LIST,
    "/api/v1/ventures/{v}/activity": LIST,
    "/api/v1/reports/revenue": REPORT,
    "/ventures/": ("stage", "status", "partner", "q", *LIST),
    "/ventures/{v}/milestones": ("stage", "party", "status", "assignee", "overdue", "sort",
                                 *LIST),
    "/ventures/{v}/issues": ("severity", "status", "party", "assignee", "q", *LIST),
    "/ventures/{v}/issues/new": ("milestone",),
    "/ventures/{v}/activity": LIST,
    "/ventures/{v}/revenue": LIST,
    "/reports": (*REPORT, "venture_q"), "/reports/ledger": (*REPORT, "venture_q"),
    "/reports/export": REPORT, "/reports/ventures": ("venture_q",),
}


def test_get_routes_survive_hostile_query_strings(app, client, world):
    login(client, world.users["finance"].email)
    headers = world.tokens["finance"]
    before = snapshot()
    for route, names in QUERY_ROUTES.items():
        path = route.replace("{v}", str(world.ids["venture_id"]))
        for name in names:
            for value in QUERY_VALUES.get(name, ["x" * 5000, "nope"]):
                response = client.get(path, query_string={name: value}, headers=headers)
                assert response.status_code < 500, (path, name, value[:40])
                response.close()
    assert snapshot() == before


def test_control_characters_in_any_query_parameter_are_422(app, client, world):
    login(client, world.users["finance"].email)
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments - set(world.ids):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(world.ids[m.group(1)]), rule.rule)
        headers = world.tokens["finance"] if path.startswith("/api/v1/") else {}
        response = client.get(path, query_string={"q": "a\x00b", "page": "\x01"},
                              headers=headers)
        assert response.status_code == 422, (path, response.status_code)
        if path.startswith("/api/"):
            assert set(response.json["error"]["fields"]) == {"q", "page"}


# --- the HTML forms ------------------------------------------------------------------------

def _forms(ns):
    """(path, role, valid form, {field: kind}) for every form that writes (the one that
    deletes the milestone last)."""
    i = ns.ids
    v, m, iss = i["venture_id"], i["milestone_id"], i["issue_id"]
    db.session.expire_all()
    m_version, i_version = str(ns.milestone.version), str(ns.issue.version)
    milestone = {"title": "T", "description": "d", "stage": "development",
                 "party": "reseller", "assignee_id": str(i["user_id"]),
                 "due_date": "2031-01-01", "status": "planned"}
    milestone_kinds = {"title": "text", "description": "long", "stage": "choice",
                       "party": "choice", "assignee_id": "id", "due_date": "date",
                       "status": "choice"}
    issue = {"title": "T", "description": "d", "severity": "low", "party": "customer",
             "milestone_id": str(m)}
    issue_kinds = {"title": "text", "description": "long", "severity": "choice",
                   "party": "choice", "milestone_id": "id"}
    orgs = {r: str(ns.orgs[r].id) for r in PARTY_ROLES}
    return [
        ("/ventures/new", "lead", {"name": "N", "description": "d", "currency": "EUR", **orgs},
         {"name": "text", "description": "long", "currency": "choice", "reseller": "id"}),
        (f"/ventures/{v}/edit", "lead", {"name": "N", "description": "d"},
         {"name": "text", "description": "long"}),
        (f"/ventures/{ns.invitation.id}/decline", "lead", {"reason": "No"}, {"reason": "long"}),
        (f"/ventures/{v}/updates", "lead", {"health": "green", "summary": "s", "decisions": ""},
         {"health": "choice", "summary": "long", "decisions": "long"}),
        (f"/ventures/{v}/gate/approve", "lead", {"comment": "ok"}, {"comment": "long"}),
        (f"/ventures/{v}/milestones/new", "lead", milestone, milestone_kinds),
        (f"/ventures/{v}/milestones/{m}", "lead", {**milestone, "version": m_version},
         {**milestone_kinds, "version": "version"}),
        (f"/ventures/{v}/issues/new", "lead", {**issue, "assignee_id": "0"}, issue_kinds),
        (f"/ventures/{v}/issues/{iss}/edit", "lead", {**issue, "version": i_version},
         {**issue_kinds, "version": "version"}),
        (f"/ventures/{v}/issues/{iss}/workflow", "lead",
         {"status": "in_progress", "assignee_id": str(i["user_id"]), "version": i_version},
         {"status": "choice", "assignee_id": "id", "version": "version"}),
        (f"/ventures/{v}/issues/{iss}/comments", "lead", {"body": "b"}, {"body": "long"}),
        (f"/ventures/{v}/agreements", "finance",
         {"effective_from": "2027-01-01", "customer": "30", "reseller": "30",
          "manufacturer": "40", "note": ""},
         {"effective_from": "date", "customer": "share", "manufacturer": "share",
          "note": "long"}),
        (f"/ventures/{v}/agreements/{i['agreement_id']}/approve", "finance", {"comment": ""},
         {"comment": "long"}),
        (f"/ventures/{v}/revenue", "finance",
         {"date": "2025-06-30", "amount": "10.00", "reference": "INV-2", "region": "North",
          "note": ""},
         {"date": "date", "amount": "amount", "reference": "text", "region": "text",
          "note": "long"}),
        (f"/ventures/{v}/revenue/{i['entry_id']}/reverse", "finance", {"reason": "wrong"},
         {"reason": "long"}),
        ("/admin/organisations/new", "admin", {"name": "New org", "active": "y"},
         {"name": "text"}),
        (f"/admin/users/{i['user_id']}", "admin",
         {"name": "Lead", "email": "lead-new@example.org", "organisation_id": str(i["org_id"]),
          "role": "lead", "active": "y"},
         {"name": "text", "email": "text", "organisation_id": "id", "role": "choice"}),
        ("/auth/profile/tokens", "admin", {"name": "ERP"}, {"name": "text"}),
        (f"/ventures/{v}/milestones/{m}/delete", "lead", {"version": m_version},
         {"version": "version"}),
    ]


def test_html_forms_with_hostile_values_answer_4xx_and_write_nothing(app, world):
    for index in range(len(_forms(world))):
        path, role, form, kinds = _forms(world)[index]  # read afresh: versions move on
        client = app.test_client()
        login(client, world.users[role].email)
        token = csrf_token(client, "/auth/profile")
        before = snapshot()
        for field, kind in kinds.items():
            for value in FORM_HOSTILE[kind]:
                response = client.post(path, data={**form, field: value, "csrf_token": token})
                refused(response, before, (path, field, value[:40]))
        valid = client.post(path, data={**form, "csrf_token": token})
        assert valid.status_code in (200, 302), (path, valid.status_code)
        assert snapshot() != before, path  # the valid form did write


def test_sign_in_with_hostile_email_is_refused(client, world):
    before = snapshot()
    for value in BAD_TEXT:
        response = client.post("/auth/login", data={
            "email": value, "password": "x", "csrf_token": csrf_token(client)})
        refused(response, before, value[:40])


def test_every_html_route_answers_404_for_ids_no_row_can_have(app, client, world):
    login(client, world.users["admin"].email)
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or not any(
                a in world.ids for a in rule.arguments):
            continue
        for bad in HUGE_IDS:
            path = re.sub(r"<[^>]+>", bad, rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                response = getattr(client, method.lower())(path)
                assert response.status_code == 404, (method, path, response.status_code)


# --- rows stored before input was checked --------------------------------------------------

@pytest.mark.parametrize("due", [date(9999, 12, 31), date(1, 1, 1)])
def test_a_milestone_stored_far_out_does_not_break_the_timeline(app, world, due):
    db.session.execute(update(Milestone).where(Milestone.id == world.milestone.id)
                       .values(due_date=due))
    db.session.commit()
    for role in ("lead", "finance"):
        client = app.test_client()
        login(client, world.users[role].email)
        page = client.get(f"/ventures/{world.venture.id}/timeline")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert f"due {due.isoformat()}" in html  # the bar's title tells the stored date
        assert html.count('class="tick"') <= 30  # ticks stay readable over 300 years
        for other in ("/milestones", "", "/issues", "/activity"):
            assert client.get(f"/ventures/{world.venture.id}{other}").status_code == 200
        assert client.get("/my-work").status_code == 200
