"""Checks an evidence file by its content, never by its name, and reads what the evidence row keeps
(detected type, size, SHA-256, page count). Raises ValidationError with a message naming the file.

Accepted: PDF; JPEG, PNG, HEIC/HEIF (phone photos) and TIFF images; Word documents (.docx).
"""

import functools
import hashlib
import os
import re
import zipfile
from typing import NamedTuple

import puremagic
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader

MAX_SIZE = 25 * 1024 * 1024
# puremagic reads signatures from the first bytes; 8 KB covers every type accepted here.
HEAD_SIZE = 8192
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# docProps/app.xml is a few KB; anything much larger is not Word's and is not read.
APP_XML_MAX = 1024 * 1024
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}
_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d{1,6})\s*</(?:\w+:)?Pages>")


class Kind(NamedTuple):
    label: str
    content_type: str
    # The first is the one a download without an extension gets.
    extensions: tuple[str, ...]


PDF = Kind(gettext_lazy("a PDF"), "application/pdf", (".pdf",))
JPEG = Kind(gettext_lazy("a JPEG image"), "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = Kind(gettext_lazy("a PNG image"), "image/png", (".png",))
TIFF = Kind(gettext_lazy("a TIFF image"), "image/tiff", (".tif", ".tiff"))
HEIF = Kind(gettext_lazy("a HEIC photo"), "image/heic", (".heic", ".heif"))
DOCX = Kind(gettext_lazy("a Word document"), DOCX_TYPE, (".docx",))
IMAGES = (JPEG, PNG, TIFF, HEIF)
# puremagic's MIME types for the kinds recognised from their signature alone (DOCX is a ZIP: see _docx).
_BY_MIME = {
    "application/pdf": PDF,
    "image/jpeg": JPEG,
    "image/png": PNG,
    "image/tiff": TIFF,
    "image/heic": HEIF,
    "image/heif": HEIF,
}
ACCEPTED_EXTENSIONS = sorted(ext for kind in (PDF, *IMAGES, DOCX) for ext in kind.extensions)


class Inspected(NamedTuple):
    kind: Kind
    size: int
    sha256: str
    page_count: int | None


def inspect_upload(file) -> Inspected:
    """What `file` really is, or ValidationError. Leaves the file at its start."""
    name = os.path.basename(file.name or "") or _("(no name)")
    if file.size > MAX_SIZE:
        raise ValidationError(too_large_message(name), code="too_large")
    if not file.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    kind, pages = _detect(file, name)
    claimed = claimed_extension(name)
    if claimed and claimed not in kind.extensions:
        raise ValidationError(
            _("“%(name)s” was refused: its name ends in %(ext)s but its content is %(kind)s.")
            % {"name": name, "ext": claimed, "kind": kind.label},
            code="mismatch",
        )
    if kind is PDF:
        pages = pdf_page_count(file)
    elif kind in IMAGES:
        pages = 1
    inspected = Inspected(kind, file.size, _sha256(file), pages)
    file.seek(0)
    return inspected


def too_large_message(name: str) -> str:
    return _("“%(name)s” is larger than 25 MB and was refused. Split or compress it, then upload it again.") % {
        "name": name
    }


def refused_message(name: str, what: str = "") -> str:
    if what:
        return _(
            "“%(name)s” was refused: its content is %(what)s, not a PDF, an image (JPEG, PNG, HEIC, TIFF) "
            "or a Word document (.docx)."
        ) % {"name": name, "what": what}
    return _(
        "“%(name)s” was refused: its content is not a PDF, an image (JPEG, PNG, HEIC, TIFF) or a Word document (.docx)."
    ) % {"name": name}


def _detect(file, name: str) -> tuple[Kind, int | None]:
    """The kind read from the content and, for a Word document, its page count if Word saved one."""
    file.seek(0)
    head = file.read(HEAD_SIZE)
    file.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return DOCX, _docx(file, name)
    try:
        candidates = puremagic.magic_string(head)
    except puremagic.PureError:
        candidates = []
    for candidate in candidates:
        if candidate.mime_type in _BY_MIME:
            return _BY_MIME[candidate.mime_type], None
    if _is_heif(head):
        return HEIF, None
    raise ValidationError(refused_message(name), code="type")


def _is_heif(head: bytes) -> bool:
    """puremagic knows HEIC by its major brand; some phones write the generic "mif1" brand first and
    list the HEVC brand among the compatible ones (ISO/IEC 23008-12)."""
    if head[4:8] != b"ftyp":
        return False
    size = int.from_bytes(head[:4], "big")
    brands = {head[index : index + 4] for index in range(16, min(size, len(head)), 4)}
    return head[8:12] in (b"mif1", b"msf1") and bool(brands & _HEVC_BRANDS)


def _docx(file, name: str) -> int | None:
    """Checks that a ZIP is a Word document (it holds word/document.xml) without macros."""
    try:
        with zipfile.ZipFile(file) as archive:
            entries = set(archive.namelist())
            if "word/document.xml" not in entries:
                raise ValidationError(refused_message(name, _("a ZIP archive")), code="type")
            if "word/vbaProject.bin" in entries:
                raise ValidationError(
                    _("“%(name)s” was refused: it contains macros. Save it as a plain Word document (.docx).")
                    % {"name": name},
                    code="macros",
                )
            return _docx_pages(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as error:
        raise ValidationError(
            _("“%(name)s” was refused: it looks like a Word document but cannot be opened.") % {"name": name},
            code="damaged",
        ) from error
    finally:
        file.seek(0)


def _docx_pages(archive: zipfile.ZipFile) -> int | None:
    # Word writes the page count it last laid out into docProps/app.xml; other editors may not.
    try:
        info = archive.getinfo("docProps/app.xml")
    except KeyError:
        return None
    if info.file_size > APP_XML_MAX:
        return None
    found = _PAGES.search(archive.read(info))
    if found is None:
        return None
    return int(found.group(1)) or None


def pdf_page_count(file) -> int | None:
    """The number of pages, or None when pypdf cannot read the PDF (the user can enter it)."""
    file.seek(0)
    try:
        reader = PdfReader(file)
        if reader.is_encrypted:
            reader.decrypt("")
        pages = len(reader.pages)
    # pypdf raises many kinds of errors on damaged or encrypted files; none should refuse the upload.
    except Exception:
        pages = None
    finally:
        file.seek(0)
    return pages or None


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def claimed_extension(name: str) -> str:
    """The file type the name claims: its extension, when it is one that names a type (".pdf",
    ".exe", ".txt"). "Scan 2024.03.14" or "Statement.final" claim nothing."""
    extension = os.path.splitext(name)[1].lower()
    return extension if extension in _known_extensions() else ""


@functools.cache
def _known_extensions() -> frozenset[str]:
    # Every type puremagic knows by its signature, plus text and script types, which have none.
    known = {entry.extension.lower() for entry in (*puremagic.magic_header_array, *puremagic.magic_footer_array)}
    known |= {entry.extension.lower() for entries in puremagic.multi_part_dict.values() for entry in entries}
    known |= {".txt", ".csv", ".json", ".xml", ".md", ".js", ".bat", ".cmd", ".ps1", ".vbs", ".py", ".php"}
    return frozenset(known | set(ACCEPTED_EXTENSIONS))


def download_name(original_name: str, content_type: str) -> str:
    """The name a download is saved under: the original, ending in the extension of its real type."""
    kind = next((kind for kind in (PDF, *IMAGES, DOCX) if kind.content_type == content_type), None)
    original_name = original_name or "document"
    if kind is None or claimed_extension(original_name) in kind.extensions:
        return original_name
    return original_name + kind.extensions[0]


class SizeCappedUploadHandler(FileUploadHandler):
    """First of the request's upload handlers: stops receiving a file as soon as it passes MAX_SIZE,
    so an oversized upload is never written to disk whole. The names of the files cut off are kept
    in `too_large` for the error message; the rest of the request is parsed as usual."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large: list[str] = []

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > MAX_SIZE:
            self.too_large.append(os.path.basename(self.file_name or ""))
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None
