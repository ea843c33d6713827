"""The action plan, and the tracker report, as CSV and XLSX (the report also as a PDF), marked
OFFICIAL-SENSITIVE: they name agencies' failings and are shared only with the partnership. Only
what their pages show: no confidential field. Every text cell is made safe from formulas."""

import csv
import io
from datetime import date, datetime

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from dhr.models import Partnership
from dhr.pdf import html_to_pdf
from recommendations import tracker
from recommendations.charts import bar_chart

MARKING = "OFFICIAL-SENSITIVE"
# A printed chart's parts are no taller than this (CSS pixels): an A4 page between print.css's
# margins is 247mm, 933 pixels, high, with room left for the section's heading.
PRINTED_CHART_HEIGHT = 860
COLUMNS = [
    ("Recommendation", 10),
    ("Recommendation text", 50),
    ("Scope", 10),
    ("Themes", 30),
    ("Lead agency", 25),
    ("Addressed to (national)", 25),
    ("Sent to the national body", 12),
    ("National body's reply", 40),
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
        themes = "; ".join(t.name for t in recommendation.theme_list)
        for row in rows or [None]:
            action = row.action if row else None
            yield [
                recommendation.number,
                recommendation.text,
                recommendation.get_scope_display(),
                themes,
                recommendation.lead_agency.name,
                recommendation.addressee_name,
                _iso(recommendation.sent_to_body_on),
                _reply(recommendation),
                action.description if action else "",
                action.owner_agency.name if action else "",
                action.target_date.isoformat() if action else "",
                action.completion_evidence if action else "",
                action.get_status_display() if action else "",
                row.last_accepted.narrative if row and row.last_accepted else "",
                row.overdue_days or "" if row else "",
            ]


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _reply(recommendation) -> str:
    if recommendation.body_replied_on is None:
        return ""
    return f"{recommendation.body_replied_on.isoformat()}: {recommendation.body_reply}"


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


# --- the tracker report

TRACKER_COLUMNS = [("Section", 34), ("Item", 50), ("Count", 10), ("Percent", 10)]


def _tracker_title(report: dict, period) -> str:
    return (
        f"Tracker report: {report['partnership']}. {period}; the tracker as it stands on "
        f"{date.fromisoformat(report['as_of']):%-d %B %Y}."
    )


def _tracker_rows(sections):
    for section in sections:
        for line in section.lines:
            percent = "" if line.percent is None else line.percent
            yield [_safe(section.title), _safe(line.label), line.count, percent]


def tracker_csv(report: dict, sections, period) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([MARKING])
    writer.writerow([_safe(_tracker_title(report, period))])
    writer.writerow([name for name, _ in TRACKER_COLUMNS])
    writer.writerows(_tracker_rows(sections))
    writer.writerow([MARKING])
    return out.getvalue()


def tracker_xlsx(report: dict, sections, period) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker report"
    sheet.append([MARKING])
    sheet.append([_safe(_tracker_title(report, period))])
    sheet.append([name for name, _ in TRACKER_COLUMNS])
    for cell in sheet[1] + sheet[3]:
        cell.font = Font(bold=True)
    for values in _tracker_rows(sections):
        sheet.append(values)
    sheet.append([MARKING])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for index, (_, width) in enumerate(TRACKER_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    sheet.oddHeader.center.text = MARKING
    sheet.oddFooter.center.text = MARKING
    book.properties.title = _tracker_title(report, period)
    book.properties.keywords = MARKING
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tracker_pdf(report: dict, sections, period) -> bytes:
    html = render_to_string(
        "pdf/tracker.html",
        {
            "report": report,
            "sections": [(s, tracker_chart(s, max_height=PRINTED_CHART_HEIGHT)) for s in sections],
            "period": period,
            "as_of": date.fromisoformat(report["as_of"]),
            "marking": MARKING,
        },
    )
    return html_to_pdf(html)


def tracker_pdf_job(job, progress) -> bytes:
    """The tracker report as a PDF, made by the worker for a `FileJob` whose params name the
    partnership and the period (ISO dates, or none for all time)."""
    partnership = Partnership.objects.get(pk=job.params["partnership"])
    start, end = job.params.get("start"), job.params.get("end")
    period = tracker.Period(
        date.fromisoformat(start) if start else None, date.fromisoformat(end) if end else None
    )
    progress(10, "Counting the figures")
    report = tracker.tracker_report(
        partnership, today=date.fromisoformat(job.params["today"]), period=period
    )
    progress(50, "Drawing the charts and the pages")
    return tracker_pdf(report, tracker.sections(report), period)


def tracker_chart(section, *, max_height: int | None = None) -> str:
    """The section's chart as SVG markup, or '' for a section shown as a table only; drawn in
    parts no taller than `max_height` when given (see `bar_chart`)."""
    if not section.chart:
        return ""
    # bar_chart escapes every label it draws.
    return mark_safe(
        bar_chart(
            section.bars(),
            title=section.title,
            description=f"{section.counted}: "
            + "; ".join(f"{line.label} {line.count}" for line in section.lines),
            max_height=max_height,
        )
    )
