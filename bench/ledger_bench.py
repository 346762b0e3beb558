"""The ledger search and the report page on a venture of 100,000 entries.

    .venv/bin/python bench/generate.py --database-url URL --scale 0.05 --big-venture 100000
    .venv/bin/python bench/ledger_bench.py --database-url URL [--repeat 7] [--explain]

Signs in (through the Flask test client, in this process: no HTTP server, no network) as
a finance user of venture 10, the one ``--big-venture`` filled, creates an API token for
them, and times each filtered ledger view: the venture's ledger page, the API's
``GET /ventures/10/revenue`` and the report's ledger rows, each with every kind of filter;
then the report page for that venture (its chain check). Prints the median and the
slowest of ``--repeat`` runs after one warm-up. ``--explain`` prints PostgreSQL's EXPLAIN
ANALYZE of the page query and the count query behind each API filter.

It writes a sign-in session and an API token: point it at a database of its own (not at
the shared cotrack_bench).
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"  # noqa: S105
VENTURE = 10

#: (name, query string) of the searches timed on each view
SEARCHES = [
    ("everything, newest first", {}),
    ("reference contains", {"q": "-4711"}),
    ("reference prefix", {"q": "INV-10-4711", "match": "prefix"}),
    ("one month", {"from": "2025-03-01", "to": "2025-03-31"}),
    ("region", {"region": "DACH"}),
    ("amount range", {"min": "1000.00", "max": "1100.00"}),
    ("not reversed", {"reversed": "false"}),
    ("reversed only", {"reversed": "true"}),
    ("sorted by amount, largest first", {"sort": "-amount"}),
    ("region + month + amount, by reference", {
        "region": "Nordics", "from": "2025-01-01", "to": "2025-06-30", "min": "100",
        "sort": "reference"}),
]


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    import config
    from cotrack import create_app

    class Bench(config.Config):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(url)
        SECRET_KEY = "bench"
        LEDGER_KEY = os.environ.get("COTRACK_LEDGER_KEY", "bench-ledger-key")
        RATELIMIT_STORAGE_URI = "memory://"

    return create_app(Bench)


def finance_user(app) -> tuple[str, str]:
    """(email, API token) of a finance user of the big venture."""
    from sqlalchemy import select

    from cotrack.extensions import db
    from cotrack.models import User, VentureParty
    from cotrack.services.api_tokens import create_token

    with app.app_context():
        user = db.session.scalar(select(User).join(
            VentureParty, VentureParty.organisation_id == User.organisation_id).where(
            VentureParty.venture_id == VENTURE, User.role == "finance").limit(1))
        _, raw = create_token(user, "ledger bench")
        db.session.commit()
        return user.email, raw


def sign_in(client, email: str) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"csrf_token": token, "password": PASSWORD,
                                                "email": email})
    assert response.status_code == 302, response.status_code


def timed(client, path: str, params: dict, repeat: int, headers=None) -> tuple[float, float]:
    response = client.get(path, query_string=params, headers=headers)  # warm-up
    assert response.status_code == 200, (path, params, response.status_code)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path, query_string=params, headers=headers)
        response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times), max(times)


def explain(app, params: dict) -> None:
    from sqlalchemy import func, select, text
    from sqlalchemy.dialects import postgresql
    from werkzeug.datastructures import MultiDict

    from cotrack.extensions import db
    from cotrack.reports.filters import parse_filter
    from cotrack.reports.queries import entries

    with app.app_context():
        f = parse_filter(MultiDict(params))
        f.venture_id = VENTURE
        query = entries(f)
        count = select(func.count()).select_from(query.order_by(None).subquery())
        for label, statement in (("page", query.limit(50)), ("count", count)):
            sql = str(statement.compile(dialect=postgresql.dialect(),
                                        compile_kwargs={"literal_binds": True}))
            plan = db.session.execute(text("EXPLAIN (ANALYZE, BUFFERS OFF) " + sql)).scalars()
            print(f"    -- {label}")
            for line in plan:
                print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--only", choices=["search", "report"], default=None)
    args = parser.parse_args()
    app = make_app(args.database_url)
    email, token = finance_user(app)
    client = app.test_client()
    sign_in(client, email)
    api = {"Authorization": f"Bearer {token}"}
    postgres = args.database_url.startswith("postgresql")
    with app.app_context():
        from sqlalchemy import func, select

        from cotrack.extensions import db
        from cotrack.models import RevenueEntry
        size = db.session.scalar(select(func.count(RevenueEntry.id)).where(
            RevenueEntry.venture_id == VENTURE))
    print(f"venture {VENTURE}: {size:,} entries; median and slowest of {args.repeat} runs (ms)")
    if args.only in (None, "search"):
        views = [("page", f"/ventures/{VENTURE}/revenue", None, {}),
                 ("API", f"/api/v1/ventures/{VENTURE}/revenue", api, {}),
                 ("report rows", "/reports/ledger", None, {"venture_id": VENTURE})]
        print(f"{'search':<40} " + " ".join(f"{v[0]:>18}" for v in views))
        for name, params in SEARCHES:
            cells = []
            for _, path, headers, extra in views:
                median, worst = timed(client, path, {**extra, **params}, args.repeat, headers)
                cells.append(f"{median:8.1f} / {worst:7.1f}")
            print(f"{name:<40} " + " ".join(f"{c:>18}" for c in cells), flush=True)
            if args.explain and postgres:
                explain(app, params)
    if args.only in (None, "report"):
        for name, params in (("report page, venture filter", {"venture_id": VENTURE}),
                             ("report page, venture + 2025", {
                                 "venture_id": VENTURE, "from": "2025-01-01",
                                 "to": "2025-12-31", "period": "quarter"})):
            median, worst = timed(client, "/reports", params, args.repeat)
            print(f"{name:<40} {median:8.1f} / {worst:7.1f}", flush=True)


if __name__ == "__main__":
    main()
