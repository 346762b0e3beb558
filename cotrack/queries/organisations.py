"""Organisations that may be a venture's party: active ones that do not run the site.

The organisation that runs the site (CoTrack itself) is the one its administrators belong
to: an organisation with an admin account is never offered, invited or accepted as a party.
"""

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import aliased

from cotrack.extensions import db
from cotrack.models import Organisation, User, VentureParty


def runs_the_site(organisation_id) -> object:
    """SQL: the organisation has an admin account."""
    admin = aliased(User)
    return exists().where(admin.organisation_id == organisation_id, admin.role == "admin")


def party_organisations() -> Select:
    """Organisations a venture may have as a party, by name."""
    return (select(Organisation)
            .where(Organisation.active, ~runs_the_site(Organisation.id))
            .order_by(Organisation.name))


def may_be_party(organisation: Organisation | None) -> bool:
    return bool(organisation is not None and organisation.active and not db.session.scalar(
        select(runs_the_site(organisation.id))))


def usual_role(organisation_id: int) -> str:
    """The role the organisation took in its latest venture (customer if none)."""
    role = db.session.scalar(
        select(VentureParty.role).where(VentureParty.organisation_id == organisation_id)
        .order_by(VentureParty.invited_at.desc(), VentureParty.id.desc()).limit(1))
    return role or "customer"
