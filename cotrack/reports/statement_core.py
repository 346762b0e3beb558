"""What a ledger statement signs (shared by the statement files and the checkpoint check)."""

from cotrack.domain.money import format_amount
from cotrack.models import PARTY_ROLES, LedgerStatement

FORMAT = "cotrack-ledger-statement/1"


def statement_core(s: LedgerStatement) -> dict:
    """The signed fields of a statement."""
    return {
        "format": FORMAT, "venture_id": s.venture_id, "kind": s.kind,
        "taken_at": s.taken_at.isoformat(timespec="seconds"),
        "entries": s.entry_count, "through_entry_id": s.through_entry_id,
        "chain_head": s.chain_head, "currency": s.currency,
        "totals": {r: format_amount(getattr(s, r), s.currency) for r in PARTY_ROLES},
    }
