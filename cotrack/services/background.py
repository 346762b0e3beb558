"""Large imports and whole-ledger exports as jobs on the task queue, with real progress.

A job row (cotrack.models.Job) is written in the request that asks for the work and the task
enqueued after that commit. In the worker:

- an import runs in ONE transaction (all rows or none) that also marks the job done, so a
  job that says "done" has its entries committed and one that failed has none. Its progress
  cannot be written to the job row while that transaction is open (SQLite allows one writer;
  on PostgreSQL nobody would see it before the commit), so it goes, every batch, to the task
  queue's own store (Huey's key-value storage: the queue's SQLite file or Redis), through a
  connection of its own; the job's page and JSON read it from there while the job runs;
- an export writes its file into the instance folder (``exports/``) batch by batch and
  offers it when done.

Only the person who asked sees a job (others: 404).
"""

import logging
import os
import secrets
import time
from datetime import UTC
from pathlib import Path

from flask import Flask, current_app

from cotrack import jobs
from cotrack.db.engine import READ_ONLY
from cotrack.db.timestamps import utcnow
from cotrack.domain.errors import DomainError
from cotrack.domain.import_formats import ImportOptions
from cotrack.extensions import db
from cotrack.models import Job, User, Venture
from cotrack.reports.exports import export_chunks, export_name
from cotrack.reports.filters import ReportFilter, parse_filter
from cotrack.services.import_files import ImportRejected, claim, discard, kept
from cotrack.services.revenue_import import import_rows

log = logging.getLogger(__name__)
IMPORT_TASK, EXPORT_TASK = "finance.import_job", "finance.export_job"
#: exports of more rows than this run as a job (smaller ones stream at once)
EXPORT_SYNC_ROWS = 5_000
#: an export reports its progress every so many rows
EXPORT_PROGRESS_ROWS = 2_000


def init_app(app: Flask) -> None:
    jobs.register(app, IMPORT_TASK, run_import)
    jobs.register(app, EXPORT_TASK, run_export)


def start_import(actor: User, venture: Venture, token: str, options: ImportOptions,
                 rows: int) -> Job:
    """A job importing the kept upload ``token``, queued once the caller's transaction
    commits."""
    job = Job(kind="import", user_id=actor.id, venture_id=venture.id, total=rows,
              params={"token": token, "options": options.as_dict()})
    db.session.add(job)
    db.session.flush()
    claim(token)
    jobs.enqueue_after_commit(IMPORT_TASK, job.id)
    log.info("import job %s of %s rows queued by user %s", job.id, rows, actor.id)
    return job


def start_export(actor: User, f: ReportFilter, kind: str, fmt: str, rows: int) -> Job:
    job = Job(kind="export", user_id=actor.id, venture_id=f.venture_id, total=rows,
              params={"filter": f.args(), "kind": kind, "format": fmt})
    db.session.add(job)
    db.session.flush()
    jobs.enqueue_after_commit(EXPORT_TASK, job.id)
    log.info("export job %s of %s rows queued by user %s", job.id, rows, actor.id)
    return job


def own_job(user: User, job_id: int) -> Job | None:
    """The job if ``user`` asked for it; None for anyone else (they get 404)."""
    job = db.session.get(Job, job_id)
    return job if job is not None and job.user_id == user.id else None


# -- progress, through the queue's own store --------------------------------------------------

def _key(job_id: int) -> str:
    return f"cotrack-job-progress-{job_id}"


def report(job_id: int, done: int) -> None:
    try:
        jobs.huey_of().put(_key(job_id), done)
    except Exception:  # progress is a nicety: never fail the work for it
        log.warning("could not record the progress of job %s", job_id, exc_info=True)


def live_done(job: Job) -> int:
    if job.status != "running":
        return job.done
    try:
        done = jobs.huey_of().get(_key(job.id), peek=True)
    except Exception:
        done = None
    return max(job.done, done or 0)


def _forget(job_id: int) -> None:
    try:
        jobs.huey_of().get(_key(job_id))  # reading without peek removes it
    except Exception:
        log.debug("progress of job %s not removed", job_id, exc_info=True)


