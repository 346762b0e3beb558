"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json.

Each endpoint is declared once in OPERATIONS; a test checks that every /api/v1 route of
the app appears here, so the document cannot fall behind the code.
"""

from flask import url_for

from cotrack.api.openapi_schemas import (
    CURRENCY,
    DATE,
    ROLE,
    STAGE_ENUM,
    VENTURE_SCHEMAS,
    VERSION,
    request_schema,
)
from cotrack.domain.notifications import DELIVERIES
from cotrack.domain.notifications import KINDS as NOTIFICATION_KINDS
from cotrack.domain.valid_input import MAX_ID

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "message", "fields"],
            "properties": {
                "status": {"type": "integer"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
                "current": {"type": "object",
                            "description": "409 for a stale version: the record as stored now"},
                "rows": {"type": "array", "description": "422 of an import: each problem",
                         "items": {"type": "object", "required": ["line", "field", "message"],
                                   "properties": {"line": {"type": "integer"},
                                                  "field": {"type": "string"},
                                                  "message": {"type": "string"}}}},
            },
        }
    },
}

SCHEMAS = {
    **VENTURE_SCHEMAS,
    "Error": ERROR,
    "PreferencesWrite": request_schema({
        "type": "object", "properties": {
            "time_zone": {"type": "string", "description": "an IANA time zone",
                          "pattern": r"^[A-Za-z][A-Za-z0-9_+/-]*$", "examples": ["Europe/Berlin"]},
            "locale": {"type": "string", "description": "a CLDR locale, language and region",
                       "pattern": "^[a-z]{2,3}[_-][A-Z]{2}$", "examples": ["de_DE"]},
            "email": {"type": "object", "description": "kind of notification: how it is "
                      "mailed (kinds not named keep their setting)",
                      "properties": {kind: {"type": "string", "enum": list(DELIVERIES)}
                                     for kind in NOTIFICATION_KINDS},
                      "additionalProperties": False}}}),
    "Preferences": {
        "type": "object",
        "properties": {"time_zone": {"type": "string", "examples": ["Europe/Berlin"]},
                       "locale": {"type": ["string", "null"], "examples": ["de_DE"]},
                       "email": {"type": "object", "description": "kind of notification: "
                                 "how it is mailed", "additionalProperties": {
                                     "type": "string",
                                     "enum": ["immediate", "daily", "weekly", "off"]}}},
    },
    "Notification": {
        "type": "object", "required": ["id", "kind", "at", "read", "venture", "text", "url"],
        "properties": {"id": {"type": "integer"}, "kind": {"type": "string"},
                       "at": {"type": "string", "format": "date-time"},
                       "read": {"type": "boolean"},
                       "venture": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
                           "id": {"type": "integer"}, "name": {"type": "string"}}}]},
                       "text": {"type": "string"}, "url": {"type": "string"}},
    },
    "Waiting": {
        "type": "array", "items": {
            "type": "object", "required": ["kind", "venture", "object", "since", "url"],
            "properties": {
                "kind": {"type": "string", "enum": ["invitation", "gate", "agreement",
                                                    "milestone", "overdue", "issue",
                                                    "mention"]},
                "venture": {"type": ["object", "null"]},
                "object": {"type": "object"}, "detail": {"type": "string"},
                "since": {"type": "string", "format": "date-time"},
                "url": {"type": "string"}}},
    },
    "SearchHit": {
        "type": "object", "required": ["kind", "id", "venture", "title", "text", "url"],
        "properties": {
            "kind": {"type": "string", "enum": ["venture", "milestone", "issue", "comment",
                                                "update", "ledger"]},
            "id": {"type": "integer"},
            "venture": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}}},
            "title": {"type": "string", "description": "a comment's: its issue's title"},
            "text": {"type": "string"},
            "url": {"type": "string"},
            "issue_id": {"type": "integer", "description": "a comment's issue"},
            "amount": {"type": "string", "description": "a ledger entry's: a decimal string "
                       "with its currency's minor digits (\"12.50\", \"1500\" for JPY)"},
            "currency": {"type": "string"}},
    },
    "Organisation": {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
    },
    "User": {
        "type": "object",
        "required": ["id", "email", "name", "role", "organisation"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string", "format": "email"},
            "name": {"type": "string"},
            "role": {"type": "string", "enum": ["admin", "lead", "finance", "member"]},
            "organisation": {"$ref": "#/components/schemas/Organisation"},
        },
    },
}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(name: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total"],
        "properties": {
            "items": {"type": "array", "items": ref(name)},
            "page": {"type": "integer"},
            "per_page": {"type": "integer", "maximum": 200},
            "total": {"type": "integer"},
        },
    }


def searched_page() -> dict:
    """A page of search hits: the best matches are counted up to the server's cap
    (SEARCH_COUNT_CAP, 10,000 by default); past it ``total`` is the cap and ``total_exact``
    false."""
    page = page_of("SearchHit")
    page["required"] = [*page["required"], "total_exact"]
    page["properties"] = {**page["properties"], "total_exact": {
        "type": "boolean", "description": "false when there are more than `total` matches: "
        "only the best are counted and can be paged to (10,000 by default)"}}
    return page


#: a page number or size: a whole number from 1, or empty for the default (as the server
#: reads it)
PAGE_NUMBER = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": [""]}]}
PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": PAGE_NUMBER},
    {"name": "per_page", "in": "query", "description": "1 to 200 (more is taken as 200); "
     "empty: the default", "schema": PAGE_NUMBER},
]


def id_param(name: str) -> list:
    """An id in the path: any integer; one that cannot exist answers 404."""
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}]


VENTURE_ID = id_param("venture_id")
#: an id in a query string: 0, empty (or absent) for none, else an id a row can have
QUERY_ID = {"anyOf": [{"type": "string", "enum": [""]},
                      {"type": "integer", "minimum": 0, "maximum": MAX_ID}]}
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False,
                   "description": "the same key and body within 24 hours answer the first "
                                  "answer again without writing; another body: 422",
                   "schema": {"type": "string", "minLength": 1, "maxLength": 200,
                              "pattern": "^[\\x20-\\x7e]+$"}}


def body(name: str, required: bool = True) -> dict:
    """A JSON body; ``required=False`` where an empty one is read as {} and accepted."""
    return {"requestBody": {"required": required,
                            "content": {"application/json": {"schema": ref(name)}}}}


def with_venture(extra: dict | None = None) -> dict:
    return {"parameters": VENTURE_ID, **(extra or {})}


ROLE_IN_PATH = [{"name": "role", "in": "path", "required": True,
         "schema": {"type": "string", "enum": ["customer", "reseller", "manufacturer"]}}]

NULLABLE_GATE = {"oneOf": [ref("Gate"), {"type": "null"}]}
#: a date filter: empty means no bound
DATE_OR_EMPTY = {"description": "YYYY-MM-DD, 1900-01-01 to 2199-12-31; empty: no bound",
                 "anyOf": [{"type": "string", "enum": [""]}, DATE]}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: the ledger's search (GET /ventures/{id}/revenue and the report's ledger rows)
AMOUNT_OR_EMPTY = {"anyOf": [{"type": "string", "enum": [""]},
                             {"type": "string", "pattern": r"^-?\d{1,12}(\.\d{1,3})?$",
                              "description": "decimals up to the currency's digits"}]}
SEARCH = [
    {"name": "q", "in": "query", "description": "reference: contains (any case) or prefix",
     "schema": {"type": "string", "maxLength": 100, "pattern": r"^[^\x00-\x1f\x7f-\x9f]*$"}},
    {"name": "match", "in": "query",
     "schema": {"type": "string", "enum": ["", "contains", "prefix"]}},
    {"name": "from", "in": "query", "schema": DATE_OR_EMPTY},
    {"name": "to", "in": "query", "schema": DATE_OR_EMPTY},
    {"name": "region", "in": "query", "description": "exactly this region",
     "schema": {"type": "string", "maxLength": 100, "pattern": r"^[^\x00-\x1f\x7f-\x9f]*$"}},
    {"name": "min", "in": "query", "description": "smallest amount, in the venture's currency",
     "schema": AMOUNT_OR_EMPTY},
    {"name": "max", "in": "query", "description": "largest amount", "schema": AMOUNT_OR_EMPTY},
    {"name": "reversed", "in": "query", "description": "true: reversed entries and reversals; "
     "false: neither", "schema": {"type": "string", "enum": ["", "true", "false"]}},
    {"name": "sort", "in": "query", "description": "a column, - first for descending",
     "schema": {"type": "string", "enum": ["", "date", "-date", "reference", "-reference",
                                           "region", "-region", "amount", "-amount", "id",
                                           "-id"]}},
]
#: /reports/revenue answers JSON, or with format=csv|xlsx the file itself
REPORT = {"application/json": {"schema": {"type": "object"}},
          "text/csv": {"schema": {"type": "string"}},
          XLSX: {"schema": {"type": "string", "format": "binary"}}}

NO_STORE = {"Cache-Control": {
    "description": "authenticated answers are never stored", "required": True,
    "schema": {"type": "string", "pattern": "no-store"}}}

#: path -> method -> (summary, success status, response schema, extra operation fields)
OPERATIONS: dict[str, dict[str, tuple]] = {
    "/me": {"get": ("The signed-in user", 200, ref("User"), {})},
    "/me/preferences": {
        "get": ("My time zone and locale", 200, ref("Preferences"), {}),
        "put": ("Set my time zone and/or locale", 200, ref("Preferences"),
                body("PreferencesWrite", required=False)),
    },
    "/me/waiting": {"get": ("What waits on me, oldest first", 200, ref("Waiting"), {})},
    "/notifications": {
        "get": ("My notifications, newest first (?unread=true)", 200, page_of("Notification"),
                {"parameters": PAGE_PARAMS + [{"name": "unread", "in": "query",
                                               "description": "empty: all",
                                               "schema": {"type": "string",
                                                          "enum": ["", "true", "false"]}}]}),
    },
    "/notifications/{notification_id}/read": {
        "post": ("Mark one read", 200, ref("Notification"),
                 {"parameters": id_param("notification_id")}),
    },
    "/notifications/read-all": {
        "post": ("Mark all read", 200, {"type": "object", "properties": {
            "updated": {"type": "integer"}}}, {}),
    },
    "/ventures/{venture_id}/invitations/{role}/withdraw": {
        "post": ("Withdraw a pending invitation (a lead of the creating organisation)", 200,
                 ref("Venture"), {"parameters": VENTURE_ID + ROLE_IN_PATH}),
    },
    "/ventures/{venture_id}/invitations/{role}/resend": {
        "post": ("Send a pending invitation again", 200, ref("Venture"),
                 {"parameters": VENTURE_ID + ROLE_IN_PATH}),
    },
    "/ventures/{venture_id}/invitations/{role}": {
        "post": ("Invite another organisation for a declined or withdrawn role", 200,
                 ref("Venture"), {"parameters": VENTURE_ID + ROLE_IN_PATH, "requestBody": {
                     "required": True, "content": {"application/json": {"schema": {
                         "type": "object", "required": ["organisation_id"],
                         "properties": {"organisation_id": {"type": "integer"}}}}}}}),
    },
    "/ventures/{venture_id}/abandon": {
        "post": ("Give the pending venture up (it becomes declined)", 200, ref("Venture"),
                 with_venture(body("Reason"))),
    },
    "/organisations": {
        "get": (
            "Organisations (to invite)", 200, page_of("Organisation"), {"parameters": PAGE_PARAMS}
        ),
    },
    "/ventures": {
        "get": ("Ventures I belong to or am invited to", 200, page_of("Venture"),
                {"parameters": PAGE_PARAMS + [
                    {"name": "stage", "in": "query", "description": "empty: any stage",
                     "schema": {"type": "string", "enum": ["", *STAGE_ENUM]}},
                    {"name": "status", "in": "query", "description": "empty: any status",
                     "schema": {"type": "string", "enum": [
                         "", "pending", "active", "declined", "shelved", "closed"]}}]}),
        "post": ("Create a venture (a lead; own organisation among the parties)", 201,
                 ref("Venture"), body("VentureCreate")),
    },
    "/ventures/{venture_id}": {
        "get": ("A venture (also to an invited organisation)", 200, ref("Venture"),
                with_venture()),
        "patch": ("Edit name or description (a lead)", 200, ref("Venture"),
                  with_venture(body("VentureEdit", required=False))),
    },
    "/ventures/{venture_id}/accept": {
        "post": ("Accept the invitation (lead of an invited organisation)", 200,
                 ref("Venture"), with_venture()),
    },
    "/ventures/{venture_id}/decline": {
        "post": ("Decline the invitation, with a reason", 200, ref("Venture"),
                 with_venture(body("Reason"))),
    },
    "/ventures/{venture_id}/gate": {
        "get": ("The open gate request, or null", 200, NULLABLE_GATE, with_venture()),
        "post": ("Request the gate to the next stage (409 with reasons if unmet)", 201,
                 ref("Gate"), with_venture()),
    },
    "/ventures/{venture_id}/gate/approve": {
        "post": ("Approve the open gate for my party", 200, ref("Gate"),
                 with_venture(body("GateComment", required=False))),
    },
    "/ventures/{venture_id}/gate/reject": {
        "post": ("Reject the open gate (comment required)", 200, ref("Gate"),
                 with_venture(body("GateRejection"))),
    },
    "/ventures/{venture_id}/shelve": {
        "post": ("Request shelving (all three leads approve through the gate)", 201,
                 ref("Gate"), with_venture(body("Reason"))),
    },
    "/ventures/{venture_id}/updates": {
        "get": ("Status updates, newest first", 200, page_of("StatusUpdate"), with_venture()),
        "post": ("Post a status update (a lead)", 201, ref("StatusUpdate"),
                 with_venture(body("StatusUpdateCreate"))),
    },
    "/ventures/{venture_id}/milestones": {
        "get": ("Milestones (filters: stage, party, status, assignee_id, overdue, sort)", 200,
                page_of("Milestone"), with_venture()),
        "post": ("Create a milestone (a lead)", 201, ref("Milestone"),
                 with_venture(body("MilestoneCreate"))),
    },
    "/milestones/{milestone_id}": {
        "get": ("A milestone", 200, ref("Milestone"), {"parameters": id_param("milestone_id")}),
        "patch": ("Change fields (a lead) or the status (its assignee); send `version`", 200,
                  ref("Milestone"), {"parameters": id_param("milestone_id"),
                                     **body("MilestoneWrite")}),
        "delete": ("Delete a milestone (a lead); optional ?version=", 204, None,
                   {"parameters": id_param("milestone_id") + [
                       {"name": "version", "in": "query", "schema": VERSION}]}),
    },
    "/ventures/{venture_id}/issues": {
        "get": ("Issues (filters: severity, status, party, assignee_id, q)", 200,
                page_of("Issue"), with_venture()),
        "post": ("Raise an issue", 201, ref("Issue"), with_venture(body("IssueCreate"))),
    },
    "/issues/{issue_id}": {
        "get": ("An issue", 200, ref("Issue"), {"parameters": id_param("issue_id")}),
        "patch": ("Change status/assignee (lead or assignee) or details (lead or raiser); "
                  "send `version`", 200, ref("Issue"),
                  {"parameters": id_param("issue_id"), **body("IssueWrite")}),
    },
    "/issues/{issue_id}/comments": {
        "get": ("Comments, oldest first", 200, page_of("Comment"),
                {"parameters": id_param("issue_id")}),
        "post": ("Comment on an issue", 201, ref("Comment"),
                 {"parameters": id_param("issue_id"), **body("CommentWrite")}),
    },
    "/ventures/{venture_id}/scorecard": {
        "get": ("Per-party scorecard", 200, ref("Scorecard"), with_venture()),
    },
    "/ventures/{venture_id}/agreements": {
        "get": ("Split agreements, newest version first (leads, finance, admins)", 200,
                page_of("Agreement"), with_venture()),
        "post": ("Propose a split agreement (shares sum to exactly 100.00)", 201,
                 ref("Agreement"), with_venture(body("AgreementCreate"))),
    },
    "/agreements/{agreement_id}/approve": {
        "post": ("Approve for my party; the third approval activates it", 200,
                 ref("Agreement"), {"parameters": id_param("agreement_id"),
                                    **body("GateComment", required=False)}),
    },
    "/agreements/{agreement_id}/reject": {
        "post": ("Reject the proposal", 200, ref("Agreement"),
                 {"parameters": id_param("agreement_id"),
                  **body("GateComment", required=False)}),
    },
    "/ventures/{venture_id}/revenue": {
        "get": ("Ledger entries with their allocations, searched and sorted", 200,
                page_of("RevenueEntry"),
                with_venture({"parameters": VENTURE_ID + PAGE_PARAMS + SEARCH})),
        "post": ("Record revenue (finance); allocated by the agreement in effect", 201,
                 ref("RevenueEntry"), {"parameters": VENTURE_ID + [IDEMPOTENCY_KEY],
                                       **body("RevenueCreate")}),
    },
    "/revenue/{entry_id}/reverse": {
        "post": ("Reverse an entry, stating the reason (once; 409 if already reversed)", 201,
                 ref("RevenueEntry"), {"parameters": id_param("entry_id") + [IDEMPOTENCY_KEY],
                                       **body("Reversal")}),
    },
    "/ventures/{venture_id}/revenue/import": {
        "post": ("Import a CSV or XLSX (date,amount,reference,region,note): all rows or none; "
                 "preview=true answers the rows as they would be recorded", 201,
                 {"type": "object", "properties": {"created": {"type": "integer"}}},
                 {"parameters": VENTURE_ID + [IDEMPOTENCY_KEY],
                  "responses": {
                      "200": {"description": "preview=true: the first rows as they would be "
                                             "recorded, the count and totals; nothing written",
                              "content": {"application/json": {"schema": {"type": "object"}}},
                              "headers": NO_STORE},
                      "202": {"description": "a large file: recorded in the background by "
                                             "the job `{job: {id, url}}`",
                              "content": {"application/json": {"schema": {"type": "object"}}},
                              "headers": NO_STORE}},
                  "requestBody": {"required": True, "content": {
                     "multipart/form-data": {"schema": {
                         "type": "object", "properties": {
                             "file": {"type": "string", "format": "binary"},
                             "delimiter": {"type": "string", "enum": [",", ";", "tab", ""]},
                             "encoding": {"type": "string", "enum": ["utf-8", "windows-1252"]},
                             "number_format": {"type": "string",
                                               "enum": ["1,234.50", "1.234,50", "1 234,50"]},
                             "date_format": {"type": "string", "enum": [
                                 "YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY"]},
                             "allow_duplicates": {"type": "string", "enum": ["true", "false"]},
                             "preview": {"type": "string", "enum": ["true", "false"]},
                         }}}}}}),
    },
    "/reports/revenue": {
        "get": ("Per-period party totals (json), ledger rows, or a CSV/XLSX download", 200,
                REPORT, {"parameters": [
                    {"name": "from", "in": "query", "schema": DATE_OR_EMPTY},
                    {"name": "to", "in": "query", "schema": DATE_OR_EMPTY},
                    {"name": "venture_id", "in": "query", "schema": QUERY_ID},
                    {"name": "party", "in": "query", "schema": {
                        "type": "string", "enum": ["", *ROLE["enum"]]}},
                    {"name": "period", "in": "query", "schema": {
                        "type": "string", "enum": ["", "month", "quarter", "year"]}},
                    {"name": "kind", "in": "query",
                     "schema": {"type": "string", "enum": ["", "summary", "ledger"]}},
                    {"name": "format", "in": "query",
                     "schema": {"type": "string", "enum": ["", "json", "csv", "xlsx"]}},
                    {"name": "currency", "in": "query",
                     "description": "an ISO 4217 code; empty: every currency",
                     "schema": {"anyOf": [{"type": "string", "enum": [""]}, CURRENCY]}},
                    *(p for p in SEARCH if p["name"] not in ("from", "to"))]}),
    },
    "/ventures/{venture_id}/statements": {
        "get": ("Signed statements of the venture's ledger, newest first", 200,
                page_of("Statement"), with_venture({"parameters": VENTURE_ID + PAGE_PARAMS})),
        "post": ("Verify the ledger and take a signed statement now (finance; 409 if it does "
                 "not verify)", 201, ref("Statement"), with_venture()),
    },
    "/statements/{statement_id}": {
        "get": ("One signed statement, as its file", 200, ref("Statement"),
                {"parameters": id_param("statement_id")}),
    },
    "/reports/revenue/export": {
        "post": ("Write a CSV/XLSX export in the background (the filters of GET "
                 "/reports/revenue); its file is at /jobs/{id}/file when done", 202,
                 {"type": "object", "properties": {"job": {"type": "object"}}},
                 {"parameters": [
                     {"name": "from", "in": "query", "schema": DATE_OR_EMPTY},
                     {"name": "to", "in": "query", "schema": DATE_OR_EMPTY},
                     {"name": "venture_id", "in": "query", "schema": QUERY_ID},
                     {"name": "party", "in": "query", "schema": {
                         "type": "string", "enum": ["", *ROLE["enum"]]}},
                     {"name": "kind", "in": "query",
                      "schema": {"type": "string", "enum": ["", "summary", "ledger"]}},
                     {"name": "format", "in": "query",
                      "schema": {"type": "string", "enum": ["", "csv", "xlsx"]}}]}),
    },
    "/jobs/{job_id}": {
        "get": ("A background job of mine: {id, kind, status, done, total, seconds_left, "
                "result?, error?, rows?}", 200, {"type": "object", "properties": {
                    "id": {"type": "integer"}, "kind": {"type": "string"},
                    "status": {"type": "string",
                               "enum": ["queued", "running", "done", "failed"]},
                    "done": {"type": "integer"}, "total": {"type": "integer"}}},
                {"parameters": id_param("job_id")}),
    },
    "/jobs/{job_id}/file": {
        "get": ("The file of a finished export job of mine", 200, REPORT,
                {"parameters": id_param("job_id")}),
    },
    "/search": {
        "get": ("Search what I may see (ventures, milestones, issues, comments, status "
                "updates; ledger references for leads, finance and admins), best match "
                "first; every word of q must match a whole word, the last may be the "
                "start of one", 200,
                searched_page(), {"parameters": [
                    {"name": "q", "in": "query", "required": True,
                     "description": "up to 200 characters with at least one letter or digit",
                     "schema": {"type": "string", "minLength": 1, "maxLength": 200,
                                "pattern": r"^[^\x00-\x1f\x7f-\x9f]*[^\W_]"
                                           r"[^\x00-\x1f\x7f-\x9f]*$"}}] + PAGE_PARAMS}),
    },
    "/ventures/{venture_id}/activity": {
        "get": ("The activity trail, newest first", 200, page_of("Activity"), with_venture()),
    },
}


RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying",
                               "required": True, "schema": {"type": "integer", "minimum": 0}}}
WWW_AUTHENTICATE = {"WWW-Authenticate": {"required": True, "schema": {"type": "string"}}}


def _operation(summary: str, status: int, schema: dict | None, extra: dict) -> dict:
    if schema is None:  # 204: no body, so no content type
        success = {"description": "Done; no content", "headers": NO_STORE}
    else:
        content = schema if status == 200 and schema is REPORT else {
            "application/json": {"schema": schema}}
        success = {"description": "OK", "content": content, "headers": NO_STORE}
    responses = {
        str(status): success,
        "401": {"description": "No or bad token", "content": _error_content(),
                "headers": WWW_AUTHENTICATE},
        "403": {"description": "Role not allowed", "content": _error_content()},
        "404": {"description": "Not found (also for outsiders)", "content": _error_content()},
        "409": {"description": "Conflict with the state; a stale version carries `current`",
                "content": _error_content()},
        "422": {"description": "Invalid fields", "content": _error_content()},
        "503": {"description": "The database cannot be reached; retry",
                "content": _error_content(), "headers": RETRY_AFTER},
    }
    extra = dict(extra)
    responses.update(extra.pop("responses", {}))
    if "requestBody" in extra:
        responses["400"] = {"description": "Malformed body", "content": _error_content()}
    op = {"summary": summary, "responses": responses}
    op.update(extra)
    return op


def _error_content() -> dict:
    return {"application/json": {"schema": ref("Error")}}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "CoTrack API", "version": "1"},
        "servers": [{"url": url_for("api.openapi").removesuffix("/openapi.json") + "/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": {
            path: {method: _operation(*spec) for method, spec in methods.items()}
            for path, methods in OPERATIONS.items()
        },
    }


def openapi():
    return document()
