"""The ledger's search in SQL: reference (contains, or prefix), region, amount range,
reversed or not, and the sort order; the same for the venture's ledger page, the report's
ledger rows, the exports and the API.

Every condition can use an index of ``revenue_entry`` (see the model): a reference prefix
the (venture, reference) index (``text_pattern_ops`` on PostgreSQL, a binary range on
SQLite), the region and amount their (venture, …) indexes, a date range the (venture, date)
one. "Contains" is case-insensitive and reads the venture's entries.
"""

from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from cotrack.domain import like
from cotrack.domain.errors import DomainError
from cotrack.domain.money import minor_digits
from cotrack.extensions import db
from cotrack.models import RevenueEntry, Venture
from cotrack.reports.filters import ReportFilter, read_filter

#: the highest code point: every string starting with a prefix sorts below prefix + this
_LAST = "\U0010ffff"


def search_conditions(f: ReportFilter) -> list:
    """SQL conditions on RevenueEntry for the search in ``f``."""
    e = RevenueEntry
    conditions = []
    if f.q and f.match == "prefix":
        if db.session.get_bind().dialect.name == "postgresql":
            conditions.append(e.reference.startswith(f.q, autoescape=True))
        else:  # SQLite's LIKE ignores case and no index; a binary range uses the index
            conditions += [e.reference >= f.q, e.reference < f.q + _LAST]
    elif f.q and db.session.get_bind().dialect.name == "postgresql":
        # the trigram index is on lower(reference) (migration 4b7e2c91d0a6)
        conditions.append(func.lower(e.reference).like(func.lower(like.containing(f.q)),
                                                        escape=like.ESCAPE))
    elif f.q:  # SQLite: no index answers it; the venture's references are read
        conditions.append(e.reference.icontains(f.q, autoescape=True))
    if f.region:
        conditions.append(e.region == f.region)
    if f.min_amount is not None or f.max_amount is not None:
        digits = minor_digits(_amount_currency(f))
        if f.min_amount is not None:
            conditions.append(e.amount >= _minor(f.min_amount, digits, "min"))
        if f.max_amount is not None:
            conditions.append(e.amount <= _minor(f.max_amount, digits, "max"))
    if f.reversed is not None:
        # the venture's few reversals and the entries they reverse, read once through the
        # unique index on reverses_id (a hashed subplan), never probed entry by entry
        later = aliased(RevenueEntry)
        pairs = [later.reverses_id.is_not(None)]
        if f.venture_id:
            pairs.append(later.venture_id == f.venture_id)
        touched = select(later.id).where(*pairs).union_all(
            select(later.reverses_id).where(*pairs))
        conditions.append(e.id.in_(touched) if f.reversed == "true"
                          else e.id.not_in(touched))
    return conditions


def read_checked_filter(args, check_venture=None) -> tuple[ReportFilter, dict[str, str]]:
    """``read_filter``, and the amount bounds checked against the currency (a page names
    every filter at fault beside its form). ``check_venture(venture_id)`` runs first, on
    a venture the filter names (an outsider is answered 404 before its currency is read)."""
    f, problems = read_filter(args)
    if f.venture_id and check_venture is not None:
        check_venture(f.venture_id)
    if not problems:
        problems = amount_problems(f)
    return (ReportFilter() if problems else f), problems


def amount_problems(f: ReportFilter) -> dict[str, str]:
    """{parameter: problem} of the amount bounds: they need a currency (the filter's or
    its venture's) and no more decimals than it has. Checked with the other filters, so a
    page names them beside its form instead of failing while it builds its query."""
    if f.min_amount is None and f.max_amount is None:
        return {}
    try:
        digits = minor_digits(_amount_currency(f))
    except DomainError as exc:
        return exc.fields
    problems = {}
    for name, value in (("min", f.min_amount), ("max", f.max_amount)):
        if value is not None:
            try:
                _minor(value, digits, name)
            except DomainError as exc:
                problems.update(exc.fields)
    return problems


def _amount_currency(f: ReportFilter) -> str:
    """Amount bounds are in one currency: the filter's, else the venture's."""
    if f.currency:
        return f.currency
    if f.venture_id:
        currency = db.session.scalar(select(Venture.currency).where(
            Venture.id == f.venture_id))
        if currency:
            return currency
    field = "min" if f.min_amount is not None else "max"
    raise DomainError("Choose a venture or a currency to filter by amount.", field=field)


def _minor(value: Decimal, digits: int, field: str) -> int:
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise DomainError(f"Use at most {digits} decimal places.", field=field)
    return int(minor)


#: sort keys and the ledger columns they order by
SORT_COLUMN_NAMES = {"date": "entry_date", "reference": "reference", "region": "region",
                     "amount": "amount", "id": "id"}


def ledger_order(f: ReportFilter, default: str = "date", columns=None) -> list:
    """ORDER BY for ``f.sort`` (else ``default``), ties broken by id the same way; over
    ``columns`` (a subquery's ``.c``) instead of RevenueEntry's when given."""
    sort = f.sort or default
    descending = sort.startswith("-")
    name = SORT_COLUMN_NAMES[sort.lstrip("-")]
    source = columns if columns is not None else RevenueEntry.__table__.c
    order = [source[name]] if name == "id" else [source[name], source["id"]]
    return [c.desc() if descending else c.asc() for c in order]


def search_where(query, f: ReportFilter):
    """``query`` narrowed by the search (no conditions: unchanged)."""
    conditions = search_conditions(f)
    return query.where(and_(*conditions)) if conditions else query
