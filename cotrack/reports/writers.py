"""CSV and XLSX exports of the ledger and the summary, streamed in constant memory.

Text cells that a spreadsheet would read as a formula (starting with = + - @ tab or
carriage return) are prefixed with an apostrophe; amounts are never touched (negative
ones stay negative). CSV amounts are plain decimals ("1234.50"); XLSX amounts are numbers
with the currency's digits, dates are date cells, and each currency has its own sheet with
a totals row.
Filtered by party, an export has that party's column only, as the report page does.
XLSX cells cannot hold control characters other than tab and line breaks: a row stored
with one (before input was checked) gets U+FFFD in its place there; the CSV stays exact.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cotrack.domain.money import format_amount, minor_digits, to_decimal
from cotrack.models import PARTY_ROLES

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def ledger_header(roles: tuple = PARTY_ROLES) -> list[str]:
    return ["date", "venture", "reference", "region", "currency", "amount",
            *(f"{r} share" for r in roles), "reversal of"]


def summary_header(roles: tuple = PARTY_ROLES) -> list[str]:
    total = ["total"] if tuple(roles) == PARTY_ROLES else []  # the screen's Total column
    return ["period", "venture", "currency", *roles, *total]


LEDGER_HEADER = ledger_header()
SUMMARY_HEADER = summary_header()


def inert(text) -> str:
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(DANGEROUS) else text


def ledger_cells(row, roles: tuple = PARTY_ROLES) -> tuple[list, list]:
    """(text cells, amounts in minor units) of one ledger row."""
    text = [row.entry_date.isoformat(), inert(row.venture), inert(row.reference),
            inert(row.region), row.currency]
    amounts = [row.amount, *(getattr(row, r) for r in roles)]
    return text, amounts


def summary_cells(row, roles: tuple = PARTY_ROLES) -> tuple[list, list]:
    text = [row.period, inert(row.venture), row.currency]
    parts = [getattr(row, r) for r in roles]
    return text, parts + ([sum(parts)] if tuple(roles) == PARTY_ROLES else [])


def xlsx_text(text: str) -> str:
    """``text`` with the characters a worksheet cannot hold replaced by U+FFFD."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def csv_stream(header: list, rows: Iterable, cells, kind: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        text, amounts = cells(row)
        currency = row.currency
        line = text + [format_amount(a, currency) for a in amounts]
        if kind == "ledger":
            line.append(row.reverses_id or "")
        writer.writerow(line)
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


#: column widths (characters): dates and amounts never cut, never "###"
WIDTHS = {"date": 12, "venture": 32, "reference": 22, "region": 18, "currency": 10,
          "period": 10, "reversal of": 12}
AMOUNT_WIDTH = 22  # "-999,999,999,999.999" and a little air


def amount_format(currency: str) -> str:
    """Thousands separators and exactly the currency's digits (JPY none, BHD three)."""
    digits = minor_digits(currency)
    return "#,##0" + ("." + "0" * digits if digits else "")


class _Sheet:
    """One worksheet of the export: one currency's rows, then their totals."""

    def __init__(self, workbook, title: str, header: list, text_count: int):
        self.sheet = workbook.create_sheet(title[:31])
        self.header, self.text_count = header, text_count
        self.sums: list[int] | None = None
        self.rows = 0
        for index, name in enumerate(header, start=1):
            width = WIDTHS.get(name, AMOUNT_WIDTH if index > text_count else 14)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        bold = [WriteOnlyCell(self.sheet, value=name) for name in header]
        for cell in bold:
            cell.font = Font(bold=True)
        self.sheet.append(bold)

    def add(self, text: list, amounts: list, currency: str, tail: list) -> None:
        line = []
        for value in text:
            if isinstance(value, date):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                cell = WriteOnlyCell(self.sheet, value=xlsx_text(value))
                cell.data_type = "s"  # a string, never a formula, whatever it starts with
            line.append(cell)
        line += self._amounts(amounts, currency)
        self.sheet.append(line + tail)
        self.sums = [a + b for a, b in zip(self.sums, amounts, strict=True)] \
            if self.sums is not None else list(amounts)
        self.rows += 1

    def _amounts(self, amounts: list, currency: str, bold: bool = False) -> list:
        cells = []
        for amount in amounts:
            cell = WriteOnlyCell(self.sheet, value=to_decimal(amount, currency))
            cell.number_format = amount_format(currency)
            if bold:
                cell.font = Font(bold=True)
            cells.append(cell)
        return cells

    def close(self, currency: str | None) -> None:
        """A totals row (values, not formulas) below an autofilter over the rows."""
        last = get_column_letter(len(self.header))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        if self.sums is not None and currency:
            label = WriteOnlyCell(self.sheet, value="Total")
            label.font = Font(bold=True)
            self.sheet.append([label, *[None] * (self.text_count - 1),
                               *self._amounts(self.sums, currency, bold=True)])


def xlsx_stream(header: list, rows: Iterable, cells, kind: str) -> Iterator[bytes]:
    """The rows in a workbook as finance expects it: date cells, amounts as numbers with the
    currency's digits, sized columns, a frozen header, an autofilter and a totals row; a
    sheet per currency when the rows hold several."""
    workbook = Workbook(write_only=True)
    sheets: dict[str, _Sheet] = {}
    text_count = header.index("currency") + 1 if kind == "ledger" else 3
    for row in rows:
        text, amounts = cells(row)
        if kind == "ledger":
            text = [row.entry_date, *text[1:]]
        sheet = sheets.get(row.currency)
        if sheet is None:
            sheet = sheets[row.currency] = _Sheet(
                workbook, f"{kind.capitalize()} {row.currency}", header, text_count)
        sheet.add(text, amounts, row.currency, [row.reverses_id] if kind == "ledger" else [])
    if not sheets:
        sheets[""] = _Sheet(workbook, kind.capitalize(), header, text_count)
    for currency, sheet in sheets.items():
        sheet.close(currency)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while chunk := out.read(64 * 1024):
            yield chunk
