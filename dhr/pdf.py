"""The one WeasyPrint wrapper: every generated document (escalation letters now; the
publishable bundle later) is HTML from a template under `templates/pdf/`, printed with
`static/print.css`, as a tagged PDF (PDF/UA-1) in British English."""

from django.conf import settings
from weasyprint import CSS, HTML

PRINT_CSS = settings.BASE_DIR / "static" / "print.css"


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    return HTML(string=html, base_url=base_url or str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant="pdf/ua-1"
    )
