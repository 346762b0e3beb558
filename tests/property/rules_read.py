"""Reading: venture pages and API reads, lists (home, ventures, my work), reports and exports.

Every body is searched for what the reader may not see (machine.CoTrackMachine._no_leak);
lists are also counted against the oracle.
"""

import re

from hypothesis import strategies as st
from hypothesis.stateful import rule

from tests.property import checks
from tests.property.checks import Expect
from tests.property.inputs import CHANNELS, days, picks

#: page -> (HTML path after /ventures/<id>, API path after /ventures/<id>, who may read it)
VENTURE_PAGES = {
    "overview": ("", "", "view"),
    "activity": ("/activity", "/activity", "view"),
    "milestones": ("/milestones", "/milestones", "view"),
    "timeline": ("/timeline", "/scorecard", "view"),
    "issues": ("/issues", "/issues", "view"),
    "updates": ("/updates", "/updates", "view"),
    "gate": ("", "/gate", "view"),
    "revenue": ("/revenue", "/revenue", "revenue"),
    "agreements": ("/agreements", "/agreements", "revenue"),
    "import": ("/revenue/import", "/revenue", "record"),
}
QUERIES = [{}, {}, {}, {"page": "2"}, {"page": str(2**63)}, {"per_page": "-1"},
           {"assignee_id": str(2**63)}, {"assignee": str(2**63)}, {"page": "abc"}]
TOTAL_RE = re.compile(r"([\d,]+) in all")
#: a search result on the page: its kind and the venture its link leads into
HIT_RE = re.compile(r'data-testid="search-hit" data-kind="(\w+)">.*?href="/ventures/(\d+)',
                    re.DOTALL)
SEARCHABLE = re.compile(r"[^\W_]")
HOSTILE_BODIES = {
    "nested": b"[" * 100_000,
    "malformed": b'{"title": "x",',
    "array": b"[1, 2, 3]",
    "surrogates": b'{"title": "\\ud800x", "body": "\\udfff", "date": "2026-01-01", '
                  b'"amount": "1.00", "reference": "\\ud800", "name": "\\ud800", '
                  b'"severity": "low", "party": "customer", "version": 1}',
    "bad_utf8": b'{"title": "\xff\xfe", "version": 1}',
    "infinite": b'{"version": 1e999, "status": "done", "amount": 1e999}',
}


def actors():
    from tests.property.machine import CoTrackMachine
    return st.sampled_from(CoTrackMachine.actors)


