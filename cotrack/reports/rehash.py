"""Re-key every hash chain: verify each entry with the hash it was made with, then write
the chain again with the new key. Used by the migration that introduced keyed hashes
(from plain SHA-256) and by ``flask ledger-rehash`` when the ledger key is rotated."""

from collections.abc import Callable

from sqlalchemy import text

from cotrack.domain.chain import entry_hash

_ENTRIES = text("""
    SELECT id, venture_id, entry_date, amount, currency, reference, region, note,
           recorded_by_id, recorded_at, agreement_id, reverses_id, prev_hash, hash
    FROM revenue_entry ORDER BY venture_id, id""")
_ALLOCATIONS = text("SELECT entry_id, role, amount FROM allocation")
_UPDATE = text("UPDATE revenue_entry SET prev_hash = :prev_hash, hash = :hash WHERE id = :id")


class ChainBroken(RuntimeError):
    pass


def _parse_time(value):
    from datetime import UTC, datetime

    if isinstance(value, str):  # SQLite hands back text
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _parse_date(value):
    from datetime import date

    return date.fromisoformat(value) if isinstance(value, str) else value


def rehash_chains(connection, old_hash: Callable, new_key: bytes) -> dict[str, str]:
    """Check every entry against ``old_hash(fields, allocations, prev_hash)`` (raise
    ChainBroken naming the first that fails: a tampered ledger is never re-blessed), then
    rewrite each venture's chain with ``new_key``. {old hash: new hash}. The caller lifts
    the append-only guard and owns the transaction."""
    parts: dict[int, dict] = {}
    for entry_id, role, amount in connection.execute(_ALLOCATIONS):
        parts.setdefault(entry_id, {})[role] = amount
    renamed: dict[str, str] = {}
    updates = []
    previous: dict[int, tuple[str, str]] = {}
    for row in connection.execute(_ENTRIES).mappings():
        fields = dict(row)
        fields["recorded_at"] = _parse_time(fields["recorded_at"])
        fields["entry_date"] = _parse_date(fields["entry_date"])
        old_prev, new_prev = previous.get(row["venture_id"], ("", ""))
        allocations = parts.get(row["id"], {})
        if row["prev_hash"] != old_prev or old_hash(fields, allocations, old_prev) != row["hash"]:
            raise ChainBroken(f"entry {row['id']} of venture {row['venture_id']} does not "
                              "match its hash: verify the ledger before re-keying it")
        new = entry_hash(fields, allocations, new_prev, new_key)
        renamed[row["hash"]] = new
        updates.append({"id": row["id"], "prev_hash": new_prev, "hash": new})
        previous[row["venture_id"]] = (row["hash"], new)
    for start in range(0, len(updates), 5000):
        connection.execute(_UPDATE, updates[start:start + 5000])
    return renamed
