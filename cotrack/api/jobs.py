"""Background jobs over the API: a job's state and progress, an export job's file. Only the
person who asked for a job sees it (others: 404)."""

from flask import url_for

from cotrack.api.auth import api_user
from cotrack.services import background
from cotrack.web.jobs import own_job_or_404, send_result


def _own(job_id: int):
    return own_job_or_404(api_user(), job_id)


def job_json(job) -> dict:
    urls = {}
    if job.kind == "export":
        urls = {"url": url_for("api.job_file", job_id=job.id)}
    return {**background.status(job, urls), "url": url_for("api.get_job", job_id=job.id)}


def get_job(job_id: int):
    return job_json(_own(job_id))


def job_file(job_id: int):
    return send_result(_own(job_id))