class ReadRules:
    @rule(actor=st.deferred(actors), channel=st.sampled_from(CHANNELS), pick=picks(),
          page=st.sampled_from(sorted(VENTURE_PAGES)), query=st.sampled_from(QUERIES))
    def read_venture_page(self, actor, channel, pick, page, query):
        self._read_page(actor, channel, pick.resolve(list(self.world().ventures)), page, query)

    @rule(actor=st.deferred(actors), channel=st.sampled_from(CHANNELS))
    def tour_the_feeds(self, actor, channel):
        """Every venture's overview and activity feed as one person: what a feed shows is
        where one person's data most easily reaches another (each answer is searched for
        markers the reader may not see)."""
        for venture_id in sorted(self.world().ventures):
            for page in ("overview", "activity"):
                self._read_page(actor, channel, venture_id, page, {})

    def _read_page(self, actor, channel, venture_id, page, query):
        world = self.world()
        v, o = world.ventures.get(venture_id), self.oracle(actor)
        html_path, api_path, needs = VENTURE_PAGES[page]
        allowed = {"view": o.sees, "revenue": o.views_revenue, "record": o.records}[needs](v)
        if channel == "api" and needs == "record":
            allowed = o.views_revenue(v)
        expect = Expect(deny=o.denial(v, allowed), ok=True if not query else None,
                        why=f"read {page}", also=frozenset({"refused"}) if query else frozenset())
        bare = (api_path if channel == "api" else html_path) == ""  # the venture itself
        if bare and v is not None and v.invited(actor.org_id) and not o.sees(v):
            expect = Expect(why="an invitation")  # the invited organisation sees the invitation
        if channel == "api":
            self.api(actor, "GET", f"/ventures/{venture_id}{api_path}", expect,
                     query_string=query)
        else:
            self.page(actor, f"/ventures/{venture_id}{html_path}", expect, query_string=query)

    @rule(actor=st.deferred(actors), channel=st.sampled_from(CHANNELS), pick=picks(),
          kind=st.sampled_from(["milestone", "issue", "comments"]))
    def read_item(self, actor, channel, pick, kind):
        world = self.world()
        items = world.milestones if kind == "milestone" else world.issues
        item_id = pick.resolve(list(items))
        item = items.get(item_id)
        v = world.ventures.get(item.venture_id) if item else None
        o = self.oracle(actor)
        expect = Expect(deny=o.denial(v, True), why=f"read {kind}")
        if channel == "api":
            path = {"milestone": "/milestones/", "issue": "/issues/",
                    "comments": "/issues/"}[kind] + str(item_id)
            self.api(actor, "GET", path + ("/comments" if kind == "comments" else ""), expect)
        else:
            venture_id = item.venture_id if item else min(world.ventures)
            section = "milestones" if kind == "milestone" else "issues"
            self.page(actor, f"/ventures/{venture_id}/{section}/{item_id}", expect)

    @rule(actor=st.deferred(actors),
          which=st.sampled_from(["home", "ventures", "my_work", "api_ventures", "api_orgs",
                                 "api_me", "api_stage"]),
          stage=st.sampled_from(["", "discovery", "field_trial", "rollout", "bogus"]))
    def read_list(self, actor, which, stage):
        world, o = self.world(), self.oracle(actor)
        if which == "api_stage":
            valid = stage in ("", "discovery", "field_trial", "rollout")
            self.api(actor, "GET", "/ventures", Expect(ok=valid, why="ventures by stage"),
                     query_string={"stage": stage})
            return
        if which.startswith("api_"):
            path = {"api_ventures": "/ventures", "api_orgs": "/organisations",
                    "api_me": "/me"}[which]
            response = self.api(actor, "GET", path, Expect(why=which))
            if which == "api_ventures":
                shown = sorted(item["id"] for item in response.json["items"])
                expected = sorted(v.id for v in world.ventures.values()
                                  if o.sees(v) or v.invited(actor.org_id))
                if response.json["total"] != len(expected) or shown != expected[:len(shown)]:
                    raise checks.Leak(f"{actor.email}: /api/v1/ventures lists {shown} "
                                      f"(total {response.json['total']}), expected {expected}")
            return
        path = {"home": "/", "ventures": "/ventures/", "my_work": "/my-work"}[which]
        response = self.page(actor, path, Expect(why=which))
        if which == "ventures":
            total = TOTAL_RE.search(response.get_data(as_text=True))
            expected = sum(1 for v in world.ventures.values() if o.sees(v))
            if total is None or int(total.group(1).replace(",", "")) != expected:
                raise checks.Leak(f"{actor.email}: the ventures list counts "
                                  f"{total and total.group(1)}, expected {expected}")

    @rule(actor=st.deferred(actors), pick=picks(),
          where=st.sampled_from(["issues", "milestone", "revenue", "ventures"]),
          body=st.sampled_from(sorted(HOSTILE_BODIES)))
    def hostile_body(self, actor, pick, where, body):
        """Bodies no client should send: 100,000 nested brackets, broken JSON or UTF-8,
        lone surrogates, 1e999; refused with 400 or 422, never a 500, nothing written."""
        world, o = self.world(), self.oracle(actor)
        if where == "milestone":
            item_id = pick.resolve(list(world.milestones))
            m = world.milestones.get(item_id)
            v, method, path = (world.ventures.get(m.venture_id) if m else None, "PATCH",
                               f"/milestones/{item_id}")
        elif where == "ventures":
            v, method, path = None, "POST", "/ventures"
        else:
            venture_id = pick.resolve(list(world.ventures))
            v, method, path = world.ventures.get(venture_id), "POST", \
                f"/ventures/{venture_id}/{where}"
        hidden = where != "ventures" and not o.sees(v)
        expect = Expect(deny=404 if hidden else None, ok=False, why="hostile body",
                        also=frozenset() if hidden else frozenset({"403"}))
        self.api(actor, method, path, expect, data=HOSTILE_BODIES[body],
                 content_type="application/json")

    @rule(actor=st.deferred(actors), channel=st.sampled_from(CHANNELS),
          start=st.one_of(st.none(), days()), end=st.one_of(st.none(), days()),
          period=st.sampled_from([None, "month", "quarter", "year", "week"]),
          pick=st.one_of(st.none(), picks()),
          party=st.sampled_from([None, "customer", "manufacturer", "nobody"]),
          kind=st.sampled_from(["summary", "ledger", "bogus"]),
          fmt=st.sampled_from(["json", "csv", "xlsx", "pdf"]))
    def read_report(self, actor, channel, start, end, period, pick, party, kind, fmt):
        world, o = self.world(), self.oracle(actor)
        venture_id = pick.resolve(list(world.ventures)) if pick else None
        params = {k: v for k, v in {
            "from": start and start.value, "to": end and end.value, "period": period,
            "venture_id": venture_id, "party": party, "kind": kind, "format": fmt}.items()
            if v is not None}
        # an empty bound is no bound (the filter form sends it so); anything else is checked
        valid = (all(day is None or day.valid or day.value == "" for day in (start, end))
                 and period in (None, "month", "quarter", "year")
                 and party in (None, "customer", "manufacturer"))
        if valid and start and end and start.value and end.value:
            valid = start.value <= end.value
        export = fmt in ("csv", "xlsx")
        if export:
            valid = valid and kind in ("summary", "ledger")
        v = world.ventures.get(venture_id) if venture_id is not None else None
        hidden = venture_id is not None and not o.sees(v)
        if not valid:
            ok = False
        elif (channel == "html" and not export) or (
                fmt in ("json", "csv", "xlsx") and kind in ("summary", "ledger")):
            ok = True
        else:
            ok = None  # an unknown kind or format in the API: JSON summary, or refused
        if actor.role == "member":
            expect = Expect(deny=403, why="reports")
        elif hidden:
            expect = Expect(deny=404 if valid else None, ok=False, why="reports",
                            also=frozenset({"404", "refused"}))
        else:
            expect = Expect(ok=ok, why="reports")
        if channel == "api":
            self.api(actor, "GET", "/reports/revenue", expect, query_string=params)
        else:
            path = "/reports/export" if export else (
                "/reports/ledger" if kind == "ledger" else "/reports")
            self.page(actor, path, expect, query_string=params)

    @rule(actor=st.deferred(actors), channel=st.sampled_from(CHANNELS),
          which=st.integers(0, 10**6), words=st.integers(1, 3))
    def search(self, actor, channel, which, words):
        """Search for words written into the data (venture names, references, titles, the
        markers of earlier steps): no result may belong to a venture the oracle says the
        actor cannot see, nor a ledger entry of one whose revenue they may not view."""
        if not self.markers:
            return
        value = self.markers[which % len(self.markers)][0]
        q = " ".join(value.split()[:words])
        o = self.oracle(actor)
        expect = Expect(ok=bool(SEARCHABLE.search(q)) and len(q) <= 200, why="search")
        if channel == "api":
            response = self.api(actor, "GET", "/search", expect,
                                query_string={"q": q, "per_page": "200"})
            hits = [(item["kind"], item["venture"]["id"])
                    for item in (response.json or {}).get("items", [])]
        else:
            response = self.page(actor, "/search", expect, query_string={"q": q})
            hits = [(kind, int(venture_id)) for kind, venture_id in
                    HIT_RE.findall(response.get_data(as_text=True))]
        for kind, venture_id in hits:
            v = o.venture(venture_id)
            if not (o.views_revenue(v) if kind == "ledger" else o.sees(v)):
                raise checks.failure(checks.Leak, "search",
                                     f"{actor.email} ({actor.role}) finds a {kind} of "
                                     f"venture {venture_id} searching {channel} for {q!r}")
