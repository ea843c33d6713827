"""The one WeasyPrint wrapper: every generated document (escalation letters, the publishable
bundle) is HTML from a template under `templates/pdf/`, printed with `static/print.css`, as a
tagged PDF (PDF/UA-1) in British English (the page's `lang`), its title and author taken from
the HTML's <title> and <meta name="author">."""

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

PRINT_CSS = settings.BASE_DIR / "static" / "print.css"
VARIANT = "pdf/ua-1"


def html_to_document(html: str, *, base_url: str | None = None) -> Document:
    """Laid out, not yet written: its pages say which anchors they hold (for a bundle's parts)."""
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).render(
        stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant=VARIANT
    )


def document_to_pdf(document: Document) -> bytes:
    return document.write_pdf(pdf_variant=VARIANT)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    return document_to_pdf(html_to_document(html, base_url=base_url))


def page_texts(document: Document) -> list[str]:
    """The text of each laid-out page, line by line (margin boxes included): what a reader of
    the PDF sees, without reading the PDF back (a pure-Python PDF text extraction took half of
    a 150-page bundle's build; this takes milliseconds). Reads WeasyPrint's page boxes, which is
    why it lives here, beside the version pinned in requirements.txt."""

    def lines(box, out):
        if isinstance(box, boxes.LineBox):
            out.append("".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox)))
        elif isinstance(box, boxes.ParentBox):
            for child in box.children:
                lines(child, out)
        return out

    return ["\n".join(lines(page._page_box, [])) for page in document.pages]
