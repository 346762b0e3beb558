"""A background job as the web sees it, for pages and the API alike: the asker's own job or
404, and an export job's file once it is there."""

from flask import abort, send_file

from cotrack.services import background


def own_job_or_404(user, job_id: int):
    job = background.own_job(user, job_id)
    if job is None:
        abort(404)
    return job


def send_result(job):
    """The finished export's file as a download, or 404 while there is none."""
    path = background.result_path(job)
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=job.result["filename"])
