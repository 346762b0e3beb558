"""Times in people's own zone and words (DOMAIN.md, "People's time and numbers").

Stored times are UTC; every time shown to a person is converted to their IANA zone and
written the way their locale writes it (Babel, CLDR), with the zone's label.
"""

from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale
from babel.dates import format_date, format_datetime, format_time, format_timedelta

from cotrack.domain.preferences import DEFAULT_LOCALE, DEFAULT_TIME_ZONE


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIME_ZONE)


def local(moment: datetime, zone_name: str | None) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(zone_name))


# Babel takes a tenth of a millisecond or more per call, and a page shows dozens of times:
# the words for a day, a time of day and a zone's label are each made once per locale.
@lru_cache(maxsize=4096)
def _day_text(day: date, locale: str) -> str:
    return format_date(day, "medium", locale=locale)


@lru_cache(maxsize=4096)
def _clock_text(hour: int, minute: int, locale: str) -> str:
    return format_time(datetime(2000, 1, 1, hour, minute), "short", locale=locale)


def when(moment: datetime | None, zone_name: str | None, locale: str | None) -> str:
    """"12 Mar 2026, 14:05 CET": date, time and the zone's label."""
    if moment is None:
        return ""
    locale = locale or DEFAULT_LOCALE
    there = local(moment, zone_name)
    return (f"{_day_text(there.date(), locale)}, "
            f"{_clock_text(there.hour, there.minute, locale)} {zone_label(there, locale)}")


_ZONE_LABELS: dict = {}


def zone_label(there: datetime, locale: str) -> str:
    """"CET", "UTC", "EDT"; where the locale has no abbreviation, the zone's name ("Japan
    Time") rather than a bare offset. Made once per zone, offset, daylight saving and
    locale (that is all the label depends on)."""
    key = (there.tzinfo, there.utcoffset(), there.dst(), locale)
    label = _ZONE_LABELS.get(key)
    if label is None:
        label = format_datetime(there, "z", tzinfo=there.tzinfo, locale=locale)
        if any(c.isdigit() for c in label):
            label = format_datetime(there, "v", tzinfo=there.tzinfo, locale=locale)
        if len(_ZONE_LABELS) < 4096:
            _ZONE_LABELS[key] = label
    return label


def day(moment: datetime | date | None, zone_name: str | None, locale: str | None) -> str:
    """The date of a moment in the person's zone (a date stays as it is), as the locale
    writes it: "12 Mar 2026"."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        moment = local(moment, zone_name).date()
    return _day_text(moment, locale or DEFAULT_LOCALE)


def age(moment: datetime, now: datetime) -> str:
    """How long ago, in words: "6 days", "3 hours" (in English, like the sentences around
    it; numbers and dates follow the locale, words do not)."""
    delta = max(now - moment, timedelta(0))
    return format_timedelta(delta, threshold=1.5, locale=_english())


@cache
def _english() -> Locale:
    """Parsed once: Babel parsing "en" again on every call was half the cost of ``age``
    (the "waiting on" panel calls it for each of up to ten items)."""
    return Locale.parse("en")
