"""Checks on uploaded documents: PDF, DOCX or ODT up to 20 MB, judged by content, not name.

A file is first told by its first bytes (`sniff`), then opened as the format it claims
(`check_structure`): a PDF must parse with pypdf and have pages; a DOCX, ODT or XLSX must be a
zip holding that format's required parts as well-formed XML (no DTDs or entities), and nothing
active: no macros (VBA projects, macro-enabled types, ODF Basic or Scripts), no ActiveX, no
HTML, script or program files. So a `%PDF-` header followed by HTML, or a zip with `word/` and an
`index.html`, is refused with a message and nothing is stored.
"""

import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from dhr.spreadsheets import SpreadsheetError

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {".pdf": PDF, ".docx": DOCX, ".odt": ODT}

MAX_XML_BYTES = 20 * 1024 * 1024  # one part's unpacked XML, against zip bombs
MAX_UNPACKED = 200 * 1024 * 1024  # the whole archive unpacked

_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
# Each zip format: the parts it must have, with the root element each must parse to.
REQUIRED_PARTS = {
    DOCX: {"[Content_Types].xml": f"{_CT}Types", "word/document.xml": f"{_W}document"},
    XLSX: {"[Content_Types].xml": f"{_CT}Types", "xl/workbook.xml": f"{_S}workbook"},
    ODT: {"content.xml": f"{_OFFICE}document-content"},
}
# Parts no plain document needs, that run something when opened or previewed.
ACTIVE_SUFFIXES = {
    ".bat", ".cmd", ".com", ".dll", ".exe", ".hta", ".htm", ".html", ".jar", ".js", ".jse",
    ".lnk", ".mjs", ".msi", ".php", ".ps1", ".scr", ".sh", ".vbe", ".vbs", ".wsf", ".xhtml",
}  # fmt: skip
ACTIVE_FOLDERS = {"activex", "basic", "scripts", "macros"}

UNREADABLE = "The selected file could not be read: check it opens"
UNREADABLE_PDF = "The selected PDF could not be read: check it opens"
ACTIVE = (
    "The selected file contains macros or other active content: save it again as a plain "
    "document without them"
)


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


def read_xml(archive: zipfile.ZipFile, member: str) -> ElementTree.Element:
    """One XML part of an office file, parsed safely: its size checked before it is unpacked,
    and no DTD or entity allowed, so nothing can expand."""
    try:
        info = archive.getinfo(member)
        if info.file_size > MAX_XML_BYTES:
            raise ValidationError("The selected file is too large to read")
        data = archive.read(member)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise ValidationError(UNREADABLE)
        return ElementTree.fromstring(data)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, RuntimeError) as e:
        raise ValidationError(UNREADABLE) from e


def _active(name: str, content_types: bytes) -> bool:
    path = PurePosixPath(name)
    folders = {part.lower() for part in path.parts[:-1]}
    return (
        path.suffix.lower() in ACTIVE_SUFFIXES
        or "vbaproject" in path.name.lower()
        or bool(folders & ACTIVE_FOLDERS)
        or b"macroEnabled" in content_types
    )


def check_office(upload, kind: str) -> None:
    """A DOCX, ODT or XLSX opened as what it claims: its required parts present and parsed,
    nothing active in it. Raises a ValidationError with a plain-English message."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED:
                raise ValidationError("The selected file is too large to read")
            names = {member.filename for member in members}
            if any(name.startswith("/") or ".." in PurePosixPath(name).parts for name in names):
                raise ValidationError(UNREADABLE)
            if kind == ODT and (
                "mimetype" not in names or archive.read("mimetype").strip() != ODT.encode()
            ):
                raise ValidationError(UNREADABLE)
            content_types = archive.read("[Content_Types].xml") if kind != ODT else b""
            if any(_active(name, content_types) for name in names):
                raise ValidationError(ACTIVE)
            parts = REQUIRED_PARTS[kind]
            if any(archive.getinfo(m).file_size > MAX_XML_BYTES for m in parts if m in names):
                raise ValidationError("The selected file is too large to read")
            for member, root in parts.items():
                if read_xml(archive, member).tag != root:
                    raise ValidationError(UNREADABLE)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError) as error:
        raise ValidationError(UNREADABLE) from error
    finally:
        upload.seek(0)


def check_workbook(stream) -> None:
    """`check_office` for an XLSX read as a table (`dhr.spreadsheets.read_table`'s check): the
    macros message as a SpreadsheetError to show; any other failure raised as it is, which the
    reader reports as a damaged workbook."""
    try:
        check_office(stream, XLSX)
    except ValidationError as error:
        if ACTIVE in error.messages:
            raise SpreadsheetError(ACTIVE) from error
        raise


# What pypdf raises on a damaged or hostile file (RecursionError: a page tree that loops).
PDF_ERRORS = (
    PdfReadError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    OSError,
    RecursionError,
)


def open_pdf(upload) -> PdfReader:
    """A PDF opened with pypdf, its page count read; a ValidationError if it does not parse
    (a `%PDF-` header on something else does not) or needs a password."""
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise ValidationError("The selected PDF is password protected: save it without one")
        len(reader.pages)  # walks the page tree
    except ValidationError:
        raise
    except PDF_ERRORS as error:
        raise ValidationError(UNREADABLE_PDF) from error
    return reader


def check_pdf(upload) -> None:
    """A PDF must open (`open_pdf`) and hold at least one page."""
    try:
        if len(open_pdf(upload).pages) == 0:
            raise ValidationError(UNREADABLE_PDF)
    finally:
        upload.seek(0)


def check_structure(upload, kind: str) -> None:
    """Open the file as the format its first bytes claimed (see the module's docstring)."""
    if kind == PDF:
        check_pdf(upload)
    else:
        check_office(upload, kind)


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
    check_structure(upload, actual)
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
