"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json.

Each endpoint is declared once in OPERATIONS; a test checks that every /api/v1 route of
the app appears here, so the document cannot fall behind the code.
"""

from flask import url_for

from cotrack.api import bp
from cotrack.api.openapi_schemas import VENTURE_SCHEMAS

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
            },
        }
    },
}

SCHEMAS = {
    **VENTURE_SCHEMAS,
    "Error": ERROR,
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


PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "maximum": 200}},
]

VENTURE_ID = [{"name": "venture_id", "in": "path", "required": True,
               "schema": {"type": "integer"}}]


def id_param(name: str) -> list:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}]


def body(name: str) -> dict:
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": ref(name)}}}}


def with_venture(extra: dict | None = None) -> dict:
    return {"parameters": VENTURE_ID, **(extra or {})}


NULLABLE_GATE = {"oneOf": [ref("Gate"), {"type": "null"}]}

#: path -> method -> (summary, success status, response schema, extra operation fields)
OPERATIONS: dict[str, dict[str, tuple]] = {
    "/me": {"get": ("The signed-in user", 200, ref("User"), {})},
    "/organisations": {
        "get": (
            "Organisations (to invite)", 200, page_of("Organisation"), {"parameters": PAGE_PARAMS}
        ),
    },
    "/ventures": {
        "get": ("Ventures I belong to or am invited to", 200, page_of("Venture"),
                {"parameters": PAGE_PARAMS + [
                    {"name": "stage", "in": "query", "schema": {"type": "string"}},
                    {"name": "status", "in": "query", "schema": {"type": "string"}}]}),
        "post": ("Create a venture (a lead; own organisation among the parties)", 201,
                 ref("Venture"), body("VentureCreate")),
    },
    "/ventures/{venture_id}": {
        "get": ("A venture (also to an invited organisation)", 200, ref("Venture"),
                with_venture()),
        "patch": ("Edit name or description (a lead)", 200, ref("Venture"),
                  with_venture(body("VentureEdit"))),
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
                 with_venture(body("GateComment"))),
    },
    "/ventures/{venture_id}/gate/reject": {
        "post": ("Reject the open gate (comment required)", 200, ref("Gate"),
                 with_venture(body("GateComment"))),
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
                 with_venture(body("MilestoneWrite"))),
    },
    "/milestones/{milestone_id}": {
        "get": ("A milestone", 200, ref("Milestone"), {"parameters": id_param("milestone_id")}),
        "patch": ("Change fields (a lead) or the status (its assignee); send `version`", 200,
                  ref("Milestone"), {"parameters": id_param("milestone_id"),
                                     **body("MilestoneWrite")}),
        "delete": ("Delete a milestone (a lead); optional ?version=", 204, {},
                   {"parameters": id_param("milestone_id")}),
    },
    "/ventures/{venture_id}/issues": {
        "get": ("Issues (filters: severity, status, party, assignee_id, q)", 200,
                page_of("Issue"), with_venture()),
        "post": ("Raise an issue", 201, ref("Issue"), with_venture(body("IssueWrite"))),
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
                                    **body("GateComment")}),
    },
    "/agreements/{agreement_id}/reject": {
        "post": ("Reject the proposal", 200, ref("Agreement"),
                 {"parameters": id_param("agreement_id"), **body("GateComment")}),
    },
    "/ventures/{venture_id}/revenue": {
        "get": ("Ledger entries with their allocations", 200, page_of("RevenueEntry"),
                with_venture()),
        "post": ("Record revenue (finance); allocated by the agreement in effect", 201,
                 ref("RevenueEntry"), with_venture(body("RevenueCreate"))),
    },
    "/revenue/{entry_id}/reverse": {
        "post": ("Reverse an entry (once; 409 if already reversed)", 201, ref("RevenueEntry"),
                 {"parameters": id_param("entry_id"), **body("Note")}),
    },
    "/ventures/{venture_id}/revenue/import": {
        "post": ("Import a CSV (date,amount,reference,region,note): all rows or none", 201,
                 {"type": "object", "properties": {"created": {"type": "integer"}}},
                 with_venture({"requestBody": {"required": True, "content": {
                     "multipart/form-data": {"schema": {
                         "type": "object", "properties": {
                             "file": {"type": "string", "format": "binary"}}}}}}})),
    },
    "/reports/revenue": {
        "get": ("Per-period party totals (json), ledger rows, or a CSV/XLSX download", 200,
                {"type": "object"}, {"parameters": [
                    {"name": n, "in": "query", "schema": {"type": "string"}}
                    for n in ("from", "to", "venture_id", "party", "period", "kind",
                              "format", "currency")]}),
    },
    "/ventures/{venture_id}/activity": {
        "get": ("The activity trail, newest first", 200, page_of("Activity"), with_venture()),
    },
}


def _operation(summary: str, status: int, schema: dict, extra: dict) -> dict:
    op = {
        "summary": summary,
        "responses": {
            str(status): {
                "description": "OK",
                "content": {"application/json": {"schema": schema}},
            },
            "401": {"description": "No or bad token", "content": _error_content()},
            "404": {"description": "Not found", "content": _error_content()},
            "403": {"description": "Role not allowed", "content": _error_content()},
            "409": {"description": "Conflict with the state", "content": _error_content()},
            "422": {"description": "Invalid fields", "content": _error_content()},
        },
    }
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


@bp.get("/openapi.json")
def openapi():
    return document()
