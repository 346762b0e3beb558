"""What the machine checks: each answer against the oracle, every body for leaks, and the
database's own invariants (allocations, stage gates, the hash chain).

Each kind of failure is its own exception class, so Hypothesis reports distinct defects
separately instead of shrinking them all into the first one.
"""

import io
import json
import zipfile
from dataclasses import dataclass
from html import unescape

from sqlalchemy import text


class MachineFailure(AssertionError):
    """Base of everything the machine reports."""


class ServerError(MachineFailure):
    """A 5xx answer."""


class PermissionViolation(MachineFailure):
    """An answer other than what DOMAIN.md's table allows this person (404/403/2xx)."""


class InvalidAccepted(MachineFailure):
    """Input that DOMAIN.md's "Valid input" refuses, or a state that forbids it, was accepted."""


class WronglyRefused(MachineFailure):
    """A valid request by a person allowed to make it was refused."""


class PartialWrite(MachineFailure):
    """A refused request changed the database."""


class Leak(MachineFailure):
    """A body shows something the viewer may not see."""


class AllocationMismatch(MachineFailure):
    """A revenue entry's three allocations do not sum to its amount."""


class GateViolation(MachineFailure):
    """A venture moved stage (or was shelved) without its conditions and three approvals."""


class ChainBroken(MachineFailure):
    """cotrack.integrity found a problem in the ledger."""


class ContractViolation(MachineFailure):
    """An answer's shape differs from API.md (e.g. a stale 409 without ``current``)."""


_KINDS: dict = {}


def failure(cls: type, action: str, message: str) -> MachineFailure:
    """``cls`` specialised by the action, so that Hypothesis tells apart (and shrinks
    separately) the same kind of failure in different actions."""
    key = (cls, action)
    if key not in _KINDS:
        name = f"{cls.__name__}_" + "".join(c if c.isalnum() else "_" for c in action)
        _KINDS[key] = type(name, (cls,), {"__module__": cls.__module__})
    return _KINDS[key](message)


@dataclass
class Expect:
    """What the oracle allows: ``deny`` 404/403, else ``ok`` True (must succeed), False (must
    be refused: invalid input or a state that forbids it) or None (either; state decides)."""

    deny: int | None = None
    ok: bool | None = True
    why: str = ""
    #: other results that are acceptable (e.g. 404 or 422 when both a filter and the venture
    #: are wrong; 403 or 409 for a lead acting on a venture that is not active)
    also: frozenset = frozenset()


def outcome(response, html_post_flash: str | None) -> str:
    """ok, refused, 403, 404, 5xx or other, from the status (and an HTML form's flash)."""
    status = response.status_code
    if status >= 500:
        return "5xx"
    if status in (403, 404):
        return str(status)
    if status in (400, 409, 413, 422):
        return "refused"
    if 200 <= status < 400:
        return "refused" if html_post_flash == "danger" else "ok"
    return "other"


def body_text(response) -> str:
    """The text a person would read in the answer: HTML, JSON, CSV, or an XLSX's cells."""
    data = response.get_data()
    if data[:2] == b"PK":  # XLSX: the cells live in XML inside the zip
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [archive.read(name).decode("utf-8", "replace")
                     for name in archive.namelist() if name.endswith(".xml")]
        return unescape("\n".join(parts))
    decoded = data.decode("utf-8", "replace")
    if response.is_json:
        try:  # JSON escapes non-ASCII; compare with the decoded strings
            return json.dumps(json.loads(decoded), ensure_ascii=False)
        except ValueError:
            return decoded
    return unescape(decoded)


ALLOCATIONS = text("""
    SELECT e.id, e.amount, count(a.id) AS parts, coalesce(sum(a.amount), 0) AS total
    FROM revenue_entry e LEFT JOIN allocation a ON a.entry_id = e.id
    GROUP BY e.id, e.amount
    HAVING count(a.id) <> 3 OR coalesce(sum(a.amount), 0) <> e.amount""")

LAST_GATE = text("""
    SELECT g.id, g.kind, g.status,
           (SELECT count(*) FROM gate_approval a
            WHERE a.gate_id = g.id AND a.decision = 'approve') AS approvals
    FROM gate_request g WHERE g.venture_id = :venture ORDER BY g.id DESC LIMIT 1""")


def allocation_problems(connection) -> list:
    return [tuple(r) for r in connection.execute(ALLOCATIONS).all()]


def check_transitions(connection, before, why: str) -> None:
    """A venture's stage or shelving moved only through a gate approved by all three parties,
    to the next stage, with DOMAIN.md's conditions holding at that moment (``before``)."""
    rows = connection.execute(text("SELECT id, stage, status FROM venture")).all()
    for row in rows:
        old = before.ventures.get(row.id)
        if old is None or (old.stage, old.status) == (row.stage, row.status):
            continue
        moved = row.stage != old.stage
        shelved = row.status == "shelved" and old.status != "shelved"
        if not (moved or shelved):
            continue
        gate = connection.execute(LAST_GATE, {"venture": row.id}).one_or_none()
        problems = []
        if gate is None or gate.status != "approved" or gate.approvals != 3:
            problems.append(f"the last gate is {gate and tuple(gate)}, not approved by three")
        if moved:
            if row.stage != old.next_stage:
                problems.append(f"moved {old.stage} -> {row.stage}, not to the next stage")
            if not before.gate_conditions_hold(old):
                problems.append(
                    f"conditions unmet when it moved: unfinished milestones "
                    f"{before.unfinished(old)}, open critical issues {before.open_critical(old)}")
        if problems:
            raise GateViolation(f"venture {row.id} ({old.stage}/{old.status} -> "
                                f"{row.stage}/{row.status}) after {why}: " + "; ".join(problems))
