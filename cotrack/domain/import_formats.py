"""How a spreadsheet writes numbers, dates and fields: the choices an import offers, reading a
value by the chosen one, and what to preselect from a person's locale and a file's first rows.

Nothing is guessed silently: a choice is read strictly ("1,23" is not a number in the format
1,234.50), and :func:`suggest` says which choices the first rows leave open (a file whose
dates are all 03/04/2026-like fits both DD/MM/YYYY and MM/DD/YYYY).
"""

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from cotrack.domain.errors import DomainError

DELIMITERS = {",": "Comma (,)", ";": "Semicolon (;)", "\t": "Tab"}
ENCODINGS = {"utf-8": "UTF-8", "windows-1252": "Windows-1252 (Western European)"}
NUMBER_FORMATS = {"1,234.50": "1,234.50", "1.234,50": "1.234,50", "1 234,50": "1 234,50"}
DATE_FORMATS = {"YYYY-MM-DD": "YYYY-MM-DD (2026-03-31)", "DD.MM.YYYY": "DD.MM.YYYY (31.03.2026)",
                "DD/MM/YYYY": "DD/MM/YYYY (31/03/2026)", "MM/DD/YYYY": "MM/DD/YYYY (03/31/2026)"}
#: spaces a "1 234,50" number may group its thousands with (space, no-break, narrow no-break)
SPACES = " \u00a0\u202f"

_NUMBER = {
    "1,234.50": re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"),
    "1.234,50": re.compile(r"([+-]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?"),
    "1 234,50": re.compile(r"([+-]?)(\d{1,3}(?: \d{3})+|\d+)(?:,(\d+))?"),
}
_DATE = {
    "YYYY-MM-DD": (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (0, 1, 2)),
    "DD.MM.YYYY": (re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"), (2, 1, 0)),
    "DD/MM/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (2, 1, 0)),
    "MM/DD/YYYY": (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})"), (2, 0, 1)),
}
#: territories that write dates month first
MONTH_FIRST = {"US", "PH", "FM", "MH", "PW", "BZ"}


@dataclass
class ImportOptions:
    """How to read one file; ``delimiter`` None: detected from the file."""

    encoding: str = "utf-8"
    delimiter: str | None = None
    number_format: str = "1,234.50"
    date_format: str = "YYYY-MM-DD"
    allow_duplicates: bool = False

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def parse(cls, values, defaults: "ImportOptions | None" = None) -> "ImportOptions":
        """From a form or a JSON-ish mapping; a value not offered is refused naming its field."""
        base = defaults or cls()
        options = cls(**base.as_dict())
        for name, allowed in (("encoding", ENCODINGS), ("number_format", NUMBER_FORMATS),
                              ("date_format", DATE_FORMATS)):
            value = values.get(name)
            if value in (None, ""):
                continue
            value = str(value).lower() if name == "encoding" else str(value)
            if value not in allowed:
                raise DomainError(f"Choose one of: {', '.join(allowed)}.", field=name)
            setattr(options, name, value)
        delimiter = values.get("delimiter")
        if delimiter not in (None, "", "auto"):
            delimiter = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}.get(
                delimiter, delimiter)
            if delimiter not in DELIMITERS:
                raise DomainError("Choose a comma, a semicolon or a tab.", field="delimiter")
            options.delimiter = delimiter
        options.allow_duplicates = str(values.get("allow_duplicates") or
                                       values.get("allow_duplicate_reference") or "").lower() \
            in ("1", "true", "y", "yes", "on")
        return options


def number_text(value: str, number_format: str) -> str:
    """``value`` written in ``number_format`` as a plain decimal ("1.234,50" → "1234.50");
    DomainError naming the format when it is not written that way."""
    text = value.strip()
    if number_format == "1 234,50":
        text = re.sub(f"[{SPACES}]", " ", text)
    match = _NUMBER[number_format].fullmatch(text)
    if not match:
        raise DomainError(f"\"{value.strip()[:40]}\" is not an amount written like "
                          f"{number_format}.", field="amount")
    sign, whole, fraction = match.groups()
    whole = re.sub(r"[^\d]", "", whole)
    return f"{sign}{whole}" + (f".{fraction}" if fraction is not None else "")


