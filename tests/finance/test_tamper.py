"""Tamper evidence without trusting the database: hashes keyed with a secret outside it,
signed statements each party downloads, ``flask ledger-verify --statement FILE``, and the
report page's check from the last checkpoint."""

import json

from sqlalchemy import func, select, text

from cotrack.domain.chain import entry_hash, unkeyed_hash
from cotrack.extensions import db
from cotrack.models import Allocation, LedgerStatement, RevenueEntry
from cotrack.reports.integrity import verify_ledger
from cotrack.reports.rehash import rehash_chains
from cotrack.services import ledger, statements
from tests.conftest import login, post_form

KEY = b"test-ledger-key-not-for-production"


def _record(ns, count=4, start=0):
    entries = [ledger.record_entry(ns.finance["customer"], ns.venture, {
        "date": f"2025-04-{10 + i}", "amount": f"{1000 + i}.00", "reference": f"INV-T{i}"})
        for i in range(start, start + count)]
    db.session.commit()
    return entries


def _around_the_guard():
    """What someone with database access does first: step around the append-only triggers."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE revenue_entry DISABLE TRIGGER USER"))
        db.session.execute(text("ALTER TABLE allocation DISABLE TRIGGER USER"))
    else:
        for table in ("revenue_entry", "allocation"):
            for event in ("update", "delete"):
                db.session.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{event}"))


def _rewrite_chain(ns, forge):
    """Move 10.00 from the customer to the reseller on the second entry, then recompute every
    later hash with ``forge(fields, allocations, prev_hash)``, as an attacker would."""
    _around_the_guard()
    entries = db.session.scalars(select(RevenueEntry).where(
        RevenueEntry.venture_id == ns.venture.id).order_by(RevenueEntry.id)).all()
    victim = entries[1]
    for role, delta in (("customer", -1000), ("reseller", 1000)):
        db.session.execute(text("UPDATE allocation SET amount = amount + :d WHERE entry_id = :e "
                                "AND role = :r"), {"d": delta, "e": victim.id, "r": role})
    prev = entries[0].hash
    for entry in entries[1:]:
        parts = dict(db.session.execute(select(Allocation.role, Allocation.amount).where(
            Allocation.entry_id == entry.id)).all())
        fields = {c: getattr(entry, c) for c in (
            "venture_id", "entry_date", "amount", "currency", "reference", "region", "note",
            "recorded_by_id", "recorded_at", "agreement_id", "reverses_id")}
        new = forge(fields, parts, prev)
        db.session.execute(text("UPDATE revenue_entry SET prev_hash = :p, hash = :h "
                                "WHERE id = :id"), {"p": prev, "h": new, "id": entry.id})
        prev = new
    db.session.expire_all()
    return victim


def test_hashes_are_keyed_with_the_ledger_key(books):
    ns = books()
    entry = _record(ns, 1)[0]
    parts = {a.role: a.amount for a in entry.allocations}
    fields = {c: getattr(entry, c) for c in ("venture_id", "entry_date", "amount", "currency",
                                             "reference", "region", "note", "recorded_by_id",
                                             "recorded_at", "agreement_id", "reverses_id")}
    assert entry.hash == entry_hash(fields, parts, "", KEY)
    assert entry.hash != unkeyed_hash(fields, parts, "")  # plain SHA-256 no longer matches


def test_rewriting_the_chain_without_the_key_is_detected(app, books):
    ns = books()
    _record(ns)
    assert verify_ledger(ns.venture.id) == []
    for forge in (unkeyed_hash,  # the first version's hash, recomputed "correctly"
                  lambda f, a, p: entry_hash(f, a, p, b"a guessed key")):
        victim = _rewrite_chain(ns, forge)
        problems = verify_ledger(ns.venture.id)
        assert victim.id in {p["entry_id"] for p in problems}
        assert all("hash" in p["problem"] for p in problems)
    result = app.test_cli_runner().invoke(args=["ledger-verify", "--venture", str(ns.venture.id)])
    assert result.exit_code != 0 and f"entry {victim.id}" in result.output


def _statement_file(client, ns) -> tuple[dict, bytes]:
    login(client, ns.finance["reseller"].email)
    url = f"/ventures/{ns.venture.id}/revenue/statements"
    assert post_form(client, url, {}).status_code == 302
    statement_id = db.session.scalar(select(func.max(LedgerStatement.id)))
    download = client.get(f"{url}/{statement_id}")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    return json.loads(download.get_data()), download.get_data()


def test_a_statement_proves_what_the_ledger_held_and_a_dropped_tail_is_caught(
        app, client, books, tmp_path):
    ns = books()
    entries = _record(ns)
    document, raw = _statement_file(client, ns)
    assert document["entries"] == 4 and document["chain_head"] == entries[-1].hash
    assert document["totals"]["customer"] == "801.20"  # 20 % of 4,006.00
    path = tmp_path / "statement.json"
    path.write_bytes(raw)
    cli = app.test_cli_runner()
    _record(ns, 1, start=10)  # the ledger grows: the statement still holds for what it covered
    result = cli.invoke(args=["ledger-verify", "--statement", str(path)])
    assert result.exit_code == 0, result.output
    assert "still holds the 4 entries" in result.output

    _around_the_guard()  # now the last two entries it covered disappear
    for entry in entries[2:]:
        db.session.execute(text("DELETE FROM allocation WHERE entry_id = :id"), {"id": entry.id})
        db.session.execute(text("DELETE FROM revenue_entry WHERE id = :id"), {"id": entry.id})
    result = cli.invoke(args=["ledger-verify", "--statement", str(path)])
    assert result.exit_code != 0
    assert "covered 4 entries" in result.output and "chain head differs" in result.output


def test_an_altered_statement_file_does_not_verify(app, client, books, tmp_path):
    ns = books()
    _record(ns, 2)
    document, _ = _statement_file(client, ns)
    document["totals"]["reseller"] = "9999.00"
    path = tmp_path / "statement.json"
    path.write_text(json.dumps(document))
    result = app.test_cli_runner().invoke(args=["ledger-verify", "--statement", str(path)])
    assert result.exit_code != 0 and "signature does not hold" in result.output


def test_statements_are_for_leads_and_finance_and_taken_by_finance(client, books, make_token,
                                                                    make_user):
    ns = books()
    _record(ns, 2)
    finance, lead = make_token(ns.finance["manufacturer"]), make_token(ns.leads["customer"])
    url = f"/api/v1/ventures/{ns.venture.id}/statements"
    assert client.post(url, headers=lead).status_code == 403
    taken = client.post(url, headers=finance)
    assert taken.status_code == 201 and taken.json["entries"] == 2
    listed = client.get(url, headers=lead).json
    assert listed["total"] == 1 and listed["items"][0]["signature"] == taken.json["signature"]
    one = f"/api/v1/statements/{listed['items'][0]['about']['statement_id']}"
    assert client.get(one, headers=lead).json == taken.json
    assert client.get(url, headers=make_token(ns.member)).status_code == 403
    assert client.get(one, headers=make_token(make_user("finance"))).status_code == 404


def test_monthly_statements_are_taken_on_their_own(app, books):
    from cotrack import jobs

    ns, quiet = books(), books()
    _record(ns, 2)
    assert statements.monthly_statements() >= 1
    taken = db.session.scalars(select(LedgerStatement).where(
        LedgerStatement.venture_id.in_([ns.venture.id, quiet.venture.id]))).all()
    assert [(s.venture_id, s.kind, s.entry_count) for s in taken] == [
        (ns.venture.id, "monthly", 2)]  # a venture without revenue has nothing to state
    assert "ledger.monthly_statements" in jobs.queue._jobs(app).tasks


def test_the_report_check_starts_at_the_checkpoint_and_still_catches_changes(client, books):
    ns = books()
    _record(ns, 3)
    assert statements.nightly_checkpoints() >= 1
    db.session.commit()
    later = _record(ns, 2, start=5)
    login(client, ns.finance["customer"].email)
    url = f"/reports?venture_id={ns.venture.id}"
    assert 'data-testid="integrity-ok"' in client.get(url).get_data(as_text=True)
    _around_the_guard()
    db.session.execute(text("UPDATE revenue_entry SET amount = 1 WHERE id = :id"),
                       {"id": later[-1].id})
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert 'data-testid="integrity-problems"' in html and f"entry #{later[-1].id}" in html
    checkpoint = db.session.scalar(select(LedgerStatement).where(
        LedgerStatement.venture_id == ns.venture.id))
    db.session.execute(text("DELETE FROM allocation WHERE entry_id = :id"),
                       {"id": checkpoint.through_entry_id})
    db.session.execute(text("DELETE FROM revenue_entry WHERE id = :id"),
                       {"id": checkpoint.through_entry_id})
    db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert "last verified entry is missing" in html


def test_rotating_the_key_rewrites_every_chain_after_verifying_it(books):
    ns = books()
    _record(ns, 3)
    new_key = b"the next ledger key"
    _around_the_guard()
    renamed = rehash_chains(db.session.connection(),
                            lambda f, a, p: entry_hash(f, a, p, KEY), new_key)
    assert len(renamed) >= 3
    db.session.expire_all()
    entries = db.session.scalars(select(RevenueEntry).where(
        RevenueEntry.venture_id == ns.venture.id).order_by(RevenueEntry.id)).all()
    prev = ""
    for entry in entries:
        parts = {a.role: a.amount for a in entry.allocations}
        fields = {c: getattr(entry, c) for c in (
            "venture_id", "entry_date", "amount", "currency", "reference", "region", "note",
            "recorded_by_id", "recorded_at", "agreement_id", "reverses_id")}
        assert entry.prev_hash == prev
        assert entry.hash == entry_hash(fields, parts, prev, new_key)
        prev = entry.hash
    assert verify_ledger(ns.venture.id)  # the old key no longer matches


def test_a_tampered_ledger_is_never_rekeyed(books):
    import pytest

    from cotrack.reports.rehash import ChainBroken

    ns = books()
    _record(ns, 2)
    _rewrite_chain(ns, unkeyed_hash)
    with pytest.raises(ChainBroken):
        rehash_chains(db.session.connection(), lambda f, a, p: entry_hash(f, a, p, KEY),
                      b"next")
