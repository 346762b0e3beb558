"""A venture's life: stage gates (request, approve, reject, shelve), status updates, and
invitations (create a venture, accept, decline)."""

from hypothesis import strategies as st
from hypothesis.stateful import rule
from sqlalchemy import text

from tests.property.checks import Expect
from tests.property.inputs import Txt, picks, texts
from tests.property.model import ROLES
from tests.property.rules_work import ACTOR, CHANNEL, gone

GATE_ACTIONS = ("request", "approve", "approve", "approve", "reject", "shelve")
DEMO_ORGS = ("Northwind Storage", "Summit Channel Partners", "Forge Devices", "Harbor Logistics")


class VentureRules:
    _no_comment = Txt("blank")

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), action=st.sampled_from(GATE_ACTIONS),
          comment=texts(2000))
    def gate(self, actor, channel, pick, action, comment):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        lead = o.lead(v)
        words = comment.build(self.marker(vid, "work"), html)
        said = comment.valid(2000, False, True, html)
        deny = o.denial(v, lead and not gone(v) and v.status != "pending")
        if deny is not None:
            expect = Expect(deny=deny, why=f"gate {action}",
                            also=frozenset({"refused"}) if lead else frozenset())
        else:
            expect = Expect(ok=self._gate_fine(v, action, said, comment.kind, o),
                            why=f"gate {action}")
        path = f"/ventures/{vid}/" + {"request": "gate", "approve": "gate/approve",
                                       "reject": "gate/reject", "shelve": "shelve"}[action]
        body = {"reason": words} if action == "shelve" else (
            {} if action == "request" else {"comment": words})
        if channel == "api":
            self.api(actor, "POST", path, expect, json=body)
        else:
            self.form(actor, path, body, expect)

    @rule(channel=CHANNEL, pick=picks(), order=st.permutations(ROLES),
          request=st.booleans())
    def every_lead_decides(self, channel, pick, order, request):
        """A lead of each party approves in turn (after one requests the gate): the way a
        gate really passes, or is refused when its conditions do not hold."""
        world = self.world()
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        if v is None:
            return
        leads = {v.role_of(a.org_id): a for a in self.actors
                 if a.role == "lead" and v.role_of(a.org_id)}
        if request and order[0] in leads:
            self.gate(leads[order[0]], channel, pick, "request", self._no_comment)
        for role in order:
            if role in leads:
                self.gate(leads[role], channel, pick, "approve", self._no_comment)

    def _gate_fine(self, v, action, said, kind, o) -> bool:
        """Whether the gate action should pass, by DOMAIN.md's rules and the current state."""
        world = self.world()
        gate = world.open_gates.get(v.id)
        if action == "request":
            return gate is None and v.next_stage is not None and world.gate_conditions_hold(v)
        if action == "shelve":
            return gate is None and said and kind != "blank"
        if gate is None:
            return False
        _, gate_kind, decisions = gate
        mine = v.role_of(o.actor.org_id)
        if mine in decisions:
            return False
        if action == "reject":
            return said and kind != "blank"
        others = {r for r, d in decisions.items() if d == "approve"}
        completes = others | {mine} == set(ROLES)
        # the conditions must hold at the moment the gate passes (DOMAIN.md)
        return said and not (completes and gate_kind == "advance"
                             and not world.gate_conditions_hold(v))

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(),
          health=st.sampled_from(["green", "amber", "red", "purple"]), summary=texts(5000),
          decisions=texts(5000))
    def post_update(self, actor, channel, pick, health, summary, decisions):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        valid = (health != "purple" and summary.valid(5000, True, True, html)
                 and decisions.valid(5000, False, True, html))
        lead = o.lead(v)
        deny = o.denial(v, lead and v.status == "active")
        expect = Expect(deny=deny, ok=valid, why="status update",
                        also=frozenset({"refused"}) if lead and deny else frozenset())
        body = {"health": health, "summary": summary.build(self.marker(vid, "work"), html),
                "decisions": decisions.build(self.marker(vid, "work"), html)}
        if channel == "api":
            self.api(actor, "POST", f"/ventures/{vid}/updates", expect, json=body)
        else:
            self.form(actor, f"/ventures/{vid}/updates", body, expect)

    @rule(actor=ACTOR, channel=CHANNEL, name=texts(200),
          orgs=st.permutations(range(len(DEMO_ORGS))),
          currency=st.sampled_from(["EUR", "USD", "JPY", "BHD", "XXQ", ""]))
    def create_venture(self, actor, channel, name, orgs, currency):
        html = channel == "html"
        ids = dict(self.connection.execute(text("SELECT name, id FROM organisation")).all())
        chosen = [ids[DEMO_ORGS[i]] for i in orgs[:3]]
        valid = (name.valid(200, True, False, html) and currency in ("EUR", "USD", "JPY", "BHD")
                 and actor.org_id in chosen)
        marker = self.marker(0, "name")
        title = name.build(marker, html)
        expect = Expect(deny=None if actor.role == "lead" else 403, ok=valid,
                        why="create venture")
        parties = dict(zip(ROLES, chosen, strict=True))
        before = max(self.world().ventures)
        if channel == "api":
            self.api(actor, "POST", "/ventures", expect, json={
                "name": title, "description": "", "currency": currency, "parties": parties})
        else:
            self.form(actor, "/ventures/new", {"name": title, "description": "",
                                               "currency": currency, **parties}, expect)
        created = [x for x in self.world().ventures if x > before]
        self.markers = [(m, created[0] if m == marker and created else vid, kind)
                        for m, vid, kind in self.markers]

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), accept=st.booleans(), reason=texts(2000))
    def answer_invitation(self, actor, channel, pick, accept, reason):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        invited = v is not None and v.invited(actor.org_id)
        why = "accept" if accept else "decline"
        if invited:
            fine = accept or (reason.valid(2000, True, True, html) and reason.kind != "blank")
            expect = Expect(deny=None if actor.role == "lead" else 403, ok=fine, why=why)
        elif o.sees(v) or (v is not None and actor.org_id in v.parties):
            expect = Expect(ok=False, why=f"{why} without an open invitation",
                            also=frozenset({"403", "404"}))
        else:
            expect = Expect(deny=404, why=why)
        words = reason.build(self.marker(vid, "name"), html)
        path = f"/ventures/{vid}/" + ("accept" if accept else "decline")
        if channel == "api":
            self.api(actor, "POST", path, expect, json={} if accept else {"reason": words})
        else:
            self.form(actor, path, {} if accept else {"reason": words}, expect)
