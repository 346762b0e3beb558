"""Doing the work: milestones (create, edit, delete, two people at once), issues (raise,
edit, workflow, reassign, take, comment), stage gates, status updates, invitations."""

from hypothesis import strategies as st
from hypothesis.stateful import rule

from tests.property import checks
from tests.property.checks import Expect
from tests.property.inputs import CHANNELS, HUGE_IDS, VERSIONS, days, picks, texts
from tests.property.model import ROLES, STAGES
from tests.property.rules_read import actors

MILESTONE_STATUSES = ("planned", "in_progress", "blocked", "done", "cancelled")
ISSUE_STATUSES = ("open", "in_progress", "resolved", "closed")
SEVERITIES = ("low", "medium", "high", "critical")
PEOPLE = st.tuples(st.sampled_from(["none", "party", "party", "foreign", "huge", "self"]),
                   st.integers(0, 30))
ACTOR = st.deferred(actors)
CHANNEL = st.sampled_from(CHANNELS)
VERSION = st.sampled_from(VERSIONS)
NEST = st.sampled_from(["own", "own", "own", "own", "other"])


def version_value(current: int, mode: str):
    """(value to send, whether it is the version the record has)."""
    return {"current": (current, True), "stale": (max(current - 1, 0), False),
            "missing": (None, False), "junk": ("abc", False),
            "huge": (HUGE_IDS[0], False)}[mode]


def gone(v) -> bool:
    """Shelved, declined or closed: nothing more happens to it."""
    return v is not None and v.status not in ("active", "pending")


