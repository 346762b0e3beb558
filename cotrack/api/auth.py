"""Bearer-token authentication for every /api/v1 route; cookies never authenticate here."""

from flask import g, request

from cotrack.services.api_tokens import user_for_token
from cotrack.web.errors import json_error

PUBLIC_ENDPOINTS = {"api.openapi"}


def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    user = user_for_token(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
    if user is None:
        response, status = json_error(401)
        response.headers["WWW-Authenticate"] = 'Bearer realm="cotrack"'
        return response, status
    g.api_user = user
    return None


def api_user():
    return g.api_user
