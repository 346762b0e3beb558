"""Issues: raise, edit details, workflow (status, reassign from one person to another, take
an unassigned one), comment; through the API and the forms."""

from hypothesis import strategies as st
from hypothesis.stateful import rule

from tests.property.checks import Expect
from tests.property.inputs import HUGE_IDS, Pick, picks, texts
from tests.property.model import ISSUE_FLOW, ROLES
from tests.property.rules_work import (
    ACTOR,
    CHANNEL,
    NEST,
    PEOPLE,
    VERSION,
    version_value,
)

ISSUE_STATUSES = ("open", "in_progress", "resolved", "closed")
SEVERITIES = ("low", "medium", "high", "critical")
MILESTONE_REF = st.tuples(st.sampled_from(["none", "own", "foreign", "huge"]), st.integers(0, 30))


class IssueRules:
    def milestone_ref(self, v, spec):
        kind, n = spec
        if kind == "none" or v is None:
            return None, True
        if kind == "huge":
            return HUGE_IDS[n % len(HUGE_IDS)], False
        world = self.world()
        own = sorted(m for m, row in world.milestones.items() if row.venture_id == v.id)
        other = sorted(set(world.milestones) - set(own))
        pool = own if kind == "own" else other
        return (pool[n % len(pool)], kind == "own") if pool else (None, True)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), title=texts(200), desc=texts(10_000),
          severity=st.sampled_from(SEVERITIES + ("bogus",)), party=st.sampled_from(ROLES),
          who=PEOPLE, milestone=MILESTONE_REF)
    def raise_issue(self, actor, channel, pick, title, desc, severity, party, who, milestone):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        assignee, who_ok = self.person(v, who, actor)
        milestone_id, milestone_ok = self.milestone_ref(v, milestone)
        valid = (title.valid(200, True, False, html) and desc.valid(10_000, False, True, html)
                 and severity in SEVERITIES and who_ok and milestone_ok)
        expect = Expect(deny=o.denial(v, o.belongs(v)), ok=valid, why="raise issue")
        values = {"title": title.build(self.marker(vid, "work"), html),
                  "description": desc.build(self.marker(vid, "work"), html),
                  "severity": severity, "party": party}
        if channel == "api":
            self.api(actor, "POST", f"/ventures/{vid}/issues", expect,
                     json={**values, "assignee_id": assignee, "milestone_id": milestone_id})
        else:
            self.form(actor, f"/ventures/{vid}/issues/new",
                      {**values, "assignee_id": str(assignee or 0),
                       "milestone_id": str(milestone_id or 0)}, expect)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), version=VERSION, nest=NEST,
          status=st.one_of(st.none(), st.sampled_from(ISSUE_STATUSES + ("bogus",))),
          who=st.one_of(st.none(), PEOPLE),
          severity=st.one_of(st.none(), st.sampled_from(SEVERITIES)),
          title=st.one_of(st.none(), texts(200)))
    def patch_issue(self, actor, channel, pick, version, nest, status, who, severity, title):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        iid = pick.resolve(list(world.issues))
        i = world.issues.get(iid)
        if i is None:
            expect = Expect(deny=404, why="patch an issue that cannot exist")
            if html:
                self.form(actor, f"/ventures/{min(world.ventures)}/issues/{iid}/workflow",
                          {"version": "1", "status": "closed", "assignee_id": "0"}, expect)
            else:
                self.api(actor, "PATCH", f"/issues/{iid}", expect,
                         json={"version": 1, "status": "closed"})
            return
        v = world.ventures[i.venture_id]
        value, fresh = version_value(i.version, version)
        details_form = html and (severity is not None or title is not None)
        if html and details_form:
            status = who = None  # the edit form carries the details only
        elif html:
            severity = title = None  # the workflow form carries status and assignee, always
            status = status or i.status
            who = who or (("self", 0) if i.assignee_id == actor.id else
                          ("keep", 0) if i.assignee_id else ("none", 0))
        details, workflow, valid = {}, {}, True
        if severity is not None:
            details["severity"] = severity
        if title is not None:
            details["title"] = title.build(self.marker(v.id, "work"), html)
            valid = title.valid(200, True, False, html)
        if status is not None:
            workflow["status"] = status
            valid = valid and (status == i.status or status in ISSUE_FLOW.get(i.status, ()))
        if who is not None:
            kept = self.offered(v, i.assignee_id) if html else i.assignee_id
            assignee, who_ok = ((kept or None, True) if who[0] == "keep"
                                else self.person(v, who, actor))
            workflow["assignee_id"] = assignee
            valid = valid and who_ok
        take = (i.assignee_id is None and workflow.get("assignee_id") == actor.id
                and workflow.get("status", i.status) == i.status)
        allowed = o.belongs(v)
        if details:
            allowed = allowed and (actor.role == "lead" or i.raised_by_id == actor.id)
        if workflow:
            allowed = allowed and (actor.role == "lead" or i.assignee_id == actor.id or take)
        if not (details or workflow):
            allowed = o.belongs(v)  # changing nothing is still a write: a party's people only
        expect = Expect(deny=o.denial(v, allowed), ok=valid and fresh, why="patch issue")
        if channel == "api":
            body = {**details, **workflow}
            if value is not None:
                body["version"] = value
            response = self.api(actor, "PATCH", f"/issues/{iid}", expect, json=body)
            self._stale_has_current(response, i, fresh, value)
            return
        vid, same = self._venture_path(i.venture_id, nest, actor)
        if not same:
            expect = Expect(deny=404, why="an issue through another venture's path")
        data = {"version": "" if value is None else str(value)}
        if details_form:
            data.update(title=i.title, description=i.description, severity=i.severity,
                        party=i.party, milestone_id=str(i.milestone_id or 0))
            data.update(details)
            self.form(actor, f"/ventures/{vid}/issues/{iid}/edit", data, expect)
        else:
            data.update(status=workflow["status"], assignee_id=str(workflow["assignee_id"] or 0))
            self.form(actor, f"/ventures/{vid}/issues/{iid}/workflow", data, expect)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks())
    def take_issue(self, actor, channel, pick):
        """DOMAIN.md: anyone of a party may take an unassigned issue (assign it to
        themselves); an assigned one only a lead or its assignee may reassign."""
        world = self.world()
        unassigned = [i for i, row in world.issues.items() if row.assignee_id is None]
        iid = pick.resolve(unassigned or list(world.issues))
        i = world.issues.get(iid)
        if i is None:
            return
        self.patch_issue(actor, channel, Pick("existing", sorted(world.issues).index(iid)),
                         "current", "own", None, ("self", 0), None, None)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), body=texts(10_000))
    def comment(self, actor, channel, pick, body):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        iid = pick.resolve(list(world.issues))
        i = world.issues.get(iid)
        v = world.ventures.get(i.venture_id) if i else None
        expect = Expect(deny=o.denial(v, o.belongs(v)), ok=body.valid(10_000, True, True, html),
                        why="comment")
        text = body.build(self.marker(v.id if v else 0, "work"), html)
        if channel == "api":
            self.api(actor, "POST", f"/issues/{iid}/comments", expect, json={"body": text})
        else:
            vid = i.venture_id if i else min(world.ventures)
            self.form(actor, f"/ventures/{vid}/issues/{iid}/comments", {"body": text}, expect)
