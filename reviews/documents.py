"""Checks on uploaded documents: PDF, DOCX or ODT up to 20 MB, judged by content, not name."""

import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".odt": ODT}


def sniff(upload) -> str | None:
    """The document type the bytes show, or None when they are not a PDF, DOCX or ODT."""
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
            if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
                return DOCX
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    finally:
        upload.seek(0)
    return None


def check_size(upload) -> None:
    """Refuse an empty file or one over the limit, in plain English."""
    if upload.size > settings.DOCUMENT_MAX_BYTES:
        limit = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"The selected file must be smaller than {limit} MB")
    if upload.size == 0:
        raise ValidationError("The selected file is empty")


def safe_name(name: str, default: str = "document") -> str:
    """An uploaded file's name as kept: its last part, made safe, at most 255 characters."""
    return get_valid_filename(Path(name).name)[:255] or default


def validate_document(upload) -> str:
    """Raise a ValidationError with a plain-English message, or return the content type."""
    check_size(upload)
    expected = EXTENSIONS.get(Path(upload.name).suffix.lower())
    if expected is None:
        raise ValidationError("The selected file must be a PDF, DOCX or ODT")
    actual = sniff(upload)
    if actual != expected:
        raise ValidationError(
            "The selected file is not a real PDF, DOCX or ODT document: check it opens, "
            "then save it again"
        )
    return actual


def checked_upload(upload, *, default_name: str = "document") -> dict:
    """Check an upload by its content and return what a `StoredFile` keeps of it: the file,
    its name made safe, its type and size. Raises a ValidationError as `validate_document`."""
    content_type = validate_document(upload)
    return {
        "file": upload,
        "original_name": safe_name(upload.name, default_name),
        "content_type": content_type,
        "size": upload.size,
    }
