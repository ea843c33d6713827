"""The action plan as CSV and XLSX, marked OFFICIAL-SENSITIVE (it names agencies' failings and
is shared only with the partnership). Only what the plan page shows: no confidential field."""

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

MARKING = "OFFICIAL-SENSITIVE"
COLUMNS = [
    ("Recommendation", 10),
    ("Recommendation text", 50),
    ("Scope", 10),
    ("Themes", 30),
    ("Lead agency", 25),
    ("Action", 50),
    ("Owner agency", 25),
    ("Target date", 12),
    ("How completion will be shown", 40),
    ("Status", 14),
    ("Last accepted update", 50),
    ("Days overdue", 10),
]


def _safe(value):
    """Text as text: a cell starting with = + - @ would run as a formula in a spreadsheet (an
    agency's words reach the coordinator's machine), and control characters that Word pastes
    are not allowed in XLSX."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value[:1] in FORMULA_STARTS else value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _rows(plan):
    for values in _raw_rows(plan):
        yield [_safe(value) for value in values]


def _raw_rows(plan):
    for recommendation, rows in plan:
        themes = "; ".join(t.name for t in recommendation.themes.all())
        for row in rows or [None]:
            action = row.action if row else None
            yield [
                recommendation.number,
                recommendation.text,
                recommendation.get_scope_display(),
                themes,
                recommendation.lead_agency.name,
                action.description if action else "",
                action.owner_agency.name if action else "",
                action.target_date.isoformat() if action else "",
                action.completion_evidence if action else "",
                action.get_status_display() if action else "",
                row.last_accepted.narrative if row and row.last_accepted else "",
                row.overdue_days or "" if row else "",
            ]


def _title(review, generated: datetime) -> str:
    return (
        f"Action plan: {review.public_title}, {review.partnership.name}. A live document, "
        f"exported {generated:%-d %B %Y %H:%M}."
    )


def plan_csv(review, plan, *, generated: datetime) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so that Excel reads the file as UTF-8
    writer = csv.writer(out)
    writer.writerow([MARKING])
    writer.writerow([_title(review, generated)])
    writer.writerow([name for name, _ in COLUMNS])
    writer.writerows(_rows(plan))
    writer.writerow([MARKING])
    return out.getvalue()


def plan_xlsx(review, plan, *, generated: datetime) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append([MARKING])
    sheet.append([_title(review, generated)])
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[1] + sheet[3]:
        cell.font = Font(bold=True)
    for values in _rows(plan):
        sheet.append(values)
    sheet.append([MARKING])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A4"
    sheet.oddHeader.center.text = MARKING
    sheet.oddFooter.center.text = MARKING
    book.properties.title = f"Action plan {review.reference}"
    book.properties.keywords = MARKING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
