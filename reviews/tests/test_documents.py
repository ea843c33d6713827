import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from reviews.demo import minimal_pdf
from reviews.documents import DOCX, ODT, PDF, validate_document


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CT = b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
W = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'
OFFICE = b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
DOCX_PARTS = {"[Content_Types].xml": CT, "word/document.xml": W}
ODT_PARTS = {"mimetype": ODT.encode(), "content.xml": b"<office:document-content %s/>" % OFFICE}
DOCX_BYTES, ODT_BYTES = _zip(DOCX_PARTS), _zip(ODT_PARTS)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [("a.pdf", minimal_pdf(), PDF), ("a.DOCX", DOCX_BYTES, DOCX), ("a.odt", ODT_BYTES, ODT)],
)
def test_real_documents_are_accepted(name, content, expected):
    assert validate_document(SimpleUploadedFile(name, content)) == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.pdf", b"plain text", "not a real PDF, DOCX or ODT"),
        ("a.docx", minimal_pdf(), "not a real PDF, DOCX or ODT"),
        ("a.docx", b"PK\x03\x04broken", "not a real PDF, DOCX or ODT"),
        ("a.odt", DOCX_BYTES, "not a real PDF, DOCX or ODT"),
        ("a.exe", minimal_pdf(), "must be a PDF, DOCX or ODT"),
        ("a.pdf", b"", "is empty"),
    ],
)
def test_wrong_or_disguised_files_are_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_document(SimpleUploadedFile(name, content))


@override_settings(DOCUMENT_MAX_BYTES=100)
def test_files_over_the_limit_are_refused():
    with pytest.raises(ValidationError, match="must be smaller than"):
        validate_document(SimpleUploadedFile("a.pdf", minimal_pdf()))


NOT_READ = "could not be read"
HOSTILE = [
    ("a.pdf", b"%PDF-1.7\n<html><script>alert(1)</script></html>", NOT_READ),
    ("a.pdf", b"%PDF-1.4\n%%EOF\n", NOT_READ),
    ("a.docx", _zip({**DOCX_PARTS, "index.html": b"<html><script></script></html>"}), "macros"),
    ("a.docx", _zip({"[Content_Types].xml": CT, "word/index.html": b"<html/>"}), "macros"),
    ("a.docx", _zip({"[Content_Types].xml": CT, "word/readme.txt": b"hi"}), NOT_READ),
    ("a.docx", _zip({**DOCX_PARTS, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macros"),
    ("a.docx", _zip({**DOCX_PARTS, "word/activeX/activeX1.xml": b"<x/>"}), "macros"),
    (
        "a.docx",
        _zip(
            {
                **DOCX_PARTS,
                "[Content_Types].xml": CT[:-2] + b"><Override ContentType='"
                b"application/vnd.ms-word.document.macroEnabled.main+xml'/></Types>",
            }
        ),
        "macros",
    ),
    ("a.docx", _zip({**DOCX_PARTS, "word/document.xml": b"<w:document"}), NOT_READ),
    ("a.docx", _zip({**DOCX_PARTS, "word/document.xml": b"<html/>"}), NOT_READ),
    ("a.docx", _zip({**DOCX_PARTS, "../evil.xml": b"<x/>"}), NOT_READ),
    ("a.odt", _zip({**ODT_PARTS, "Basic/Standard/Module1.xml": b"<x/>"}), "macros"),
    ("a.odt", _zip({**ODT_PARTS, "content.xml": b"<office:document-content/>"}), NOT_READ),
    ("a.odt", _zip({**ODT_PARTS, "setup.exe": b"MZ"}), "macros"),
]


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE)
def test_files_are_opened_as_what_they_claim_and_refused_when_they_are_not(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_document(SimpleUploadedFile(name, content))
