"""The site-wide revision: bumped by every write that is not about one venture.

Ventures and organisations carry their own ``revision`` column; see cotrack.revisions.
"""

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from cotrack.extensions import db


class SiteRevision(db.Model):
    """One row (id 1)."""

    __tablename__ = "site_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
