"""CSV and XLSX exports of the ledger and the summary, streamed in constant memory.

Text cells that a spreadsheet would read as a formula (starting with = + - @ tab or
carriage return) are prefixed with an apostrophe; amounts are never touched (negative
ones stay negative). CSV amounts are plain decimals ("1234.50"); XLSX amounts are numbers.
"""

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from cotrack.models import PARTY_ROLES
from cotrack.money import format_amount, minor_digits, to_decimal

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
LEDGER_HEADER = ["date", "venture", "reference", "region", "currency", "amount",
                 *(f"{r} share" for r in PARTY_ROLES), "reversal of"]
SUMMARY_HEADER = ["period", "venture", "currency", *PARTY_ROLES, "total"]


def inert(text) -> str:
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(DANGEROUS) else text


def ledger_cells(row) -> tuple[list, list]:
    """(text cells, amounts in minor units) of one ledger row."""
    text = [row.entry_date.isoformat(), inert(row.venture), inert(row.reference),
            inert(row.region), row.currency]
    amounts = [row.amount, *(getattr(row, r) for r in PARTY_ROLES)]
    return text, amounts


def summary_cells(row) -> tuple[list, list]:
    text = [row.period, inert(row.venture), row.currency]
    parts = [getattr(row, r) for r in PARTY_ROLES]
    return text, [*parts, sum(parts)]


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


def xlsx_stream(header: list, rows: Iterable, cells, kind: str) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind.capitalize())
    sheet.append(header)
    for row in rows:
        text, amounts = cells(row)
        line = []
        for value in text:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # a string, never a formula, whatever it starts with
            line.append(cell)
        number_format = "0" if not minor_digits(row.currency) else "0." + "0" * minor_digits(
            row.currency)
        for amount in amounts:
            cell = WriteOnlyCell(sheet, value=to_decimal(amount, row.currency))
            cell.number_format = number_format
            line.append(cell)
        if kind == "ledger":
            line.append(row.reverses_id)
        sheet.append(line)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while chunk := out.read(64 * 1024):
            yield chunk
