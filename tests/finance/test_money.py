"""Exact allocation, property-tested over amounts up to ±10^12 minor units and any shares."""

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cotrack.domain.errors import DomainError
from cotrack.domain.money import (
    allocate,
    format_amount,
    format_share,
    minor_digits,
    parse_amount,
    parse_share,
)

ROLES = ("customer", "reseller", "manufacturer")
amounts = st.integers(min_value=-(10**12), max_value=10**12).filter(lambda a: a != 0)
shares = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000)).filter(
    lambda ab: ab[0] + ab[1] <= 10_000).map(
    lambda ab: {"customer": ab[0], "reseller": ab[1], "manufacturer": 10_000 - ab[0] - ab[1]})


def test_minor_digits_come_from_babel():
    assert (minor_digits("USD"), minor_digits("JPY"), minor_digits("BHD")) == (2, 0, 3)


@pytest.mark.parametrize("currency", ["USD", "JPY", "BHD"])
@given(amount=amounts, split=shares)
def test_allocation_is_exact_and_reversal_cancels(currency, amount, split):
    parts = allocate(amount, split)
    assert sum(parts.values()) == amount
    for role in ROLES:
        exact_times_10000 = amount * split[role]
        assert abs(parts[role] * 10_000 - exact_times_10000) < 10_000  # within one minor unit
    reversal = {role: -value for role, value in parts.items()}
    assert sum(reversal.values()) + amount == 0
    assert all(reversal[r] + parts[r] == 0 for r in ROLES)
    # the decimal strings round-trip in the currency's minor digits
    text = format_amount(amount, currency)
    assert parse_amount(text, currency) == amount
    assert ("." in text) == (minor_digits(currency) > 0)


def test_leftover_cents_go_to_largest_remainders_with_domain_tie_break():
    assert allocate(100, {"customer": 3333, "reseller": 3333, "manufacturer": 3334}) == {
        "customer": 33, "reseller": 33, "manufacturer": 34}
    # the largest remainder first (manufacturer 6668), then the tie goes to the customer
    assert allocate(2, {"customer": 3333, "reseller": 3333, "manufacturer": 3334}) == {
        "customer": 1, "reseller": 0, "manufacturer": 1}
    assert allocate(1, {"customer": 5000, "reseller": 5000, "manufacturer": 0}) == {
        "customer": 1, "reseller": 0, "manufacturer": 0}
    assert allocate(-1, {"customer": 5000, "reseller": 5000, "manufacturer": 0}) == {
        "customer": 0, "reseller": -1, "manufacturer": 0}


@pytest.mark.parametrize(("text", "currency", "minor"), [
    ("1234.50", "USD", 123450), ("-0.01", "USD", -1), ("1500", "JPY", 1500),
    ("1.234", "BHD", 1234), ("1e3", "USD", 100000),
])
def test_parse_amount(text, currency, minor):
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize(("text", "currency"), [
    ("1.001", "USD"), ("12.5", "JPY"), ("abc", "USD"), ("0", "USD"), ("NaN", "USD"),
    (12.5, "USD"), ("sNaN", "USD"), ("-Infinity", "USD"), ("1e999997", "USD"),
    ("1e100", "JPY"), ("10000000000000.00", "USD"), ("1" * 41, "JPY"), (10**50, "JPY"),
    ("1_000", "USD"), ("1 000", "USD"), ("\u0661", "USD"), ("0x10", "USD"), ("", "USD"),
])
def test_bad_amounts_are_refused_with_the_field(text, currency):
    with pytest.raises(DomainError) as exc:
        parse_amount(text, currency)
    assert "amount" in exc.value.fields


def test_shares_are_two_decimal_percent():
    assert parse_share("33.33", "customer") == 3333
    assert format_share(3333) == "33.33"
    for bad in ("33.333", "101", "-1", "x", 0.5, "sNaN", "NaN", "Infinity", "1e999999",
                "1e-999999", "1" * 41):
        with pytest.raises(DomainError) as exc:
            parse_share(bad, "customer")
        assert "customer" in exc.value.fields


def test_a_huge_exponent_is_refused_at_once_not_converted():
    """int() of Decimal("1e999997") runs for minutes (holding SQLite's write lock when it
    happens in a request): amounts and shares are refused before any conversion."""
    code = ("from cotrack.domain.errors import DomainError\n"
            "from cotrack.domain.money import parse_amount, parse_share\n"
            "for text in ('1e999997', '-1e999997', '1E+999999999', '9' * 36 + 'e99'):\n"
            "    for parse in (lambda t: parse_amount(t, 'EUR'), lambda t: parse_share(t, 'x')):\n"
            "        try:\n"
            "            parse(text)\n"
            "        except DomainError:\n"
            "            pass\n")
    subprocess.run([sys.executable, "-c", code], timeout=30, check=True)  # noqa: S603