class WorkRules:
    def person(self, v, spec, actor):
        """(user id or None, valid) for an assignee: nobody, a user of a party, someone
        outside the parties, an id that cannot exist, or the actor."""
        kind, n = spec
        world = self.world()
        if kind == "none":
            return None, True
        if kind == "huge":
            return HUGE_IDS[n % len(HUGE_IDS)], False
        if kind == "self":
            return actor.id, v is not None and actor.id in world.party_users(v)
        party = sorted(world.party_users(v)) if v else []
        others = sorted(set(world.users) - set(party))
        pool = party if kind == "party" else others
        if not pool:
            return None, True
        return pool[n % len(pool)], kind == "party"

    def offered(self, v, user_id) -> int:
        """What a browser sends from the assignee list, which offers the parties' users only:
        the stored assignee if the list has them, else its first option (nobody, 0)."""
        return user_id if user_id in self.world().party_users(v) else 0

    def _venture_path(self, v_id, nest, actor):
        """The venture in an HTML path: the object's own, or another one the actor sees."""
        if nest == "own":
            return v_id, True
        o = self.oracle(actor)
        others = sorted(x for x, v in self.world().ventures.items() if o.sees(v) and x != v_id)
        return (others[0], False) if others else (v_id, True)

    # -- milestones --------------------------------------------------------------------------

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), title=texts(200), desc=texts(10_000),
          stage=st.sampled_from(STAGES[:-1] + ("closed", "bogus")),
          party=st.sampled_from(ROLES + ("bogus",)), who=PEOPLE, due=days())
    def create_milestone(self, actor, channel, pick, title, desc, stage, party, who, due):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        assignee, who_ok = self.person(v, who, actor)
        valid = (title.valid(200, True, False, html) and desc.valid(10_000, False, True, html)
                 and stage in STAGES[:-1] and party in ROLES and due.valid and who_ok)
        expect = self._lead_expect(o, v, valid, "create milestone")
        values = {"title": title.build(self.marker(vid, "work"), html),
                  "description": desc.build(self.marker(vid, "work"), html),
                  "stage": stage, "party": party, "due_date": due.value}
        if channel == "api":
            self.api(actor, "POST", f"/ventures/{vid}/milestones", expect,
                     json={**values, "assignee_id": assignee})
        else:
            self.form(actor, f"/ventures/{vid}/milestones/new",
                      {**values, "assignee_id": str(assignee or 0), "status": "planned"}, expect)

    def _lead_expect(self, o, v, valid, why, also=()):
        if o.lead(v) and gone(v):
            return Expect(ok=False, why=why, also=frozenset({"403", *also}))
        if o.lead(v) and v.status == "pending":
            return Expect(ok=None if valid else False, why=why, also=frozenset({"403", *also}))
        return Expect(deny=o.denial(v, o.lead(v)), ok=valid, why=why, also=frozenset(also))

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), version=VERSION, nest=NEST,
          status=st.one_of(st.none(), st.sampled_from(MILESTONE_STATUSES + ("bogus",))),
          title=st.one_of(st.none(), texts(200)), who=st.one_of(st.none(), PEOPLE),
          due=st.one_of(st.none(), days()))
    def patch_milestone(self, actor, channel, pick, version, nest, status, title, who, due):
        world = self.world()
        mid = pick.resolve(list(world.milestones))
        m = world.milestones.get(mid)
        sent = version_value(m.version, version) if m else (1, True)
        self._patch_milestone(actor, channel, mid, m, sent, nest, status, title, who, due)

    def _patch_milestone(self, actor, channel, mid, m, sent, nest, status, title, who, due):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        if m is None:
            expect = Expect(deny=404, why="patch a milestone that cannot exist")
            if html:
                self.form(actor, f"/ventures/{min(world.ventures)}/milestones/{mid}",
                          {"version": "1", "status": "done"}, expect)
            else:
                self.api(actor, "PATCH", f"/milestones/{mid}", expect,
                         json={"version": 1, "status": "done"})
            return
        v = world.ventures[m.venture_id]
        lead = o.lead(v) and not gone(v)
        if html and not lead:  # the status form: only the status, always sent
            title = who = due = None
            status = status or m.status
        changes, valid = {}, True
        if status is not None:
            changes["status"], valid = status, status in MILESTONE_STATUSES
        if title is not None:
            changes["title"] = title.build(self.marker(v.id, "work"), html)
            valid = valid and title.valid(200, True, False, html)
        if who is not None:
            changes["assignee_id"], who_ok = self.person(v, who, actor)
            valid = valid and who_ok
        if due is not None:
            changes["due_date"], valid = due.value, valid and due.valid
        if set(changes) <= {"status"}:
            allowed = lead or (o.belongs(v) and m.assignee_id == actor.id)
        else:
            allowed = lead
        value, fresh = sent
        expect = self._state_expect(o, v, allowed, valid and fresh, "patch milestone")
        if channel == "api":
            body = {**changes} if value is None else {**changes, "version": value}
            response = self.api(actor, "PATCH", f"/milestones/{mid}", expect, json=body)
            self._stale_has_current(response, m, fresh, value)
            return
        vid, same = self._venture_path(m.venture_id, nest, actor)
        if not same:
            expect = Expect(deny=404, why="a milestone through another venture's path")
        data = {"version": "" if value is None else str(value), "status": changes.get("status")}
        if lead:
            data.update(title=m.title, description=m.description, stage=m.stage, party=m.party,
                        due_date=str(m.due_date)[:10],
                        assignee_id=str(self.offered(v, m.assignee_id)))
            data.update({key: str(new or 0) if key == "assignee_id" else new
                         for key, new in changes.items()})
            data["status"] = changes.get("status", m.status)
        self.form(actor, f"/ventures/{vid}/milestones/{mid}", data, expect)

    @staticmethod
    def _state_expect(o, v, allowed, fine, why):
        """Permission first; then a shelved, declined or pending venture may refuse."""
        deny = o.denial(v, allowed)
        if deny is not None:
            return Expect(deny=deny, why=why,
                          also=frozenset({"refused"}) if deny == 403 and gone(v) else frozenset())
        if v.status == "active":
            return Expect(ok=fine, why=why)
        return Expect(ok=None if fine else False, why=why, also=frozenset({"403"}))

    def _stale_has_current(self, response, record, fresh, sent) -> None:
        """API.md: a 409 for a stale version carries the record as it is now."""
        if response.status_code != 409 or fresh or not isinstance(sent, int) or sent >= 2**63:
            return
        current = (response.json or {}).get("error", {}).get("current")
        if not isinstance(current, dict) or current.get("version") != record.version:
            raise checks.ContractViolation(
                f"a stale version's 409 must carry `current` with version {record.version}: "
                f"{response.get_data(as_text=True)[:300]}")

    @rule(editor=ACTOR, reader=ACTOR, pick=picks(),
          first=st.sampled_from(MILESTONE_STATUSES), second=st.sampled_from(MILESTONE_STATUSES),
          channel=CHANNEL)
    def two_people_edit_one_milestone(self, editor, reader, pick, first, second, channel):
        """The reader reads a milestone, the editor saves it, then the reader saves what they
        read: the second save must be refused (409) if the first changed it."""
        world = self.world()
        mid = pick.resolve(list(world.milestones))
        m = world.milestones.get(mid)
        if m is None:
            return
        read = m.version
        self._patch_milestone(editor, "api", mid, m, (m.version, True), "own", first, None,
                              None, None)
        now = self.world().milestones.get(mid)
        if now is None:
            return
        self._patch_milestone(reader, channel, mid, now, (read, read == now.version), "own",
                              second, None, None, None)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), version=VERSION)
    def delete_milestone(self, actor, channel, pick, version):
        world, o = self.world(), self.oracle(actor)
        mid = pick.resolve(list(world.milestones))
        m = world.milestones.get(mid)
        v = world.ventures.get(m.venture_id) if m else None
        value, fresh = version_value(m.version, version) if m else (1, True)
        if channel == "api" and value is None:
            fresh = True  # the API deletes the version it holds when none is named
        expect = self._lead_expect(o, v, fresh, "delete milestone")
        if channel == "api":
            query = {} if value is None else {"version": value}
            self.api(actor, "DELETE", f"/milestones/{mid}", expect, query_string=query)
        else:
            vid = m.venture_id if m else min(world.ventures)
            self.form(actor, f"/ventures/{vid}/milestones/{mid}/delete",
                      {"version": "" if value is None else str(value)}, expect)
