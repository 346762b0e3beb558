"""Time a revenue import and a whole-ledger export as the application runs them, and the
memory they take.

    .venv/bin/python bench/import_bench.py [--rows N] [--database-url URL] [--sync]

Builds a scratch database (SQLite file by default, or the PostgreSQL database URL, whose
schema is emptied first), seeds the demo data, and posts a CSV of ROWS entries (default
200,000) to /api/v1/ventures/{id}/revenue/import as finance@forge.example:

- by default (the file is above the synchronous limit) the API answers 202 with a job, and
  a real worker process (``flask worker``, one thread, a SqliteHuey queue in the scratch
  folder) records it; the script follows GET /api/v1/jobs/{id} and reads the worker's peak
  resident memory (VmHWM) from /proc. Then it asks for the venture's whole ledger as XLSX
  and as CSV (POST /api/v1/reports/revenue/export), each in a fresh worker, and times them
  the same way;
- with ``--sync`` the import runs in this process through the request (at most the
  synchronous limit makes sense there; kept to compare).
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def peak_mb(pid: int) -> int:
    """VmHWM (peak resident memory) of a process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


class Worker:
    """``flask worker`` in a process of its own, on the scratch queue."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--workers", "1"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.peak = 0

    def sample(self) -> None:
        try:
            self.peak = max(self.peak, peak_mb(self.process.pid))
        except OSError:
            pass

    def stop(self) -> None:
        self.sample()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def follow(client, headers: dict, url: str, worker: Worker) -> dict:
    """Poll the job until it has finished; its last state."""
    while True:
        worker.sample()
        state = client.get(url, headers=headers).get_json()
        if state["status"] in ("done", "failed"):
            return state
        if worker.process.poll() is not None:
            raise SystemExit("the worker stopped: " + worker.process.stderr.read().decode()[-2000:])
        time.sleep(0.25)


def seconds(state: dict) -> float:
    from datetime import datetime

    return (datetime.fromisoformat(state["finished_at"])
            - datetime.fromisoformat(state["started_at"])).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sync", action="store_true", help="import in this process")
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="cotrack-import-bench-")
    url = args.database_url or f"sqlite:///{scratch}/import.db"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench", COTRACK_INSTANCE=scratch,
               COTRACK_LEDGER_KEY="bench-ledger-key",
               HUEY_SQLITE_PATH=f"{scratch}/huey.db", COTRACK_BASE_URL="http://127.0.0.1",
               RATELIMIT_STORAGE_URI="memory://")
    env.pop("REDIS_URL", None)
    os.environ.update({k: v for k, v in env.items() if k != "REDIS_URL"})

    import flask_migrate
    from sqlalchemy import select, text

    import config
    from cotrack import create_app
    from cotrack.demo.seed import seed
    from cotrack.extensions import db
    from cotrack.models import User, Venture
    from cotrack.services import revenue_import
    from cotrack.services.api_tokens import create_token

    if args.sync:
        revenue_import.SYNC_ROWS = args.rows

    class Bench(config.Config):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(url)
        RATELIMIT_STORAGE_URI = "memory://"
        SECRET_KEY = "bench"
        REQUEST_TIME_LIMIT_SECONDS = 600

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
    del lines
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    print(f"database: {url.split(':')[0]}  rows: {args.rows:,}  file: {len(body) / 1e6:.1f} MB")
    started = time.perf_counter()
    response = client.post(f"/api/v1/ventures/{venture_id}/revenue/import", headers=headers,
                           data={"file": (io.BytesIO(body), "bench.csv")})
    answered = time.perf_counter() - started
    if args.sync:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"status: {response.status_code} {response.get_json()}")
        print(f"import in the request: {answered:.2f} s, {args.rows / answered:,.0f} rows/s; "
              f"peak memory of this process (client and server) {peak} MB")
        return
    if response.status_code != 202:
        raise SystemExit(f"expected a job: {response.status_code} {response.get_json()}")
    job_url = response.get_json()["job"]["url"]
    print(f"upload answered 202 in {answered:.2f} s (file kept, rows counted, job queued)")
    worker = Worker(env)
    try:
        state = follow(client, headers, job_url, worker)
    finally:
        worker.stop()
    wall = time.perf_counter() - started
    print(f"import job: {state['status']} {state.get('result') or state.get('error')}")
    print(f"  {seconds(state):.1f} s in the worker ({args.rows / seconds(state):,.0f} rows/s), "
          f"{wall:.1f} s from the upload to done; worker peak memory {worker.peak} MB")
    if args.skip_export:
        return
    for fmt in ("xlsx", "csv"):
        response = client.post("/api/v1/reports/revenue/export", headers=headers,
                                query_string={"venture_id": venture_id, "kind": "ledger",
                                              "format": fmt})
        worker = Worker(env)
        try:
            state = follow(client, headers, response.get_json()["job"]["url"], worker)
        finally:
            worker.stop()
        size = 0
        if state["status"] == "done":
            file = client.get(state["result"]["url"], headers=headers)
            size = len(file.data)
            file.close()
        print(f"export job ({fmt}): {state['status']}, {state['done']:,} rows in "
              f"{seconds(state):.1f} s, {size / 1e6:.1f} MB; worker peak memory "
              f"{worker.peak} MB")


if __name__ == "__main__":
    main()
