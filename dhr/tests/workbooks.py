"""Excel workbooks for tests that read spreadsheets (the tracker import, the chronology)."""

import io

from openpyxl import Workbook


def xlsx_of(rows, *, sheet: str = "Sheet") -> bytes:
    """A workbook of one sheet holding `rows` (lists of cell values: text, numbers, dates)."""
    book = Workbook(write_only=True)
    table = book.create_sheet(sheet)
    for row in rows:
        table.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
