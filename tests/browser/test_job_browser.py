"""In a real browser: a background job's page shows rows done, total and time left, moves
on its own while the worker reports progress, shows the same after a reload, and shows the
result when the job is done."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import Job, User, Venture
from cotrack.services import background
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_the_progress_bar_follows_the_job_and_survives_a_reload(page, live_app):
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "finance@summit.example"))
        venture = db.session.scalar(select(Venture).where(Venture.name == "Mobile storage array"))
        job = Job(kind="import", user_id=user.id, venture_id=venture.id, total=200_000,
                  status="running", started_at=utcnow() - timedelta(seconds=20),
                  params={"token": "x", "options": {}})
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        background.report(job_id, 50_000)  # as the worker does after each batch
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    sign_in(page, "finance@summit.example")
    page.goto(f"/jobs/{job_id}")
    status = page.get_by_test_id("job-status")
    expect(status).to_contain_text("Running")
    expect(status).to_contain_text("50,000 of 200,000 rows")
    expect(status).to_contain_text("s left")
    bar = page.get_by_test_id("job-progress")
    expect(bar).to_have_attribute("aria-valuenow", "50000")

    with live_app.app_context():
        background.report(job_id, 150_000)
    expect(status).to_contain_text("150,000 of 200,000 rows")  # no reload: the script polled
    expect(bar).to_have_attribute("aria-valuenow", "150000")
    width = page.locator(".job-bar").evaluate("e => e.style.width")
    assert width == "75%"

    page.reload()
    expect(status).to_contain_text("150,000 of 200,000 rows")

    with live_app.app_context():
        job = db.session.get(Job, job_id)
        job.status, job.done, job.finished_at = "done", 200_000, utcnow()
        job.result = {"created": 200_000}
        db.session.commit()
    expect(page.get_by_test_id("job-result")).to_contain_text("Imported 200,000 entries.")
    expect(status).to_contain_text("Done")
    assert not errors, errors


def test_someone_elses_job_is_not_found(page, live_app):
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "finance@forge.example"))
        job = Job(kind="export", user_id=user.id, total=10, params={})
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    sign_in(page, "finance@summit.example")
    response = page.goto(f"/jobs/{job_id}")
    assert response.status == 404
