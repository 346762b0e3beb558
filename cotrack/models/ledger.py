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

from cotrack.db.timestamps import UTCDateTime, utcnow
from cotrack.extensions import db
from cotrack.models.agreement import SplitAgreement
from cotrack.models.user import User
from cotrack.models.venture import PARTY_ROLES, _in


class RevenueEntry(db.Model):
    __tablename__ = "revenue_entry"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("length(currency) = 3", name="currency_iso"),
        CheckConstraint("length(hash) = 64", name="hash_sha256"),
        # the chain cannot fork: one successor per entry (and one first entry) per venture
        UniqueConstraint("venture_id", "prev_hash"),
        Index("ix_revenue_entry_venture_date", "venture_id", "entry_date", "id"),
        # the chain in order, and the entries since a checkpoint (the report page's check)
        Index("ix_revenue_entry_venture_id", "venture_id", "id"),
        Index("ix_revenue_entry_date", "entry_date"),
        # the ledger's search (cotrack/reports/search.py): duplicate references and the
        # reference prefix (LIKE 'INV-2025%' on PostgreSQL needs text_pattern_ops), region
        # (newest first within it), amount range
        Index("ix_revenue_entry_venture_reference", "venture_id", "reference",
              postgresql_ops={"reference": "text_pattern_ops"}),
        Index("ix_revenue_entry_venture_region", "venture_id", "region", "entry_date", "id"),
        Index("ix_revenue_entry_venture_amount", "venture_id", "amount"),
        # "reference contains" on PostgreSQL: a trigram index on lower(reference), made by
        # migration 4b7e2c91d0a6 outside this metadata (one on reference itself answered the
        # duplicate check's equality too, slowly); SQLite reads the venture's references
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
        # the totals of a filtered ledger read the matching entries' allocations from this
        # index alone (no table rows): 41 instead of 358 ms for a region's 16,667 entries
        Index("ix_allocation_entry_role_amount", "entry_id", "role", "amount"),
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


class LedgerStatement(db.Model):
    """A signed statement of a venture's ledger: how many entries it held, the hash of the
    last one (the chain head) and each party's total, as verified in full when it was taken.

    Each party's finance downloads it as a file; ``flask ledger-verify --statement FILE``
    later proves the ledger still holds exactly what it covered. The signature (HMAC with
    the ledger key, held outside the database) makes a statement forged in the database
    detectable; the latest one is also where the report page's chain check starts.
    """

    __tablename__ = "ledger_statement"
    __table_args__ = (
        CheckConstraint("kind IN ('monthly', 'requested', 'checkpoint')", name="kind_known"),
        CheckConstraint("entry_count >= 0", name="entry_count_not_negative"),
        Index("ix_ledger_statement_venture", "venture_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    venture_id: Mapped[int] = mapped_column(ForeignKey("venture.id"))
    #: monthly (the worker, on the 1st), requested (a person), checkpoint (a verification)
    kind: Mapped[str] = mapped_column(String(10))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: the last entry covered (None: the ledger was empty)
    through_entry_id: Mapped[int | None] = mapped_column(BigInteger)
    entry_count: Mapped[int] = mapped_column(BigInteger)
    #: the hash of the last entry covered ("" for an empty ledger)
    chain_head: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    customer: Mapped[int] = mapped_column(BigInteger)
    reseller: Mapped[int] = mapped_column(BigInteger)
    manufacturer: Mapped[int] = mapped_column(BigInteger)
    #: HMAC-SHA256 of the statement document (cotrack.domain.chain.sign)
    signature: Mapped[str] = mapped_column(String(64))

    def __repr__(self) -> str:
        return f"<LedgerStatement {self.id} venture {self.venture_id} {self.entry_count}>"


class RevenueOrgMonth(db.Model):
    """Per organisation, month and currency, the sum of the allocations of every venture
    the organisation is an accepted party of: the report summary of its leads and finance
    users, read in a dozen rows instead of one per venture and month.

    Kept in the same transaction as every ledger write (``services.ledger``) and as each
    acceptance (the venture's months join the organisation's); ``flask ledger-verify``
    checks it against ``revenue_month``.
    """

    __tablename__ = "revenue_org_month"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"),
                                                 primary_key=True)
    #: the first day of the month
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    customer: Mapped[int] = mapped_column(BigInteger, default=0)
    reseller: Mapped[int] = mapped_column(BigInteger, default=0)
    manufacturer: Mapped[int] = mapped_column(BigInteger, default=0)
    entries: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<RevenueOrgMonth {self.organisation_id} {self.month} {self.currency}>"
