"""The web app's edge holds input to DOMAIN.md's "Valid input" bounds (cotrack.domain.valid_input)
before a view sees it: the ``<id:>`` route converter, JSON bodies, query strings, and the
WTForms fields and validators every form uses, so a form shows the message beside its field.
"""

import json

from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import BaseConverter, ValidationError
from wtforms import DateField
from wtforms import validators as wtf

from cotrack.domain.errors import DomainError
from cotrack.domain.valid_input import MAX_ID, MAX_JSON_DEPTH, date_value, id_value, text_problem


def numbers_up_to(limit: int) -> str:
    """A regular expression matching the decimal numbers 1 … ``limit``, no leading zeros."""
    digits = str(limit)
    options = [f"[1-9][0-9]{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        low = "1" if i == 0 else "0"
        if digit > low:  # the same prefix, a smaller digit here, anything after it
            rest = len(digits) - i - 1
            options.append(f"{digits[:i]}[{low}-{int(digit) - 1}][0-9]{{{rest}}}")
    options.append(digits)
    return "(?:" + "|".join(options) + ")"


class IdConverter(BaseConverter):
    """``<id:name>``: only ids a row can have; 0, leading zeros and 2**31 and above do not
    match the route at all, so they answer 404 whatever the method."""

    regex = numbers_up_to(MAX_ID)
    part_isolating = True

    def to_python(self, value: str) -> int:
        number = id_value(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value) -> str:
        return str(int(value))


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, reading only what JSON means: no NaN/Infinity, no runaway nesting.

    A problem is a ValueError, which ``request.get_json`` turns into a 400."""

    def loads(self, s, **kwargs):
        try:
            data = json.loads(s, parse_constant=_no_constant, parse_float=_finite,
                              parse_int=_bounded_int, **kwargs)
        except RecursionError:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
        if _depth(data) > MAX_JSON_DEPTH:
            raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        return data


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    """A JSON number with a fraction or exponent; one too large for a float ("1e999",
    which Python would read as infinity) is refused."""
    if len(text) > 40:
        raise ValueError("a number this long is not one we read")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is too large a number")
    return value


def _bounded_int(text: str) -> int:
    """A JSON integer of at most 40 digits (converting a long one costs time)."""
    if len(text) > 41:
        raise ValueError("a number this long is not one we read")
    return int(text)


def _depth(data) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list) and level > deepest:
            deepest = level
            if deepest > MAX_JSON_DEPTH:
                break
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
    return deepest


def json_text_problems(data, long: bool = True) -> dict:
    """{field path: problem} for every string in decoded JSON that no text field may hold."""
    problems, stack = {}, [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                if problem := text_problem(str(key), long=False):
                    problems[name] = problem
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str) and (problem := text_problem(value, long)):
            problems[path or "body"] = problem
    return problems


def check_query_string() -> None:
    """Every query-string parameter is text without control characters (422 naming it)."""
    problems = {}
    for key, values in request.args.lists():
        for value in (key, *values):
            if problem := text_problem(value):
                problems[key] = problem
    if problems:
        raise DomainError("The query string has characters it cannot have.", fields=problems)


def init_app(app: Flask) -> None:
    """The ``id`` URL converter (before any route is added), bounded JSON, query strings."""
    app.url_map.converters["id"] = IdConverter
    app.json = BoundedJSONProvider(app)
    app.before_request(check_query_string)


# WTForms: the same checks, shown beside the field.

class DateInput(DateField):
    """A date field read by ``date_value``: YYYY-MM-DD inside the bounds."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = date_value(valuelist[0])
        except ValueError as exc:
            self.data = None
            raise ValueError(str(exc)) from None

    def pre_validate(self, form) -> None:
        if self.process_errors:  # keep the message; DataRequired would replace it
            raise wtf.StopValidation()


class PlainText:
    """One line of text: no control characters."""

    long = False

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and (problem := text_problem(field.data, self.long)):
            raise wtf.StopValidation(problem)


class LongText(PlainText):
    """Text of several lines: tab and line breaks allowed, other control characters not."""

    long = True
