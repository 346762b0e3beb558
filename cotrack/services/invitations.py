"""Invitations as a conversation (DOMAIN.md, "Parties and people"): the creating lead may
withdraw or resend a pending invitation, invite another organisation for a role that was
declined or withdrawn, or give the pending venture up (only then is it declined). Every
invitee is told what happened to the others."""

import logging

from cotrack.db.timestamps import utcnow
from cotrack.domain.errors import Conflict, DomainError, NotAllowed
from cotrack.domain.permissions import can_manage_invitations
from cotrack.domain.text_limits import REMARK
from cotrack.domain.valid_input import choice, id_value, text_field
from cotrack.extensions import db
from cotrack.models import PARTY_ROLES, Organisation, User, Venture, VentureParty
from cotrack.queries.organisations import may_be_party
from cotrack.services.activity import record
from cotrack.services.common import lock_venture
from cotrack.services.notifications import notify, org_leads
from cotrack.services.ventures import tell_invited, tell_parties, venture_path

log = logging.getLogger(__name__)


def _party(actor: User, venture: Venture, role) -> VentureParty:
    lock_venture(venture)  # against an answer arriving at the same moment
    if not can_manage_invitations(actor, venture):
        raise NotAllowed("Only a lead of the organisation that created a pending venture "
                         "manages its invitations.")
    role = choice(role, PARTY_ROLES, "role", "Choose customer, reseller or manufacturer.")
    party = venture.party(role)
    if party.accepted:
        raise Conflict(f"The {role} has accepted already.", field="role")
    return party


def _open(party: VentureParty) -> bool:
    return party.declined_at is None and party.withdrawn_at is None


def _label(party: VentureParty) -> str:
    return f"{party.role}: {party.organisation.name}"


def withdraw(actor: User, venture: Venture, role) -> VentureParty:
    party = _party(actor, venture, role)
    if not _open(party):
        raise Conflict("This invitation is not open.", field="role")
    party.withdrawn_at = utcnow()
    db.session.flush()
    record(actor, venture, "withdrawn", party, label=_label(party))
    text = (f"{actor.name} withdrew the invitation of {party.organisation.name} as "
            f"{party.role} to “{venture.name}”.")
    notify("invitation_withdrawn", org_leads(party.organisation_id), venture, actor=actor,
           audience="personal", url=venture_path(venture), text=text)
    tell_parties("invitation_withdrawn", actor, venture, text)
    log.info("venture %s: invitation of %s withdrawn by user %s", venture.id, role, actor.id)
    return party


def resend(actor: User, venture: Venture, role) -> VentureParty:
    party = _party(actor, venture, role)
    if not _open(party):
        raise Conflict("This invitation is not open; invite an organisation instead.",
                       field="role")
    party.invited_at, party.invited_by = utcnow(), actor
    db.session.flush()
    record(actor, venture, "resent", party, label=_label(party))
    tell_invited(actor, venture, party.role, party.organisation)
    return party


def invite(actor: User, venture: Venture, role, organisation_id) -> VentureParty:
    """Invite an organisation for a role whose invitation was declined or withdrawn."""
    party = _party(actor, venture, role)
    if _open(party):
        raise Conflict(f"{party.organisation.name} has not answered yet; withdraw the "
                       "invitation first.", field="role")
    org_id = id_value(organisation_id) if isinstance(organisation_id, int | str) else None
    org = db.session.get(Organisation, org_id) if org_id else None
    if not may_be_party(org):
        raise DomainError("Choose an organisation.", field="organisation_id")
    other = venture.party_of(org.id)
    if other is not None and other is not party:
        raise DomainError(f"{org.name} is the {other.role} already.", field="organisation_id")
    before = party.organisation.name
    party.organisation, party.organisation_id, party.invited_by = org, org.id, actor
    party.invited_at, party.declined_at, party.decline_reason = utcnow(), None, None
    party.withdrawn_at, party.responded_by = None, None
    db.session.flush()
    record(actor, venture, "invited", party, label=_label(party),
           changes={"replacing": before if before != org.name else None})
    tell_invited(actor, venture, party.role, org)
    tell_parties("invitation_replaced", actor, venture,
                 f"{actor.name} invited {org.name} as {party.role} to “{venture.name}”"
                 + (f", in place of {before}." if before != org.name else " again."),
                 except_org=org.id)
    return party


def abandon(actor: User, venture: Venture, reason) -> Venture:
    lock_venture(venture)
    if not can_manage_invitations(actor, venture):
        raise NotAllowed("Only a lead of the organisation that created a pending venture "
                         "may give it up.")
    reason = text_field(reason, "reason", False, REMARK, long=True)
    if not reason:
        raise DomainError("Say why; every invited organisation will read it.", field="reason")
    venture.status, venture.closed_reason = "declined", reason
    db.session.flush()
    record(actor, venture, "abandoned", venture, changes={"reason": reason})
    notify("venture_abandoned", [u for p in venture.parties for u in org_leads(p.organisation_id)],
           venture, actor=actor, audience="personal", url=venture_path(venture),
           text=f"{actor.name} gave up the venture “{venture.name}”: {reason}")
    log.info("venture %s given up by user %s", venture.id, actor.id)
    return venture
