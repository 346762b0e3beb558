"""A real worker process (flask worker) against SqliteHuey and against Redis: the mail
server is down while changes are made, comes back, and every mail arrives exactly once."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

import flask_migrate
import pytest
import redis
import sqlalchemy as sa

from cotrack import create_app
from cotrack.domain.passwords import hash_password
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Organisation, OutboundMail, User
from cotrack.services import gates, updates, ventures
from tests.conftest import database_url, empty_schema, make_config
from tests.smtp import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"


def _worker_env(url: str, queue: dict, smtp_port: int, instance: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "HUEY_SQLITE_PATH")}
    env.update(DATABASE_URL=url, SECRET_KEY="test-secret-key-not-for-production",
               COTRACK_INSTANCE=str(instance), MAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
               MAIL_RETRY_DELAY="1", MAIL_RETRY_BACKOFF="1", FLASK_APP="wsgi.py",
               PYTHONPATH=str(ROOT), **queue)
    return env


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def _changes(app, make):
    """Two changes that mail five people at once (gate requested, mentioned)."""
    with app.app_context(), app.test_request_context(method="POST"):
        ns = make()
        gates.request_gate(ns.leads["reseller"], ns.venture)
        db.session.commit()
        updates.post_update(ns.leads["reseller"], ns.venture, health="green",
                            summary=f"@{ns.leads['customer'].name} and "
                                    f"@{ns.leads['manufacturer'].name}: the gate waits.")
        db.session.commit()
        return sorted(db.session.scalars(sa.select(OutboundMail.id)))


@pytest.mark.own_db
@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_every_mail_arrives_exactly_once_after_the_server_comes_back(tmp_path,
                                                                     tmp_path_factory, backend):
    url = database_url(tmp_path_factory, suffix=f"_worker_{backend}")
    name = f"cotrack-test-{uuid.uuid4().hex[:8]}"
    queue = ({"REDIS_URL": REDIS, "HUEY_NAME": name} if backend == "redis"
             else {"HUEY_SQLITE_PATH": str(tmp_path / "huey.db"), "HUEY_NAME": name})
    smtp = SmtpSink(free_port())  # not started: the mail server is down
    cfg = make_config(url)
    cfg.HUEY_IMMEDIATE, cfg.MAIL_URL, cfg.MAIL_RETRY_DELAY = False, smtp.url, 1
    cfg.REDIS_URL, cfg.HUEY_NAME = queue.get("REDIS_URL"), name
    cfg.HUEY_SQLITE_PATH = queue.get("HUEY_SQLITE_PATH")
    app = _app(cfg, url)
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "flask", "worker", "--workers", "2"], cwd=ROOT,
        env=_worker_env(url, queue, smtp.port, tmp_path / "instance"),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        mail_ids = _changes(app, lambda: _venture(app))
        assert len(mail_ids) == 4  # gate: two leads; mentions: the same two leads
        with app.app_context():
            assert _wait(lambda: _attempts(mail_ids) >= len(mail_ids), 20), worker_log(worker)
            assert smtp.messages == []
        smtp.start()
        with app.app_context():
            assert _wait(lambda: _sent(mail_ids) == len(mail_ids), 40), worker_log(worker)
            time.sleep(1.5)  # retries still queued must not send anything twice
            stored = set(db.session.scalars(sa.select(OutboundMail.message_id)))
            db.session.rollback()
        received = [m["Message-ID"].strip() for m in smtp.messages]
        assert sorted(received) == sorted(stored) and len(set(received)) == len(received)
    finally:
        worker.terminate()
        worker.wait(timeout=15)
        worker.stderr.close()
        smtp.stop()
        with app.app_context():
            db.engine.dispose()
        if backend == "redis":
            client = redis.Redis.from_url(REDIS)
            for key in client.scan_iter(f"huey*{name}*"):
                client.delete(key)


def worker_log(worker) -> str:
    worker.terminate()
    return worker.communicate(timeout=15)[1].decode()[-3000:]


def _app(cfg, url):
    app = create_app(cfg)
    empty_schema(app)
    with app.app_context():
        flask_migrate.upgrade()
    return app


def _count(*conditions) -> int:
    """Read, then end the transaction at once (on SQLite it holds the write lock)."""
    try:
        return db.session.scalar(sa.select(sa.func.count(OutboundMail.id)).where(*conditions))
    finally:
        db.session.rollback()


def _attempts(ids) -> int:
    return _count(OutboundMail.id.in_(ids), OutboundMail.attempts > 0)


def _sent(ids) -> int:
    return _count(OutboundMail.id.in_(ids), OutboundMail.sent_at.is_not(None))


def _venture(app):
    orgs = {r: Organisation(name=f"{r.title()} Org") for r in PARTY_ROLES}
    leads = {r: User(email=f"lead@{r}.example", name=f"{r.title()} Lead", role="lead",
                     organisation=orgs[r], password_hash=hash_password("x" * 12))
             for r in PARTY_ROLES}
    db.session.add_all([*orgs.values(), *leads.values()])
    db.session.flush()
    venture = ventures.create_venture(leads["customer"], name="Worker test", description="",
                                      currency="EUR",
                                      parties={r: o.id for r, o in orgs.items()})
    for role in ("reseller", "manufacturer"):
        ventures.accept(leads[role], venture)
    db.session.commit()
    db.session.query(OutboundMail).delete()  # the invitations' mails: not this test's
    db.session.commit()
    return SimpleNamespace(venture=venture, leads=leads)
