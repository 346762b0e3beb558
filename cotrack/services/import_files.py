"""Reading an import file: CSV (comma, semicolon or tab; UTF-8 with or without a BOM, or
Windows-1252; LF or CRLF) or XLSX (the first sheet, openpyxl's read-only mode), as records
``(line, {column: value})`` numbered by their PHYSICAL line (or sheet row): blank lines and
line breaks inside quoted fields count, so line 10 is the tenth line an editor shows.

Uploads waiting for their preview to be confirmed are kept in the instance folder under a
random token, with who uploaded them for which venture (:func:`keep`, :func:`kept`).
"""

import codecs
import csv
import io
import json
import logging
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from flask import current_app

from cotrack.domain.errors import DomainError
from cotrack.domain.import_formats import DELIMITERS, ImportOptions, detect_delimiter, suggest

log = logging.getLogger(__name__)
COLUMNS = ["date", "amount", "reference", "region", "note"]
REQUIRED = ("date", "amount", "reference")
XLSX_MAGIC = b"PK\x03\x04"
UTF8_BOM = codecs.BOM_UTF8
#: an upload not confirmed within this many seconds is deleted
KEEP_SECONDS = 24 * 3600
_TOKEN_LENGTH = 22  # secrets.token_urlsafe(16)


class ImportRejected(DomainError):
    """The file has problems; ``rows`` lists them as {line, field, message}."""

    def __init__(self, rows: list[dict], message: str | None = None):
        super().__init__(message or f"{len(rows)} problem(s) found; nothing was recorded.",
                         field="file")
        self.rows = rows
        self.details = {"rows": rows}


def file_problem(message: str, line: int = 0, field: str = "file") -> ImportRejected:
    return ImportRejected([{"line": line, "field": field, "message": message}], message)


def is_xlsx(stream) -> bool:
    start = stream.read(4)
    stream.seek(0)
    return start == XLSX_MAGIC


@dataclass
class Source:
    """An opened import file: its kind, the options it is read with, its records."""

    kind: str  # "csv" or "xlsx"
    options: ImportOptions
    records: Iterator[tuple[int, dict]]


def open_source(stream, options: ImportOptions) -> Source:
    """Records of ``stream`` (binary, seekable); the delimiter detected when not chosen."""
    if is_xlsx(stream):
        return Source("xlsx", options, _xlsx_records(stream))
    options = ImportOptions(**options.as_dict())
    if options.delimiter is None:
        sample = stream.read(64 * 1024)
        stream.seek(0)
        options.delimiter = detect_delimiter(sample.decode("latin-1"))
    return Source("csv", options, _csv_records(stream, options))


def _text(stream, options: ImportOptions):
    start = stream.read(3)
    stream.seek(0)
    if options.encoding == "utf-8":
        return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    if start == UTF8_BOM:
        raise file_problem("The file starts with a UTF-8 byte order mark but Windows-1252 "
                           "was chosen: choose UTF-8.", field="encoding")
    return io.TextIOWrapper(stream, encoding="cp1252", newline="")


def _csv_records(stream, options: ImportOptions) -> Iterator[tuple[int, dict]]:
    text = _text(stream, options)
    reader = csv.reader(text, delimiter=options.delimiter, strict=False)
    columns, start = None, 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # a blank line (it still counts for the numbers after it)
            if columns is None:
                columns = _columns(record, line, options.delimiter)
                continue
            yield line, {name: record[i] if i < len(record) else ""
                         for name, i in columns.items()}
    except UnicodeDecodeError:
        name = {"utf-8": "UTF-8"}.get(options.encoding, "Windows-1252")
        hint = " (saved by Excel on Windows? choose Windows-1252)" \
            if options.encoding == "utf-8" else " (choose UTF-8)"
        raise file_problem(f"Line {start} is not {name} text{hint}.", start,
                           "encoding") from None
    except csv.Error as exc:
        raise file_problem(f"Line {start}: {exc}", start) from None
    finally:
        text.detach()  # the stream stays open for the next reading
    if columns is None:
        raise file_problem("The file is empty.", 1)


def _columns(header: list, line: int, delimiter: str | None) -> dict[str, int]:
    """{column name: index} of the header line; refused naming what is missing."""
    names = [str(h or "").strip().lower() for h in header]
    columns = {name: names.index(name) for name in COLUMNS if name in names}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = (DELIMITERS.get(delimiter, "") + " separated: " if delimiter else "") + \
            " | ".join(h for h in names if h)[:120]
        others = [d for d in DELIMITERS if d != delimiter and d in "".join(names)]
        hint = (f" Is the file separated by {DELIMITERS[others[0]].lower()}? Choose it as the "
                "delimiter." if others else "")
        raise ImportRejected([{"line": line, "field": "header", "message":
                               f"The first line must name the columns {','.join(COLUMNS)} "
                               f"(region and note may be left out); it has {found}.{hint}"}])
    return columns


