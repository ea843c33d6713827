"""Reading an uploaded letter: every format gives the text the parser needs, and every bad file
gives a clear message, never an exception of another kind."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from qa_feedback.parser import parse_letter
from qa_feedback.reading import text_of
from qa_feedback.tests.files import docx_bytes, docx_file, odt_file, pdf_file, txt_file
from qa_feedback.tests.test_parser import sample

LETTER = sample("qa-letter-2023.txt")


@pytest.mark.parametrize(
    "make", [txt_file, pdf_file, docx_file, odt_file], ids=lambda m: m.__name__
)
def test_each_format_reads_to_the_letters_nine_points(make):
    letter = parse_letter(text_of(make(LETTER)))
    assert len(letter.points) == 9
    assert letter.letter_date.isoformat() == "2023-10-18"
    assert letter.panel_date.isoformat() == "2023-09-06"
    assert letter.points[4].paragraphs == ["15.4"]


def test_a_pdf_letter_runs_over_pages_and_still_reads_whole():
    upload = pdf_file(LETTER)
    text = text_of(upload)
    assert "\f" in text  # more than one page
    letter = parse_letter(text)
    assert letter.points[8].text.endswith("it may be helpful for future readers.")


def test_a_text_file_in_windows_encoding_reads():
    upload = SimpleUploadedFile("letter.txt", "Dear Chair, the Panel\u2019s view".encode("cp1252"))
    assert "Panel\u2019s" in text_of(upload)


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _scanned_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD = [
    ("empty.txt", b"", "The selected file is empty"),
    ("letter.exe", b"MZ...", "must be a PDF, DOCX, ODT or text file"),
    ("letter.txt", b"\x00\x01binary", "not a text file"),
    ("letter.pdf", b"not a pdf at all", "not a real PDF, DOCX or ODT"),
    ("letter.pdf", b"%PDF-1.7\n garbage that is not a PDF body", "could not be read"),
    ("letter.docx", b"%PDF-1.4 a PDF named as Word", "not a real PDF, DOCX or ODT"),
    ("letter.pdf", _encrypted_pdf(), "password protected"),
    ("letter.pdf", _scanned_pdf(), "no text in it"),
    (
        "letter.docx",
        _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document"}),
        "could not be read",
    ),
    (
        "letter.docx",
        _zip(
            {
                "[Content_Types].xml": "<Types/>",
                "word/document.xml": '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                "]><w:document>&lol;</w:document>",
            }
        ),
        "could not be read",
    ),
    (
        "letter.docx",
        _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "a" * (21 * 1024 * 1024)}),
        "too large to read",
    ),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] + ":" + b[2] for b in BAD])
def test_a_bad_file_gives_a_clear_message(name, data, message):
    with pytest.raises(ValidationError) as error:
        text_of(SimpleUploadedFile(name, data))
    assert message in " ".join(error.value.messages)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="smaller than"):
        text_of(txt_file("x" * 200))


def test_word_list_numbering_comes_back_as_bullets():
    upload = SimpleUploadedFile(
        "letter.docx", docx_bytes([("Areas for final development:", False), ("A point.", True)])
    )
    assert "- A point." in text_of(upload)
