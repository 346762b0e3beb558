"""Valid input (DOMAIN.md): the bounds every id, date and text is held to before it is
converted or stored, checked at the edge of the application.

- ids: 1 … 2**31 - 1 (the id columns are INTEGER: 32 bits on PostgreSQL). Routes take
  ``<id:name>``, which does not match anything else, so an id that cannot exist answers
  404 like one that does not.
- dates: 1900-01-01 … 2199-12-31, written YYYY-MM-DD.
- text: no control characters (tab and newline allowed in long text) and no lone
  surrogates; NUL bytes included, which PostgreSQL could not store.
- JSON: no NaN or Infinity, nesting bounded (a RecursionError is a 400, not a 500).
- query strings: no control characters in any parameter (they go into SQL filters).

Amounts and shares are bounded in ``cotrack.domain.money``. Services read input through
the ``parse_*`` / ``text_field`` / ``choice`` / ``collect`` checks below, which raise a
DomainError naming the field; the edge of the web app (``cotrack.web.input``: routes, JSON
bodies, query strings, WTForms fields) applies the same bounds, so a form shows the message
beside its field.
"""

import re
from datetime import date

from cotrack.domain.errors import DomainError

MAX_ID = 2**31 - 1
MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2199, 12, 31)
DATE_MESSAGE = "Use a date between 1900-01-01 and 2199-12-31, written like 2026-12-31."
#: deepest nesting of a JSON body (ours are three levels deep at most)
MAX_JSON_DEPTH = 32

_ID = re.compile(r"[1-9][0-9]{0,18}")
#: a whole number as a query string may spell it: digits, and a zero fraction (JSON Schema's
#: integer counts 4.0 as 4, so a client generated from the description may send it)
_WHOLE = re.compile(r"([0-9]+)(?:\.0+)?")
_SIGNED_WHOLE = re.compile(r"(-?[0-9]{1,19})(?:\.0+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: C0 and C1 control characters and DEL; long text may hold tab, newline and carriage return
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROL_IN_LONG_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def whole_digits(text: str) -> str | None:
    """The digits of a whole number written as text ("12", "12.0"), or None."""
    match = _WHOLE.fullmatch(text) if text.isascii() else None
    return match.group(1) if match else None


def whole_number(value) -> int | None:
    """``value`` as an integer if it is one: an int, a float with no fraction (JSON's 4.0)
    or text spelling one ("-4", "4.0"); None for anything else (true, 4.5, "4x", NaN)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and value.isascii() and (match := _SIGNED_WHOLE.fullmatch(value)):
        return int(match.group(1))
    return None


def id_value(value) -> int | None:
    """The id in ``value`` (an int, or a whole number written as text), or None if no row
    can have it."""
    if isinstance(value, str):
        digits = whole_digits(value)
        return (int(digits) if digits is not None and _ID.fullmatch(digits)
                and int(digits) <= MAX_ID else None)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        return value
    return None


def date_value(value) -> date:
    """A date (or a YYYY-MM-DD string) inside the bounds; ValueError with the message if not."""
    if isinstance(value, str) and _DATE.fullmatch(value):  # exactly, as the API describes
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValueError(DATE_MESSAGE) from None
    if type(value) is not date or not MIN_DATE <= value <= MAX_DATE:
        raise ValueError(DATE_MESSAGE)
    return value


def text_problem(text: str, long: bool = False) -> str | None:
    """Why ``text`` cannot be stored as it is, or None. Long text may hold tabs and line
    breaks (a browser's CRLF counts as one; a carriage return alone does not)."""
    if long:
        text = text.replace("\r\n", "\n")
    if bad := _SURROGATE.search(text):
        return f"Contains an invalid character (a lone surrogate, U+{ord(bad.group()):04X})."
    if bad := (_CONTROL_IN_LONG_TEXT if long else _CONTROL).search(text):
        return (f"Remove the control character U+{ord(bad.group()):04X} at position "
                f"{bad.start() + 1}.")
    return None


def parse_date(value, field: str) -> date:
    """A date (or YYYY-MM-DD) between 1900-01-01 and 2199-12-31."""
    try:
        return date_value(value)
    except ValueError as exc:
        raise DomainError(str(exc), field=field) from None


def parse_id(value, field: str) -> int | None:
    """An id from a query string or a JSON body: None when absent or 0 ("none"), else an id
    a row can have; anything else (text, fractions, negative, 2**31 and above) is refused."""
    if value in (None, "", 0, "0") and not isinstance(value, bool):
        return None
    number = id_value(value)
    if number is None:
        raise DomainError(f"Not an id (a whole number from 1 to {MAX_ID:,}).", field=field)
    return number


def choice(value, allowed: tuple, field: str, message: str):
    if value not in allowed:
        raise DomainError(message, field=field)
    return value


def text_field(value, field: str, required: bool, limit: int, long: bool = False) -> str:
    """Text a person entered, stripped: within ``limit`` characters and without control
    characters (``long`` text, such as descriptions, notes and comments, may hold tabs and
    line breaks). The one text check of every service."""
    if not (isinstance(value, str) or value is None):
        raise DomainError("Must be text.", field=field)
    # counted as sent, as the API's description says (maxLength); HTML forms send each
    # line break as one character (cotrack.web.forms reads a browser's CR LF as LF)
    if len(value or "") > limit:
        raise DomainError(f"Use at most {limit:,} characters.", field=field)
    value = (value or "").strip()
    if long:
        value = value.replace("\r\n", "\n")  # one kind of line break is stored
    if required and not value:
        raise DomainError("This is required.", field=field)
    if problem := text_problem(value, long):
        raise DomainError(problem, field=field)
    return value


def collect(checks: dict) -> dict:
    """Run each field's check; raise one DomainError naming every field at fault."""
    values, problems = check_each(checks)
    if problems:
        raise DomainError("Please correct the marked fields.", fields=problems)
    return values


def check_each(checks: dict) -> tuple[dict, dict]:
    """({field: value} of the checks that passed, {field: problem} of those that did not)."""
    values, problems = {}, {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except DomainError as exc:
            problems.update(exc.fields or {name: exc.message})
    return values, problems
