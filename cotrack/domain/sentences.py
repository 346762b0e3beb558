"""Plain sentences for the activity trail, notifications and mails (one builder for all).

"Fiona Reyes reversed INV-1001 (EUR 12,500.00): duplicate posting." People by name, field
labels rather than column names, money with its currency in the reader's locale, dates as
the locale writes them. Works on what an activity row stores (action, object type, label,
changes), including rows written before this builder existed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from cotrack.domain.money import format_money, format_share_for, minor_digits, plain_decimal
from cotrack.domain.preferences import DEFAULT_LOCALE
from cotrack.models import STAGE_LABELS as STAGE_NAMES

#: column names as people say them
FIELD_LABELS = {
    "due_date": "due date", "effective_from": "effective from", "party": "accountable party",
    "assignee": "assignee", "milestone": "milestone", "status": "status",
    "severity": "severity", "stage": "stage", "title": "title", "description": "description",
    "name": "name", "reason": "reason", "comment": "comment", "health": "health",
    "summary": "summary", "decisions": "decisions", "currency": "currency",
    "amount": "amount", "date": "date", "region": "region", "note": "note",
    "reference": "reference", "customer": "customer", "reseller": "reseller",
    "manufacturer": "manufacturer", "supersedes": "supersedes",
}
#: long text: "changed the description", without quoting both versions
LONG_FIELDS = frozenset({"description", "summary", "decisions", "note"})
#: fields that say nothing to a reader (ids of related rows)
HIDDEN_FIELDS = frozenset({"reversal_id", "id", "version"})
OBJECT_NOUNS = {"venture": "the venture", "milestone": "the milestone", "issue": "the issue",
                "gate": "the gate", "update": "a status update", "party": "the invitation",
                "split_agreement": "", "revenue_entry": ""}
SHARE_FIELDS = ("customer", "reseller", "manufacturer")


@dataclass(frozen=True)
class Words:
    """How one reader reads: their locale, and the currency of the venture in question."""

    locale: str = DEFAULT_LOCALE
    currency: str | None = None

    def money(self, text) -> str:
        value = plain_decimal(text) if isinstance(text, str) else None
        if value is None or not self.currency:
            return str(text)
        return format_money(int(value.scaleb(minor_digits(self.currency))), self.currency,
                            self.locale)

    def value(self, field: str, value) -> str:
        if value is None or value == "":
            return "none"
        if field in ("amount", "total"):
            return self.money(value)
        if field in SHARE_FIELDS and plain_decimal(str(value)) is not None:
            # a share; the same keys name the parties of a new venture
            share = plain_decimal(str(value))
            if share != share.quantize(Decimal("0.01")):
                return f"{value} %"
            return format_share_for(int(share.scaleb(2)), self.locale)
        if field == "stage" or field in ("from_stage", "to_stage"):
            return STAGE_NAMES.get(value, str(value))
        if isinstance(value, str) and len(value) == 10 and value[4:5] == "-":
            try:
                return format_date(date.fromisoformat(value), "medium", locale=self.locale)
            except ValueError:
                return value
        if field in ("status", "health", "severity", "party", "decision"):
            return str(value).replace("_", " ")
        return str(value)


def quoted(text: str, limit: int = 140) -> str:
    text = " ".join(str(text).split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def field_changes(changes: dict, words: Words) -> str:
    """"status planned → in progress; due date 1 Mar 2026 → 8 Mar 2026"."""
    parts = []
    for field, value in (changes or {}).items():
        if field in HIDDEN_FIELDS:
            continue
        label = FIELD_LABELS.get(field, field.replace("_", " "))
        if isinstance(value, list) and len(value) == 2:
            if field in LONG_FIELDS:
                parts.append(f"{label} changed")
            else:
                parts.append(f"{label} {words.value(field, value[0])} → "
                             f"{words.value(field, value[1])}")
    return "; ".join(parts)


def details(changes: dict, words: Words, skip=()) -> str:
    """"severity high, accountable party manufacturer" from a created row's details."""
    parts = []
    for field, value in (changes or {}).items():
        if field in HIDDEN_FIELDS or field in skip or value in (None, "") or isinstance(
                value, list | dict):
            continue
        label = FIELD_LABELS.get(field, field.replace("_", " "))
        shown = quoted(value, 80) if field in LONG_FIELDS else words.value(field, value)
        parts.append(f"{label} {shown}")
    return ", ".join(parts)


def describe(row, words: Words) -> str:
    """The sentence of an activity row: an ``Activity`` (its actor loaded) or a row of
    ``activity_rows``."""
    return sentence(row.action, row.object_type, row.object_label, row.changes,
                    row.actor_name, words)


def sentence(action: str, object_type: str, label: str, changes: dict | None, actor: str | None,
             words: Words) -> str:
    """One plain sentence for one activity row."""
    who = actor or "CoTrack"
    changes = changes or {}
    special = _SPECIAL.get((object_type, action))
    if special is not None:
        return special(who, label, changes, words)
    noun = OBJECT_NOUNS.get(object_type, f"the {object_type.replace('_', ' ')}")
    thing = f"{noun} {quoted(label)}".strip() if label else noun
    if action == "updated":
        return _with(f"{who} changed {thing}", field_changes(changes, words))
    return _with(f"{who} {action} {thing}", details(changes, words), " (", ")")


