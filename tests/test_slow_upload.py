"""A client that trickles its request body must not hold the database's write lock while
it does: the body is received before the request's transaction begins (cotrack.db.engine).

The app runs on a database of its own (a browser-like live request cannot join the tests'
rolled-back transaction); the slow request is driven on a thread through the WSGI app
with a request body that waits, mid-way, until the test lets it go on."""

import io
import json
import threading

import pytest
from werkzeug.test import EnvironBuilder


class TricklingBody(io.RawIOBase):
    """Gives a few bytes, then waits until ``go_on`` is set before giving the rest."""

    def __init__(self, body: bytes):
        self.body = io.BytesIO(body)
        self.waiting = threading.Event()
        self.go_on = threading.Event()
        self.first = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.first:
            self.first = False
            size = 8
        else:
            self.waiting.set()
            assert self.go_on.wait(60), "the test never let the upload finish"
            size = len(buffer)
        chunk = self.body.read(min(size, len(buffer)))
        buffer[:len(chunk)] = chunk
        return len(chunk)


@pytest.mark.own_db
def test_a_trickled_upload_does_not_stall_other_writes(demo_app):
    app, tokens, venture_id = demo_app.app, demo_app.tokens, demo_app.venture_id
    body = TricklingBody(json.dumps({"date": "2026-11-02", "amount": "120.00",
                                     "reference": "INV-SLOW"}).encode())
    environ = EnvironBuilder(
        path=f"/api/v1/ventures/{venture_id}/revenue", method="POST",
        headers={"Authorization": f"Bearer {tokens['finance@forge.example']}"},
        content_type="application/json", content_length=len(body.body.getvalue()),
    ).get_environ()
    environ["wsgi.input"] = body
    statuses = []

    def run_slow():
        b"".join(app(environ, lambda status, headers: statuses.append(int(status[:3]))))

    slow = threading.Thread(target=run_slow)
    slow.start()
    assert body.waiting.wait(30), "the slow request never started reading its body"

    # while the upload is still arriving, someone else writes
    other = app.test_client().post(
        f"/api/v1/ventures/{venture_id}/milestones",
        headers={"Authorization": f"Bearer {tokens['lead@northwind.example']}"},
        json={"title": "Written during a slow upload", "stage": "rollout",
              "party": "customer", "due_date": "2027-03-01"})
    assert other.status_code == 201, other.get_data(as_text=True)
    assert slow.is_alive(), "the slow upload finished early: the test proves nothing"

    body.go_on.set()
    slow.join(60)
    assert statuses == [201]
