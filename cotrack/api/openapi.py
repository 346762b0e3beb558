"""The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json.

Each endpoint is declared once in OPERATIONS; a test checks that every /api/v1 route of
the app appears here, so the document cannot fall behind the code.
"""

from flask import url_for

from cotrack.api import bp

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

#: path -> method -> (summary, success status, response schema, extra operation fields)
OPERATIONS: dict[str, dict[str, tuple]] = {
    "/me": {"get": ("The signed-in user", 200, ref("User"), {})},
    "/organisations": {
        "get": (
            "Organisations (to invite)", 200, page_of("Organisation"), {"parameters": PAGE_PARAMS}
        ),
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