def _xlsx_records(stream) -> Iterator[tuple[int, dict]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt or foreign zip: openpyxl raises many kinds
        raise file_problem(f"The file is not a readable XLSX workbook ({exc.__class__.__name__})."
                           ) from None
    try:
        columns = None
        for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True),
                                      start=1):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if columns is None:
                columns = _columns(list(values), line, None)
                continue
            yield line, {name: values[i] if i < len(values) else None
                         for name, i in columns.items()}
        if columns is None:
            raise file_problem("The first sheet is empty.", 1)
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing ".0" (invoice 1001, not 1001.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def number_cell(value) -> str | None:
    """A spreadsheet's number cell as a plain decimal ("12.5"); None for text."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    return repr(value) if isinstance(value, float) else str(value)


def sniff(stream, locale: str | None) -> tuple[ImportOptions, dict]:
    """Options to preselect for a file (from its first rows, and the person's locale where
    they fit several), and {option: why it needs a look} for each the file leaves open."""
    notes: dict = {}
    options = ImportOptions()
    if not is_xlsx(stream):
        sample = stream.read(64 * 1024)
        stream.seek(0)
        try:
            codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        except UnicodeDecodeError:
            options.encoding = "windows-1252"
            notes["encoding"] = ("The file is not UTF-8 text; Windows-1252 (Excel on Windows) "
                                 "is preselected. Check accented letters below.")
    first: list = []
    try:
        source = open_source(stream, options)
        options.delimiter = source.options.delimiter
        for record in source.records:
            first.append(record[1])
            if len(first) == 50:
                break
        source.records.close()
    except DomainError:
        pass
    stream.seek(0)
    found = suggest([r["date"] for r in first if isinstance(r.get("date"), str)],
                    [r["amount"] for r in first if isinstance(r.get("amount"), str)], locale)
    options.number_format, options.date_format = found.number_format, found.date_format
    return options, {**notes, **found.open}


def count_rows(stream, options: ImportOptions) -> int:
    """How many rows the file holds (a quick pass that checks nothing)."""
    if is_xlsx(stream):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(stream, read_only=True)
            rows = max((workbook.worksheets[0].max_row or 1) - 1, 0)
            workbook.close()
        except Exception:
            rows = 0  # reading it properly will say what is wrong
        stream.seek(0)
        return rows
    count = -1  # the header
    try:
        for _ in open_source(stream, options).records:
            count += 1
    except DomainError:
        pass
    stream.seek(0)
    return max(count + 1, 0)


# -- uploads kept until their preview is confirmed ------------------------------------------

def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(user_id: int, venture_id: int, upload, filename: str) -> str:
    """Store an uploaded file; its token (random: the only handle on it)."""
    _sweep()
    token = secrets.token_urlsafe(16)
    folder = _folder()
    upload.seek(0)
    with open(folder / f"{token}.data", "wb") as out:
        while chunk := upload.read(1024 * 1024):
            out.write(chunk)
    (folder / f"{token}.json").write_text(json.dumps(
        {"user_id": user_id, "venture_id": venture_id, "filename": filename[:200],
         "at": time.time()}))
    return token


def kept(user_id: int, venture_id: int, token: str,
         claimed: bool = False) -> tuple[Path, dict] | None:
    """(path, meta) of an upload this user kept for this venture; None otherwise (also once
    a job has claimed it, unless ``claimed``: then only the job's own run finds it)."""
    if not isinstance(token, str) or len(token) != _TOKEN_LENGTH or not all(
            c.isalnum() or c in "-_" for c in token):
        return None
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user_id or meta.get("venture_id") != venture_id or \
            bool(meta.get("claimed")) != claimed:
        return None
    return folder / f"{token}.data", meta


def claim(token: str) -> None:
    """A job records this upload: its preview and confirmation are gone (no second job)."""
    path = _folder() / f"{token}.json"
    meta = json.loads(path.read_text())
    path.write_text(json.dumps({**meta, "claimed": True}))


def discard(token: str) -> None:
    folder = _folder()
    for suffix in (".data", ".json"):
        try:
            os.unlink(folder / f"{token}{suffix}")
        except FileNotFoundError:
            pass


def _sweep() -> None:
    """Delete uploads older than KEEP_SECONDS."""
    limit = time.time() - KEEP_SECONDS
    for path in _folder().glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                discard(path.stem)
        except OSError:
            pass
