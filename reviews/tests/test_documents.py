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


DOCX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT_BYTES = _zip({"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"})


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
