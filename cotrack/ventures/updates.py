"""Status updates on a venture page."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from cotrack import queries
from cotrack.domain.permissions import can_post_update, require
from cotrack.queries.loading import venture_or_404
from cotrack.services.updates import post_update
from cotrack.ventures.common import render_venture
from cotrack.ventures.forms import StatusUpdateForm
from cotrack.web.pagination import paginate


def updates(venture_id: int):
    venture = venture_or_404(current_user, venture_id)
    form = StatusUpdateForm()
    if form.is_submitted():
        require(can_post_update(current_user, venture))
    if form.validate_on_submit():
        post_update(current_user, venture, health=form.health.data,
                    summary=form.summary.data, decisions=form.decisions.data)
        flash("Status update posted.", "success")
        return redirect(url_for("ventures.show", venture_id=venture.id) + "#updates")
    if form.is_submitted():
        return render_venture(venture, status=422, update=form)
    page = paginate(queries.status_update_rows(venture), rows=True)
    return render_template("ventures/updates.html", venture=venture, page=page)
