"""The text of an uploaded QA letter: plain text, PDF (its text layer), DOCX or ODT (their
paragraphs). Every failure is a ValidationError with a message for the coordinator: a corrupt or
hostile file never raises anything else."""

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from django.core.exceptions import ValidationError

from reviews.documents import (
    DOCX,
    ODT,
    PDF,
    PDF_ERRORS,
    UNREADABLE,
    UNREADABLE_PDF,
    check_size,
    check_structure,
    open_pdf,
    read_xml,
    sniff,
)

TEXT = "text/plain"
EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".odt": ODT, ".txt": TEXT, ".md": TEXT}
MAX_CHARS = 100_000  # far longer than any letter; keeps a hostile file from filling the page

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _plain(data: bytes) -> str:
    if b"\x00" in data:
        raise ValidationError("The selected file is not a text file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("The selected file is not a text file")


def _page_text(page) -> str:
    """A page's text laid out as printed: bullets, indents and the blank lines between
    paragraphs are what tell one point from the next."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except (ValueError, KeyError, TypeError, AttributeError, ZeroDivisionError, IndexError):
        return page.extract_text() or ""


def _pdf(upload) -> str:
    reader = open_pdf(upload)
    try:
        pages = [_page_text(page) for page in reader.pages[:50]]
    except PDF_ERRORS as error:
        raise ValidationError(UNREADABLE_PDF) from error
    # A form feed between pages: the parser knows a point may run across one.
    return "\n\f\n".join(pages)


def _xml(upload, member: str) -> ElementTree.Element:
    try:
        with zipfile.ZipFile(upload) as archive:
            return read_xml(archive, member)
    except zipfile.BadZipFile as error:
        raise ValidationError(UNREADABLE) from error


def _docx(upload) -> str:
    body = _xml(upload, "word/document.xml")
    lines = []
    for paragraph in body.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\f\n" if node.get(f"{_W}type") == "page" else "\n")
        # Word keeps list numbering apart from the text: a listed paragraph gets a bullet back.
        listed = paragraph.find(f"{_W}pPr/{_W}numPr") is not None
        lines.append(("- " if listed else "") + "".join(parts))
        lines.append("")
    return "\n".join(lines)


def _odt(upload) -> str:
    body = _xml(upload, "content.xml")
    listed = {
        id(paragraph)
        for item in body.iter(f"{_TEXT_NS}list-item")
        for paragraph in item.iter(f"{_TEXT_NS}p")
    }
    lines = []
    for node in body.iter():
        if node.tag in (f"{_TEXT_NS}p", f"{_TEXT_NS}h"):
            lines.append(("- " if id(node) in listed else "") + "".join(node.itertext()))
            lines.append("")
    return "\n".join(lines)


def text_of(upload) -> str:
    """The letter's text from an uploaded file, checked by content, not by name."""
    check_size(upload)
    expected = EXTENSIONS.get(Path(upload.name).suffix.lower())
    if expected is None:
        raise ValidationError("The selected file must be a PDF, DOCX, ODT or text file")
    if expected == TEXT:
        upload.seek(0)
        text = _plain(upload.read())
    else:
        if sniff(upload) != expected:
            raise ValidationError(
                "The selected file is not a real PDF, DOCX or ODT document: check it opens, "
                "then save it again"
            )
        upload.seek(0)
        data = io.BytesIO(upload.read())
        if expected != PDF:  # a PDF's structure is checked as its text is read
            check_structure(data, expected)
        text = {PDF: _pdf, DOCX: _docx, ODT: _odt}[expected](data)
        upload.seek(0)
    if not text.strip():
        raise ValidationError(
            "The selected file has no text in it (it may be a scan): paste the letter's text "
            "instead"
        )
    return text[:MAX_CHARS]


def content_type_of(upload) -> str:
    return EXTENSIONS[Path(upload.name).suffix.lower()]
