"""The revenue ledger: append-only entries, each allocated to the three parties.

Entries are never updated or deleted (database triggers refuse it); a mistake is corrected
by a reversal, a new entry pointing at the original (unique: reversed once). Each entry
carries a SHA-256 hash chained to the previous entry of its venture.
"""

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cotrack.extensions import db
from cotrack.models.agreement import SplitAgreement
from cotrack.models.user import User
from cotrack.models.venture import PARTY_ROLES, _in
from cotrack.timeutil import UTCDateTime, utcnow


class RevenueEntry(db.Model):
    __tablename__ = "revenue_entry"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("length(currency) = 3", name="currency_iso"),
        CheckConstraint("length(hash) = 64", name="hash_sha256"),
        # the chain cannot fork: one successor per entry (and one first entry) per venture
        UniqueConstraint("venture_id", "prev_hash"),
        Index("ix_revenue_entry_venture_date", "venture_id", "entry_date", "id"),
        Index("ix_revenue_entry_date", "entry_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id"))
    entry_date: Mapped[date] = mapped_column(Date)
    #: integer minor units of ``currency`` (cents, yen, fils); negative for reversals
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: the agreement whose shares allocated this entry
    agreement_id: Mapped[int] = mapped_column(ForeignKey("split_agreement.id"))
    #: set on a reversal: the entry it reverses (unique: an entry is reversed once)
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("revenue_entry.id"), unique=True)
    #: hash of the previous entry of the venture ("" for the first)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    recorded_by: Mapped[User] = relationship()
    agreement: Mapped[SplitAgreement] = relationship()
    allocations: Mapped[list["Allocation"]] = relationship(
        back_populates="entry", order_by="Allocation.id")

    def share(self, role: str) -> int:
        return next(a.amount for a in self.allocations if a.role == role)

    def __repr__(self) -> str:
        return f"<RevenueEntry {self.id} {self.entry_date} {self.amount} {self.currency}>"


class Allocation(db.Model):
    __tablename__ = "allocation"
    __table_args__ = (
        UniqueConstraint("entry_id", "role"),
        CheckConstraint(_in("role", PARTY_ROLES), name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("revenue_entry.id"))
    role: Mapped[str] = mapped_column(String(20))
    #: minor units; the three allocations of an entry sum to its amount
    amount: Mapped[int] = mapped_column(BigInteger)

    entry: Mapped[RevenueEntry] = relationship(back_populates="allocations")

    def __repr__(self) -> str:
        return f"<Allocation {self.entry_id} {self.role} {self.amount}>"


class RevenueMonth(db.Model):
    """Per venture and month, the sum of its entries' allocations (kept with every write).

    Reports over whole months read these instead of summing millions of allocations; the
    ledger stays the record, and ``flask ledger-verify`` checks that both agree.
    """

    __tablename__ = "revenue_month"
    __table_args__ = (
        # reports read only the index on PostgreSQL (the sums are included in it)
        Index("ix_revenue_month_cover", "venture_id", "month",
              postgresql_include=["currency", "customer", "reseller", "manufacturer"]),
    )

    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id"), primary_key=True)
    #: the first day of the month
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    customer: Mapped[int] = mapped_column(BigInteger, default=0)
    reseller: Mapped[int] = mapped_column(BigInteger, default=0)
    manufacturer: Mapped[int] = mapped_column(BigInteger, default=0)
    entries: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<RevenueMonth {self.venture_id} {self.month}>"
