"""Revenue split agreements: shares per party, approved by each party, versioned."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
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
from cotrack.models.user import User
from cotrack.models.venture import PARTY_ROLES, Venture, _in

AGREEMENT_STATUSES = ("proposed", "active", "superseded", "rejected")
#: agreements that were signed by all three parties and so allocate revenue in their period
SIGNED = ("active", "superseded")


class SplitAgreement(db.Model):
    __tablename__ = "split_agreement"
    __table_args__ = (
        UniqueConstraint("venture_id", "version"),
        CheckConstraint(_in("status", AGREEMENT_STATUSES), name="status_known"),
        CheckConstraint("customer_bp BETWEEN 0 AND 10000", name="customer_share_range"),
        CheckConstraint("reseller_bp BETWEEN 0 AND 10000", name="reseller_share_range"),
        CheckConstraint("manufacturer_bp BETWEEN 0 AND 10000", name="manufacturer_share_range"),
        CheckConstraint("customer_bp + reseller_bp + manufacturer_bp = 10000",
                        name="shares_sum_to_100"),
        Index("uq_split_agreement_one_active", "venture_id", unique=True,
              sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'")),
        Index("ix_split_agreement_venture_effective", "venture_id", "effective_from"),
        # agreements waiting to be signed (Home of every lead and finance user): a few rows
        Index("ix_split_agreement_proposed", "venture_id", sqlite_where=text("status = 'proposed'"),
              postgresql_where=text("status = 'proposed'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    effective_from: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    #: shares in basis points (10000 = 100.00 %)
    customer_bp: Mapped[int] = mapped_column()
    reseller_bp: Mapped[int] = mapped_column()
    manufacturer_bp: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(Text, default="")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: when the third approval made it active
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    proposed_by: Mapped[User] = relationship()
    venture: Mapped[Venture] = relationship()
    approvals: Mapped[list["AgreementApproval"]] = relationship(
        back_populates="agreement", order_by="AgreementApproval.at")

    @property
    def shares(self) -> dict[str, int]:
        return {role: getattr(self, f"{role}_bp") for role in PARTY_ROLES}

    def decision_of(self, role: str) -> "AgreementApproval | None":
        return next((a for a in self.approvals if a.role == role), None)

    @property
    def days_to_sign(self) -> int | None:
        if self.activated_at is None:
            return None
        return (self.activated_at - self.proposed_at).days

    def __repr__(self) -> str:
        return f"<SplitAgreement {self.id} v{self.version} {self.status}>"


class AgreementApproval(db.Model):
    __tablename__ = "agreement_approval"
    __table_args__ = (
        UniqueConstraint("agreement_id", "role"),
        CheckConstraint(_in("role", PARTY_ROLES), name="role_known"),
        CheckConstraint(_in("decision", ("approve", "reject")), name="decision_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("split_agreement.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement: Mapped[SplitAgreement] = relationship(back_populates="approvals")

    @property
    def venture_id(self) -> int:
        return self.agreement.venture_id
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<AgreementApproval {self.agreement_id} {self.role} {self.decision}>"
