"""Creating ventures, editing them, and answering invitations (an invitation declined
leaves the venture pending: the creating lead may invite another organisation, or give
the venture up; cotrack.services.invitations)."""

import logging

from cotrack.db.timestamps import utcnow
from cotrack.domain import paths
from cotrack.domain.errors import Conflict, DomainError, NotAllowed
from cotrack.domain.money import is_currency
from cotrack.domain.permissions import (
    can_create_venture,
    can_edit_venture,
    can_respond_to_invitation,
)
from cotrack.domain.text_limits import LONG, NAME, REMARK
from cotrack.domain.valid_input import collect, id_value, text_field
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Organisation, StageTransition, User, Venture, VentureParty
from cotrack.queries.organisations import may_be_party
from cotrack.services import rollup
from cotrack.services.activity import apply_changes, record
from cotrack.services.common import lock_venture
from cotrack.services.notifications import leads, notify, notify_mentions, org_leads

log = logging.getLogger(__name__)


def _check_details(name: str, description: str) -> dict:
    """{field: problem} of a venture's name and description (empty: both fine)."""
    checks = {"name": lambda: text_field(name, "name", True, NAME),
              "description": lambda: text_field(description, "description", False, LONG,
                                                long=True)}
    try:
        collect(checks)
    except DomainError as exc:
        return exc.fields
    return {}


def _check_parties(actor: User, parties: dict) -> tuple[dict[str, Organisation], dict]:
    """The parties' organisations by role, and {field: problem} (empty: all fine)."""
    problems, orgs = {}, {}
    for role in PARTY_ROLES:
        value = parties.get(role)
        org_id = id_value(value) if isinstance(value, int) else None  # a JSON number
        org = db.session.get(Organisation, org_id) if org_id else None
        if not may_be_party(org):
            problems[role] = "Choose an organisation."
        else:
            orgs[role] = org
    if not problems:
        if len({o.id for o in orgs.values()}) < 3:
            problems["parties"] = "The three parties must be three different organisations."
        elif actor.organisation_id not in {o.id for o in orgs.values()}:
            problems["parties"] = "Your own organisation must be one of the three parties."
    return orgs, problems


def venture_problems(actor: User, *, name, description, currency, parties: dict) -> dict:
    """Every {field: problem} of a new venture at once (the form shows them in one round)."""
    problems = _check_details(name or "", description or "")
    if not is_currency(currency or ""):
        problems["currency"] = "Choose an ISO 4217 currency."
    return {**problems, **_check_parties(actor, parties)[1]}


def create_venture(actor: User, *, name: str, description: str, currency: str,
                   parties: dict) -> Venture:
    if not can_create_venture(actor):
        raise NotAllowed("Only a project lead can create a venture.")
    problems = venture_problems(actor, name=name, description=description, currency=currency,
                                parties=parties)
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    orgs = _check_parties(actor, parties)[0]
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
    for role, org in orgs.items():
        if org.id != actor.organisation_id:
            tell_invited(actor, venture, role, org)
    log.info("venture %s created by user %s", venture.id, actor.id)
    return venture


def update_venture(actor: User, venture: Venture, values: dict) -> Venture:
    if not can_edit_venture(actor, venture):
        raise NotAllowed("Only a lead of a party can edit the venture.")
    values = {k: (v or "").strip() for k, v in values.items() if k in ("name", "description")}
    problems = _check_details(values.get("name", venture.name),
                              values.get("description", venture.description))
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    before = venture.description
    changes = apply_changes(venture, values)
    if changes:
        db.session.flush()
        record(actor, venture, "updated", venture, changes=changes)
        notify_mentions(actor, venture, venture.description, "the venture's description",
                        venture_path(venture), before=before)
    return venture


def venture_path(venture: Venture) -> str:
    return paths.venture(venture.id)


def tell_invited(actor: User, venture: Venture, role: str, org: Organisation) -> None:
    """The invited organisation's leads: an invitation waits for their answer."""
    notify("invited", org_leads(org.id), venture, actor=actor, audience="personal",
           url=venture_path(venture),
           text=f"{actor.name} ({actor.organisation.name}) invites {org.name} to the venture "
                f"“{venture.name}” as {role}.")


def tell_parties(kind: str, actor: User, venture: Venture, text: str,
                 except_org: int | None = None) -> None:
    """News of the invitations, to the leads of every party and invited organisation."""
    notify(kind, [u for u in leads(venture, invited=True) if u.organisation_id != except_org],
           venture, actor=actor, audience="personal", url=venture_path(venture), text=text)


def _invitation(actor: User, venture: Venture) -> VentureParty:
    lock_venture(venture)  # two answers at once are counted one after the other
    if not can_respond_to_invitation(actor, venture):
        raise Conflict("There is no open invitation for your organisation to answer.")
    return venture.party_of(actor.organisation_id)


def accept(actor: User, venture: Venture) -> Venture:
    party = _invitation(actor, venture)
    party.accepted_at, party.responded_by = utcnow(), actor
    if all(p.accepted for p in venture.parties):
        venture.status = "active"
    db.session.flush()
    rollup.organisation_joined(venture, party.organisation_id)
    record(actor, venture, "accepted", party, label=f"{party.role}: {party.organisation.name}")
    if venture.status == "active":
        record(actor, venture, "activated", venture, changes={"status": ["pending", "active"]})
    tell_parties("invitation_answered", actor, venture,
                 f"{actor.name} accepted for {party.organisation.name} as {party.role} in "
                 f"“{venture.name}”." + (" All three parties are in: the venture is active."
                                         if venture.status == "active" else ""))
    log.info("venture %s accepted by user %s for %s", venture.id, actor.id, party.role)
    return venture


def decline(actor: User, venture: Venture, reason: str) -> Venture:
    party = _invitation(actor, venture)
    reason = text_field(reason, "reason", False, REMARK, long=True)
    if not reason:
        raise DomainError("Say why you decline; all parties will see it.", field="reason")
    party.declined_at, party.responded_by, party.decline_reason = utcnow(), actor, reason
    db.session.flush()
    record(actor, venture, "declined", party, label=f"{party.role}: {party.organisation.name}",
           changes={"reason": reason})
    tell_parties("invitation_answered", actor, venture,
                 f"{actor.name} declined for {party.organisation.name} as {party.role} in "
                 f"“{venture.name}”: {reason}")
    log.info("venture %s declined by user %s", venture.id, actor.id)
    return venture
