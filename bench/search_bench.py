"""Search at scale: GET /api/v1/search through the app (Flask's test client, in process)
for rare, medium and common words, as people who see 150, 1,000 and all 10,000 ventures.

    .venv/bin/python bench/search_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1/cotrack_bench
    .venv/bin/python bench/search_bench.py --database-url sqlite:////tmp/cotrack_bench.db

The database comes from bench/generate.py. Each query runs ``--repeat`` times after one
warm-up; printed: matches the person may see (the page's ``total``; "more than 10,000"
where the search counts no further, ``total_exact`` false), and the median and
95th percentile of the whole request in milliseconds (sign-in by token, the count, the
first page of 20 ranked results, their ventures, JSON). The tokens it makes are revoked
at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: who searches: (label, email)
PEOPLE = [
    ("lead, about 150 ventures", "lead1@org7.bench"),
    ("busy lead, 1,000 ventures", "lead1@org1.bench"),
    ("member, 1,000 ventures (no ledger)", "member1@org1.bench"),
    ("admin, all 10,000 ventures", "admin@bench"),
]
#: what they search for, and how common it is in the generated data
QUERIES = [
    ("INV-4240-7", "one ledger reference"),
    ("venture 4240", "two words, one venture's name"),
    ("firmware", "a comment word (~8 % of 100,000 comments)"),
    ("firmware cooling", "two comment words"),
    ("fi", "a two-letter prefix"),
    ("milestone", "every milestone (100,000)"),
    ("venture", "nearly every row of every kind (220,000+)"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SECRET_KEY", "bench")

    from sqlalchemy import delete, select

    import config
    from cotrack import create_app
    from cotrack.extensions import db
    from cotrack.models import ApiToken, User
    from cotrack.services.api_tokens import create_token

    class Bench(config.Config):
        SQLALCHEMY_DATABASE_URI = args.database_url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(args.database_url)
        SECRET_KEY = "bench"
        RATELIMIT_ENABLED = False
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(Bench)
    with app.app_context():
        headers = {}
        for label, email in PEOPLE:
            user = db.session.scalar(select(User).where(User.email == email))
            headers[label] = {"Authorization": f"Bearer {create_token(user, 'search bench')[1]}"}
        db.session.commit()
    client = app.test_client()
    print(f"{args.database_url.split(':')[0]}: median and p95 of {args.repeat} requests; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| who | query | matches | median ms | p95 ms |\n|---|---|---:|---:|---:|")

    def measure(label, path, query):
        times, total = [], None
        for i in range(args.repeat + 1):
            started = time.perf_counter()
            response = client.get(path, query_string=query, headers=headers[label])
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
            total = response.json.get("total", 1)
            if response.json.get("total_exact") is False:  # counted up to the cap
                total = f"more than {total:,}"
            if i:  # the first is a warm-up
                times.append(elapsed)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        return total, statistics.median(times), p95

    try:
        total, median, p95 = measure(PEOPLE[0][0], "/api/v1/me", {})
        print(f"| (baseline: GET /api/v1/me) | | | {median:.1f} | {p95:.1f} |")
        for label, _ in PEOPLE:
            for q, _what in QUERIES:
                total, median, p95 = measure(label, "/api/v1/search", {"q": q})
                shown = total if isinstance(total, str) else f"{total:,}"
                print(f"| {label} | `{q}` | {shown} | {median:.1f} | {p95:.1f} |",
                      flush=True)
    finally:
        with app.app_context():
            db.session.execute(delete(ApiToken).where(ApiToken.name == "search bench"))
            db.session.commit()
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}\nqueries:")
    for q, what in QUERIES:
        print(f"  {q!r}: {what}")


if __name__ == "__main__":
    main()
