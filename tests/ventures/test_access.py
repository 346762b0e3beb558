"""Route × role → status for every venture page, form post and API endpoint.

The table below is the permission table of DOMAIN.md as HTTP answers. A test walks
``app.url_map`` and fails when a route is neither in the table nor listed as unrelated to
ventures, so a new route cannot ship without its row.
"""

from dataclasses import dataclass, field

import pytest

from cotrack.extensions import db
from cotrack.services import gates
from tests.conftest import csrf_token, login
from tests.ventures.conftest import ROLES

#: routes that show or change nothing of any venture
NOT_VENTURE_ROUTES = {
    "static", "bootstrap.static", "main.healthz", "auth.login", "auth.logout", "auth.profile",
    "auth.create_token", "auth.revoke_token", "admin.organisations", "admin.organisation",
    "admin.users", "admin.new_user", "admin.edit_user", "admin.reset_password",
    "api.me", "api.organisations", "api.openapi",
}

VIEW = {"lead": 200, "finance": 200, "member": 200, "admin": 200, "outsider": 404}


def lead_only(ok: int) -> dict:
    return {"lead": ok, "finance": 403, "member": 403, "admin": 403, "outsider": 404}


NOBODY = {"lead": 403, "finance": 403, "member": 403, "admin": 403, "outsider": 404}


@dataclass
class Case:
    endpoint: str
    method: str
    path: str
    expected: dict
    data: dict = field(default_factory=dict)
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
]


def _open_gate(cast) -> None:
    gates.request_gate(cast.leads["reseller"], cast.venture)
    db.session.commit()


def call(client, case: Case, cast, role: str, make_token):
    user = cast.users[role]
    path = case.path.format(v=cast.venture.id)
    if case.setup == "open_gate":
        _open_gate(cast)
    if case.api:
        return client.open(path, method=case.method, json=case.data or {},
                           headers=make_token(user))
    login(client, user.email)
    data = dict(case.data)
    if case.method != "GET":
        data["csrf_token"] = csrf_token(client, "/auth/profile")
    return client.open(path, method=case.method, data=data or None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_route_answers_each_role(client, cast, make_token, case, role):
    response = call(client, case, cast, role, make_token)
    assert response.status_code == case.expected[role], (str(case), role)
    if case.api and response.status_code >= 400:
        assert response.json["error"]["status"] == response.status_code


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