def date_of(value: str, date_format: str) -> date:
    """``value`` written in ``date_format`` as a date; DomainError naming the format."""
    pattern, order = _DATE[date_format]
    match = pattern.fullmatch(value.strip())
    if match:
        parts = match.groups()
        try:
            return date(int(parts[order[0]]), int(parts[order[1]]), int(parts[order[2]]))
        except ValueError:
            pass
    raise DomainError(f"\"{value.strip()[:40]}\" is not a date written as {date_format}.",
                      field="date")


def _fits_number(text: str, number_format: str) -> bool:
    try:
        number_text(text, number_format)
        return True
    except DomainError:
        return False


def _fits_date(text: str, date_format: str) -> bool:
    try:
        date_of(text, date_format)
        return True
    except DomainError:
        return False


@dataclass
class Suggestion:
    """What to preselect, and for each choice the first rows leave open, why."""

    number_format: str
    date_format: str
    #: {field: message}: the first rows fit more than one choice (or none)
    open: dict = field(default_factory=dict)


def locale_formats(locale: str | None) -> tuple[str, str]:
    """(number format, date format) a person of ``locale`` ("de_DE") most likely uses."""
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(locale or "en_GB")
    except (ValueError, UnknownLocaleError):
        loc = Locale.parse("en_GB")
    decimal, group = loc.number_symbols["latn"]["decimal"], loc.number_symbols["latn"]["group"]
    if decimal == ".":
        number = "1,234.50"
    elif group in SPACES or group == " ":
        number = "1 234,50"
    else:
        number = "1.234,50"
    pattern = loc.date_formats["short"].pattern
    if loc.territory in MONTH_FIRST:
        when = "MM/DD/YYYY"
    elif "." in pattern:
        when = "DD.MM.YYYY"
    elif pattern.startswith("y"):
        when = "YYYY-MM-DD"
    else:
        when = "DD/MM/YYYY"
    return number, when


def suggest(dates: list[str], amounts: list[str], locale: str | None) -> Suggestion:
    """Preselect formats from the first rows' text, and the locale where they fit several."""
    number, when = locale_formats(locale)
    result = Suggestion(number, when)
    dates, amounts = [d for d in dates if d.strip()], [a for a in amounts if a.strip()]
    # the formats most of the first rows fit: one wrong value (2026-02-30) must not turn a
    # file of ISO dates into the locale's format, with every line reported
    fitting_dates = _most_fitting(dates, DATE_FORMATS, _fits_date)
    if len(fitting_dates) == 1:
        result.date_format = fitting_dates[0]
    elif fitting_dates:
        result.date_format = when if when in fitting_dates else fitting_dates[0]
        result.open["date_format"] = (
            f"The first rows' dates fit {' and '.join(fitting_dates)}; "
            f"{result.date_format} is preselected from your locale. Check the dates below.")
    elif dates:
        result.open["date_format"] = "The first rows' dates fit none of the date formats."
    fitting = _most_fitting(amounts, NUMBER_FORMATS, _fits_number)
    if len(fitting) == 1:
        result.number_format = fitting[0]
    elif fitting and number not in fitting:
        result.number_format = fitting[0]
    fitted = [a for a in amounts if _fits_number(a, fitting[0])] if fitting else []
    if len(fitting) > 1 and _differ(fitted, fitting):
        result.open["number_format"] = (
            f"The first rows' amounts read differently as {' or '.join(fitting)}; "
            f"{result.number_format} is preselected. Check the amounts below.")
    elif amounts and not fitting:
        result.open["number_format"] = "The first rows' amounts fit none of the number formats."
    return result


def _most_fitting(values: list[str], formats, fits) -> list[str]:
    """The formats that the most of ``values`` fit (none if no value fits any)."""
    counts = {f: sum(1 for v in values if fits(v, f)) for f in formats}
    best = max(counts.values(), default=0)
    return [f for f in formats if counts[f] == best] if best else []


def _differ(amounts: list[str], formats: list[str]) -> bool:
    """Do the formats read the amounts as different numbers ("1,234" does; "12" does not)?"""
    from decimal import Decimal

    readings = {tuple(Decimal(number_text(a, f)) for a in amounts) for f in formats}
    return len(readings) > 1


def detect_delimiter(sample: str) -> str:
    """The delimiter of a CSV from its first lines: the one of , ; tab that splits the header
    line into the most fields (ties: comma)."""
    header = next((line for line in sample.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts.values())
    return next(d for d in DELIMITERS if counts[d] == best) if best else ","
