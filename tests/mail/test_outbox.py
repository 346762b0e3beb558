"""The mail outbox and the queue: written with the change, delivered after the commit,
never when it is rolled back, retried while the server is down, never sent twice."""

from pathlib import Path

import pytest
from flask_mailman import EmailMessage
from sqlalchemy import select

from cotrack import jobs, mail
from cotrack.extensions import db, mailman
from cotrack.jobs.queue import make_huey
from cotrack.mail.eml import EmailBackend
from cotrack.mail.outbox import deliver, sweep
from cotrack.mail.settings import smtp_settings
from cotrack.mail.unsubscribe import read_token
from cotrack.models import OutboundMail
from tests.conftest import login
from tests.smtp import SmtpSink


def _queue(user=None, **kw):
    return mail.queue_mail(to=kw.pop("to", "someone@example.org"), subject="Hello",
                           text="Plain words.", html="<p>Plain words.</p>", user=user, **kw)


def test_a_mail_goes_out_only_after_the_commit(app, smtp):
    with app.test_request_context(method="POST"):
        row = _queue()
        assert smtp.messages == []
        db.session.commit()
        jobs.dispatch_ready()
        assert db.session.get(OutboundMail, row.id).sent_at is not None
    (message,) = smtp.messages
    assert message["Message-ID"].strip() == row.message_id
    assert message["Subject"] == "Hello"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words."
    assert "<p>Plain words.</p>" in message.get_body(("html",)).get_content()


def test_a_rolled_back_mail_is_never_sent(app, smtp):
    with app.test_request_context(method="POST"):
        _queue()
        db.session.rollback()
        db.session.commit()
        jobs.dispatch_ready()
    assert smtp.messages == []


def test_delivery_while_the_server_is_down_fails_and_a_later_try_sends_it_once(app):
    sink = SmtpSink()  # not started: connections are refused
    saved = dict(app.config)
    app.config.update(smtp_settings(sink.url))
    mailman.init_app(app)
    try:
        with app.test_request_context(method="POST"):
            row = _queue()
            db.session.commit()
            jobs.dispatch_ready()
            huey = jobs.huey_of(app)
            assert huey.scheduled_count() == 1  # the retry, 30 s later (then 60 s, ...)
            huey.storage.flush_all()
            stored = db.session.get(OutboundMail, row.id)
            db.session.refresh(stored)
            assert stored.sent_at is None and stored.attempts == 1
            assert "ConnectionRefused" in stored.last_error
            sink.start()
            deliver(row.id)
            deliver(row.id)  # a second task for the same mail (the sweep's) sends nothing
            db.session.refresh(stored)
            assert stored.sent_at is not None and stored.attempts == 2
    finally:
        sink.stop()
        app.config.clear()
        app.config.update(saved)
        mailman.init_app(app)
    assert [m["Message-ID"].strip() for m in sink.messages] == [row.message_id]


def test_the_sweep_enqueues_only_undelivered_mails_whose_time_has_come(app, smtp):
    with app.test_request_context(method="POST"):
        due, later, sent = _queue(), _queue(), _queue()
        db.session.flush()
        due.next_attempt_at = None
        sent.sent_at, sent.next_attempt_at = due.created_at, None
        db.session.info.pop("jobs.pending", None)  # as if the queue had lost their tasks
        db.session.commit()
        assert sweep() == 1
    assert [m["Message-ID"].strip() for m in smtp.messages] == [due.message_id]
    assert later.sent_at is None


def test_unsubscribe_header_is_one_click_with_a_signed_token(app, smtp, make_user):
    user = make_user("lead")
    with app.test_request_context(method="POST"):
        _queue(user=user, to=user.email, unsubscribe_kinds=["gate_passed"])
        db.session.commit()
        jobs.dispatch_ready()
    (message,) = smtp.messages
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith("http://cotrack.test/mail/unsubscribe/")
    with app.app_context():
        assert read_token(link.rsplit("/", 1)[1]) == (user.id, ["gate_passed"])
        assert read_token(link.rsplit("/", 1)[1][:-2] + "xx") is None


@pytest.mark.parametrize("url, expected", [
    ("smtp://mail.example:2525", ("mail.example", 2525, False, False, None, None)),
    ("smtp+starttls://ann%40x:p%2Fw@smtp.example:587",
     ("smtp.example", 587, True, False, "ann@x", "p/w")),
    ("smtps://u:p@smtp.example", ("smtp.example", 465, False, True, "u", "p")),
])
def test_mail_url_forms(url, expected):
    s = smtp_settings(url)
    assert (s["MAIL_SERVER"], s["MAIL_PORT"], s["MAIL_USE_TLS"], s["MAIL_USE_SSL"],
            s["MAIL_USERNAME"], s["MAIL_PASSWORD"]) == expected


@pytest.mark.parametrize("url", ["http://x", "smtp://", "imap://host"])
def test_a_wrong_mail_url_is_refused_with_the_reason(url):
    with pytest.raises(ValueError, match="MAIL_URL"):
        smtp_settings(url)


def test_without_mail_url_mails_are_eml_files_an_admin_sees(app, client, tmp_path, make_user):
    with app.app_context():
        message = EmailMessage("Files", "Body text", "cotrack@localhost", ["x@example.org"])
        EmailBackend(file_path=str(tmp_path)).send_messages([message])
    (eml,) = Path(tmp_path).glob("*.eml")
    assert b"Subject: Files" in eml.read_bytes()
    admin = make_user("admin")
    app.config["MAIL_FILE_PATH"] = str(tmp_path)
    try:
        login(client, admin.email)
        page = client.get("/admin/mail").get_data(as_text=True)
        assert eml.name in page and "x@example.org" in page
        response = client.get(f"/admin/mail/{eml.name}")
        assert response.data == eml.read_bytes()
        response.close()
        assert client.get("/admin/mail/..%2Fsecret_key").status_code == 404
    finally:
        app.config["MAIL_FILE_PATH"] = str(Path(app.instance_path) / "mail")


def test_the_mail_page_is_for_admins_only(client, make_user):
    login(client, make_user("lead").email)
    assert client.get("/admin/mail").status_code == 403


def test_healthz_shows_the_queue_and_the_oldest_undelivered_mail(app, client):
    with app.test_request_context(method="POST"):
        row = _queue()
        db.session.info.pop("jobs.pending", None)
        db.session.commit()
        created = row.created_at
    health = client.get("/healthz").get_json()
    assert health["queue"] == {"pending": 0, "scheduled": 0}
    assert health["mail"]["undelivered"] >= 1
    assert health["mail"]["oldest_undelivered_at"] <= created.isoformat()


def test_the_queue_is_sqlite_in_the_instance_folder_or_redis_with_redis_url(app, tmp_path):
    class Fake:
        instance_path = str(tmp_path)
        config = {"HUEY_IMMEDIATE": False}

    assert make_huey(Fake).storage.filename == str(tmp_path / "huey.db")
    Fake.config = {"REDIS_URL": "redis://127.0.0.1:6379/15"}
    assert make_huey(Fake).__class__.__name__ == "RedisHuey"


def test_outbox_rows_are_written_in_the_callers_transaction(app):
    with app.test_request_context(method="POST"):
        _queue()
        db.session.rollback()
        assert db.session.scalars(select(OutboundMail)).all() == []
