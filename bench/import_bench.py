"""Time a 50,000-row CSV revenue import through the real endpoint.

    .venv/bin/python bench/import_bench.py [--rows 50000] [--database-url URL]

Builds a scratch database (SQLite file by default), seeds the demo data, and posts a CSV
of ROWS entries to /api/v1/ventures/{id}/revenue/import as finance@forge.example.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{scratch}/import.db"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench")

    import flask_migrate
    from sqlalchemy import select, text

    import config
    from cotrack import create_app
    from cotrack.demo import seed
    from cotrack.extensions import db
    from cotrack.models import User, Venture
    from cotrack.services.api_tokens import create_token

    class Bench(config.Config):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(url)
        RATELIMIT_STORAGE_URI = "memory://"
        SECRET_KEY = "bench"

    app = create_app(Bench)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        flask_migrate.upgrade()
        seed()
        user = db.session.scalar(select(User).where(User.email == "finance@forge.example"))
        venture = db.session.scalar(select(Venture).where(Venture.name == "Mobile storage array"))
        _, token = create_token(user, "bench")
        db.session.commit()
        venture_id = venture.id
    lines = ["date,amount,reference,region,note"] + [
        f"2026-11-{1 + i % 20:02d},{1000 + i % 997}.{i % 100:02d},INV-B{i},Region {i % 7},"
        for i in range(args.rows)]
    body = "\n".join(lines).encode()
    client = app.test_client()
    started = time.perf_counter()
    response = client.post(f"/api/v1/ventures/{venture_id}/revenue/import",
                           headers={"Authorization": f"Bearer {token}"},
                           data={"file": (io.BytesIO(body), "bench.csv")})
    elapsed = time.perf_counter() - started
    print(f"database: {url.split(':')[0]}")
    print(f"status: {response.status_code} {response.get_json()}")
    print(f"rows: {args.rows}  seconds: {elapsed:.2f}  rows/s: {args.rows / elapsed:,.0f}")


if __name__ == "__main__":
    main()
