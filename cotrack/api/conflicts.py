"""A stale version answers 409 with the record as it is stored now (API.md), alike on every
database (cotrack.services.common.check_version locks before it compares)."""

from cotrack.api.serialise import record_json
from cotrack.domain.errors import StaleVersion
from cotrack.extensions import db
from cotrack.web.errors import json_error


def stale_version(exc: StaleVersion):
    current = record_json(exc.record)  # from the row as read under lock, before rolling back
    db.session.rollback()
    return json_error(409, exc.message, exc.fields, current=current)
