"""Profile each benchmarked page with pyinstrument.

    .venv/bin/python bench/profile_pages.py --database-url URL [--repeat 30] [--cpu|--calls]

Signs in as lead1@org1.bench (as bench/run.py does) through the Flask test client and
renders each page --repeat times under the profiler; prints, per page, the mean time,
the SQL statements run, and the functions that cost most (own time and cumulative), so
bench/README.md can say where a page's time goes and what changed it.
"""

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password-1"  # noqa: S105


def make_app(url: str):
    os.environ["DATABASE_URL"] = url
    import config
    from cotrack import create_app

    class Profiled(config.Config):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(url)
        SECRET_KEY = "bench"
        RATELIMIT_STORAGE_URI = "memory://"
        PAGE_STORE_SECONDS = 0  # every page rendered, as `make bench`'s fresh table

    return create_app(Profiled)


def sign_in(client) -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"csrf_token": token, "password": PASSWORD,
                                                "email": "lead1@org1.bench"})
    assert response.status_code == 302, response.status_code


#: psycopg keeps the parse of a statement's text only up to this many characters: a longer
#: one costs about 0.3 ms of CPU to parse again on every execution
PARSE_KEPT = 4096


def statements(app, client, path: str) -> list[tuple[float, int, str]]:
    """(milliseconds, characters, start of the SQL) of each statement one load of ``path``
    runs."""
    from sqlalchemy import event

    from cotrack.extensions import db

    with app.app_context():
        engine = db.engine
    seen, started = [], {}

    def before(conn, cursor, statement, *args):
        started[id(cursor)] = time.perf_counter()

    def after(conn, cursor, statement, *args):
        ms = (time.perf_counter() - started.pop(id(cursor), time.perf_counter())) * 1000
        seen.append((ms, len(statement), " ".join(statement.split())[:100]))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return seen


def top_functions(session, count: int) -> tuple[list, list]:
    """(own time, cumulative time) of the project's and the libraries' functions."""
    own, total = Counter(), Counter()

    def walk(frame, stack):
        key = f"{frame.function}  {frame.file_path_short}:{frame.line_no}"
        own[key] += frame.time - sum(child.time for child in frame.children)
        if key not in stack:
            total[key] += frame.time
        for child in frame.children:
            walk(child, stack | {key})

    walk(session.root_frame(), frozenset())
    return own.most_common(count), total.most_common(count * 3)


def cpu_times(client, paths: dict, args) -> None:
    """CPU milliseconds a request of each page costs this process (Flask, SQLAlchemy, Jinja;
    not the database's), the least of 7 rounds: on a shared machine, the figure least
    disturbed by other processes."""
    found = {}
    for name, path in paths.items():
        if args.page and name not in args.page and name != "/healthz":
            continue
        for _ in range(3):
            client.get(path)
        best = float("inf")
        for _ in range(7):
            started = time.process_time()
            for _ in range(args.repeat):
                client.get(path)
            best = min(best, (time.process_time() - started) / args.repeat * 1000)
        found[name] = best
        print(f"{name:<20} {best:6.1f} ms CPU  {found['/healthz'] / best:5.2f} of /healthz",
              flush=True)


def call_counts(client, paths: dict, args) -> None:
    """Python function calls a request of each page makes (cProfile's count, the mean of
    --repeat requests): not a time, but the same on a busy machine as on a quiet one, so two
    commits can be compared at any hour (this VM's speed varies twofold over a day)."""
    import cProfile
    import pstats

    for name, path in paths.items():
        if args.page and name not in args.page:
            continue
        for _ in range(3):
            client.get(path)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.repeat):
            client.get(path)
        profile.disable()
        calls = pstats.Stats(profile).total_calls / args.repeat
        print(f"{name:<20} {calls:8,.0f} Python calls a request", flush=True)


def main() -> None:
    from pyinstrument import Profiler

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--page", action="append",
                        help="profile only this page (its name in bench/run.py; repeatable)")
    parser.add_argument("--cpu", action="store_true",
                        help="no profiler: each page's CPU time per request (the least of 7 "
                             "rounds of --repeat), /healthz's too, and their ratio")
    parser.add_argument("--calls", action="store_true",
                        help="no timing: each page's Python function calls per request "
                             "(cProfile), a figure the machine's load does not change")
    args = parser.parse_args()
    from bench.run import pages

    app = make_app(args.database_url)
    client = app.test_client()
    sign_in(client)
    if args.cpu:
        cpu_times(client, pages(args.database_url), args)
        return
    if args.calls:
        call_counts(client, pages(args.database_url), args)
        return
    for name, path in pages(args.database_url).items():
        if name == "/healthz" or (args.page and name not in args.page):
            continue
        client.get(path)  # warm up
        profiler = Profiler(interval=0.0005)
        started = time.perf_counter()
        profiler.start()
        for _ in range(args.repeat):
            response = client.get(path)
        profiler.stop()
        mean_ms = (time.perf_counter() - started) / args.repeat * 1000
        sql = statements(app, client, path)
        print(f"\n## {name}  {path}\n{mean_ms:.1f} ms per page (profiled), "
              f"{len(response.data) // 1024} KB, {len(sql)} SQL statements")
        for ms, length, statement in sql:
            parsed = "  (parsed each time)" if length > PARSE_KEPT else ""
            print(f"    sql {ms:6.1f} ms {length:5} chars{parsed}: {statement}")
        own, total = top_functions(profiler.last_session, args.top)
        print("  own time:")
        for key, seconds in own:
            print(f"    {seconds / args.repeat * 1000:7.2f} ms  {key}")
        print("  cumulative, project code:")
        shown = 0
        for key, seconds in total:
            if "cotrack/" in key or "templates/" in key:
                print(f"    {seconds / args.repeat * 1000:7.2f} ms  {key}")
                shown += 1
            if shown == args.top:
                break


if __name__ == "__main__":
    main()
