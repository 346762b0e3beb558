"""Ventures, their three parties, stage history, gate requests and status updates."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db
from cotrack.models.user import Organisation, User

STAGES = ("discovery", "feasibility", "development", "field_trial", "rollout", "closed")
STAGE_LABELS = {
    "discovery": "Discovery",
    "feasibility": "Feasibility",
    "development": "Development",
    "field_trial": "Field trial",
    "rollout": "Rollout",
    "closed": "Closed",
}
STATUSES = ("pending", "active", "declined", "shelved", "closed")
#: a venture on Home's board: one of these statuses, and not closed
OPEN_STATUSES = ("active", "pending")
PARTY_ROLES = ("customer", "reseller", "manufacturer")
HEALTH = ("green", "amber", "red")


def _in(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


#: the open ventures, as the partial index of them says it
OPEN_SQL = f"{_in('status', OPEN_STATUSES)} AND stage <> 'closed'"
#: a party row that makes its organisation belong to an open venture (its copies say open)
OPEN_MEMBER_SQL = (f"accepted_at IS NOT NULL AND {_in('venture_status', OPEN_STATUSES)}"
                   " AND venture_stage <> 'closed'")


def next_stage(stage: str) -> str | None:
    index = STAGES.index(stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


class Venture(db.Model):
    __tablename__ = "venture"
    __table_args__ = (
        CheckConstraint(_in("stage", STAGES), name="stage_known"),
        CheckConstraint(_in("status", STATUSES), name="status_known"),
        CheckConstraint("length(currency) = 3", name="currency_iso"),
        Index("ix_venture_status_stage", "status", "stage"),
        Index("ix_venture_name_id", "name", "id"),
        # Home's board: an organisation's open ventures looked up by id, their card's
        # columns read from the index (``queries.ventures.board_ventures``)
        Index("ix_venture_open", "id", postgresql_include=["stage", "name", "status"],
              postgresql_where=text(OPEN_SQL), sqlite_where=text(OPEN_SQL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    #: ISO 4217 code; amounts of this venture are in its minor units
    currency: Mapped[str] = mapped_column(String(3))
    stage: Mapped[str] = mapped_column(String(20), default="discovery")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    #: why it was declined or shelved
    closed_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User] = relationship()
    parties: Mapped[list["VentureParty"]] = relationship(
        back_populates="venture", order_by="VentureParty.role", cascade="all, delete-orphan"
    )
    transitions: Mapped[list["StageTransition"]] = relationship(
        back_populates="venture", order_by="StageTransition.at"
    )

    @property
    def sorted_parties(self) -> list["VentureParty"]:
        """Customer, reseller, manufacturer: the order DOMAIN.md names them."""
        return sorted(self.parties, key=lambda p: PARTY_ROLES.index(p.role))

    def party(self, role: str) -> "VentureParty | None":
        return next((p for p in self.parties if p.role == role), None)

    def party_of(self, organisation_id: int) -> "VentureParty | None":
        return next((p for p in self.parties if p.organisation_id == organisation_id), None)

    @property
    def next_stage(self) -> str | None:
        return next_stage(self.stage)

    def __repr__(self) -> str:
        return f"<Venture {self.id} {self.name!r} {self.status}/{self.stage}>"


class VentureParty(db.Model):
    """One organisation in one role of a venture; it belongs once it has accepted."""

    __tablename__ = "venture_party"
    __table_args__ = (
        UniqueConstraint("venture_id", "role"),
        UniqueConstraint("venture_id", "organisation_id"),
        CheckConstraint(_in("role", PARTY_ROLES), name="role_known"),
        Index("ix_venture_party_org_accepted", "organisation_id", "accepted_at"),
        # the ventures an organisation belongs to (every list's visibility rule), read
        # from the index alone
        Index("ix_venture_party_org_member", "organisation_id", "venture_id",
              sqlite_where=text("accepted_at IS NOT NULL"),
              postgresql_where=text("accepted_at IS NOT NULL")),
        # an organisation's open ventures in the board's order, by stage then name
        # (``queries.ventures.board_ventures``), read from the index alone
        Index("ix_venture_party_board", "organisation_id", "venture_stage", "venture_name",
              "venture_id", postgresql_include=["venture_status"],
              sqlite_where=text(OPEN_MEMBER_SQL), postgresql_where=text(OPEN_MEMBER_SQL)),
        # an organisation's ventures by name (the venture list), read from the index alone
        Index("ix_venture_party_by_name", "organisation_id", "venture_name", "venture_id",
              postgresql_include=["venture_stage", "venture_status"],
              sqlite_where=text("accepted_at IS NOT NULL"),
              postgresql_where=text("accepted_at IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: set when a lead of the organisation accepted; until then it only sees the invitation
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: why the organisation declined (every party sees it)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    #: set when the creating lead withdrew the invitation (the role awaits another one)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: copies of the venture's name, stage and status, kept by the database
    #: (``cotrack.db.venture_copies``): read them in SQL, never set them (a write to them
    #: is overwritten from the venture); not loaded with the object
    venture_name: Mapped[str | None] = mapped_column(String(200), deferred=True)
    venture_stage: Mapped[str | None] = mapped_column(String(20), deferred=True)
    venture_status: Mapped[str | None] = mapped_column(String(20), deferred=True)

    venture: Mapped[Venture] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])
    responded_by: Mapped[User | None] = relationship(foreign_keys=[responded_by_id])

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None

    def __repr__(self) -> str:
        return f"<VentureParty {self.venture_id} {self.role} org={self.organisation_id}>"


class StageTransition(db.Model):
    """The venture entered ``to_stage`` at ``at`` (the first row: created in discovery)."""

    __tablename__ = "stage_transition"
    __table_args__ = (
        CheckConstraint(_in("to_stage", STAGES), name="to_stage_known"),
        Index("ix_stage_transition_venture_at", "venture_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    #: the gate that moved it; unique, so one gate can never move a venture twice
    gate_id: Mapped[int | None] = mapped_column(ForeignKey("gate_request.id"), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    venture: Mapped[Venture] = relationship(back_populates="transitions")

    def __repr__(self) -> str:
        return f"<StageTransition {self.venture_id} {self.from_stage}->{self.to_stage}>"


class GateRequest(db.Model):
    """A request to move to the next stage (or to shelve); passes with all three leads."""

    __tablename__ = "gate_request"
    __table_args__ = (
        CheckConstraint(_in("kind", ("advance", "shelve")), name="kind_known"),
        CheckConstraint(_in("status", ("open", "approved", "rejected")), name="status_known"),
        # at most one open request per venture, enforced by the database
        Index(
            "uq_gate_request_open_per_venture",
            "venture_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10), default="advance")
    from_stage: Mapped[str] = mapped_column(String(20))
    #: None for a shelving request
    to_stage: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="open")
    #: the reason for shelving
    reason: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    venture: Mapped[Venture] = relationship()
    requested_by: Mapped[User] = relationship()
    approvals: Mapped[list["GateApproval"]] = relationship(
        back_populates="gate", order_by="GateApproval.at"
    )

    def decision_of(self, role: str) -> "GateApproval | None":
        return next((a for a in self.approvals if a.role == role), None)

    def __repr__(self) -> str:
        return f"<GateRequest {self.id} {self.kind} {self.from_stage}->{self.to_stage}>"


class GateApproval(db.Model):
    __tablename__ = "gate_approval"
    __table_args__ = (
        UniqueConstraint("gate_id", "role"),  # one decision per party
        CheckConstraint(_in("decision", ("approve", "reject")), name="decision_known"),
        CheckConstraint(_in("role", PARTY_ROLES), name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gate_id: Mapped[int] = mapped_column(ForeignKey("gate_request.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gate: Mapped[GateRequest] = relationship(back_populates="approvals")
    user: Mapped[User] = relationship()

    @property
    def venture_id(self) -> int:
        return self.gate.venture_id

    def __repr__(self) -> str:
        return f"<GateApproval {self.gate_id} {self.role} {self.decision}>"


class StatusUpdate(db.Model):
    __tablename__ = "status_update"
    __table_args__ = (
        CheckConstraint(_in("health", HEALTH), name="health_known"),
        Index("ix_status_update_venture_created", "venture_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    health: Mapped[str] = mapped_column(String(10))
    summary: Mapped[str] = mapped_column(Text)
    decisions: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<StatusUpdate {self.id} venture={self.venture_id} {self.health}>"


class OrganisationPartner(db.Model):
    """Organisation A belongs to ``ventures`` ventures in which B has a party (B may be A):
    kept by the database (``cotrack.db.partner_counts``); read it, never write it."""

    __tablename__ = "organisation_partner"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    ventures: Mapped[int]
