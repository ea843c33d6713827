"""The one WeasyPrint wrapper: every generated document (escalation letters, the publishable
bundle) is HTML from a template under `templates/pdf/`, printed with `static/print.css`, as a
tagged PDF (PDF/UA-1) in British English (the page's `lang`), its title and author taken from
the HTML's <title> and <meta name="author">."""

from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.document import Document

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
