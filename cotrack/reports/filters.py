"""Report filters from the query string: date range, grouping period, venture, party, currency."""

from dataclasses import dataclass
from datetime import date

from cotrack.errors import DomainError
from cotrack.models import PARTY_ROLES
from cotrack.services.common import parse_date

PERIODS = ("month", "quarter", "year")


@dataclass
class ReportFilter:
    start: date | None = None
    end: date | None = None
    period: str = "month"
    venture_id: int | None = None
    party: str | None = None
    currency: str | None = None

    @property
    def roles(self) -> tuple[str, ...]:
        return (self.party,) if self.party else PARTY_ROLES

    def args(self, **changes) -> dict:
        values = {"from": self.start, "to": self.end, "period": self.period,
                  "venture_id": self.venture_id, "party": self.party, "currency": self.currency}
        values.update(changes)
        return {k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in values.items() if v not in (None, "")}


def parse_filter(args) -> ReportFilter:
    problems = {}
    f = ReportFilter()
    for key, attr in (("from", "start"), ("to", "end")):
        if args.get(key):
            try:
                setattr(f, attr, parse_date(args[key], key))
            except DomainError as exc:
                problems.update(exc.fields)
    f.period = args.get("period") or "month"
    if f.period not in PERIODS:
        problems["period"] = "Choose month, quarter or year."
    if args.get("venture_id"):
        try:
            f.venture_id = int(args["venture_id"])
        except ValueError:
            problems["venture_id"] = "Not a venture id."
    f.party = args.get("party") or None
    if f.party and f.party not in PARTY_ROLES:
        problems["party"] = "Choose customer, reseller or manufacturer."
    f.currency = (args.get("currency") or "").upper() or None
    if f.start and f.end and f.start > f.end:
        problems["to"] = "The end date is before the start date."
    if problems:
        raise DomainError("Please correct the report filters.", fields=problems)
    return f


def period_bounds(key: str) -> tuple[date, date]:
    """"2026-05" → May 2026; "2026-Q2" → April–June; "2026" → the year."""
    if "-Q" in key:
        year, quarter = key.split("-Q")
        first = date(int(year), 3 * int(quarter) - 2, 1)
        last_month = 3 * int(quarter)
    elif "-" in key:
        year, month = key.split("-")
        first, last_month = date(int(year), int(month), 1), int(month)
    else:
        first, last_month = date(int(key), 1, 1), 12
    next_first = date(first.year + (last_month == 12), last_month % 12 + 1, 1)
    return first, date.fromordinal(next_first.toordinal() - 1)
