"""A Table as a CSV or XLSX download. Rows are written as they come from the table's iterator, so
an export of 50,000 cases costs the memory of one chunk of rows, not of the whole file.

CSV streams straight to the client; XLSX (a zip, which cannot be streamed while it is written)
is written row by row to a temporary file and then sent from it. Cells that a spreadsheet would
run as a formula (=, +, -, @ and the tab or carriage return some programs skip) are prefixed with
a single quote, so an exported text can never become a formula on the reader's machine."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from clinic.tables import Table

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_ROWS_PER_CHUNK = 500
# XLSX files up to this size stay in memory; bigger ones go to a file on disk.
XLSX_IN_MEMORY_BYTES = 2 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def safe_text(value):
    """The value, with a quote in front if it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_filename(filename: str, extension: str) -> str:
    """An ASCII file name with only letters, digits and dashes, and the given extension."""
    stem = filename.removesuffix(f".{extension}")
    return f"{slugify(stem) or 'export'}.{extension}"


def csv_response(table: Table, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_chunks(table), content_type="text/csv; charset=utf-8")
    return _download_headers(response, safe_filename(filename, "csv"))


def xlsx_response(table: Table, filename: str) -> FileResponse:
    return xlsx_workbook_response([table], filename)


def xlsx_workbook_response(tables: list[Table], filename: str) -> FileResponse:
    """One sheet per table, written row by row (openpyxl's write-only mode keeps each sheet in a
    temporary file, not in memory), saved to a spooled temporary file that the response sends."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table))
        header = []
        for title in table.headers:
            cell = WriteOnlyCell(sheet, value=safe_text(str(title)))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_cell(value) for value in row])
    out = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)  # noqa: SIM115 (the response closes it)
    workbook.save(out)
    out.seek(0)
    response = FileResponse(out, as_attachment=True, filename=safe_filename(filename, "xlsx"))
    response["Content-Type"] = XLSX_CONTENT_TYPE
    response["Cache-Control"] = "no-store"
    return response


def _csv_chunks(table: Table) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte order mark tells Excel the file is UTF-8, so "Juárez" does not come out as "JuÃ¡rez".
    yield "\ufeff" + writer.writerow([safe_text(str(title)) for title in table.headers])
    for lines in _batched(table.rows, CSV_ROWS_PER_CHUNK):
        yield "".join(writer.writerow([_csv_cell(value) for value in row]) for row in lines)


class _Echo:
    """A file that hands back what is written to it, so csv.writer produces lines to yield."""

    def write(self, value: str) -> str:
        return value


def _batched(rows: Iterable[list], size: int) -> Iterator[list[list]]:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(sep=" ", timespec="minutes") if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return value  # a number, even a negative one, is never a formula
    return safe_text(str(value))


def _xlsx_cell(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Excel has no time zones: the clinic's local time, as on the page.
        return timezone.make_naive(value)
    if isinstance(value, str | int | float | Decimal | date | type(None)):
        return safe_text(value)
    return safe_text(str(value))  # lazy translations and other objects


def _sheet_title(table: Table) -> str:
    return (str(table.title).translate(SHEET_TITLE_FORBIDDEN).strip() or table.key)[:31]


def _download_headers(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
