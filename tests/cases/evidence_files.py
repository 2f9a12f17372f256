"""Real files of every kind an evidence upload meets, made in the test: PDFs drawn with ReportLab,
a PNG written byte by byte, phone photos, Word documents, and the impostors that must be refused."""

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.pdfgen import canvas


def pdf_bytes(pages: int = 1, text: str = "Declaration of the respondent") -> bytes:
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer)
    for page in range(1, pages + 1):
        drawing.drawString(72, 720, f"{text}, page {page}")
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A 1x1 white PNG: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    # The JFIF header is what identifies a JPEG; the rest stands in for the picture.
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 200 + b"\xff\xd9"


def heic_bytes() -> bytes:
    """The start of an iPhone photo: an ISO box "ftyp" with the brand "heic"."""
    return b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200


def tiff_bytes() -> bytes:
    return b"II*\x00\x08\x00\x00\x00" + b"\x00" * 200


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes(pages: int | None = 4, macros: bool = False) -> bytes:
    entries = {
        "[Content_Types].xml": b"<Types/>",
        "word/document.xml": b"<w:document><w:body><w:p>Declaration</w:p></w:body></w:document>",
    }
    if pages is not None:
        entries["docProps/app.xml"] = (
            b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'extended-properties"><Pages>%d</Pages><Words>900</Words></Properties>' % pages
        )
    if macros:
        entries["word/vbaProject.bin"] = b"\x00" * 32
    return _zip(entries)


def zip_bytes() -> bytes:
    return _zip({"photos/one.txt": b"not a document"})


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """A file as the browser sends it; the content type it claims is never trusted."""
    return SimpleUploadedFile(name, content, content_type=content_type)
