"""Amounts and shares as the signed-in person reads them (DOMAIN.md, "People's time and
numbers"): ``{{ money_text(minor, currency) }}`` is "EUR 12,500.00" for en_GB and
"EUR 12.500,00" for de_DE, with the currency's own digits (JPY none, BHD three);
``{{ share_text(basis_points) }}`` always has two decimals: "20.00 %", "20,00 %"."""

from flask import Flask, g, has_request_context

from cotrack.domain.money import format_money, format_share_for
from cotrack.web.timefmt import viewer_locale


def _locale() -> str:
    if not has_request_context():
        return viewer_locale()
    if "viewer_locale" not in g:  # once per request, not per amount on the page
        g.viewer_locale = viewer_locale()
    return g.viewer_locale


def money_text(minor: int, currency: str) -> str:
    return format_money(minor, currency, _locale())


def share_text(basis_points: int) -> str:
    return format_share_for(basis_points, _locale())


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(money_text=money_text, share_text=share_text)
