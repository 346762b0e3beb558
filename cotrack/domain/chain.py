"""The ledger's hash chain: each entry's hash covers its content, its three allocations and
the hash of the entry before it in its venture's ledger, keyed (HMAC-SHA256) with a secret
held outside the database, so rewriting entries and recomputing the chain needs the key.
Statements of a venture's ledger are signed with the same key."""

import hashlib
import hmac
import json
from datetime import UTC

from cotrack.models import PARTY_ROLES


def entry_message(fields: dict, allocations: dict, prev_hash: str) -> bytes:
    recorded_at = fields["recorded_at"].astimezone(UTC).isoformat(timespec="microseconds")
    parts = [
        str(fields["venture_id"]), fields["entry_date"].isoformat(), str(fields["amount"]),
        fields["currency"], fields["reference"], fields["region"], fields["note"],
        str(fields["recorded_by_id"]), recorded_at, str(fields["agreement_id"]),
        str(fields.get("reverses_id") or ""),
        *(str(allocations[r]) for r in PARTY_ROLES), prev_hash,
    ]
    return "\x1f".join(parts).encode()


def entry_hash(fields: dict, allocations: dict, prev_hash: str, key: bytes) -> str:
    """HMAC-SHA256 with ``key`` over the entry's content, allocations and previous hash."""
    return hmac.new(key, entry_message(fields, allocations, prev_hash),
                    hashlib.sha256).hexdigest()


def unkeyed_hash(fields: dict, allocations: dict, prev_hash: str) -> str:
    """The first version's plain SHA-256 (to verify old chains before rehashing them)."""
    return hashlib.sha256(entry_message(fields, allocations, prev_hash)).hexdigest()


def canonical(document: dict) -> bytes:
    """A statement's fields as signed: sorted keys, no spaces; the signature and the
    informational ``about`` (the venture's name, which may change) left out."""
    body = {k: v for k, v in document.items() if k not in ("signature", "about")}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(document: dict, key: bytes) -> str:
    return hmac.new(key, b"cotrack-statement\x1f" + canonical(document),
                    hashlib.sha256).hexdigest()


def signature_holds(document: dict, key: bytes) -> bool:
    signature = document.get("signature")
    return isinstance(signature, str) and hmac.compare_digest(signature, sign(document, key))
