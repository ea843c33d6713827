"""Letters as the files coordinators upload: a text file, a PDF printed by WeasyPrint, a DOCX
and an ODT built from their XML, all from a letter's text."""

import io
import zipfile
from html import escape

from django.core.files.uploadedfile import SimpleUploadedFile

from dhr.pdf import html_to_pdf


def txt_file(text: str, name: str = "letter.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def pdf_file(text: str, name: str = "letter.pdf") -> SimpleUploadedFile:
    """The letter printed as a PDF with a text layer, large type so that it runs over pages."""
    paragraphs = ""
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line[2:])}</li>" for line in lines)
            paragraphs += f"<ul>{items}</ul>"
        elif lines:
            paragraphs += f"<p>{escape(' '.join(lines))}</p>"
    html = (
        '<html lang="en-GB"><head><title>QA letter</title>'
        "<style>p { font-size: 15pt; }</style></head>"
        f"<body>{paragraphs}</body></html>"
    )
    return SimpleUploadedFile(name, html_to_pdf(html), content_type="application/pdf")


def docx_bytes(paragraphs: list[tuple[str, bool]]) -> bytes:
    """A minimal Word document: (text, is a list item) per paragraph."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = ""
    for text, listed in paragraphs:
        numbering = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
        body += (
            f'<w:p>{numbering if listed else ""}<w:r><w:t xml:space="preserve">'
            f"{escape(text)}</w:t></w:r></w:p>"
        )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def docx_file(text: str, name: str = "letter.docx") -> SimpleUploadedFile:
    """Each paragraph of the text; a line starting '- ' becomes a Word list item."""
    paragraphs = []
    for block in text.split("\n\n"):
        for line in block.split("\n") if block.lstrip().startswith("- ") else [block]:
            line = line.strip()
            if line:
                listed = line.startswith("- ")
                paragraphs.append((line[2:] if listed else line.replace("\n", " "), listed))
    return SimpleUploadedFile(name, docx_bytes(paragraphs))


def odt_file(text: str, name: str = "letter.odt") -> SimpleUploadedFile:
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    body = ""
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(
                f"<text:list-item><text:p>{escape(line[2:])}</text:p></text:list-item>"
                for line in lines
            )
            body += f"<text:list>{items}</text:list>"
        elif lines:
            body += f"<text:p>{escape(' '.join(lines))}</text:p>"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        f"<office:body><office:text>{body}</office:text></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
    return SimpleUploadedFile(name, buffer.getvalue())
