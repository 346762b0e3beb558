"""schemathesis, with all its checks, against the OpenAPI description the app serves, as a
lead, a finance user, a member, an admin and a lead of an organisation outside every venture.

The database is the demo data (tests/property/seeded.py); each generated request runs in a
transaction that is rolled back, so every case starts from the same state.

One check is replaced, not dropped: ``positive_data_acceptance`` expects every request the
schema allows to be accepted, but some fields name records whose existence or state JSON
Schema cannot express (an assignee must be a user of a party, revenue needs an agreement in
effect on its date, a time zone must be one of IANA's, ...). For the operations listed in
``STORED_STATE`` a schema-valid
request may be refused with 422 only if every field the error names is one of those;
anything else refused is still a failure.

Budget: ``COTRACK_SCHEMATHESIS_EXAMPLES`` (default 5) generated cases per operation and
role, besides schemathesis' own examples and coverage cases; no shrinking unless
``COTRACK_SCHEMATHESIS_SHRINK=1``.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from cotrack import create_app
from tests.conftest import make_config
from tests.property.seeded import rolled_back

CAST = {"lead": "lead@northwind.example", "finance": "finance@forge.example",
        "member": "member@northwind.example", "admin": "admin@cotrack.example",
        "outsider": "lead@outsider.example"}
EXAMPLES = int(os.environ.get("COTRACK_SCHEMATHESIS_EXAMPLES", 5))
#: shrinking a failure costs minutes per operation; the report's curl line is concrete
#: already. COTRACK_SCHEMATHESIS_SHRINK=1 shrinks.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + (
    [Phase.shrink] if os.environ.get("COTRACK_SCHEMATHESIS_SHRINK") == "1" else [])
PARTIES = {"parties", "customer", "reseller", "manufacturer"}
#: operation -> fields whose validity depends on what is stored (or on a table too large to
#: spell out), not on their shape
STORED_STATE = {
    "PUT /me/preferences": {"time_zone", "locale"},  # IANA zones, CLDR locales
    "POST /ventures": PARTIES,  # organisations that exist, are active, distinct, mine among
    "POST /ventures/{venture_id}/milestones": {"assignee_id"},  # a user of a party
    "PATCH /milestones/{milestone_id}": {"assignee_id"},
    "POST /ventures/{venture_id}/issues": {"assignee_id", "milestone_id"},  # of this venture
    "PATCH /issues/{issue_id}": {"assignee_id", "milestone_id"},
    # a status in the same step needs the version stored now, and a step the flow allows
    "POST /issues/{issue_id}/comments": {"status", "version"},
    # after the last revenue and the last signed agreement; the three shares sum to 100.00
    "POST /ventures/{venture_id}/agreements": {"effective_from", "shares", *PARTIES},
    # an agreement in effect on the date; no more decimals than the venture's currency has
    "POST /ventures/{venture_id}/revenue": {"date", "amount"},
    "POST /ventures/{venture_id}/revenue/import": {"file"},  # the rows inside the file
    # search bounds in order (to after from, max above min); amounts in one currency, with
    # no more decimals than it has
    "GET /ventures/{venture_id}/revenue": {"to", "min", "max"},
    "GET /reports/revenue": {"to", "min", "max"},
    "POST /reports/revenue/export": {"to", "min", "max"},  # the same filters, as a job
}

#: how many of each kind the demo data holds (and one more, which does not exist)
SEEDED_IDS = {"venture_id": 5, "milestone_id": 17, "issue_id": 6, "agreement_id": 4,
              "entry_id": 40}

#: the description as the app serves it (an app of its own: serving it needs no database)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", create_app(make_config("sqlite://")))


@schema.hook
def filter_query(context, query):
    """A query string carries text, not objects or lists: schemathesis writes a generated
    {} as an empty value (and a list as the parameter repeated), which the description
    allows, then calls its acceptance a failure (none of our query parameters is a list)."""
    return not query or not any(isinstance(v, dict | list) for v in query.values())


@schema.hook
def filter_headers(context, headers):
    """Cases whose Authorization schemathesis left as a bearer token: the test signs each
    request in as the role (``headers=actor.headers``), which would put the token back into
    a case generated without it, or with it mangled, and then call the request's acceptance
    a failure. Sign-in itself is tested apart (tests/api/test_basics.py, tests/auth)."""
    return bool(headers) and str(headers.get("Authorization", "")).startswith("Bearer ")


@schema.hook
def map_path_parameters(context, path_parameters):
    """Small generated ids land on the seeded records, so requests reach past the 404;
    large ones (2^63 and beyond) stay as generated."""
    if not path_parameters:
        return path_parameters
    return {name: value % SEEDED_IDS[name] + 1
            if isinstance(value, int) and name in SEEDED_IDS and abs(value) < 10**6 else value
            for name, value in path_parameters.items()}


def refused_only_for_stored_state(ctx, response, case):
    """positive_data_acceptance, except a 422 naming only fields in STORED_STATE."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return positive_data_acceptance(ctx, response, case)
    fields = set((response.json().get("error") or {}).get("fields") or {})
    allowed = STORED_STATE[case.operation.label]
    if not fields or not fields <= allowed:
        raise AssertionError(
            f"Valid data should have been accepted: 422 names {sorted(fields)}, and only "
            f"{sorted(allowed)} depend on stored records: {response.text[:300]}")
    return None


@pytest.fixture(params=list(CAST))
def role(request):
    return request.param


@pytest.mark.own_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, phases=PHASES,
          suppress_health_check=list(HealthCheck))
def test_api_does_what_its_description_says(case, role, seeded):
    app, actors = seeded
    actor = next(a for a in actors if a.email == CAST[role])
    stateful = case.operation.label in STORED_STATE
    with rolled_back(app):
        case.call_and_validate(
            app=app, headers=actor.headers,
            excluded_checks=[positive_data_acceptance] if stateful else None,
            additional_checks=[refused_only_for_stored_state] if stateful else None)
