"""JSON shapes shared by the API endpoints."""

from collections.abc import Callable

from flask import request
from sqlalchemy import Select

from cotrack.pagination import MAX_PER_PAGE, paginate


def org_json(org) -> dict:
    return {"id": org.id, "name": org.name}


def user_json(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": org_json(user.organisation),
    }


def page_json(query: Select, item: Callable) -> dict:
    per_page = min(max(request.args.get("per_page", 50, type=int), 1), MAX_PER_PAGE)
    page = paginate(query, per_page=per_page)
    return {
        "items": [item(row) for row in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }
