"""The publishable PDF: one WeasyPrint document (tagged, PDF/UA-1, en-GB) holding the cover, the
contents with page numbers, the executive summary, the overview report, the action plan (Annex
A, with every accepted update on each action, dated and by whom, as the 2023 letter asks of a
live plan) and the Home Office QA letter (Annex B), with a bookmark for each part and heading.

Each part comes from the review: the written text or the latest uploaded version of each report
(a Word document converted to HTML; a PDF-only report is appended as supplied, with a warning
that the bundle is then no longer wholly tagged), the action plan as it stands, and the latest
recorded QA letter. `bundle_render` returns the PDF with the text of each page, for the checks.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from dhr.pdf import document_to_pdf, html_to_document, page_texts
from qa_feedback.content import Heading, docx_to_html, outline, text_to_html
from qa_feedback.models import QALetter
from qa_feedback.workflow import latest_letter
from recommendations.selectors import action_plan, plan_last_updated, published_updates
from reviews.documents import DOCX, PDF
from reviews.models import ReportVersion, Review

MAX_BYTES = 20 * 1024 * 1024  # the Home Office's limit for the published PDF
# The PDF's description, its Subject in the document's metadata.
DESCRIPTION = (
    "The overview report and executive summary of a {review}, with its action plan "
    "and the Home Office Quality Assurance Panel's letter"
)


class BundleError(Exception):
    """Why a bundle cannot be built, in words for the coordinator."""


@dataclass
class Part:
    key: str  # its anchor in the bundle
    title: str
    html: str = ""
    headings: list[Heading] = field(default_factory=list)
    appended_pdf: bytes | None = None  # a report supplied only as a PDF
    source: str = ""  # where it came from, for messages
    source_bytes: int = 0


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    page_texts: list[str]
    page_parts: list[str]  # the title of the part each page belongs to
    parts: list[Part]
    warnings: list[str]


def _report_part(review: Review, kind: str, key: str) -> Part:
    title = ReportVersion.Kind(kind).label
    written = review.report_texts.filter(kind=kind).first()
    if written is not None and written.text.strip():
        markup, headings = outline(text_to_html(written.text), prefix=key)
        return Part(key, title, markup, headings, source=f"the {title.lower()} written here")
    version = (
        review.report_versions.filter(kind=kind).select_related("document").order_by("-version")
    ).first()
    if version is None:
        raise BundleError(f"Upload the {title.lower()} or write it here first.")
    document = version.document
    with document.file.open("rb") as stored:
        data = stored.read()
    source = f"the {title.lower()} ({document.original_name}, version {version.version})"
    if document.content_type == DOCX:
        try:
            markup = docx_to_html(io.BytesIO(data))
        except ValidationError as error:
            raise BundleError(f"{error.messages[0]} ({source}).") from error
        markup, headings = outline(markup, prefix=key)
        return Part(key, title, markup, headings, source=source, source_bytes=len(data))
    if document.content_type == PDF:
        return Part(key, title, appended_pdf=data, source=source, source_bytes=len(data))
    raise BundleError(
        f"The {title.lower()} is an ODT document, which cannot be converted: save it as DOCX "
        "(or PDF) and upload it again."
    )


def bundle_parts(review: Review) -> list[Part]:
    return [
        _report_part(review, ReportVersion.Kind.EXECUTIVE_SUMMARY, "executive-summary"),
        _report_part(review, ReportVersion.Kind.OVERVIEW, "overview-report"),
    ]


def _letter(review: Review) -> QALetter:
    letter = latest_letter(review)
    if letter is None:
        raise BundleError("Record the Home Office QA letter first: it is Annex B.")
    return letter


def bundle_html(review: Review, *, final: bool, parts: list[Part], today: date) -> str:
    letter = _letter(review)
    plan = action_plan(review=review, today=today)
    last_updated = plan_last_updated(review=review, plan=plan)
    updates = published_updates(review=review, plan=plan)
    return render_to_string(
        "pdf/bundle.html",
        {
            "review": review,
            "final": final,
            "parts": parts,
            "plan": [
                (recommendation, [(row, updates.get(row.action.pk, [])) for row in rows])
                for recommendation, rows in plan
            ],
            "plan_updated": timezone.localtime(last_updated).date() if last_updated else today,
            "letter": letter,
            "letter_blocks": letter_blocks(letter.full_text),
            "today": today,
            "description": DESCRIPTION.format(review=review.partnership.review_words.long),
        },
    )


def letter_blocks(text: str) -> list[tuple[str, list[str]]]:
    """The letter as paragraphs and bulleted lists, its lines rejoined: ("p", [text]) or
    ("ul", [item, ...]). The letter's own line breaks are those of the page it came from."""
    blocks = []
    for chunk in re.split(r"\n\s*\n", text.replace("\f", "\n\n").replace("\r\n", "\n")):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if re.match(r"^[-\u2022*]\s+", lines[0]):
            items: list[str] = []
            for line in lines:
                bullet = re.match(r"^[-\u2022*]\s+(.*)$", line)
                if bullet:
                    items.append(bullet[1])
                else:
                    items[-1] += " " + line
            if blocks and blocks[-1][0] == "ul":  # a list a blank line broke in two
                blocks[-1][1].extend(items)
            else:
                blocks.append(("ul", items))
        else:
            blocks.append(("p", [" ".join(lines)]))
    return blocks


