"""Templates to fill in for an import: the columns, and two example rows to overwrite."""

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from cotrack.domain.money import format_amount, minor_digits, to_decimal
from cotrack.services.import_files import COLUMNS

EXAMPLES = [(date(2026, 3, 31), 123450, "INV-1001", "North", "first instalment"),
            (date(2026, 4, 30), -2000, "CN-1001", "North", "credit note")]


def template_csv(currency: str) -> bytes:
    """UTF-8 (with a BOM, so Excel reads the accents right), comma-separated, ISO dates."""
    lines = [",".join(COLUMNS)] + [
        f"{d.isoformat()},{format_amount(a, currency)},{ref},{region},{note}"
        for d, a, ref, region, note in EXAMPLES]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def template_xlsx(currency: str) -> bytes:
    """Date cells, amount cells with the currency's digits, sized columns, frozen header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Revenue"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    digits = minor_digits(currency)
    for d, minor, ref, region, note in EXAMPLES:
        sheet.append([d, to_decimal(minor, currency), ref, region, note])
    for row in sheet.iter_rows(min_row=2):
        row[0].number_format = "yyyy-mm-dd"
        row[1].number_format = "#,##0" + ("." + "0" * digits if digits else "")
    for letter, width in zip("ABCDE", (12, 14, 16, 14, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
