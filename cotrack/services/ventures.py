"""Creating ventures, editing them, and answering invitations."""

import logging

from cotrack.errors import Conflict, DomainError
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Organisation, StageTransition, User, Venture, VentureParty
from cotrack.money import is_currency
from cotrack.permissions import can_create_venture, can_edit_venture, can_respond_to_invitation
from cotrack.services.activity import apply_changes, record
from cotrack.timeutil import utcnow

log = logging.getLogger(__name__)


def _check_details(name: str, description: str) -> dict:
    problems = {}
    if not (name or "").strip():
        problems["name"] = "Enter a name."
    elif len(name.strip()) > 200:
        problems["name"] = "Use at most 200 characters."
    if len(description or "") > 10_000:
        problems["description"] = "Use at most 10,000 characters."
    return problems


def _check_parties(actor: User, parties: dict) -> dict[str, Organisation]:
    problems, orgs = {}, {}
    for role in PARTY_ROLES:
        org_id = parties.get(role)
        org = db.session.get(Organisation, org_id) if isinstance(org_id, int) else None
        if org is None or not org.active:
            problems[role] = "Choose an organisation."
        else:
            orgs[role] = org
    if not problems:
        if len({o.id for o in orgs.values()}) < 3:
            problems["parties"] = "The three parties must be three different organisations."
        elif actor.organisation_id not in {o.id for o in orgs.values()}:
            problems["parties"] = "Your own organisation must be one of the three parties."
    if problems:
        raise DomainError("Please correct the parties.", fields=problems)
    return orgs


def create_venture(actor: User, *, name: str, description: str, currency: str,
                   parties: dict) -> Venture:
    if not can_create_venture(actor):
        raise DomainError("Only a project lead can create a venture.")
    problems = _check_details(name, description)
    if not is_currency(currency):
        problems["currency"] = "Choose an ISO 4217 currency."
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    orgs = _check_parties(actor, parties)
    now = utcnow()
    venture = Venture(name=name.strip(), description=(description or "").strip(),
                      currency=currency.upper(), created_by=actor, created_at=now)
    for role, org in orgs.items():
        own = org.id == actor.organisation_id
        venture.parties.append(VentureParty(
            role=role, organisation=org, invited_by=actor, invited_at=now,
            accepted_at=now if own else None, responded_by=actor if own else None,
        ))
    db.session.add(venture)
    db.session.add(StageTransition(venture=venture, from_stage=None, to_stage="discovery", at=now))
    db.session.flush()
    record(actor, venture, "created", venture, changes={
        "currency": venture.currency,
        **{role: org.name for role, org in orgs.items()},
    })
    log.info("venture %s created by user %s", venture.id, actor.id)
    return venture


def update_venture(actor: User, venture: Venture, values: dict) -> Venture:
    if not can_edit_venture(actor, venture):
        raise DomainError("Only a lead of a party can edit the venture.")
    values = {k: (v or "").strip() for k, v in values.items() if k in ("name", "description")}
    problems = _check_details(values.get("name", venture.name),
                              values.get("description", venture.description))
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    changes = apply_changes(venture, values)
    if changes:
        db.session.flush()
        record(actor, venture, "updated", venture, changes=changes)
    return venture


def _invitation(actor: User, venture: Venture) -> VentureParty:
    if not can_respond_to_invitation(actor, venture):
        raise Conflict("There is no open invitation for your organisation to answer.")
    return venture.party_of(actor.organisation_id)


def accept(actor: User, venture: Venture) -> Venture:
    party = _invitation(actor, venture)
    party.accepted_at, party.responded_by = utcnow(), actor
    if all(p.accepted for p in venture.parties):
        venture.status = "active"
    db.session.flush()
    record(actor, venture, "accepted", party, label=f"{party.role}: {party.organisation.name}")
    if venture.status == "active":
        record(actor, venture, "activated", venture, changes={"status": ["pending", "active"]})
    log.info("venture %s accepted by user %s for %s", venture.id, actor.id, party.role)
    return venture


def decline(actor: User, venture: Venture, reason: str) -> Venture:
    party = _invitation(actor, venture)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Say why you decline; all parties will see it.", field="reason")
    party.declined_at, party.responded_by = utcnow(), actor
    venture.status, venture.closed_reason = "declined", reason
    db.session.flush()
    record(actor, venture, "declined", party, label=f"{party.role}: {party.organisation.name}",
           changes={"reason": reason})
    log.info("venture %s declined by user %s", venture.id, actor.id)
    return venture
