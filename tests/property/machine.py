"""The base of the stateful machine: one seeded database per example, requests through the
Flask test client as the cast, and every answer checked as it arrives.

Rules: rules_read.py (pages, API reads, lists, reports and exports, hostile bodies),
rules_work.py (milestones, two people editing one), rules_issues.py, rules_venture.py
(gates, status updates, invitations) and rules_money.py (agreements, revenue, CSV import).
The oracle is model.py; what is checked and how failures are told apart, checks.py.
"""

import itertools
from contextlib import ExitStack

from hypothesis.stateful import RuleBasedStateMachine, invariant
from sqlalchemy import text

from cotrack.extensions import db
from cotrack.reports.integrity import verify_ledger, verify_months
from tests.property import checks
from tests.property.checks import Expect
from tests.property.model import Oracle, read_world
from tests.property.seeded import rolled_back

READ_METHODS = ("GET", "HEAD")


class CoTrackMachine(RuleBasedStateMachine):
    app = None      # set by the test: the seeded app
    actors = ()     # set by the test: the signed-in cast

    def __init__(self):
        super().__init__()
        self._stack = ExitStack()
        self.connection = self._stack.enter_context(rolled_back(self.app))
        self._world = None
        self._serial = itertools.count(1)
        self.markers: list[tuple[str, int, str]] = []  # (text, venture id, name/work/revenue)
        self._demo_markers()

    def teardown(self):
        self._stack.close()

    # -- the model -------------------------------------------------------------------------

    def world(self):
        if self._world is None:
            self._world = read_world(self.connection)
        return self._world

    def oracle(self, actor) -> Oracle:
        return Oracle(actor, self.world())

    def marker(self, venture_id: int, kind: str, prefix: str = "Mk") -> str:
        """A word no page shows unless it shows the object it was written into."""
        value = f"{prefix}{next(self._serial):04d}q{id(self) % 997:03d}"
        self.markers.append((value, venture_id, kind))
        return value

    def register(self, value: str, venture_id: int, kind: str) -> None:
        self.markers.append((value, venture_id, kind))

    def _demo_markers(self) -> None:
        q = lambda sql: self.connection.execute(text(sql)).all()  # noqa: E731
        for r in q("SELECT id, name FROM venture"):
            self.register(r.name, r.id, "name")
        for r in q("SELECT DISTINCT venture_id, reference FROM revenue_entry"):
            self.register(r.reference, r.venture_id, "revenue")
        for r in q("SELECT venture_id, note FROM split_agreement WHERE note <> ''"):
            self.register(r.note, r.venture_id, "revenue")
        for r in q("SELECT venture_id, title FROM issue"):
            self.register(r.title, r.venture_id, "work")

    # -- requests ----------------------------------------------------------------------------

    def api(self, actor, method, path, expect: Expect, **kw):
        return self.send(actor, "api", method, "/api/v1" + path, expect, headers=actor.headers,
                         **kw)

    def form(self, actor, path, data: dict, expect: Expect, **kw):
        data = {**data, "csrf_token": actor.csrf}
        return self.send(actor, "html", "POST", path, expect, data=data, **kw)

    def page(self, actor, path, expect: Expect, **kw):
        return self.send(actor, "html", "GET", path, expect, **kw)

    def send(self, actor, channel, method, path, expect: Expect, **kw):
        before = self.world()
        client = actor.client
        why = f"{actor.email} {method} {path} ({expect.why})"
        writes = method not in READ_METHODS
        if channel == "html" and writes:  # the flash read after it is this request's own,
            self._clear_flashes(client)    # not one an earlier refusal left unshown
        try:
            response = client.open(path, method=method, **kw)
        except Exception as exc:  # the test client re-raises what production answers 500
            raise checks.ServerError(f"{type(exc).__name__}: {exc} for {why}") from exc
        flash = self._last_flash(client) if channel == "html" and writes else None
        if writes:
            self._world = None
        self._judge(response, checks.outcome(response, flash), expect, before, why, writes)
        echoed = (kw.get("query_string") or {}).get("q") if path.endswith("/search") else None
        self._no_leak(actor, response, why, echoed)
        return response

    @staticmethod
    def _clear_flashes(client) -> None:
        with client.session_transaction() as session:
            session.pop("_flashes", None)

    @staticmethod
    def _last_flash(client) -> str | None:
        with client.session_transaction() as session:
            flashes = session.get("_flashes") or []
        return flashes[-1][0] if flashes else None

    def _judge(self, response, result, expect: Expect, before, why: str, writes: bool) -> None:
        snippet = response.get_data()[:400].decode("utf-8", "replace")
        fail = lambda cls, message: checks.failure(cls, expect.why, message)  # noqa: E731
        if result == "5xx":
            raise fail(checks.ServerError, f"{response.status_code} for {why}: {snippet}")
        wrote = writes and self.world().fingerprint != before.fingerprint
        if writes:
            checks.check_transitions(self.connection, before, why)
        if result in expect.also:
            pass
        elif expect.deny is not None:
            if result != str(expect.deny):
                raise fail(checks.PermissionViolation, f"expected {expect.deny}, got "
                           f"{response.status_code} for {why}: {snippet}")
        elif result in ("403", "404"):
            raise fail(checks.PermissionViolation,
                       f"allowed, yet {response.status_code} for {why}: {snippet}")
        elif expect.ok is True and result != "ok":
            raise fail(checks.WronglyRefused, f"{response.status_code} for {why}: {snippet}")
        elif expect.ok is False and result == "ok":
            raise fail(checks.InvalidAccepted, f"{response.status_code} for {why}: {snippet}")
        if result not in ("ok", "other") and wrote:
            raise fail(checks.PartialWrite, f"{response.status_code} for {why}, yet the "
                       f"database changed: {before.fingerprint} -> {self.world().fingerprint}")

    def _no_leak(self, actor, response, why: str, echoed: str | None = None) -> None:
        """``echoed``: a search's own query, which its page shows back in the search box
        (its results mark every matching word, so a result never shows it whole)."""
        if not self.markers or response.status_code >= 400:
            return
        body = checks.body_text(response)
        if echoed:
            body = body.replace(echoed, "")
        oracle = self.oracle(actor)
        for value, venture_id, kind in self.markers:
            venture = oracle.venture(venture_id)
            if venture is None or value not in body:
                continue
            allowed = {"name": oracle.sees_name, "work": oracle.sees,
                       "revenue": oracle.views_revenue}[kind](venture)
            if not allowed:
                at = body.find(value)
                context = body[max(at - 200, 0):at + 100]
                raise checks.failure(
                    checks.Leak, f"{kind} in {why.split(' (')[-1]}",
                    f"{actor.email} ({actor.role}) sees {kind} {value!r} of venture "
                    f"{venture_id} in {why}: …{context}…")

    # -- invariants of the database ------------------------------------------------------------

    @invariant()
    def allocations_sum_to_amounts(self):
        problems = checks.allocation_problems(self.connection)
        if problems:
            raise checks.AllocationMismatch(f"(entry, amount, parts, sum): {problems}")

    @invariant()
    def ledger_chain_verifies(self):
        with self.app.app_context():
            problems = verify_ledger() + verify_months()
            db.session.rollback()
        if problems:
            raise checks.ChainBroken(str(problems[:5]))
