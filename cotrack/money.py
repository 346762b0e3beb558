"""Money: currencies from Babel (CLDR), integer minor units, shares, exact allocation.

Amounts are integers in the currency's minor unit (cents for USD, yen for JPY, fils for
BHD); the number of minor digits comes from Babel, not a hand-written table. Shares are
basis points (10000 = 100.00 %). Nothing here ever uses a float.
"""

from decimal import Decimal, InvalidOperation
from functools import cache

from babel.numbers import get_currency_name, get_currency_precision, list_currencies

from cotrack.errors import DomainError

ROLES = ("customer", "reseller", "manufacturer")  # the tie-break order of DOMAIN.md
FULL_SHARE = 10_000
MAX_AMOUNT = 10**15  # minor units; far beyond any invoice, well inside BIGINT


@cache
def currency_codes() -> frozenset[str]:
    return frozenset(list_currencies())


@cache
def currency_choices() -> dict[str, str]:
    """{code: "code — name"} for every current ISO 4217 currency, common ones first."""
    common = ["EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "CAD", "AUD", "BHD"]
    rest = sorted(currency_codes() - set(common))
    return {c: f"{c} — {get_currency_name(c, locale='en')}" for c in common + rest}


def is_currency(code: str) -> bool:
    return (code or "").upper() in currency_codes()


@cache
def minor_digits(currency: str) -> int:
    return get_currency_precision(currency)


def parse_amount(text, currency: str, field: str = "amount") -> int:
    """A decimal string such as "1234.50" (or "-12") to integer minor units."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise DomainError("Send the amount as a decimal string, e.g. \"1234.50\".", field=field)
    raw = str(text).strip().replace("_", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError("Enter an amount such as 1234.50.", field=field) from None
    if not value.is_finite():
        raise DomainError("Enter an amount such as 1234.50.", field=field)
    digits = minor_digits(currency)
    minor = value.scaleb(digits)
    if minor != minor.to_integral_value():
        raise DomainError(f"{currency} has {digits} decimal places; this amount has more.",
                          field=field)
    minor = int(minor)
    if minor == 0:
        raise DomainError("The amount cannot be zero.", field=field)
    if abs(minor) >= MAX_AMOUNT:
        raise DomainError("This amount is too large.", field=field)
    return minor


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_digits(currency))


def format_amount(minor: int, currency: str) -> str:
    """Plain decimal with the currency's minor digits: "1234.50", "-3.000", "1500"."""
    digits = minor_digits(currency)
    return f"{to_decimal(minor, currency):.{digits}f}"


def parse_share(text, field: str) -> int:
    """A percent string with at most two decimals ("33.33") to basis points."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise DomainError("Send the share as a percent string, e.g. \"33.33\".", field=field)
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise DomainError("Enter a percentage such as 33.33.", field=field) from None
    basis_points = value * 100
    if not value.is_finite() or basis_points != basis_points.to_integral_value():
        raise DomainError("Use at most two decimals.", field=field)
    if not 0 <= basis_points <= FULL_SHARE:
        raise DomainError("A share is between 0 and 100.", field=field)
    return int(basis_points)


def format_share(basis_points: int) -> str:
    return f"{Decimal(basis_points).scaleb(-2):.2f}"


def allocate(amount: int, shares: dict[str, int]) -> dict[str, int]:
    """Split ``amount`` (minor units) by ``shares`` (basis points summing to 10000).

    Each party gets floor(amount × share); the units left over go one each to the parties
    with the largest remainders, ties broken customer, reseller, manufacturer. The result
    always sums to ``amount`` and each part is within one unit of the exact share.
    """
    if sum(shares.values()) != FULL_SHARE:
        raise ValueError("shares must sum to 10000 basis points")
    floors, remainders = {}, {}
    for role in ROLES:
        exact = amount * shares[role]
        floors[role] = exact // FULL_SHARE  # floor, also for negative amounts
        remainders[role] = exact - floors[role] * FULL_SHARE
    left = amount - sum(floors.values())
    for role in sorted(ROLES, key=lambda r: (-remainders[r], ROLES.index(r)))[:left]:
        floors[role] += 1
    return floors
