"""Signed ledger statements over the API: list, take one now (finance), fetch one."""

from sqlalchemy import select

from cotrack.api.auth import api_user
from cotrack.api.serialise import page_json
from cotrack.domain.permissions import can_record_revenue, can_view_revenue, require
from cotrack.extensions import db
from cotrack.models import LedgerStatement, Venture
from cotrack.queries.loading import child_or_404, venture_or_404
from cotrack.reports.statements import statement_document
from cotrack.services.statements import take_statement


def _venture(venture_id: int) -> Venture:
    venture = venture_or_404(api_user(), venture_id)
    require(can_view_revenue(api_user(), venture))
    return venture


def list_statements(venture_id: int):
    venture = _venture(venture_id)
    query = (select(LedgerStatement).where(LedgerStatement.venture_id == venture.id)
             .order_by(LedgerStatement.id.desc()))
    return page_json(query, lambda s: statement_document(s, venture))


def create_statement(venture_id: int):
    venture = _venture(venture_id)
    require(can_record_revenue(api_user(), venture))
    return statement_document(take_statement(venture, "requested", api_user()), venture), 201


def get_statement(statement_id: int):
    statement = child_or_404(api_user(), LedgerStatement, statement_id)
    venture = _venture(statement.venture_id)
    return statement_document(statement, db.session.get(Venture, venture.id))
