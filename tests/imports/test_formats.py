"""Numbers and dates as spreadsheets write them, read strictly by the format chosen; what to
preselect from the first rows and the locale, and when the choice is left open."""

from datetime import date

import pytest

from cotrack.domain.errors import DomainError
from cotrack.domain.import_formats import (
    ImportOptions,
    date_of,
    detect_delimiter,
    locale_formats,
    number_text,
    suggest,
)


@pytest.mark.parametrize(("text", "fmt", "plain"), [
    ("1,234.50", "1,234.50", "1234.50"), ("1234.50", "1,234.50", "1234.50"),
    ("-1,234,567.5", "1,234.50", "-1234567.5"), ("1.234,50", "1.234,50", "1234.50"),
    ("1234,50", "1.234,50", "1234.50"), ("-12", "1.234,50", "-12"),
    ("1 234,50", "1 234,50", "1234.50"), ("1\u00a0234,50", "1 234,50", "1234.50"),
    ("1\u202f234\u202f567,05", "1 234,50", "1234567.05"),
])
def test_numbers_are_read_in_the_chosen_format(text, fmt, plain):
    assert number_text(text, fmt) == plain


@pytest.mark.parametrize(("text", "fmt"), [
    ("1,23", "1,234.50"), ("1.234,50", "1,234.50"), ("1,234.50", "1.234,50"),
    ("12 34,5", "1 234,50"), ("abc", "1,234.50"), ("1e5", "1,234.50"), ("", "1,234.50"),
])
def test_a_number_not_written_in_the_format_is_refused_naming_it(text, fmt):
    with pytest.raises(DomainError, match=f"written like {fmt}"):
        number_text(text, fmt)


@pytest.mark.parametrize(("text", "fmt", "day"), [
    ("2026-03-04", "YYYY-MM-DD", date(2026, 3, 4)), ("04.03.2026", "DD.MM.YYYY", date(2026, 3, 4)),
    ("4/3/2026", "DD/MM/YYYY", date(2026, 3, 4)), ("3/4/2026", "MM/DD/YYYY", date(2026, 3, 4)),
])
def test_dates_are_read_in_the_chosen_format(text, fmt, day):
    assert date_of(text, fmt) == day


@pytest.mark.parametrize(("text", "fmt"), [
    ("31/12/2026", "MM/DD/YYYY"), ("2026-02-30", "YYYY-MM-DD"), ("12.31.2026", "DD.MM.YYYY"),
    ("2026-03-04", "DD/MM/YYYY"),
])
def test_a_date_not_in_the_format_is_refused_naming_it(text, fmt):
    with pytest.raises(DomainError, match=f"written as {fmt}"):
        date_of(text, fmt)


def test_the_locale_preselects_its_formats():
    assert locale_formats("en_US") == ("1,234.50", "MM/DD/YYYY")
    assert locale_formats("de_DE") == ("1.234,50", "DD.MM.YYYY")
    assert locale_formats("fr_FR") == ("1 234,50", "DD/MM/YYYY")
    assert locale_formats("en_GB") == ("1,234.50", "DD/MM/YYYY")
    assert locale_formats(None) == ("1,234.50", "DD/MM/YYYY")


def test_the_first_rows_decide_when_only_one_format_fits():
    found = suggest(["31/01/2026", "02/03/2026"], ["1.234,50"], "en_US")
    assert (found.date_format, found.number_format) == ("DD/MM/YYYY", "1.234,50")
    assert found.open == {}
    found = suggest(["01/31/2026"], ["1,234.50"], "de_DE")
    assert (found.date_format, found.number_format) == ("MM/DD/YYYY", "1,234.50")


def test_one_wrong_value_does_not_change_the_format_the_others_are_in():
    """A file of ISO dates with one impossible date (2026-02-30) once switched to the
    locale's DD/MM/YYYY, and every line was reported as not a date."""
    found = suggest(["2026-11-02", "2026-02-30", "2026-11-03"], ["12.50", "abc", "1,500.00"],
                    "de_DE")
    assert (found.date_format, found.number_format) == ("YYYY-MM-DD", "1,234.50")
    assert "date_format" not in found.open


def test_ambiguous_dates_take_the_locale_and_say_so():
    us = suggest(["03/04/2026", "05/06/2026"], ["12.50"], "en_US")
    assert us.date_format == "MM/DD/YYYY" and "date_format" in us.open
    gb = suggest(["03/04/2026"], ["12.50"], "en_GB")
    assert gb.date_format == "DD/MM/YYYY" and "fit DD/MM/YYYY and MM/DD/YYYY" in gb.open[
        "date_format"]


def test_ambiguous_numbers_say_so_only_when_the_readings_differ():
    assert "number_format" not in suggest([], ["12", "1500"], "de_DE").open
    found = suggest([], ["1,234", "2,500"], "de_DE")
    assert found.number_format == "1.234,50" and "number_format" in found.open


def test_the_delimiter_is_the_one_splitting_the_header():
    assert detect_delimiter("date;amount;reference;region;note\n1;2,5;x;;\n") == ";"
    assert detect_delimiter("\n\ndate\tamount\treference\n") == "\t"
    assert detect_delimiter("date,amount,reference\n") == ","


def test_options_refuse_what_is_not_offered_naming_the_field():
    with pytest.raises(DomainError) as refused:
        ImportOptions.parse({"date_format": "YY-M-D"})
    assert "date_format" in refused.value.fields
    with pytest.raises(DomainError) as refused:
        ImportOptions.parse({"delimiter": "|"})
    assert "delimiter" in refused.value.fields
    options = ImportOptions.parse({"delimiter": "tab", "encoding": "Windows-1252",
                                   "allow_duplicates": "true"})
    assert (options.delimiter, options.encoding, options.allow_duplicates) == (
        "\t", "windows-1252", True)
