"""A background job's page (progress bar that survives a reload), its JSON for the page's
script, and an export job's file. Only the person who asked for the job sees it."""

from flask import render_template, url_for
from flask_login import current_user

from cotrack.extensions import db
from cotrack.models import Venture
from cotrack.services import background
from cotrack.web.jobs import own_job_or_404, send_result


def _own(job_id: int):
    return own_job_or_404(current_user, job_id)


def _urls(job) -> dict:
    if job.kind == "export":
        return {"url": url_for("finance.job_file", job_id=job.id)}
    return {"url": url_for("finance.revenue", venture_id=job.venture_id)}


def job(job_id: int):
    job = _own(job_id)
    venture = db.session.get(Venture, job.venture_id) if job.venture_id else None
    return render_template("finance/job.html", job=job, venture=venture,
                           state=background.status(job, _urls(job)))


def job_progress(job_id: int):
    job = _own(job_id)
    return background.status(job, _urls(job))


def job_file(job_id: int):
    return send_result(_own(job_id))
