"""Currencies (from Babel's CLDR data, not a hand-written table)."""

from functools import cache

from babel.numbers import get_currency_name, list_currencies


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
