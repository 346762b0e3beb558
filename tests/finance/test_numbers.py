"""Money as people read it: the currency and the reader's locale separators everywhere on
the pages, shares always with two decimals, only current ISO 4217 currencies."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cotrack.domain.money import currency_choices, currency_codes, format_money
from cotrack.extensions import db
from cotrack.services import ledger
from tests.conftest import login


def _entry(ns, amount):
    ledger.record_entry(ns.finance["customer"], ns.venture, {
        "date": "2025-03-31", "amount": amount, "reference": f"INV-{amount}"})
    db.session.commit()


@pytest.mark.parametrize(("locale", "amount", "share"), [
    ("en_GB", "EUR\xa01,234,567.50", "20.00\xa0%"),
    ("de_DE", "EUR\xa01.234.567,50", "20,00\xa0%"),
    ("fr_FR", "EUR\xa01\u202f234\u202f567,50", "20,00\xa0%")])
def test_the_ledger_shows_amounts_and_shares_in_the_readers_locale(client, books, locale,
                                                                   amount, share):
    ns = books()
    _entry(ns, "1234567.50")
    user = ns.finance["reseller"]
    user.locale = locale
    db.session.commit()
    login(client, user.email)
    html = client.get(f"/ventures/{ns.venture.id}/revenue").get_data(as_text=True)
    assert amount in html
    assert f"customer {share}" in html  # the agreement in effect, two decimals


def test_without_a_chosen_locale_the_browsers_language_decides(client, books):
    ns = books()
    _entry(ns, "1234.50")
    login(client, ns.finance["reseller"].email)
    html = client.get(f"/ventures/{ns.venture.id}/revenue",
                      headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert "EUR\xa01.234,50" in html


def test_each_currency_keeps_its_own_digits():
    assert format_money(100100, "JPY", "en_GB") == "JPY\xa0100,100"
    assert format_money(-12345, "BHD", "de_DE") == "-BHD\xa012,345"
    assert format_money(-5, "EUR", "en_GB") == "-EUR\xa00.05"


def test_only_current_currencies_are_offered_common_ones_first():
    codes = currency_codes()
    assert {"EUR", "USD", "JPY", "BHD", "CHF"} <= codes
    assert not {"DEM", "XTS", "XXX", "XAU", "XDR", "FRF"} & codes
    assert list(currency_choices())[:3] == ["EUR", "USD", "GBP"]


@pytest.mark.parametrize("code", ["DEM", "XTS", "XXX", "XAU"])
def test_the_api_and_the_form_refuse_codes_that_are_no_current_currency(
        client, make_user, make_org, make_token, code):
    lead = make_user("lead")
    others = [make_org(), make_org()]
    response = client.post("/api/v1/ventures", headers=make_token(lead), json={
        "name": "Old money", "description": "", "currency": code, "parties": {
            "customer": lead.organisation_id, "reseller": others[0].id,
            "manufacturer": others[1].id}})
    assert response.status_code == 422 and "currency" in response.json["error"]["fields"]
    login(client, lead.email)
    page = client.get("/ventures/new").get_data(as_text=True)
    assert f'value="{code}"' not in page and 'value="EUR"' in page
    assert page.index('value="EUR"') < page.index('value="AED"')  # common ones first


@settings(max_examples=300, deadline=None)
@given(minor=st.integers(min_value=-(10**15), max_value=10**15),
       currency=st.sampled_from(sorted(currency_codes())),
       locale=st.sampled_from(["en_GB", "de_DE", "fr_FR", "de_CH", "ja_JP", "hi_IN", "sv_SE"]))
def test_money_reads_as_babel_writes_the_currency_pattern(minor, currency, locale):
    """format_money puts the code and the sign in itself (Babel would look up the
    currency's name and symbol on every call): the same text as format_currency."""
    from babel.numbers import format_currency

    from cotrack.domain.money import MONEY_PATTERN, to_decimal

    assert format_money(minor, currency, locale) == format_currency(
        to_decimal(minor, currency), currency, format=MONEY_PATTERN, locale=locale,
        currency_digits=True)
