"""flask backup / flask restore: a backup taken while others record revenue, restored into an
empty database, holds every entry committed before it began, nothing half-written, and
a ledger that verifies; restore refuses a database that is not empty."""

import threading
import time

import pytest
from sqlalchemy import select

from cotrack.extensions import db
from cotrack.models import RevenueEntry
from tests.conftest import database_url, make_config

pytestmark = pytest.mark.own_db


def _writer(app, url: str, headers: dict, prefix: str, stop: threading.Event, done: list):
    client, n = app.test_client(), 0
    while not stop.is_set():
        n += 1
        response = client.post(url, headers=headers, json={
            "date": "2026-11-03", "amount": f"{n}.00", "reference": f"{prefix}-{n}"})
        if response.status_code == 201:
            done.append((time.monotonic(), f"{prefix}-{n}"))


def test_a_backup_taken_during_writes_restores_every_committed_entry(demo_app, tmp_path,
                                                                      tmp_path_factory):
    from cotrack import create_app

    app, venture_id = demo_app.app, demo_app.venture_id
    url = f"/api/v1/ventures/{venture_id}/revenue"
    stop, done = threading.Event(), []
    writers = [threading.Thread(target=_writer, args=(
        app, url, {"Authorization": f"Bearer {demo_app.tokens[email]}"}, prefix, stop, done))
        for prefix, email in (("A", "finance@forge.example"), ("B", "finance@summit.example"))]
    for w in writers:
        w.start()
    try:
        while len(done) < 10:
            time.sleep(0.05)
        started = time.monotonic()
        path = tmp_path / "cotrack.backup"
        result = app.test_cli_runner().invoke(args=["backup", str(path)])
        while not any(at > time.monotonic() - 0.01 for at, _ in done[-1:]):
            time.sleep(0.05)  # and go on writing a little after it
    finally:
        stop.set()
        for w in writers:
            w.join(timeout=30)
    assert result.exit_code == 0, (result.output, result.exc_info and __import__(
        "traceback").format_exception(*result.exc_info))
    assert "ledger verified" in result.output
    committed_before = {ref for at, ref in done if at < started}
    written = {ref for _, ref in done}

    target = create_app(make_config(database_url(tmp_path_factory, suffix="_restored")))
    restored = target.test_cli_runner().invoke(args=["restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert "ledger verified" in restored.output
    with target.app_context():
        references = set(db.session.scalars(select(RevenueEntry.reference).where(
            RevenueEntry.venture_id == venture_id)))
        db.session.remove()
        db.engine.dispose()
    ours = {r for r in references if r[:2] in ("A-", "B-")}
    assert committed_before <= ours <= written
    assert len(committed_before) >= 10
    again = target.test_cli_runner().invoke(args=["restore", str(path)])
    with target.app_context():
        db.engine.dispose()
    assert again.exit_code != 0 and "not empty" in again.output


def test_backup_refuses_to_overwrite_a_file(demo_app, tmp_path):
    path = tmp_path / "exists.backup"
    path.write_text("keep me")
    result = demo_app.app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code != 0 and "exists" in result.output
    assert path.read_text() == "keep me"