def _with(text: str, extra: str, opening: str = ": ", closing: str = "") -> str:
    if not extra:
        return f"{text}."
    said = f"{text}{opening}{extra}{closing}"
    return said if said.rstrip("”").endswith((".", "!", "?", "…")) else f"{said}."


def possessive(name: str) -> str:
    """"Forge Devices'", "Nora Lind's"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _party(label: str) -> tuple[str, str]:
    role, _, org = label.partition(": ")
    return role, org or label


def _accepted(who, label, changes, words):
    role, org = _party(label)
    return f"{who} accepted the invitation for {org} as {role}."


def _declined(who, label, changes, words):
    role, org = _party(label)
    return _with(f"{who} declined the invitation for {org} as {role}", changes.get("reason"))


def _invitation(verb):
    def build(who, label, changes, words):
        role, org = _party(label)
        text = f"{who} {verb} {org} as {role}"
        if changes.get("replacing"):
            text += f", in place of {changes['replacing']}"
        return f"{text}."
    return build


def _venture_event(who, label, changes, words):
    old, new = (changes.get("stage") or [None, None])
    return (f"The venture moved from {words.value('stage', old)} to "
            f"{words.value('stage', new)} with {possessive(who)} approval.")


def _gate(verb):
    def build(who, label, changes, words):
        party = changes.get("party")
        text = f"{who} {verb} the gate {label}"
        if party:
            text += f" for the {party}"
        return _with(text, changes.get("comment") or changes.get("reason"))
    return build


def _revenue(verb):
    def build(who, label, changes, words):
        text = f"{who} {verb} {label} ({words.money(changes.get('amount'))})"
        if verb == "recorded" and changes.get("date"):
            text += f", dated {words.value('date', changes['date'])}"
        if changes.get("duplicate_of"):
            text += f", a confirmed duplicate of entry #{changes['duplicate_of']}'s reference"
        return _with(text, changes.get("reason"))
    return build


def _agreement(verb):
    def build(who, label, changes, words):
        if verb == "proposed":
            shares = ", ".join(f"{r} {changes[r]} %" for r in SHARE_FIELDS if r in changes)
            when = words.value("effective_from", changes.get("effective_from"))
            return f"{who} proposed {label}: {shares}, effective from {when}."
        if verb == "activated":
            return f"{label} is active, signed by all three parties (last: {who})."
        party = changes.get("party")
        text = f"{who} {verb} {label}" + (f" for the {party}" if party else "")
        return _with(text, changes.get("comment"))
    return build


def _posted(who, label, changes, words):
    health = changes.get("health", "")
    return _with(f"{who} posted a status update ({health})",
                 quoted(changes["summary"]) if changes.get("summary") else "")


def _commented(who, label, changes, words):
    return _with(f"{who} commented on the issue {quoted(label)}",
                 quoted(changes["comment"]) if changes.get("comment") else "")


def _shelved(who, label, changes, words):
    return _with(f"The venture was shelved with {possessive(who)} approval",
                 changes.get("reason"))


def _created_venture(who, label, changes, words):
    return _with(f"{who} created the venture {quoted(label)}", details(changes, words), " (",
                 ")")


def _imported(who, label, changes, words):
    return f"{who} imported {label} (total {words.money(changes.get('total'))})."


def _activated(who, label, changes, words):
    return "All three parties accepted: the venture is active."


def _abandoned(who, label, changes, words):
    return _with(f"{who} gave up the venture", changes.get("reason"))


_SPECIAL = {
    ("venture", "created"): _created_venture,
    ("venture", "activated"): _activated,
    ("venture", "stage changed"): _venture_event,
    ("venture", "shelved"): _shelved,
    ("venture", "abandoned"): _abandoned,
    ("venture", "imported"): _imported,
    ("party", "accepted"): _accepted,
    ("party", "declined"): _declined,
    ("party", "invited"): _invitation("invited"),
    ("party", "withdrawn"): _invitation("withdrew the invitation of"),
    ("party", "resent"): _invitation("sent the invitation again to"),
    ("gate", "requested"): _gate("requested"),
    ("gate", "approved"): _gate("approved"),
    ("gate", "rejected"): _gate("rejected"),
    ("update", "posted"): _posted,
    ("issue", "commented"): _commented,
    ("revenue_entry", "recorded"): _revenue("recorded"),
    ("revenue_entry", "reversed"): _revenue("reversed"),
    ("ledger_statement", "took"): lambda who, label, changes, words: (
        f"{who} took a signed {label} of the ledger ({changes.get('entries', 0)} entries)"),
    ("split_agreement", "proposed"): _agreement("proposed"),
    ("split_agreement", "approved"): _agreement("approved"),
    ("split_agreement", "rejected"): _agreement("rejected"),
    ("split_agreement", "activated"): _agreement("activated"),
}
