"""Spreadsheets for the import tests, built in memory as staff's tools would write them."""

import csv
import io

import openpyxl

HEADER = ["given_names", "paternal_surname", "maternal_surname", "aliases", "date_of_birth",
          "country_of_nationality", "a_number", "phone", "language", "last_arrival_date"]  # fmt: skip
GOOD_ROWS = [
    ["Rosa Elena", "Pérez", "López", "Rosita; La Güera", "1988-03-14", "MX", "A-123-456-789", "+52 55 1234 5678", "es", "2024-02-01"],
    ["José", "García", "", "", "07/04/1990", "Guatemala", "A98765432", "(915) 555-0123", "quc", "06/30/2023"],
    ["Marie", "Joseph", "", "", "", "Haití", "", "", "Kreyòl", ""],
]  # fmt: skip


def csv_bytes(rows, header=HEADER, delimiter=",", encoding="utf-8-sig") -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(**values) -> list:
    """A row of HEADER with only the given columns filled."""
    return [values.get(column, "") for column in HEADER]
