"""/me and /organisations."""

from sqlalchemy import select

from cotrack.api import bp
from cotrack.api.auth import api_user
from cotrack.api.serialise import page_json, user_json
from cotrack.models import Organisation


@bp.get("/v1/me")
def me():
    return user_json(api_user())


@bp.get("/v1/organisations")
def organisations():
    query = select(Organisation).where(Organisation.active).order_by(Organisation.name)
    return page_json(query, lambda o: {"id": o.id, "name": o.name})
