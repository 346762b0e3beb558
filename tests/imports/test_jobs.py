"""Large imports and whole-ledger exports as background jobs (run at once in tests: Huey's
immediate mode): 202 with the job, its progress and result for its requester only, all or
nothing, the export's file offered when done."""

import csv
import io
from datetime import timedelta

from sqlalchemy import func, select

from cotrack.db.timestamps import utcnow
from cotrack.extensions import db
from cotrack.models import Job, RevenueEntry
from cotrack.services import background, revenue_import
from tests.conftest import csrf_token, login, post_form


def _csv(rows: int, bad_line: int | None = None) -> bytes:
    lines = ["date,amount,reference,region,note"] + [
        f"2025-04-{1 + i % 28:02d},{10 + i}.00,INV-{i},North," for i in range(rows)]
    if bad_line:
        lines[bad_line - 1] = "2025-04-01,1.001,INV-BAD,North,"
    return "\n".join(lines).encode()


def _count(ns) -> int:
    return db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id))


def _post(client, ns, headers, body):
    return client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import", headers=headers,
                       data={"file": (io.BytesIO(body), "big.csv")})


def test_a_large_api_import_is_a_job_its_requester_follows(client, books, make_token,
                                                           monkeypatch):
    ns = books()
    monkeypatch.setattr(revenue_import, "SYNC_ROWS", 5)
    monkeypatch.setattr(revenue_import, "BATCH_ROWS", 4)
    reported = []
    real_report = background.report
    monkeypatch.setattr(background, "report",
                        lambda job_id, done: reported.append(done) or real_report(job_id, done))
    headers = make_token(ns.finance["customer"])
    small = _post(client, ns, headers, _csv(5))
    assert small.status_code == 201  # at the threshold: still answered at once
    response = _post(client, ns, headers, _csv(12).replace(b"INV-", b"BIG-"))
    assert response.status_code == 202, response.json
    job_url = response.json["job"]["url"]
    state = client.get(job_url, headers=headers).json
    assert (state["kind"], state["status"], state["done"], state["total"]) == (
        "import", "done", 12, 12)
    assert state["result"] == {"created": 12}
    assert reported == [4, 8, 12, 12]  # after each batch of 4 rows, and at the end
    assert _count(ns) == 17
    other = make_token(ns.finance["reseller"])  # same venture, not the requester
    assert client.get(job_url, headers=other).status_code == 404


def test_a_large_import_with_a_bad_row_fails_whole_naming_the_line(client, books, make_token,
                                                                  monkeypatch):
    ns = books()
    monkeypatch.setattr(revenue_import, "SYNC_ROWS", 5)
    monkeypatch.setattr(revenue_import, "BATCH_ROWS", 3)
    headers = make_token(ns.finance["customer"])
    response = _post(client, ns, headers, _csv(20, bad_line=18))
    state = client.get(response.json["job"]["url"], headers=headers).json
    assert state["status"] == "failed"
    assert [(r["line"], r["field"]) for r in state["rows"]] == [(18, "amount")]
    assert _count(ns) == 0  # five batches were written before line 18: all rolled back


def test_a_large_import_confirmed_in_the_browser_shows_its_job_page(client, books,
                                                                   monkeypatch):
    ns = books()
    monkeypatch.setattr(revenue_import, "SYNC_ROWS", 5)
    login(client, ns.finance["customer"].email)
    path = f"/ventures/{ns.venture.id}/revenue/import"
    preview = client.post(path, data={"csrf_token": csrf_token(client, path),
                                      "file": (io.BytesIO(_csv(9)), "big.csv")})
    page = client.get(preview.headers["Location"]).get_data(as_text=True)
    assert "Record 9 entries" in page
    response = post_form(client, preview.headers["Location"], {
        "encoding": "utf-8", "delimiter": ",", "number_format": "1,234.50",
        "date_format": "YYYY-MM-DD", "allow_duplicates": ""})
    assert response.status_code == 303 and "/jobs/" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Imported 9 entries." in page and 'data-status="done"' in page
    assert client.get(preview.headers["Location"]).status_code == 404  # no second job
    assert _count(ns) == 9
    progress = client.get(response.headers["Location"] + "/progress").json
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 9, 9)
    other = client.application.test_client()
    login(other, ns.finance["reseller"].email)
    assert other.get(response.headers["Location"]).status_code == 404
    assert other.get(response.headers["Location"] + "/progress").status_code == 404


def test_progress_while_running_comes_from_the_queue_with_time_left(app, books):
    ns = books()
    job = Job(kind="import", user_id=ns.finance["customer"].id, venture_id=ns.venture.id,
              total=1000, status="running", started_at=utcnow() - timedelta(seconds=10))
    db.session.add(job)
    db.session.commit()
    with app.app_context():
        background.report(job.id, 250)  # what the worker's batches write, outside the row
        state = background.status(job)
    assert (state["status"], state["done"], state["total"]) == ("running", 250, 1000)
    assert 28 <= state["seconds_left"] <= 32  # 250 rows in 10 s: 750 more take about 30 s


def _rows_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode())))


def test_a_whole_ledger_export_is_a_job_offering_its_file(client, books, make_token,
                                                         monkeypatch):
    ns = books()
    monkeypatch.setattr(background, "EXPORT_SYNC_ROWS", 3)
    headers = make_token(ns.finance["customer"])
    assert _post(client, ns, headers, _csv(5)).status_code == 201
    login(client, ns.finance["customer"].email)
    query = {"venture_id": ns.venture.id, "kind": "ledger", "format": "csv"}
    offer = client.get("/reports/export", query_string=query)
    assert offer.status_code == 200 and "Export 5 ledger rows" in offer.get_data(as_text=True)
    response = client.post("/reports/export-job", data={
        **query, "csrf_token": csrf_token(client, f"/ventures/{ns.venture.id}/revenue")})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Download cotrack-ledger" in page
    file = client.get(response.headers["Location"] + "/file")
    assert file.status_code == 200
    rows = _rows_csv(file.data)
    file.close()
    assert len(rows) == 6 and rows[0][0] == "date"
    other = client.application.test_client()
    login(other, ns.finance["reseller"].email)
    assert other.get(response.headers["Location"] + "/file").status_code == 404


def test_an_export_job_over_the_api(client, books, make_token):
    ns = books()
    headers = make_token(ns.finance["customer"])
    assert _post(client, ns, headers, _csv(4)).status_code == 201
    response = client.post("/api/v1/reports/revenue/export", headers=headers, query_string={
        "venture_id": ns.venture.id, "kind": "ledger", "format": "xlsx"})
    assert response.status_code == 202
    state = client.get(response.json["job"]["url"], headers=headers).json
    assert (state["status"], state["done"]) == ("done", 4)
    from openpyxl import load_workbook

    file = client.get(state["result"]["url"], headers=headers)
    data = file.data
    file.close()
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet.max_row >= 5
    outsider = make_token(ns.member)
    assert client.get(state["result"]["url"], headers=outsider).status_code == 404
