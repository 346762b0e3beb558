"""JSON shapes shared by the API endpoints."""

from collections.abc import Callable

from sqlalchemy import Select

from cotrack.web.pagination import paginate


def org_json(org) -> dict:
    return {"id": org.id, "name": org.name}


def user_json(user) -> dict:
    return {
        "id": user.id,
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": org_json(user.organisation),
    }


def page_json(query: Select, item: Callable) -> dict:
    page = paginate(query, default_per_page=50)
    return {
        "items": [item(row) for row in page.items],
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
    }


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def venture_json(venture) -> dict:
    return {
        "id": venture.id,
        "name": venture.name,
        "description": venture.description,
        "currency": venture.currency,
        "stage": venture.stage,
        "status": venture.status,
        "closed_reason": venture.closed_reason,
        "parties": [
            {"role": p.role, "organisation": org_json(p.organisation), "accepted": p.accepted,
             "invitation": party_state(p), "decline_reason": p.decline_reason}
            for p in venture.sorted_parties
        ],
        "created_at": iso(venture.created_at),
    }


def party_state(party) -> str:
    """"accepted", "declined", "withdrawn" or "invited" (waiting for an answer)."""
    if party.accepted:
        return "accepted"
    return "declined" if party.declined_at else "withdrawn" if party.withdrawn_at else "invited"


def gate_json(gate) -> dict:
    return {
        "id": gate.id,
        "kind": gate.kind,
        "from_stage": gate.from_stage,
        "to_stage": gate.to_stage,
        "status": gate.status,
        "reason": gate.reason,
        "requested_by": user_ref(gate.requested_by),
        "requested_at": iso(gate.requested_at),
        "approvals": [
            {"role": a.role, "user": user_ref(a.user), "decision": a.decision,
             "comment": a.comment, "at": iso(a.at)}
            for a in gate.approvals
        ],
    }


def user_ref(user) -> dict | None:
    return {"id": user.id, "name": user.name} if user else None


def update_json(update) -> dict:
    return {"id": update.id, "health": update.health, "summary": update.summary,
            "decisions": update.decisions, "author": user_ref(update.author),
            "created_at": iso(update.created_at)}


def activity_json(row) -> dict:
    from cotrack.web.words import activity_text

    return {
        "at": iso(row.at),
        "text": activity_text(row),
        "user": user_ref(row.actor),
        "action": row.action,
        "object": {"type": row.object_type, "id": row.object_id, "label": row.object_label},
        "changes": row.changes,
    }


def milestone_json(m) -> dict:
    return {
        "id": m.id, "venture_id": m.venture_id, "title": m.title, "description": m.description,
        "stage": m.stage, "party": m.party, "assignee_id": m.assignee_id,
        "assignee": user_ref(m.assignee), "due_date": m.due_date.isoformat(),
        "status": m.status, "completed_at": iso(m.completed_at), "overdue": m.overdue,
        "version": m.version,
    }


def issue_json(i) -> dict:
    return {
        "id": i.id, "venture_id": i.venture_id, "title": i.title, "description": i.description,
        "severity": i.severity, "status": i.status, "party": i.party,
        "raised_by": user_ref(i.raised_by), "raised_by_party": i.raised_by_party,
        "assignee_id": i.assignee_id, "assignee": user_ref(i.assignee),
        "milestone_id": i.milestone_id, "created_at": iso(i.created_at),
        "resolved_at": iso(i.resolved_at), "version": i.version,
    }


def comment_json(c) -> dict:
    return {"id": c.id, "issue_id": c.issue_id, "author": user_ref(c.author), "body": c.body,
            "created_at": iso(c.created_at)}


def agreement_json(a) -> dict:
    from cotrack.domain.money import format_share

    return {
        "id": a.id, "venture_id": a.venture_id, "version": a.version, "status": a.status,
        "effective_from": a.effective_from.isoformat(),
        "shares": {role: format_share(bp) for role, bp in a.shares.items()},
        "note": a.note, "proposed_by": user_ref(a.proposed_by),
        "proposed_at": iso(a.proposed_at), "activated_at": iso(a.activated_at),
        "approvals": [{"role": x.role, "user": user_ref(x.user), "decision": x.decision,
                       "comment": x.comment, "at": iso(x.at)} for x in a.approvals],
    }


def entry_json(e, other_id=None, reason=None) -> dict:
    """An entry; ``other_id`` and ``reason``: the reversal of a reversed entry and why (a
    reversal carries its own reason as its note)."""
    from cotrack.domain.money import format_amount

    reversed_by_id = other_id if e.reverses_id is None else None

    return {
        "id": e.id, "venture_id": e.venture_id, "date": e.entry_date.isoformat(),
        "amount": format_amount(e.amount, e.currency), "currency": e.currency,
        "reference": e.reference, "region": e.region, "note": e.note,
        "allocations": {a.role: format_amount(a.amount, e.currency) for a in e.allocations},
        "agreement_id": e.agreement_id, "reverses_id": e.reverses_id,
        "reversed_by_id": reversed_by_id,
        "reversal_reason": e.note if e.reverses_id is not None else reason,
        "recorded_by": user_ref(e.recorded_by),
        "recorded_at": iso(e.recorded_at),
    }


def record_json(obj) -> dict:
    """The stored record a stale-version 409 carries as ``current``."""
    from cotrack.models import Issue, Milestone

    serialisers = {Milestone: milestone_json, Issue: issue_json}
    return serialisers[type(obj)](obj)
