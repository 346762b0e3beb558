"""People's time and numbers (DOMAIN.md): each user's IANA time zone and locale.

Times are stored in UTC and shown in the user's zone; numbers and amounts with the
locale's separators. The choices come from the maintained tables: the IANA database
(``zoneinfo``) for zones, CLDR (Babel) for locales.
"""

from functools import cache
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.localedata import locale_identifiers

from cotrack.domain.errors import DomainError

DEFAULT_TIME_ZONE = "UTC"
DEFAULT_LOCALE = "en_GB"


@cache
def time_zones() -> tuple[str, ...]:
    """Every IANA zone name ("Europe/Berlin"), sorted; UTC first."""
    zones = sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))
    return (DEFAULT_TIME_ZONE, *zones)


@cache
def locales() -> dict[str, str]:
    """{"de_DE": "Deutsch (Deutschland) — German (Germany)"} for every language-and-region
    locale CLDR knows, by English name."""
    found = {}
    for identifier in locale_identifiers():
        if identifier.count("_") != 1:
            continue  # a language and a region only: "de_DE", not "de" or "sr_Latn_RS"
        locale = Locale.parse(identifier)
        own, english = locale.get_display_name(locale), locale.get_display_name("en")
        if english:
            found[identifier] = english if own in (None, english) else f"{english} — {own}"
    return dict(sorted(found.items(), key=lambda item: item[1]))


def time_zone_value(value, field: str = "time_zone") -> str:
    if not isinstance(value, str) or value not in time_zones():
        raise DomainError("Choose a time zone such as Europe/Berlin or UTC.", field=field)
    return value


def locale_value(value, field: str = "locale") -> str:
    if isinstance(value, str) and value.replace("-", "_") in locales():
        return value.replace("-", "_")
    raise DomainError("Choose a locale such as en_GB or de_DE.", field=field)


def best_locale(accepted: list[str]) -> str:
    """The first of the browser's languages ("de-DE", "fr") that CLDR knows as a
    language-and-region locale; else the default."""
    for tag in accepted:
        try:
            locale = Locale.parse(tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            continue
        territory = locale.territory or _likely_territory(locale.language)
        if f"{locale.language}_{territory}" in locales():
            return f"{locale.language}_{territory}"
    return DEFAULT_LOCALE


def _likely_territory(language: str) -> str | None:
    """CLDR's likely region of a bare language: fr → FR, pt → BR."""
    likely = get_global("likely_subtags").get(language)
    return likely.split("_")[-1] if likely else None
