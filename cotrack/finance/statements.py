"""A venture's signed ledger statements: the list, taking one now, downloading the file."""

import json

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from cotrack.domain.permissions import can_record_revenue, can_view_revenue, require
from cotrack.models import LedgerStatement
from cotrack.queries.loading import in_venture_or_404, venture_or_404
from cotrack.reports.statements import statement_document
from cotrack.services.statements import take_statement
from cotrack.web.forms import EmptyForm
from cotrack.web.pagination import paginate


def statements(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    require(can_view_revenue(current_user, venture))
    form = EmptyForm()
    if form.validate_on_submit():
        require(can_record_revenue(current_user, venture))
        statement = take_statement(venture, "requested", current_user)
        flash(f"Statement #{statement.id} taken: {statement.entry_count:,} entries verified.",
              "success")
        return redirect(url_for("finance.statements", venture_id=venture.id))
    page = paginate(select(LedgerStatement).where(LedgerStatement.venture_id == venture.id)
                    .order_by(LedgerStatement.id.desc()), per_page=25)
    return render_template("finance/statements.html", venture=venture, page=page, form=form)


def download_statement(venture_id: int, statement_id: int):
    venture, statement = in_venture_or_404(current_user, venture_id, LedgerStatement,
                                           statement_id)
    require(can_view_revenue(current_user, venture))
    return statement_file(statement, venture)


def statement_file(statement: LedgerStatement, venture) -> Response:
    body = json.dumps(statement_document(statement, venture), indent=2, ensure_ascii=False)
    name = f"cotrack-statement-venture-{venture.id}-{statement.id}.json"
    return Response(body + "\n", content_type="application/json; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
