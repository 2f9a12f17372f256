"""What the tests of the client printouts share (tests/clients/test_walk_in_slip.py,
tests/cases/test_hearing_notice.py): the text of a PDF, and the month and weekday names to look for."""

import io

from pypdf import PdfReader

SPANISH_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
    "noviembre", "diciembre",
)  # fmt: skip
# Django's English dates (DATE_FORMAT "N j, Y") abbreviate months as the AP does.
ENGLISH_MONTHS = ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.")
SPANISH_WEEKDAYS = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def body(response) -> str:
    return response.content.decode()
