"""The Huey instance of an app, its tasks by name, and enqueueing after a commit."""

import logging
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session

from cotrack.extensions import db

log = logging.getLogger(__name__)

EXTENSION = "cotrack.jobs"
_PENDING, _READY, _LISTENING = "jobs.pending", "jobs.ready", "jobs.listening"


class Jobs:
    """One app's queue: its Huey instance and the tasks registered on it, by name."""

    def __init__(self, app: Flask, huey: Huey):
        self.app, self.huey = app, huey
        self.tasks: dict = {}

    def run_in_app(self, name: str, fn):
        """``fn`` wrapped to run inside an app context, the session removed afterwards."""
        app = self.app

        def run(*args, **kwargs):
            with app.app_context():
                try:
                    result = fn(*args, **kwargs)
                    dispatch_ready()
                    return result
                finally:
                    db.session.remove()

        run.__name__ = run.__qualname__ = name.replace(".", "_")
        return run


def make_huey(app: Flask) -> Huey:
    """SqliteHuey in the instance folder; RedisHuey when REDIS_URL is set."""
    cfg = app.config
    name, immediate = cfg.get("HUEY_NAME", "cotrack"), bool(cfg.get("HUEY_IMMEDIATE"))
    if cfg.get("REDIS_URL"):
        return RedisHuey(name, url=cfg["REDIS_URL"], immediate=immediate, utc=True)
    path = Path(cfg.get("HUEY_SQLITE_PATH") or Path(app.instance_path) / "huey.db")
    if not immediate:
        path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path), immediate=immediate, utc=True)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Jobs(app, make_huey(app))


def _jobs(app: Flask | None = None) -> Jobs:
    return (app or current_app).extensions[EXTENSION]


def huey_of(app: Flask | None = None) -> Huey:
    return _jobs(app).huey


def register(app: Flask, name: str, fn, **options) -> None:
    """Make ``fn`` a task called ``name`` (options: Huey's ``retries``, ``retry_delay``,
    ``retry_backoff``, ``priority``)."""
    jobs = _jobs(app)
    jobs.tasks[name] = jobs.huey.task(name=name, **options)(jobs.run_in_app(name, fn))


def register_periodic(app: Flask, name: str, fn, **when) -> None:
    """Run ``fn`` in the worker on a schedule: ``when`` is a crontab (``minute="*/15"``)."""
    jobs = _jobs(app)
    jobs.tasks[name] = jobs.huey.periodic_task(crontab(**when), name=name)(
        jobs.run_in_app(name, fn))


def enqueue(name: str, *args) -> None:
    """Put the task on the queue now (in immediate mode: run it now)."""
    _jobs().tasks[name](*args)


def enqueue_after_commit(name: str, *args) -> None:
    """Enqueue the task once the current transaction of the app's session commits; if it
    is rolled back instead, the task is dropped with it."""
    session = db.session()
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "after_commit", _committed)
        event.listen(session, "after_rollback", _rolled_back)
    session.info.setdefault(_PENDING, []).append((name, args))


def _committed(session: Session) -> None:
    work = session.info.pop(_PENDING, [])
    if not work:
        return
    if not has_app_context():  # only tests commit outside an app; the sweep is the net
        log.debug("no app: %s task(s) after commit left to the sweep", len(work))
        return
    jobs = _jobs()
    if jobs.huey.immediate:
        # a task run now would need this session while it is still committing
        session.info.setdefault(_READY, []).extend(work)
        return
    for name, args in work:
        try:
            jobs.tasks[name](*args)
        except Exception:  # the queue is down: the committed work stays; log, go on
            log.exception("could not enqueue %s%r after commit", name, args)


def _rolled_back(session: Session) -> None:
    session.info.pop(_PENDING, None)


def dispatch_ready() -> None:
    """Immediate mode (tests): run the tasks whose transaction has committed. The request
    path calls this after its commit, and each task after it returns."""
    session = db.session()
    while session.info.get(_READY):
        name, args = session.info[_READY].pop(0)
        _jobs().tasks[name](*args)


def queue_length(app: Flask | None = None) -> dict:
    """{pending, scheduled}: tasks waiting for a worker, and retries and delayed tasks."""
    huey = huey_of(app)
    return {"pending": huey.pending_count(), "scheduled": huey.scheduled_count()}