def status(job: Job, urls: dict | None = None) -> dict:
    """The job as GET /jobs/{id} answers it; ``seconds_left`` estimated from its rate."""
    done = live_done(job)
    left = None
    if job.status == "running" and job.started_at is not None and done:
        started = job.started_at if job.started_at.tzinfo else job.started_at.replace(tzinfo=UTC)
        elapsed = max((utcnow() - started).total_seconds(), 0.001)
        left = round(max(job.total - done, 0) * elapsed / done)
    answer = {"id": job.id, "kind": job.kind, "status": job.status, "done": done,
              "total": job.total, "seconds_left": left,
              "started_at": job.started_at.isoformat() if job.started_at else None,
              "finished_at": job.finished_at.isoformat() if job.finished_at else None}
    if job.status == "done":
        answer["result"] = dict(job.result or {}, **(urls or {}))
    if job.status == "failed":
        answer["error"] = job.error
        if (job.result or {}).get("rows"):
            answer["rows"] = job.result["rows"]
    return answer


# -- in the worker ----------------------------------------------------------------------------

def _begin(job_id: int, kind: str) -> Job | None:
    job = db.session.get(Job, job_id)
    if job is None or job.kind != kind or job.status != "queued":
        return None  # done already (a task delivered twice), or gone
    job.status, job.started_at = "running", utcnow()
    db.session.commit()
    return job


def _fail(job_id: int, message: str, rows: list | None = None) -> None:
    db.session.rollback()
    job = db.session.get(Job, job_id)
    job.status, job.finished_at, job.error = "failed", utcnow(), message
    job.result = {"rows": rows} if rows else {}
    db.session.commit()
    _forget(job_id)


def run_import(job_id: int) -> None:
    job = _begin(job_id, "import")
    if job is None:
        return
    user, venture = db.session.get(User, job.user_id), db.session.get(Venture, job.venture_id)
    token, options = job.params["token"], ImportOptions(**job.params["options"])
    found = kept(user.id, venture.id, token, claimed=True)
    if found is None:
        return _fail(job_id, "The uploaded file is gone; upload it again.")
    try:
        with open(found[0], "rb") as stream:
            count = import_rows(user, venture, stream, options,
                                on_batch=lambda done: report(job_id, done))
        job.status, job.finished_at, job.done = "done", utcnow(), count
        job.result = {"created": count}
        db.session.commit()  # the entries and the job's "done", together
        log.info("import job %s recorded %s entries", job_id, count)
    except ImportRejected as exc:
        _fail(job_id, exc.message, exc.rows)
    except DomainError as exc:
        _fail(job_id, exc.message)
    except Exception:
        log.exception("import job %s failed", job_id)
        _fail(job_id, "The import stopped on an unexpected error; nothing was recorded.")
    finally:
        discard(token)
        _forget(job_id)


def _exports_folder() -> Path:
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_export(job_id: int) -> None:
    job = _begin(job_id, "export")
    if job is None:
        return
    user = db.session.get(User, job.user_id)
    kind, fmt = job.params["kind"], job.params["format"]
    path = _exports_folder() / f"job-{job_id}-{secrets.token_urlsafe(8)}.{fmt}"
    counted = {"rows": 0}

    def progress(rows: int) -> None:
        counted["rows"] = rows
        report(job_id, rows)

    try:
        f = parse_filter(job.params["filter"])
        db.session.rollback()  # read in a transaction that does not take SQLite's write lock
        db.session.connection(execution_options={READ_ONLY: True})
        with open(path, "wb") as out:
            for chunk in export_chunks(user, f, kind, fmt, progress=progress,
                                       every=EXPORT_PROGRESS_ROWS):
                out.write(chunk.encode() if isinstance(chunk, str) else chunk)
        name = export_name(f, kind, fmt)
        db.session.rollback()  # end the reading transaction; write the job's state
        job = db.session.get(Job, job_id)
        job.status, job.finished_at, job.done = "done", utcnow(), counted["rows"]
        job.total = max(job.total, counted["rows"])
        job.result, job.result_file = {"filename": name, "rows": counted["rows"]}, path.name
        db.session.commit()
        log.info("export job %s wrote %s rows", job_id, counted["rows"])
    except Exception as exc:
        log.exception("export job %s failed", job_id)
        _remove(path)
        _fail(job_id, exc.message if isinstance(exc, DomainError)
              else "The export stopped on an unexpected error.")
    finally:
        _forget(job_id)


def result_path(job: Job) -> Path | None:
    """The export's file, if it is there."""
    if job.kind != "export" or job.status != "done" or not job.result_file:
        return None
    path = _exports_folder() / job.result_file
    return path if path.is_file() else None


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def sweep_exports(older_than_seconds: int = 7 * 24 * 3600) -> None:
    """Delete export files older than a week (their jobs then offer nothing)."""
    limit = time.time() - older_than_seconds
    for path in _exports_folder().glob("job-*"):
        if path.stat().st_mtime < limit:
            _remove(path)
