"""Every route that changes state refuses a POST without a CSRF token and changes nothing.

The test walks ``app.url_map``, so a new state-changing route is checked without anyone
remembering to add it. /api/ routes are exempt from CSRF because cookies never
authenticate there: without a bearer token they answer 401 and change nothing. So is the
one-click unsubscribe of RFC 8058 (a mail program POSTs it without cookies): its signed
token is the only credential, and a forged one is 404 (tests/notifications).
"""

import pytest
from sqlalchemy import MetaData, select

from cotrack.extensions import db
from tests.conftest import login

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
#: routes a CSRF token cannot protect, and what guards them instead
NO_CSRF = {
    # RFC 8058 one-click unsubscribe, POSTed by the mail client: the signed token in the
    # URL is the credential (a made-up one, as here, finds nothing)
    "main.one_click_unsubscribe": 404,
}


def _snapshot() -> dict:
    meta = MetaData()
    meta.reflect(bind=db.session.connection())
    return {name: db.session.execute(select(table)).all() for name, table in meta.tables.items()}


def _url(rule, ids: dict) -> str:
    values = {arg: ids.get(arg, 1) for arg in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _state_changing_rules(app):
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & STATE_CHANGING):
            yield rule, method


def test_there_are_state_changing_routes_to_check(app):
    assert len(list(_state_changing_rules(app))) >= 8


@pytest.mark.parametrize("role", ["admin", "lead"])
def test_post_without_csrf_token_is_refused_and_changes_nothing(app, client, make_user, role):
    user = make_user(role=role)
    other = make_user(role="member")
    ids = {"user_id": other.id, "org_id": other.organisation_id, "token_id": 1}
    login(client, user.email)
    before = _snapshot()
    for rule, method in _state_changing_rules(app):
        url = _url(rule, ids)
        response = client.open(url, method=method, data={"name": "x", "email": "x@y.z"})
        expected = NO_CSRF.get(rule.endpoint, 401 if rule.rule.startswith("/api/") else 400)
        assert response.status_code == expected, (method, url, response.status_code)
    db.session.expire_all()
    assert _snapshot() == before
