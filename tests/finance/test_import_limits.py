"""The import's limits are true: a file over the row limit is refused with the limit named,
and a request that runs out of time answers 503 JSON with Retry-After, recording nothing."""

import io

from sqlalchemy import func, select

from cotrack.extensions import db
from cotrack.models import RevenueEntry
from cotrack.services import revenue_import


def _csv(rows: int, prefix: str = "INV") -> bytes:
    lines = ["date,amount,reference,region,note"] + [
        f"2025-04-{1 + i % 28:02d},{10 + i}.00,{prefix}-{i},North," for i in range(rows)]
    return "\n".join(lines).encode()


def _import(client, ns, headers, body):
    return client.post(f"/api/v1/ventures/{ns.venture.id}/revenue/import", headers=headers,
                       data={"file": (io.BytesIO(body), "rows.csv")})


def _entries(ns) -> int:
    return db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == ns.venture.id))


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(client, books, make_token,
                                                               monkeypatch):
    ns = books()
    monkeypatch.setattr(revenue_import, "MAX_ROWS", 5)
    headers = make_token(ns.finance["customer"])
    assert _import(client, ns, headers, _csv(5)).status_code == 201
    refused = _import(client, ns, headers, _csv(6, "NEW"))
    assert refused.status_code == 422
    assert "At most 5 rows" in refused.json["error"]["message"]
    assert _entries(ns) == 5


def test_rows_are_written_in_batches_and_all_or_nothing(client, books, make_token, monkeypatch):
    ns = books()
    monkeypatch.setattr(revenue_import, "BATCH_ROWS", 3)
    headers = make_token(ns.finance["customer"])
    assert _import(client, ns, headers, _csv(10)).status_code == 201
    assert _entries(ns) == 10
    # line 11 (the 10th row) is bad: three batches of this file were written before it
    refused = _import(client, ns, headers, _csv(10, "NEW").replace(b"2025-04-10,19.00",
                                                            b"2025-04-10,x"))
    assert refused.status_code == 422
    assert [r["line"] for r in refused.json["error"]["rows"]] == [11]
    assert _entries(ns) == 10  # the batches written before the bad line are gone too


def test_an_import_out_of_time_answers_503_json_and_records_nothing(app, client, books,
                                                                   make_token, monkeypatch):
    ns = books()
    monkeypatch.setitem(app.config, "REQUEST_TIME_LIMIT_SECONDS", -1)
    response = _import(client, ns, make_token(ns.finance["customer"]), _csv(3))
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert response.is_json and "took too long" in response.json["error"]["message"]
    assert _entries(ns) == 0
