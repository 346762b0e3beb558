"""JSON API (API.md): /api/v1/..., bearer tokens, JSON errors, /api/openapi.json."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from cotrack.api import (  # noqa: E402,F401  (routes register on bp)
    auth,
    core,
    gates,
    issues,
    milestones,
    openapi,
    revenue,
    ventures,
)
