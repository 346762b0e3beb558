"""Reads of a venture's ledger: entries with their reversals and reasons."""

from collections.abc import Iterable

from sqlalchemy import select, text

from cotrack.extensions import db
from cotrack.models import RevenueEntry


def reversal_reasons(entries: Iterable[RevenueEntry]) -> dict[int, tuple[int, str]]:
    """For each listed entry that was reversed or is a reversal: (the other entry's id, the
    reason given), so both entries show why."""
    entries = list(entries)
    result = {e.id: (e.reverses_id, e.note) for e in entries if e.reverses_id is not None}
    ids = [e.id for e in entries if e.reverses_id is None]
    for start in range(0, len(ids), 500):
        for other_id, original_id, note in db.session.execute(
                select(RevenueEntry.id, RevenueEntry.reverses_id, RevenueEntry.note)
                .where(RevenueEntry.reverses_id.in_(ids[start:start + 500]))):
            result[original_id] = (other_id, note)
    return result


#: the distinct regions of one venture by skipping through its (venture, region) index: one
#: probe per region, however many entries (a GROUP BY would read every entry)
_REGIONS = text("""
    WITH RECURSIVE r(region, n) AS (
      SELECT (SELECT min(region) FROM revenue_entry
              WHERE venture_id = :venture_id AND region > ''), 1
      UNION ALL
      SELECT (SELECT min(region) FROM revenue_entry
              WHERE venture_id = :venture_id AND region > r.region), r.n + 1
      FROM r WHERE r.region IS NOT NULL AND r.n < :limit)
    SELECT region FROM r WHERE region IS NOT NULL""")


def regions(venture, limit: int = 200) -> list[str]:
    """The regions the venture's entries name, in order (suggestions for the filter)."""
    return list(db.session.scalars(_REGIONS, {"venture_id": venture.id, "limit": limit}))
