"""Money-writing POSTs: the answer is built before the commit, and an Idempotency-Key makes a
retry answer the first answer again instead of recording the money twice (API.md)."""

import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import IdempotencyKey, RevenueEntry


def _count(ns) -> int:
    return db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id))


def _post(client, ns, token, key=None, **body):
    headers = {**token, **({"Idempotency-Key": key} if key is not None else {})}
    return client.post(f"/api/v1/ventures/{ns.venture.id}/revenue", headers=headers, json={
        "date": "2025-03-31", "amount": "1000.00", "reference": "INV-7", **body})


def test_a_retry_with_the_same_key_answers_again_without_recording_twice(
        client, books, make_token):
    ns = books()
    token = make_token(ns.finance["customer"])
    first = _post(client, ns, token, key="erp-4711")
    again = _post(client, ns, token, key="erp-4711")
    assert first.status_code == again.status_code == 201
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _count(ns) == 1


def test_the_same_key_with_another_body_is_refused(client, books, make_token):
    ns = books()
    token = make_token(ns.finance["customer"])
    assert _post(client, ns, token, key="k1").status_code == 201
    other = _post(client, ns, token, key="k1", amount="999.00")
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json["error"]["fields"]
    assert _count(ns) == 1


def test_keys_are_per_user_and_without_a_key_each_post_records(client, books, make_token):
    ns = books()
    customer, reseller = make_token(ns.finance["customer"]), make_token(ns.finance["reseller"])
    assert _post(client, ns, customer, key="shared").status_code == 201
    dup = {"allow_duplicate_reference": True}  # the same invoice on purpose
    assert _post(client, ns, reseller, key="shared", **dup).status_code == 201
    assert _post(client, ns, customer, **dup).status_code == 201
    assert _post(client, ns, customer, **dup).status_code == 201
    assert _count(ns) == 4


def test_a_refused_request_keeps_no_key(client, books, make_token):
    ns = books()
    token = make_token(ns.finance["customer"])
    assert _post(client, ns, token, key="fix-me", amount="12.345").status_code == 422
    assert _post(client, ns, token, key="fix-me", amount="12.34").status_code == 201
    assert _count(ns) == 1


def test_a_key_older_than_a_day_is_forgotten(client, books, make_token):
    ns = books()
    token = make_token(ns.finance["customer"])
    assert _post(client, ns, token, key="old").status_code == 201
    db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    again = _post(client, ns, token, key="old", allow_duplicate_reference=True)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert _count(ns) == 2


@pytest.mark.parametrize("key", ["", "x" * 201, "naïve", "tab\there"])
def test_a_malformed_key_is_refused(client, books, make_token, key):
    ns = books()
    response = client.post(f"/api/v1/ventures/{ns.venture.id}/revenue", json={
        "date": "2025-03-31", "amount": "1000.00", "reference": "INV-7"},
        headers={**make_token(ns.finance["customer"]), "Idempotency-Key": key})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json["error"]["fields"]
    assert _count(ns) == 0


def test_reverse_and_import_are_idempotent_too(client, books, make_token):
    ns = books()
    token = make_token(ns.finance["customer"])
    entry = _post(client, ns, token).json
    url = f"/api/v1/revenue/{entry['id']}/reverse"
    first = client.post(url, headers={**token, "Idempotency-Key": "rev-1"}, json={"note": "dup"})
    again = client.post(url, headers={**token, "Idempotency-Key": "rev-1"}, json={"note": "dup"})
    assert first.status_code == again.status_code == 201 and again.json == first.json

    csv = b"date,amount,reference,region,note\n2025-04-01,10.00,INV-A,North,\n"
    imports = [client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import",
                           headers={**token, "Idempotency-Key": "import-1"},
                           data={"file": (io.BytesIO(csv), "april.csv")}) for _ in range(2)]
    assert [r.status_code for r in imports] == [201, 201]
    assert imports[0].json == imports[1].json == {"created": 1}
    assert _count(ns) == 3  # entry, its reversal, one imported row


def test_an_upload_with_a_part_the_parser_cannot_name_is_an_answer_not_a_crash(
        client, books, make_token):
    """A part with no name, or a line break in its name, is parsed with the name None; the
    key's fingerprint once sorted None against names and answered 500 (schemathesis)."""
    ns = books()
    token = make_token(ns.finance["customer"])
    csv = b"date,amount,reference,region,note\n2025-04-01,10.00,INV-A,North,\n"
    boundary = "b0und"
    body = (f"--{boundary}\r\nContent-Disposition: form-data\r\n\r\nnameless\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"delimiter\"\r\n\r\n,\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + csv + f"\r\n--{boundary}--\r\n".encode()
    answers = [client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}",
                           headers={**token, "Idempotency-Key": "import-nameless"})
               for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1].headers["Idempotent-Replayed"] == "true"
    assert _count(ns) == 1


def test_the_answer_is_built_before_the_commit(client, books, make_token, monkeypatch):
    """Nothing is read from the database after the money is committed: a connection lost at
    that moment cannot turn a recorded entry into an error that invites a second posting."""
    ns = books()
    token = make_token(ns.finance["customer"])
    after_commit = []
    committed = {"yes": False}
    real_commit = db.session.commit

    def commit():
        real_commit()
        committed["yes"] = True

    def watch(conn, cursor, statement, *args):
        if committed["yes"]:
            after_commit.append(statement)

    monkeypatch.setattr(db.session, "commit", commit)
    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", watch)
    try:
        response = _post(client, ns, token)
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert response.status_code == 201 and response.json["allocations"]
    assert committed["yes"]
    assert [s for s in after_commit if s.lstrip().upper().startswith("SELECT")] == []


@pytest.mark.own_db
def test_the_same_key_sent_twice_at_once_records_once(demo_app, monkeypatch):
    """The second request arrives while the first is still writing: on PostgreSQL it waits
    at the key's unique index, on SQLite for the write lock; then it answers the first's
    answer, and the money is recorded once."""
    from cotrack.services import ledger

    app, venture_id = demo_app.app, demo_app.venture_id
    headers = {"Authorization": f"Bearer {demo_app.tokens['finance@forge.example']}",
               "Idempotency-Key": "twice-at-once"}
    body = {"date": "2026-11-03", "amount": "77.00", "reference": "INV-TWICE"}
    url = f"/api/v1/ventures/{venture_id}/revenue"
    answers = []
    real_record = ledger.record_entry

    def send():
        answers.append(app.test_client().post(url, headers=headers, json=body))

    def record_while_the_retry_arrives(*args, **kwargs):
        if not answers and not getattr(record_while_the_retry_arrives, "sent", False):
            record_while_the_retry_arrives.sent = True
            retry = threading.Thread(target=send)
            retry.start()
            retry.join(3)  # it waits for this request; it cannot finish first
        return real_record(*args, **kwargs)

    monkeypatch.setattr(ledger, "record_entry", record_while_the_retry_arrives)
    send()
    for _ in range(100):
        if len(answers) == 2:
            break
        threading.Event().wait(0.1)
    assert [a.status_code for a in answers] == [201, 201], [a.json for a in answers]
    assert answers[0].json == answers[1].json
    with app.app_context():
        assert db.session.scalar(select(func.count(RevenueEntry.id)).where(
            RevenueEntry.reference == "INV-TWICE")) == 1
