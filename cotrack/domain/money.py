"""Money: currencies from Babel (CLDR), integer minor units, shares, exact allocation.

Amounts are integers in the currency's minor unit (cents for USD, yen for JPY, fils for
BHD); the number of minor digits comes from Babel, not a hand-written table. Shares are
basis points (10000 = 100.00 %). Nothing here ever uses a float.
"""

import re
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import (
    format_compact_decimal,
    format_decimal,
    get_currency_name,
    get_currency_precision,
    get_territory_currencies,
    parse_pattern,
)

from cotrack.domain.errors import DomainError
from cotrack.models import PARTY_ROLES

FULL_SHARE = 10_000
MAX_AMOUNT = 10**15  # minor units; far beyond any invoice, well inside BIGINT
#: a decimal of at most 40 characters: sign, digits, one point, an exponent of at most two
#: digits ("1e3"). Nothing else (NaN, Infinity, "1e999997") reaches Decimal, so no
#: conversion can run away (int() of 1e999997 takes minutes, holding the write lock).
DECIMAL_TEXT = re.compile(r"[+-]?(?=\.?[0-9])[0-9]*(?:\.[0-9]*)?(?:[eE][+-]?[0-9]{1,2})?")
MAX_DECIMAL_TEXT = 40


#: offered first, in this order
COMMON_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "JPY", "CNY", "SEK", "NOK", "DKK", "PLN",
                     "CZK", "CAD", "AUD", "INR", "SGD", "AED")


@cache
def currency_codes() -> frozenset[str]:
    """The current ISO 4217 currencies: legal tender in some territory today (CLDR, through
    Babel). Historic codes (DEM), the test code (XTS), "no currency" (XXX), precious metals
    (XAU) and funds codes are not among them."""
    today = date.today()
    codes: set[str] = set()
    for territory in Locale("en").territories:
        codes.update(get_territory_currencies(territory, today, tender=True))
    return frozenset(codes)


@cache
def currency_choices() -> dict[str, str]:
    """{code: "code — name"} for every current ISO 4217 currency, common ones first."""
    common = [c for c in COMMON_CURRENCIES if c in currency_codes()]
    rest = sorted(currency_codes() - set(common))
    return {c: f"{c} — {get_currency_name(c, locale='en')}" for c in common + rest}


def is_currency(code: str) -> bool:
    return (code or "").upper() in currency_codes()


@cache
def minor_digits(currency: str) -> int:
    return get_currency_precision(currency)


def plain_decimal(text) -> Decimal | None:
    """The Decimal of a decimal such as "-1234.50" (or of an int), or None for anything
    else: NaN, Infinity, exponents beyond two digits, more than 40 characters."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        return None
    if isinstance(text, int):
        text = str(text) if abs(text) < 10**MAX_DECIMAL_TEXT else ""
    text = text.strip()
    if len(text) > MAX_DECIMAL_TEXT or not DECIMAL_TEXT.fullmatch(text):
        return None
    return Decimal(text)


def parse_amount(text, currency: str, field: str = "amount") -> int:
    """A decimal string such as "1234.50" (or "-12") to integer minor units."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise DomainError("Send the amount as a decimal string, e.g. \"1234.50\".", field=field)
    value = plain_decimal(text)
    if value is None:
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


#: the ISO code, a no-break space, the amount with group separators
MONEY_PATTERN = "¤¤\u00a0#,##0.00"


def format_money(minor: int, currency: str, locale: str | None = None) -> str:
    """An amount for people: the ISO code and the locale's separators, "EUR 12,500.00"
    (en_GB), "EUR 12.500,00" (de_DE); the currency's own minor digits (JPY none). What
    Babel's ``format_currency`` writes with ``MONEY_PATTERN``, with the pattern and the
    locale parsed once (a ledger page formats hundreds of amounts), and the code and sign
    put in here: given a currency, Babel looks up its name and symbol in the locale on
    every call, to replace ``¤¤¤`` and ``¤`` the pattern does not have (half the call)."""
    pattern, parsed = _number_format(minor_digits(currency), locale or "en_GB")
    number = pattern.apply(to_decimal(abs(minor), currency), parsed)
    return f"{'-' if minor < 0 else ''}{currency.upper()}\u00a0{number}"


@lru_cache(maxsize=64)
def _number_format(digits: int, locale: str) -> tuple:
    """``MONEY_PATTERN``'s number with ``digits`` decimals, and the locale, parsed."""
    number = MONEY_PATTERN.split("\u00a0", 1)[1].split(".")[0]
    return parse_pattern(number + ("." + "0" * digits if digits else "")), Locale.parse(locale)


@lru_cache(maxsize=1024)
def format_compact(minor: int, currency: str) -> str:
    """A short amount for a chart's axis: "12.5K", "3M" (no currency: the chart says it).
    Remembered: a pure function of its arguments, and Babel's compact formatting reads the
    locale's patterns on every call (about 60 µs; a report's axis repeats its ticks)."""
    return format_compact_decimal(to_decimal(minor, currency), locale="en_GB",
                                  fraction_digits=1)


def parse_share(text, field: str) -> int:
    """A percent string with at most two decimals ("33.33") to basis points."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        raise DomainError("Send the share as a percent string, e.g. \"33.33\".", field=field)
    value = plain_decimal(text)
    if value is None:
        raise DomainError("Enter a percentage such as 33.33.", field=field)
    basis_points = value * 100
    if basis_points != basis_points.to_integral_value():
        raise DomainError("Use at most two decimals.", field=field)
    if not 0 <= basis_points <= FULL_SHARE:
        raise DomainError("A share is between 0 and 100.", field=field)
    return int(basis_points)


def format_share(basis_points: int) -> str:
    return f"{Decimal(basis_points).scaleb(-2):.2f}"


def format_share_for(basis_points: int, locale: str | None = None) -> str:
    """A share for people: always two decimals, the locale's separator: "20.00 %",
    "20,00 %" (de_DE)."""
    value = format_decimal(Decimal(basis_points).scaleb(-2), format="#,##0.00",
                           locale=locale or "en_GB")
    return f"{value}\u00a0%"


def allocate(amount: int, shares: dict[str, int]) -> dict[str, int]:
    """Split ``amount`` (minor units) by ``shares`` (basis points summing to 10000).

    Each party gets floor(amount × share); the units left over go one each to the parties
    with the largest remainders, ties broken customer, reseller, manufacturer. The result
    always sums to ``amount`` and each part is within one unit of the exact share.
    """
    if sum(shares.values()) != FULL_SHARE:
        raise ValueError("shares must sum to 10000 basis points")
    floors, remainders = {}, {}
    for role in PARTY_ROLES:
        exact = amount * shares[role]
        floors[role] = exact // FULL_SHARE  # floor, also for negative amounts
        remainders[role] = exact - floors[role] * FULL_SHARE
    left = amount - sum(floors.values())
    # ties go in the order DOMAIN.md names the parties: customer, reseller, manufacturer
    for role in sorted(PARTY_ROLES, key=lambda r: (-remainders[r], PARTY_ROLES.index(r)))[:left]:
        floors[role] += 1
    return floors
