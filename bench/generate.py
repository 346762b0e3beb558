"""Fill a database through the real schema with benchmark data.

    .venv/bin/python bench/generate.py --database-url postgresql+psycopg://postgres@127.0.0.1/cotrack_bench
    .venv/bin/python bench/generate.py --database-url sqlite:////tmp/cotrack_bench.db --scale 0.1

At scale 1: 200 organisations, 2,000 users, 10,000 ventures, 100,000 milestones,
100,000 issues, 1,000,000 revenue entries with 3,000,000 allocations (each venture's
entries hash-chained exactly as the application chains them, keyed with
COTRACK_LEDGER_KEY (default "bench-ledger-key"; run the app with the same), so
`flask ledger-verify` passes). The schema comes from the migrations (`flask db
upgrade`); rows are bulk-loaded (PostgreSQL COPY, SQLite executemany). Organisation 1,
"Busy Org", is a party to every tenth venture; its lead is lead1@org1.bench, and
admin@bench sees everything (password of every account: bench-password-1).
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROLES = ("customer", "reseller", "manufacturer")
STAGES = ("discovery", "feasibility", "development", "field_trial", "rollout")
PASSWORD = "bench-password-1"  # noqa: S105
NOW = datetime(2026, 11, 1, tzinfo=UTC)
SHARES = {"customer": 2000, "reseller": 2500, "manufacturer": 5500}
VOCABULARY = ("rack", "bracket", "firmware", "cooling", "fan", "sensor", "cable", "power",
              "supply", "door", "latch", "battery", "display", "button", "housing", "screw",
              "label", "manual", "driver", "update", "controller", "disk", "shelf", "rail",
              "airflow", "noise", "vibration", "humidity", "dust", "filter", "network",
              "switch", "port", "antenna", "signal", "gateway", "cloud", "backup", "storage",
              "array", "mobile", "trolley", "wheel", "brake", "handle", "lock", "key", "badge",
              "scanner", "printer")


class Loader:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, engine):
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"

    def load(self, table: str, columns: list[str], rows) -> int:
        count = 0
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            if self.postgres:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            else:
                marks = ", ".join("?" for _ in columns)
                sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
                batch = []
                for row in rows:
                    batch.append(tuple(_sqlite(v) for v in row))
                    if len(batch) >= 20_000:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        batch.clear()
                cursor.executemany(sql, batch)
                count += len(batch)
            raw.commit()
        finally:
            raw.close()
        return count

    def reset_sequences(self, tables: list[str]) -> None:
        if not self.postgres:
            return
        from sqlalchemy import text

        with self.engine.begin() as conn:
            for table in tables:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))"))


def _sqlite(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00:00"
    if isinstance(value, date):
        return value.isoformat()
    return value


#: the venture --big-venture fills (Busy Org is a party to it: lead1@org1.bench sees it)
BIG_VENTURE = 10


def generate(url: str, scale: float, seed: int = 7, big_venture: int = 0) -> dict:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench")
    #: the chains are keyed with it: run the app on this data with the same key
    os.environ.setdefault("COTRACK_LEDGER_KEY", "bench-ledger-key")
    import flask_migrate
    from sqlalchemy import text

    import config
    from cotrack import create_app
    from cotrack.domain.chain import entry_hash
    from cotrack.domain.money import allocate
    from cotrack.domain.passwords import hash_password
    from cotrack.extensions import db

    class Bench(config.Config):
        SQLALCHEMY_DATABASE_URI = url
        SQLALCHEMY_ENGINE_OPTIONS = config.engine_options(url)
        SECRET_KEY = "bench"
        LEDGER_KEY = os.environ["COTRACK_LEDGER_KEY"]
        RATELIMIT_STORAGE_URI = "memory://"

    key = Bench.LEDGER_KEY.encode()
    rnd = random.Random(seed)
    n_orgs, users_per_org = max(int(200 * scale), 20), 10
    n_ventures = int(10_000 * scale)
    per_venture = 10  # milestones and issues each
    entries_per_venture = 100
    app = create_app(Bench)
    timings = {}
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
    loader = Loader(engine)
    started = time.perf_counter()

    def timed(name, table, columns, rows):
        t = time.perf_counter()
        count = loader.load(table, columns, rows)
        timings[name] = (count, time.perf_counter() - t)
        print(f"  {name:<18} {count:>10,} rows  {time.perf_counter() - t:6.1f} s", flush=True)

    password_hash = hash_password(PASSWORD)
    timed("organisations", "organisation", ["id", "name", "active", "created_at"],
          ((i, "Busy Org" if i == 1 else f"Org {i}", True, NOW) for i in range(1, n_orgs + 1)))

    def user_rows():
        for org in range(1, n_orgs + 1):
            for k in range(users_per_org):
                role, number = (("lead", k + 1) if k < 2 else ("finance", k - 1) if k < 4
                                else ("member", k - 3))
                uid = (org - 1) * users_per_org + k + 1
                yield (uid, f"{role}{number}@org{org}.bench",
                       f"{role.capitalize()} {number} of org {org}", password_hash, role, org,
                       True, NOW)

    admin_id = n_orgs * users_per_org + 1
    timed("users", "user_account",
          ["id", "email", "name", "password_hash", "role", "organisation_id", "active",
           "created_at"],
          [*user_rows(), (admin_id, "admin@bench", "Bench Admin", password_hash, "admin", 1,
                          True, NOW)])

    def lead_of(org):
        return (org - 1) * users_per_org + 1

    def users_of(org):
        first = (org - 1) * users_per_org + 1
        return range(first, first + users_per_org)

    parties = {}
    for v in range(1, n_ventures + 1):
        orgs = rnd.sample(range(2, n_orgs + 1), 3)
        if v % 10 == 0:
            orgs[rnd.randrange(3)] = 1
        parties[v] = dict(zip(ROLES, orgs, strict=True))
    stage_of = {v: STAGES[v % len(STAGES)] for v in parties}
    created = {v: NOW - timedelta(days=400 + v % 300) for v in parties}

    timed("ventures", "venture",
          ["id", "name", "description", "currency", "stage", "status", "created_by_id",
           "created_at"],
          ((v, f"Venture {v}", f"Benchmark venture number {v}.", "EUR", stage_of[v], "active",
            lead_of(p["customer"]), created[v]) for v, p in parties.items()))
    # the partner counts are made by the database's trigger, once for the whole COPY
    timed("parties", "venture_party",
          ["id", "venture_id", "role", "organisation_id", "invited_by_id", "invited_at",
           "accepted_at", "responded_by_id"],
          ((v * 3 + i, v, role, org, lead_of(p["customer"]), created[v], created[v],
            lead_of(org)) for v, p in parties.items() for i, (role, org) in enumerate(p.items())))

    def transitions():
        tid = 0
        for v in parties:
            index = STAGES.index(stage_of[v])
            for s in range(index + 1):
                tid += 1
                yield (tid, v, STAGES[s - 1] if s else None, STAGES[s],
                       created[v] + timedelta(days=60 * s))

    timed("stage transitions", "stage_transition",
          ["id", "venture_id", "from_stage", "to_stage", "at"], transitions())

    def milestones():
        mid = 0
        for v, p in parties.items():
            members = [u for org in p.values() for u in users_of(org)]
            current = STAGES.index(stage_of[v])
            for k in range(per_venture):
                mid += 1
                stage = STAGES[min(k // 2, current)]
                done = STAGES.index(stage) < current
                due = (created[v] + timedelta(days=30 + 40 * k)).date()
                yield (mid, v, f"Milestone {k} of venture {v}", "", stage, ROLES[k % 3],
                       rnd.choice(members), due, "done" if done else "in_progress",
                       created[v] + timedelta(days=35 + 40 * k) if done else None,
                       created[v], 1)

    timed("milestones", "milestone",
          ["id", "venture_id", "title", "description", "stage", "party", "assignee_id",
           "due_date", "status", "completed_at", "created_at", "version"], milestones())

    def issues():
        iid = 0
        for v, p in parties.items():
            orgs = list(p.values())
            for k in range(per_venture):
                iid += 1
                status = ("open", "in_progress", "resolved", "closed")[k % 4]
                raiser_org = orgs[k % 3]
                at = created[v] + timedelta(days=10 * k)
                yield (iid, v, f"Issue {k} of venture {v}", "",
                       ("low", "medium", "high", "critical")[(k + v) % 4], status,
                       rnd.choice(list(users_of(raiser_org))), ROLES[k % 3], ROLES[(k + 1) % 3],
                       rnd.choice(list(users_of(orgs[(k + 1) % 3]))), None, at,
                       at + timedelta(days=5) if status in ("resolved", "closed") else None, 1)

    timed("issues", "issue",
          ["id", "venture_id", "title", "description", "severity", "status", "raised_by_id",
           "raised_by_party", "party", "assignee_id", "milestone_id", "created_at",
           "resolved_at", "version"], issues())

    def comments():
        """One comment per issue, a few words from a small vocabulary (for search)."""
        for iid in range(1, n_ventures * per_venture + 1):
            v = (iid - 1) // per_venture + 1
            words = " ".join(rnd.sample(VOCABULARY, 4))
            yield (iid, iid, lead_of(parties[v]["reseller"]),
                   f"Checked {words} on site {v}.", created[v] + timedelta(days=iid % 90))

    timed("comments", "issue_comment", ["id", "issue_id", "author_id", "body", "created_at"],
          comments())
    timed("status updates", "status_update",
          ["id", "venture_id", "author_id", "health", "summary", "decisions", "created_at"],
          ((v, v, lead_of(p["reseller"]), ("green", "amber", "red")[v % 3],
            "Weekly status.", "", NOW - timedelta(days=v % 20)) for v, p in parties.items()))
    timed("agreements", "split_agreement",
          ["id", "venture_id", "version", "effective_from", "status", "customer_bp",
           "reseller_bp", "manufacturer_bp", "note", "proposed_by_id", "proposed_at",
           "activated_at"],
          ((v, v, 1, date(2020, 1, 1), "active", *SHARES.values(), "", lead_of(p["customer"]),
            created[v], created[v] + timedelta(days=30)) for v, p in parties.items()))
    timed("agreement approvals", "agreement_approval",
          ["id", "agreement_id", "role", "user_id", "decision", "comment", "at"],
          ((v * 3 + i, v, role, lead_of(org), "approve", "", created[v] + timedelta(days=10 * i))
           for v, p in parties.items() for i, (role, org) in enumerate(p.items())))

    entries, allocations = [], []
    finance_of = {v: (p["manufacturer"] - 1) * users_per_org + 3 for v, p in parties.items()}
    regions = ("Nordics", "DACH", "Benelux", "Iberia", "North America", "APAC")

    def ledger_rows():
        eid = 0
        for v in parties:
            prev = ""
            count = big_venture if v == BIG_VENTURE and big_venture else entries_per_venture
            for k in range(count):
                eid += 1
                day = date(2024, 1, 1) + timedelta(days=(k * 7 + v) % 1000)
                amount = 10_000 + (v * 7919 + k * 104729) % 5_000_000
                parts = allocate(amount, SHARES)
                fields = {"venture_id": v, "entry_date": day, "amount": amount,
                          "currency": "EUR", "reference": f"INV-{v}-{k}",
                          "region": regions[(v + k) % len(regions)], "note": "",
                          "recorded_by_id": finance_of[v], "recorded_at": NOW,
                          "agreement_id": v, "reverses_id": None}
                digest = entry_hash(fields, parts, prev, key)
                entries.append((eid, v, day, amount, "EUR", fields["reference"],
                                fields["region"], "", finance_of[v], NOW, v, None, prev, digest))
                allocations.extend((eid * 3 + i, eid, role, parts[role])
                                   for i, role in enumerate(ROLES))
                prev = digest
            if len(entries) >= 100_000:
                yield

    def drain(kind):
        rows = entries if kind == "entries" else allocations
        while rows:
            yield rows.pop()

    t = time.perf_counter()
    counts = {"entries": 0, "allocations": 0}
    entry_columns = ["id", "venture_id", "entry_date", "amount", "currency", "reference",
                     "region", "note", "recorded_by_id", "recorded_at", "agreement_id",
                     "reverses_id", "prev_hash", "hash"]

    def flush_ledger():
        counts["entries"] += loader.load("revenue_entry", entry_columns, drain("entries"))
        counts["allocations"] += loader.load("allocation", ["id", "entry_id", "role", "amount"],
                                             drain("allocations"))

    for _ in ledger_rows():
        flush_ledger()
    flush_ledger()
    count_entries, count_allocations = counts["entries"], counts["allocations"]
    print(f"  {'revenue entries':<18} {count_entries:>10,} rows, {count_allocations:,} "
          f"allocations  {time.perf_counter() - t:6.1f} s", flush=True)
    t = time.perf_counter()
    month = ("date_trunc('month', e.entry_date)::date" if loader.postgres
             else "strftime('%Y-%m-01', e.entry_date)")
    with engine.begin() as conn:
        conn.execute(text(f"""
            INSERT INTO revenue_month (venture_id, month, currency, customer, reseller,
                                       manufacturer, entries)
            SELECT e.venture_id, {month}, min(e.currency),
                   sum(CASE WHEN a.role = 'customer' THEN a.amount ELSE 0 END),
                   sum(CASE WHEN a.role = 'reseller' THEN a.amount ELSE 0 END),
                   sum(CASE WHEN a.role = 'manufacturer' THEN a.amount ELSE 0 END),
                   count(DISTINCT e.id)
            FROM revenue_entry e JOIN allocation a ON a.entry_id = e.id
            GROUP BY e.venture_id, {month}"""))
        # the same sums per organisation over the ventures it is an accepted party of, as
        # the migration fills it and every ledger write and acceptance keeps it
        conn.execute(text("""
            INSERT INTO revenue_org_month (organisation_id, month, currency, customer,
                                           reseller, manufacturer, entries)
            SELECT p.organisation_id, m.month, m.currency, sum(m.customer), sum(m.reseller),
                   sum(m.manufacturer), sum(m.entries)
            FROM revenue_month m
            JOIN venture_party p ON p.venture_id = m.venture_id AND p.accepted_at IS NOT NULL
            GROUP BY p.organisation_id, m.month, m.currency"""))
    print(f"  {'monthly rollups':<18} {time.perf_counter() - t:>27.1f} s", flush=True)
    timed("activity", "activity",
          ["id", "venture_id", "actor_id", "action", "object_type", "object_id",
           "object_label", "changes", "at", "audience"],
          ((v, v, lead_of(p["customer"]), "created", "venture", v, f"Venture {v}", "{}",
            created[v], "venture") for v, p in parties.items()))
    loader.reset_sequences(["organisation", "user_account", "venture", "venture_party",
                            "stage_transition", "milestone", "issue", "issue_comment",
                            "status_update",
                            "split_agreement", "agreement_approval", "revenue_entry",
                            "allocation", "activity"])
    if loader.postgres:
        with engine.connect() as conn:
            conn = conn.execution_options(isolation_level="AUTOCOMMIT")
            conn.execute(text("VACUUM ANALYZE"))
            # the loaded data written to disk now, not by a checkpoint in the middle of the
            # measurements that follow (seen: half the CPU time waiting on the disk)
            conn.execute(text("CHECKPOINT"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    total = time.perf_counter() - started
    print(f"done in {total:.0f} s")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--big-venture", type=int, default=0, metavar="N",
                        help=f"give venture {BIG_VENTURE} N entries instead of 100 (the "
                             "ledger search and report benchmarks use 100000)")
    args = parser.parse_args()
    generate(args.database_url, args.scale, big_venture=args.big_venture)


if __name__ == "__main__":
    main()