def _insert(pdf: bytes, after_page: int, extra: bytes) -> bytes:
    """The supplied PDF's pages put in after `after_page` (0-based) of the bundle."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    supplied = PdfReader(io.BytesIO(extra))
    for offset, page in enumerate(supplied.pages, start=1):
        writer.insert_page(page, index=after_page + offset)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bundle_render(review: Review, *, final: bool, progress=lambda percent, step: None) -> Rendered:
    """Build the bundle's PDF. Raises BundleError with what to fix."""
    today = timezone.localdate()
    progress(10, "Reading the executive summary and the overview report")
    parts = bundle_parts(review)
    warnings = [
        f"{part.title} was supplied only as a PDF: it is appended as it is, so that part of the "
        "bundle is not tagged for screen readers and its pages are not numbered with the rest. "
        "Upload it as a Word document to fix this."
        for part in parts
        if part.appended_pdf is not None
    ]
    progress(20, "Putting the parts together")
    markup = bundle_html(review, final=final, parts=parts, today=today)
    progress(30, "Laying out the pages")
    document = html_to_document(markup)
    page_parts = []
    current = "Cover"
    titles = {part.key: part.title for part in parts} | {
        "contents": "Contents",
        "annex-a": "Annex A: action plan",
        "annex-b": "Annex B: Home Office QA letter",
    }
    for page in document.pages:
        for anchor in page.anchors:
            if anchor in titles:
                current = titles[anchor]
        page_parts.append(current)
    texts = page_texts(document)
    progress(70, "Writing the PDF")
    pdf = document_to_pdf(document)
    # A part supplied as a PDF goes in after its title page; its text is read from it.
    for part in reversed(parts):
        if part.appended_pdf is None:
            continue
        first = page_parts.index(part.title)
        try:
            pdf = _insert(pdf, first, part.appended_pdf)
            supplied = [
                p.extract_text() or "" for p in PdfReader(io.BytesIO(part.appended_pdf)).pages
            ]
        except Exception as error:  # pypdf raises many kinds on a damaged file
            raise BundleError(f"{part.source} could not be read as a PDF.") from error
        page_parts[first + 1 : first + 1] = [part.title] * len(supplied)
        texts[first + 1 : first + 1] = supplied
    return Rendered(pdf, len(texts), texts, page_parts, parts, warnings)


def too_large(rendered: Rendered) -> str:
    """Why the PDF is over the limit, naming what is large; '' when it is not."""
    if len(rendered.pdf) <= MAX_BYTES:
        return ""
    sources = sorted(
        (part for part in rendered.parts if part.source_bytes),
        key=lambda part: part.source_bytes,
        reverse=True,
    )
    named = "; ".join(f"{part.source}: {part.source_bytes / 1e6:.1f} MB" for part in sources)
    return (
        f"The PDF is {len(rendered.pdf) / 1e6:.1f} MB: it must be smaller than 20 MB. "
        f"The largest parts are {named or 'the report text itself'}. Compress the images in "
        "the Word documents, or upload a smaller PDF."
    )
