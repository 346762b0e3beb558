"""Serve CoTrack under gunicorn (2 workers) on a benchmark database and measure it.

    .venv/bin/python bench/run.py --database-url postgresql+psycopg://postgres@127.0.0.1/cotrack_bench

Signs in as lead1@org1.bench (the lead of the busiest organisation) and loads each page
with wrk for --duration seconds, each right after --duration seconds of /healthz of the
same app, its reference: first with pages kept for the database state ("served":
cotrack/web/page_store.py, the same page asked for again while nothing was committed is
served as kept), then on a server keeping none ("fresh": every page rendered afresh); the
fresh table is printed first. Then exports
the whole ledger as CSV through the app (as admin@bench) and compares its rows/s with
psql's \\copy of the same query, and reports the workers' peak memory.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"  # noqa: S105
#: sign-in and wrk send the same browser name, as one browser does: the sign-in session is
#: bound to it (Flask-Login's session protection marks a session from another one not fresh)
USER_AGENT = "cotrack-bench"


def start_server(url: str, port: int, keep_pages: bool = False) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-secret",
           "PAGE_STORE_SECONDS": "60" if keep_pages else "0",
           "RATELIMIT_STORAGE_URI": "memory://", "COTRACK_CONFIG": "default",
           "COTRACK_LEDGER_KEY": os.environ.get("COTRACK_LEDGER_KEY", "bench-ledger-key")}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)  # noqa: S310
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def sign_in(base: str, email: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "email": email,
                                   "password": PASSWORD}).encode()
    opener.open(base + "/auth/login", data=data)
    cookie = next(c for c in jar if c.name == "session")
    return f"session={cookie.value}"


def wrk(url: str, cookie: str, duration: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-H",
         f"Cookie: {cookie}", "-H", f"User-Agent: {USER_AGENT}", url],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)\b", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"),
            "errors": int(errors.group(1)) if errors else 0}


def pages(url: str) -> dict:
    """The busy lead's pages: a venture of Busy Org (every tenth venture has it)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        venture = conn.execute(text(
            "SELECT venture_id FROM venture_party WHERE organisation_id = 1 "
            "ORDER BY venture_id LIMIT 1")).scalar_one()
    engine.dispose()
    return {
        "/healthz": "/healthz",
        "home": "/",
        "venture list": "/ventures/",
        "venture page": f"/ventures/{venture}",
        "milestone timeline": f"/ventures/{venture}/timeline",
        "issue list": f"/ventures/{venture}/issues",
        "report summary": "/reports?period=quarter&from=2026-01-01&to=2026-12-31",
    }


def measure(base: str, cookie: str, paths: dict, args) -> dict:
    """Each page right after a run of /healthz: on a shared machine whose load drifts over
    the minutes a run takes, a page is compared with the reference measured next to it
    (``reference``). The /healthz row is the mean of those runs."""
    results, references = {}, []
    for name, path in paths.items():
        if path == "/healthz":
            continue
        wrk(base + "/healthz", cookie, 2, args.connections)  # warm up
        reference = wrk(base + "/healthz", cookie, args.duration, args.connections)
        references.append(reference)
        wrk(base + path, cookie, 2, args.connections)
        results[name] = {**wrk(base + path, cookie, args.duration, args.connections),
                         "reference": reference["rps"]}
    mean = {key: sum(r[key] for r in references) / len(references)
            for key in ("rps", "p50", "p99")}
    return {"/healthz": {**mean, "errors": sum(r["errors"] for r in references),
                         "reference": mean["rps"]}, **results}


def print_table(title: str, results: dict) -> None:
    print(f"\n{title}\n{'page':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'/healthz':>10}{'ratio':>8}{'errors':>8}")
    for name, r in results.items():
        print(f"{name:<20}{r['rps']:>9.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
              f"{r['reference']:>10.0f}{r['rps'] / r['reference']:>8.2f}{r['errors']:>8}")


def peak_memory_mb(server: subprocess.Popen) -> float:
    """Peak resident memory (VmHWM) of the busiest gunicorn worker, in MB."""
    children = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                              text=True).stdout.split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks)


def export_benchmark(url: str, base: str, server) -> dict:
    from sqlalchemy.dialects import postgresql

    os.environ["DATABASE_URL"] = url
    cookie = sign_in(base, "admin@bench")
    started = time.perf_counter()
    download = subprocess.run(
        f"curl -sf -H 'Cookie: {cookie}' '{base}/reports/export?kind=ledger&format=csv' | wc -l",
        shell=True, capture_output=True, text=True, check=True)  # noqa: S602
    app_seconds = time.perf_counter() - started
    rows = int(download.stdout) - 1  # less the header line
    memory = peak_memory_mb(server)

    import config
    from cotrack import create_app
    from cotrack.extensions import db
    from cotrack.models import User
    from cotrack.reports.filters import ReportFilter
    from cotrack.reports.queries import ledger

    class Bench(config.Config):
        SQLALCHEMY_DATABASE_URI = url
        SECRET_KEY = "bench"
        RATELIMIT_STORAGE_URI = "memory://"

    app = create_app(Bench)
    with app.test_request_context():
        admin = db.session.scalar(db.select(User).where(User.email == "admin@bench"))
        sql = str(ledger(admin, ReportFilter()).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
        db.engine.dispose()
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    sql = " ".join(sql.split())
    started = time.perf_counter()
    subprocess.run(["psql", dsn, "-q", "-c", f"\\copy ({sql}) TO '/dev/null' WITH CSV HEADER"],
                   check=True)
    copy_seconds = time.perf_counter() - started
    return {"rows": rows, "app_rps": rows / app_seconds, "copy_rps": rows / copy_seconds,
            "app_s": app_seconds, "copy_s": copy_seconds, "memory_mb": memory}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 5099)))
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    base = f"http://127.0.0.1:{args.port}"
    paths = pages(args.database_url)
    server = start_server(args.database_url, args.port, keep_pages=True)
    try:
        served = measure(base, sign_in(base, "lead1@org1.bench"), paths, args)
    finally:
        stop(server)
    server = start_server(args.database_url, args.port)
    try:
        fresh = measure(base, sign_in(base, "lead1@org1.bench"), paths, args)
        print_table("Fresh: pages rendered afresh on every request (no page kept); "
                    "/healthz: req/s of /healthz measured just before the page (its row: "
                    "the mean), ratio: the page's req/s over it:", fresh)
        print_table("Served: the same pages asked for again while nothing was committed "
                    "(kept for the database state, cotrack/web/page_store.py):", served)
        if not args.skip_export and args.database_url.startswith("postgresql"):
            e = export_benchmark(args.database_url, base, server)
            if e["rows"] < 1000:  # a page offering a background job, not the file
                print("\nledger CSV export: answered with a page (a ledger this large is "
                      "exported as a background job now); not measured here")
                return
            print(f"\nledger CSV export: {e['rows']:,} rows in {e['app_s']:.1f} s "
                  f"= {e['app_rps']:,.0f} rows/s; psql \\copy of the same query "
                  f"{e['copy_s']:.1f} s = {e['copy_rps']:,.0f} rows/s; "
                  f"ratio {e['app_rps'] / e['copy_rps']:.2f}; "
                  f"worker peak memory {e['memory_mb']:.0f} MB")
    finally:
        stop(server)


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, 15)
    server.wait(timeout=20)


if __name__ == "__main__":
    main()
