"""Home page and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from cotrack.extensions import limiter

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def home():
    return render_template("main/home.html", user=current_user)


@bp.route("/healthz")
@limiter.exempt
def healthz():
    return {"status": "ok"}
