"""Money: propose and sign split agreements, record and reverse revenue, import a CSV."""

import csv
import html
import io
import re
from datetime import date
from urllib.parse import urlsplit

from hypothesis import strategies as st
from hypothesis.stateful import rule
from sqlalchemy import text

from tests.property import checks
from tests.property.checks import Expect
from tests.property.inputs import Day, amounts, near_today, picks, shares, texts
from tests.property.rules_work import ACTOR, CHANNEL

#: the hidden fields of the import preview's "Record" form
CONFIRM_FIELD = re.compile(r'<input[^>]*name="(encoding|delimiter|number_format|date_format|'
                           r'allow_duplicates)"[^>]*value="([^"]*)"')

ROW = st.tuples(near_today(420, 30), amounts(), texts(100), texts(100))


def _day(value: str):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class MoneyRules:
    def _money_expect(self, o, v, allowed, fine, why, also=()):
        deny = None if o.sees(v) else 404
        if deny is None and not o.views_revenue(v):
            deny = 403
        if deny is None and not allowed:
            deny = 403
        return Expect(deny=deny, ok=fine, why=why, also=frozenset(also))

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), effective=near_today(30, 400),
          split=shares(), note=texts(5000))
    def propose_agreement(self, actor, channel, pick, effective, split, note):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        day = _day(effective.value) if effective.valid else None
        after = [d for d in (world.latest_revenue_date(vid), world.latest_signed_from(vid)) if d]
        fine = (day is not None and all(day > d for d in after) and split.valid
                and note.valid(5000, False, True, html))
        open_venture = v is not None and v.status in ("active", "closed")
        expect = self._money_expect(o, v, o.signs(v) and open_venture, fine, "propose agreement",
                                    also={"refused"} if o.signs(v) and not open_venture else ())
        words = note.build(self.marker(vid, "revenue"), html)
        if channel == "api":
            self.api(actor, "POST", f"/ventures/{vid}/agreements", expect, json={
                "effective_from": effective.value, "shares": split.as_dict(), "note": words})
        else:
            self.form(actor, f"/ventures/{vid}/agreements", {
                "effective_from": effective.value, **split.as_dict(), "note": words}, expect)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), approve=st.booleans(),
          comment=texts(2000))
    def decide_agreement(self, actor, channel, pick, approve, comment):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        aid = pick.resolve(list(world.agreements))
        row, decisions = world.agreements.get(aid, (None, {}))
        v = world.ventures.get(row.venture_id) if row else None
        fine = row is not None and row.status == "proposed" and comment.valid(
            2000, False, True, html) and v.role_of(actor.org_id) not in decisions
        if fine and approve:
            others = {r for r, d in decisions.items() if d == "approve"}
            last = world.latest_revenue_date(v.id)
            if others | {v.role_of(actor.org_id)} == {"customer", "reseller", "manufacturer"}:
                fine = last is None or _day(str(row.effective_from)[:10]) > last
        open_venture = v is not None and v.status in ("active", "closed")
        expect = self._money_expect(o, v, o.signs(v) and open_venture, fine,
                                    "approve agreement" if approve else "reject agreement",
                                    also={"refused"} if o.signs(v) and not open_venture else ())
        words = comment.build(self.marker(v.id if v else 0, "revenue"), html)
        decision = "approve" if approve else "reject"
        if channel == "api":
            self.api(actor, "POST", f"/agreements/{aid}/{decision}", expect,
                     json={"comment": words})
        else:
            vid = row.venture_id if row else min(world.ventures)
            self.form(actor, f"/ventures/{vid}/agreements/{aid}/{decision}",
                      {"comment": words}, expect)

    def _row_fine(self, v, day, amount, ref, region, html) -> bool:
        parsed = _day(day.value) if day.valid else None
        amount_ok = amount.valid or (html and isinstance(amount.value, float))
        return (parsed is not None and self.world().agreement_on(v.id, parsed) and amount_ok
                and ref.valid(100, True, False, html) and region.valid(100, False, False, html))

    def _amount_text(self, amount, html):
        if amount.value is None:
            return "" if html else None
        return str(amount.value) if html else amount.value

    def _register_amount(self, vid, amount) -> None:
        if amount.valid and amount.distinctive:
            whole, _, part = amount.value.partition(".")
            self.register(amount.value, vid, "revenue")
            self.register(f"{int(whole):,}.{part}", vid, "revenue")

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), row=ROW, note=texts(2000),
          duplicate=st.sampled_from([False, False, False, True]))
    def record_revenue(self, actor, channel, pick, row, note, duplicate):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        day, amount, ref, region = row
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        reference = ref.build(self.marker(vid, "revenue", "INV"), html)
        live = sorted(world.live_references(vid))
        if duplicate and live:
            reference, ref = live[0], ref.__class__("ok")
        fine = v is not None and self._row_fine(v, day, amount, ref, region, html) and (
            note.valid(2000, False, True, html))
        also = ()
        if duplicate and live:  # DOMAIN.md: unique unless the user confirms a duplicate
            fine = False
        elif reference.strip() in (world.any_references(vid) if v else ()):
            also = ("ok", "refused")  # the same reference as a reversed entry
        self._register_amount(vid, amount)
        expect = self._money_expect(o, v, o.records(v), fine, "record revenue", also)
        body = {"date": day.value, "amount": self._amount_text(amount, html),
                "reference": reference, "region": region.build(self.marker(vid, "revenue"), html),
                "note": note.build(self.marker(vid, "revenue"), html)}
        if channel == "api":
            self.api(actor, "POST", f"/ventures/{vid}/revenue", expect, json=body)
        else:
            self.form(actor, f"/ventures/{vid}/revenue", body, expect)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), reason=texts(2000))
    def reverse_revenue(self, actor, channel, pick, reason):
        world, o, html = self.world(), self.oracle(actor), channel == "html"
        eid = pick.resolve(list(world.entries))
        entry = world.entries.get(eid)
        v = world.ventures.get(entry.venture_id) if entry else None
        fine = (entry is not None and entry.reverses_id is None and not entry.reversed
                and reason.valid(2000, True, True, html))  # DOMAIN.md: it states its reason
        expect = self._money_expect(o, v, o.records(v), fine, "reverse revenue")
        words = reason.build(self.marker(v.id if v else 0, "revenue"), html)
        if channel == "api":
            response = self.api(actor, "POST", f"/revenue/{eid}/reverse", expect,
                                json={"reason": words})
            if response.status_code == 201:
                stored = self.connection.execute(text(
                    "SELECT note FROM revenue_entry WHERE reverses_id = :id"), {"id": eid}).scalar()
                if words.strip() and stored != words.strip():
                    raise checks.ContractViolation(
                        f"API.md: the reversal states the `reason` sent ({words[:40]!r}); "
                        f"it was stored as {stored!r}")
        else:
            vid = entry.venture_id if entry else min(world.ventures)
            self.form(actor, f"/ventures/{vid}/revenue/{eid}/reverse", {"reason": words},
                      expect)

    @rule(actor=ACTOR, channel=CHANNEL, pick=picks(), rows=st.lists(ROW, min_size=1,
                                                                  max_size=4))
    def import_csv(self, actor, channel, pick, rows):
        world, o = self.world(), self.oracle(actor)
        vid = pick.resolve(list(world.ventures))
        v = world.ventures.get(vid)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["date", "amount", "reference", "region", "note"])
        fine = v is not None
        # The HTML preview reads the dates in the format the file's rows fit (README,
        # "Importing revenue"): a file whose every date is 31.12.2026 is read as DD.MM.YYYY,
        # so that date is 2026-12-31 there. The API reads YYYY-MM-DD unless told otherwise.
        dotted = channel == "html" and all(day.value == "31.12.2026" for day, *_ in rows)
        for day, amount, ref, region in rows:
            seen = Day("2026-12-31", True) if dotted else day
            fine = fine and self._row_fine(v, seen, amount, ref, region, True)
            self._register_amount(vid, amount)
            writer.writerow([day.value, self._amount_text(amount, True),
                             ref.build(self.marker(vid, "revenue", "INV"), True),
                             region.build(self.marker(vid, "revenue"), True), ""])
        data = buffer.getvalue().encode("utf-8")
        expect = self._money_expect(o, v, o.records(v), fine, f"import {len(rows)} rows")
        upload = {"file": (io.BytesIO(data), "revenue.csv", "text/csv")}
        if channel == "api":
            self.api(actor, "POST", f"/ventures/{vid}/revenue/import", expect, data=upload,
                     content_type="multipart/form-data")
        else:
            self._import_in_three_steps(actor, vid, upload, expect, fine)

    def _import_in_three_steps(self, actor, vid, upload, expect, fine):
        """Upload (kept, nothing recorded), preview (nothing recorded), then record with the
        options the preview page chose: only a file without problems offers that step."""
        upload_step = Expect(deny=expect.deny, why=expect.why + ", upload")
        first = self.form(actor, f"/ventures/{vid}/revenue/import", upload, upload_step,
                          content_type="multipart/form-data")
        if first.status_code != 303:
            return
        preview = urlsplit(first.headers["Location"]).path
        page = self.page(actor, preview, Expect(why=expect.why + ", preview")).text
        options = {name: html.unescape(value) for name, value in CONFIRM_FIELD.findall(page)}
        if "number_format" not in options:  # problems listed: nothing can be recorded
            if fine:
                raise checks.failure(checks.WronglyRefused, expect.why,
                                     f"{actor.email}: the preview of a valid file at {preview} "
                                     "offers no way to record it")
            return
        self.form(actor, preview, options, expect)
