"""Statements of a venture's ledger as documents: what is signed, the file each party's
finance downloads, and the proof that the ledger still holds exactly what one covered
(``flask ledger-verify --statement FILE``)."""

from sqlalchemy import func, select

from cotrack.db.ledger_key import ledger_key
from cotrack.domain.chain import sign, signature_holds
from cotrack.domain.money import format_amount
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, LedgerStatement, RevenueEntry, Venture
from cotrack.reports.integrity import verify_ledger
from cotrack.reports.statement_core import FORMAT, statement_core


def sign_statement(s: LedgerStatement) -> None:
    s.signature = sign(statement_core(s), ledger_key())


def statement_signature_holds(s: LedgerStatement) -> bool:
    return signature_holds({**statement_core(s), "signature": s.signature}, ledger_key())


def statement_document(s: LedgerStatement, venture: Venture) -> dict:
    """The file: the signed fields, the signature, and the venture's name for people."""
    return {**statement_core(s), "about": {"venture": venture.name, "statement_id": s.id},
            "signature": s.signature}


def verify_statement(document: dict) -> list[str]:
    """Problems with the ledger against a statement file: a signature that does not hold,
    entries dropped or added up to the statement's last one, a different chain head, other
    totals, or any entry up to it that no longer matches its hash. [] when it holds."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return ["not a CoTrack ledger statement"]
    if not signature_holds(document, ledger_key()):
        return ["the statement's signature does not hold (altered, or another ledger key)"]
    venture_id, through = document["venture_id"], document["through_entry_id"]
    problems = []
    count = db.session.scalar(select(func.count(RevenueEntry.id)).where(
        RevenueEntry.venture_id == venture_id, RevenueEntry.id <= (through or 0)))
    if count != document["entries"]:
        problems.append(f"the statement covered {document['entries']} entries up to entry "
                        f"{through}; the ledger holds {count}")
    head = db.session.scalar(select(RevenueEntry.hash).where(
        RevenueEntry.id == through, RevenueEntry.venture_id == venture_id)) if through else ""
    if head != document["chain_head"]:
        problems.append(f"the chain head differs: entry {through} is missing or changed")
    sums: dict = {}
    problems += [f"entry {p['entry_id']}: {p['problem']}" for p in verify_ledger(
        venture_id, through=through or -1, sums=sums)] if through else []
    totals = {r: format_amount(sums.get(r, 0), document["currency"]) for r in PARTY_ROLES}
    if totals != document["totals"]:
        problems.append(f"the totals differ: statement {document['totals']}, ledger {totals}")
    return problems
