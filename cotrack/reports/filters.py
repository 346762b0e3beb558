"""Report and ledger filters from the query string: date range, grouping period, venture,
party, currency; and the ledger's search: reference (contains or prefix), region, amount
range, reversed or not, sort order. Every value is checked; a wrong one is refused naming
its parameter."""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cotrack.domain.errors import DomainError
from cotrack.domain.money import MAX_AMOUNT, is_currency, plain_decimal
from cotrack.domain.text_limits import SHORT
from cotrack.domain.valid_input import (
    MAX_DATE,
    MIN_DATE,
    parse_date,
    parse_id,
    text_field,
)
from cotrack.models import PARTY_ROLES

PERIODS = ("month", "quarter", "year")
MATCHES = ("contains", "prefix")
#: sortable ledger columns; a leading "-" sorts descending
SORT_COLUMNS = ("date", "reference", "region", "amount", "id")
SORTS = tuple(p + c for c in SORT_COLUMNS for p in ("", "-"))
#: the search's query-string names and the attributes they fill
SEARCH_ARGS = {"q": "q", "match": "match", "region": "region", "min": "min_amount",
               "max": "max_amount", "reversed": "reversed", "sort": "sort"}


@dataclass
class ReportFilter:
    start: date | None = None
    end: date | None = None
    period: str = "month"
    venture_id: int | None = None
    party: str | None = None
    currency: str | None = None
    #: the ledger's search: reference text, matched anywhere or at its start
    q: str | None = None
    match: str = "contains"
    region: str | None = None
    #: amounts in the currency's units (Decimal), compared with each entry's signed amount
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    #: "true": reversed entries and reversals only; "false": neither
    reversed: str | None = None
    sort: str | None = None

    @property
    def roles(self) -> tuple[str, ...]:
        return (self.party,) if self.party else PARTY_ROLES

    @property
    def searching(self) -> bool:
        """Does the search narrow the ledger (beyond the report's own filters)?"""
        return any(v is not None for v in (self.q, self.region, self.min_amount,
                                           self.max_amount, self.reversed))

    def args(self, **changes) -> dict:
        values = {"from": self.start, "to": self.end, "period": self.period,
                  "venture_id": self.venture_id, "party": self.party, "currency": self.currency,
                  **{name: getattr(self, attr) for name, attr in SEARCH_ARGS.items()}}
        if values["match"] == "contains" or not self.q:
            values["match"] = None
        values.update(changes)
        return {k: (v.isoformat() if isinstance(v, date) else str(v))
                for k, v in values.items() if v not in (None, "")}


def parse_filter(args) -> ReportFilter:
    """The filters in a query string; a DomainError naming each one at fault (dates outside
    1900-01-01…2199-12-31, an id no venture can have, an unknown party or currency)."""
    f, problems = read_filter(args)
    if problems:
        raise DomainError("Please correct the report filters.", fields=problems)
    return f


#: an amount bound as a query string writes it
FILTER_AMOUNT = re.compile(r"-?\d{1,12}(\.\d{1,3})?")


def read_filter(args) -> tuple[ReportFilter, dict[str, str]]:
    """The filters in a query string and a message per filter at fault; with any problem,
    the filter is the default one (a page shows its messages beside the form)."""
    problems = {}
    f = ReportFilter()
    for key, attr, parse in (("from", "start", parse_date), ("to", "end", parse_date),
                             ("venture_id", "venture_id", parse_id)):
        if args.get(key):
            try:
                setattr(f, attr, parse(args[key], key))
            except DomainError as exc:
                problems.update(exc.fields)
    f.period = args.get("period") or "month"
    if f.period not in PERIODS:
        problems["period"] = "Choose month, quarter or year."
    f.party = args.get("party") or None
    if f.party and f.party not in PARTY_ROLES:
        problems["party"] = "Choose customer, reseller or manufacturer."
    currency = args.get("currency") or ""
    f.currency = currency.upper() or None
    # the code in capitals or in small letters, nothing around it (as the API describes)
    if currency and (currency not in (currency.upper(), currency.lower())
                     or currency != currency.strip() or not is_currency(currency)):
        problems["currency"] = "Use an ISO 4217 currency code such as EUR."
    if f.start and f.end and f.start > f.end:
        problems["to"] = "The end date is before the start date."
    problems.update(_parse_search(f, args))
    return (ReportFilter() if problems else f), problems


def _parse_search(f: ReportFilter, args) -> dict:
    """Fill the ledger search of ``f`` from ``args``; {parameter: problem}."""
    problems = {}
    for name in ("q", "region"):
        try:
            setattr(f, name, text_field(args.get(name) or "", name, False, SHORT) or None)
        except DomainError as exc:
            problems.update(exc.fields)
    f.match = args.get("match") or "contains"
    if f.match not in MATCHES:
        problems["match"] = "Choose contains or prefix."
    for name, attr in (("min", "min_amount"), ("max", "max_amount")):
        text = args.get(name) or ""
        if not text:
            continue
        # digits with a point and up to three decimals, as the API describes (no exponent)
        value = plain_decimal(text) if FILTER_AMOUNT.fullmatch(text) else None
        if value is None or abs(value) >= MAX_AMOUNT:
            problems[name] = "Enter an amount such as 1234.50."
        else:
            setattr(f, attr, value)
    if f.min_amount is not None and f.max_amount is not None and f.min_amount > f.max_amount:
        problems["max"] = "The largest amount is below the smallest."
    f.reversed = args.get("reversed") or None
    if f.reversed not in (None, "true", "false"):
        problems["reversed"] = "Choose true (reversed entries and reversals) or false."
    f.sort = args.get("sort") or None
    if f.sort not in (None, *SORTS):
        problems["sort"] = f"Sort by {', '.join(SORT_COLUMNS)}, with a leading - to reverse."
    return problems


def period_bounds(key: str) -> tuple[date, date] | None:
    """"2026-05" → May 2026; "2026-Q2" → April–June; "2026" → the year. None for a period
    outside the dates a filter accepts (a row stored before dates were checked)."""
    if "-Q" in key:
        year, quarter = (int(part) for part in key.split("-Q"))
        first_month, last_month = 3 * quarter - 2, 3 * quarter
    elif "-" in key:
        year, first_month = (int(part) for part in key.split("-"))
        last_month = first_month
    else:
        year, first_month, last_month = int(key), 1, 12
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        return None
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, last_day)
