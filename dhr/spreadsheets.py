"""Reading an uploaded spreadsheet (XLSX or CSV) safely, for any importer.

`read_table(name, data, columns=..., required=..., max_rows=..., max_bytes=...)` finds the
header row, and returns each non-empty row below it as {column: text} with the row number the
spreadsheet shows. It refuses, with a `SpreadsheetError` whose message says what to do, a file
that is empty, too big, not CSV or XLSX, damaged, a zip bomb (its unpacked parts over
`MAX_UNPACKED`), one with too many rows, or one whose header lacks a required column. What the
columns mean and how each row is checked is the importer's business (the tracker import in
`recommendations`, the chronology in `reviews`): this module knows only tables.

Checking an XLSX's parts for macros lives in `reviews.documents` (`check_workbook`), above this
app: an importer passes it in as `check`, which raises `SpreadsheetError` for a message to show
and anything else for a damaged file.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from datetime import date, datetime

from openpyxl import load_workbook

MAX_UNPACKED = 50 * 1024 * 1024  # an XLSX's unpacked parts, against zip bombs
HEADER_SEARCH = 10  # rows above the header (a title, a marking) that are skipped
EXTRA = "cells"  # a row with more cells than the header: an unquoted comma, usually
UNREADABLE_XLSX = (
    "The selected file could not be read as an Excel workbook: check it opens, then save it "
    "again as XLSX or CSV"
)
NOT_A_SPREADSHEET = "The selected file must be a CSV or an Excel (XLSX) file"


class SpreadsheetError(Exception):
    """The file as a whole cannot be read as the table asked for: nothing in it is used."""


def looks_like_formula(text: str) -> bool:
    """A spreadsheet would run it: '=' or '@' first, or '+' or '-' before a number, a bracket
    or another operator (a '- ' list item or '-based' is text)."""
    if text[:1] in ("=", "@"):
        return True
    return text[:1] in ("+", "-") and len(text) > 1 and not (text[1].isspace() or text[1].isalpha())


def cell_text(value) -> str:
    """A cell as text, trimmed: dates as YYYY-MM-DD, whole numbers without '.0' (a time of day
    comes out as HH:MM:SS)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_name(text: str) -> str:
    """A header cell as matched: case ignored, spaces and hyphens as underscores."""
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def _xlsx_rows(data: bytes, limit: int, check: Callable | None) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise SpreadsheetError(
                    "The selected file is too large once unpacked: save it again as a CSV"
                )
        if check is not None:
            check(io.BytesIO(data))
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SpreadsheetError(UNREADABLE_XLSX) from error
    try:
        sheet = book.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([cell_text(v) for v in values])
            if len(rows) > limit:
                break
        return rows
    finally:
        book.close()


def _csv_rows(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything; what it cannot is not text
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        return [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise SpreadsheetError(f"The selected file is not a well-formed CSV: {error}") from error


def find_header(
    rows: list[list[str]],
    *,
    columns: Iterable[str],
    required: Iterable[str],
    name: Callable[[str], str] = column_name,
    missing_message: Callable[[list[str]], str],
) -> tuple[int, list[str]]:
    """The index of the first of the top `HEADER_SEARCH` rows that names every required
    column, and its cells as `name` reads them. Raises SpreadsheetError naming the required
    columns the best row lacks."""
    known, needed = set(columns), set(required)
    best: set[str] = set()
    for index, values in enumerate(rows[:HEADER_SEARCH]):
        names = [name(v) for v in values]
        found = set(names) & known
        if needed <= found:
            return index, names
        best = max(best, found, key=len)
    if not any(any(v for v in values) for values in rows):
        raise SpreadsheetError("The selected file is empty")
    raise SpreadsheetError(missing_message([c for c in columns if c in needed - best]))


def read_table(
    name: str,
    data: bytes,
    *,
    columns: list[str],
    required: Iterable[str],
    max_rows: int,
    max_bytes: int,
    missing_message: Callable[[list[str]], str],
    header_name: Callable[[str], str] = column_name,
    check: Callable[[io.BytesIO], None] | None = None,
) -> tuple[list[str], list[tuple[int, dict]]]:
    """The header's columns and each non-empty row below it as {column: text} (only the known
    `columns`; `EXTRA` when the row has more cells than the header), with its row number as the
    spreadsheet shows it. Raises SpreadsheetError for a file that is not such a table at all.
    `name` is the uploaded file's name, kept for messages to come; the content decides the
    type (an XLSX is a zip; anything else is read as CSV)."""
    if not data:
        raise SpreadsheetError("The selected file is empty")
    if len(data) > max_bytes:
        raise SpreadsheetError(
            f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB"
        )
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data, max_rows + HEADER_SEARCH + 1, check)
    else:
        rows = _csv_rows(data)
    header_at, header = find_header(
        rows,
        columns=columns,
        required=required,
        name=header_name,
        missing_message=missing_message,
    )
    known = set(columns)
    table = []
    for index, values in enumerate(rows[header_at + 1 :], start=header_at + 2):
        record = {
            column: values[position] if position < len(values) else ""
            for position, column in enumerate(header)
            if column in known
        }
        if len(values) > len(header):
            record[EXTRA] = str(len(values))
        if any(record.values()):
            table.append((index, record))
        if len(table) > max_rows:
            raise SpreadsheetError(
                f"The selected file has more than {max_rows:,} rows: split it into smaller files"
            )
    if not table:
        raise SpreadsheetError("The selected file has a header row but no rows below it")
    return header, table
