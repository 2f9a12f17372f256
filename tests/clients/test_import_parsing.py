"""Reading spreadsheets of clients and checking their rows (clients.imports): no database."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clients import imports
from tests.clients.import_files import GOOD_ROWS, HEADER, csv_bytes, row, xlsx_bytes


def check(content: bytes, existing=None) -> imports.Validation:
    sheet = imports.read_sheet(io.BytesIO(content))
    return imports.validate(sheet, clients_with_a_numbers=lambda a_numbers: existing or {})


def excel_date(year: int, month: int, day: int) -> datetime:
    # A date cell of a workbook: Excel knows no time zones, so openpyxl gives naive datetimes.
    return datetime(year, month, day)  # noqa: DTZ001


def errors_of(validation: imports.Validation) -> list[tuple[int, str]]:
    return [(error.row, error.column) for error in validation.errors]


def only_error(content: bytes, **kwargs) -> imports.RowError:
    errors = check(content, **kwargs).errors
    assert len(errors) == 1, errors
    return errors[0]


# Reading files


def test_it_reads_a_csv_with_a_bom_and_semicolons():
    validation = check(csv_bytes(GOOD_ROWS, delimiter=";", encoding="utf-8-sig"))
    assert validation.errors == []
    assert [row.number for row in validation.rows] == [2, 3, 4]
    first = validation.rows[0]
    assert first.data["given_names"] == "Rosa Elena"  # the BOM is not part of the first header
    assert first.data["paternal_surname"] == "Pérez"
    assert first.aliases == ["Rosita", "La Güera"]


def test_it_reads_a_comma_separated_csv_without_bom():
    validation = check(csv_bytes(GOOD_ROWS, encoding="utf-8"))
    assert len(validation.valid) == 3


def test_it_reads_excels_windows_csv_and_its_separator_line():
    # Excel's plain "CSV" on Windows writes Windows-1252, and may start with "sep=;".
    content = b"sep=;\r\n" + csv_bytes(
        [row(given_names="Iñaki", paternal_surname="Núñez")], delimiter=";", encoding="cp1252"
    )
    validation = check(content)
    assert validation.rows[0].number == 2
    assert validation.rows[0].data["paternal_surname"] == "Núñez"
    assert validation.rows[0].data["given_names"] == "Iñaki"


def test_it_reads_an_xlsx_with_real_dates_and_numbers():
    rows = [
        row(given_names="Ana", date_of_birth=excel_date(1990, 7, 9), a_number=12345678, phone=9155550123),
        row(given_names="Luis", date_of_birth=date(1985, 1, 2), last_arrival_date=excel_date(2024, 5, 6)),
    ]
    validation = check(xlsx_bytes(rows))
    assert validation.errors == []
    ana, luis = validation.rows
    assert ana.data["date_of_birth"] == date(1990, 7, 9)
    assert ana.data["a_number"] == "012345678"  # Excel dropped the leading zero; the 8 digits are padded
    assert ana.data["phone"] == "+19155550123"
    assert luis.data["last_entry_date"] == date(2024, 5, 6)


def test_it_counts_xlsx_rows_as_excel_shows_them():
    workbook_rows = [row(given_names="Ana"), row(), row(given_names="Luis", a_number="A12")]
    validation = check(xlsx_bytes(workbook_rows))
    assert [row.number for row in validation.rows] == [2, 4]
    assert errors_of(validation) == [(4, "a_number")]


def test_it_matches_headers_in_any_case_and_order():
    header = ["A_Number", "GIVEN_NAMES", "Paternal Surname"]
    validation = check(csv_bytes([["A123456789", "Ana", "López"]], header=header))
    assert validation.rows[0].data["a_number"] == "123456789"
    assert validation.rows[0].data["paternal_surname"] == "López"


def test_it_ignores_unknown_columns_and_names_them():
    validation = check(csv_bytes([["Ana", "x", "y"]], header=["given_names", "notes", "Case worker"]))
    assert validation.unknown_columns == ["notes", "case_worker"]
    assert validation.errors == []
    assert imports.read_unknown_columns(io.BytesIO(csv_bytes([], header=["given_names", "notes"]))) == ["notes"]


def test_it_skips_blank_rows_and_keeps_the_row_numbers():
    validation = check(csv_bytes([row(given_names="Ana"), row(), row(given_names="Luis")]))
    assert [row.number for row in validation.rows] == [2, 4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (csv_bytes([["López"]], header=["paternal_surname"]), "no “given_names” column"),
        (csv_bytes([["Ana", "Ana"]], header=["given_names", "Given_Names"]), "appears 2 times"),
        (csv_bytes([], header=HEADER), "no clients under it"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "not a CSV or Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "old Excel file (.xls)"),
        (b"PK\x03\x04 not really a zip", "could not be read as an Excel workbook"),
    ],
)
def test_it_refuses_a_file_it_cannot_use_with_one_clear_message(content, message):
    with pytest.raises(imports.SpreadsheetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        imports.read_sheet(io.BytesIO(content))


def test_it_refuses_a_file_over_10_mb():
    content = csv_bytes([row(given_names="Ana")]) + b" " * imports.MAX_FILE_BYTES
    with pytest.raises(imports.SpreadsheetError, match="the limit is 10 MB"):
        imports.read_sheet(io.BytesIO(content))


def test_it_refuses_more_than_20000_rows():
    content = csv_bytes([["Ana"]] * (imports.MAX_ROWS + 1), header=["given_names"])
    with pytest.raises(imports.SpreadsheetError, match="more than 20,000 rows"):
        imports.read_sheet(io.BytesIO(content))
    assert (
        len(imports.read_sheet(io.BytesIO(csv_bytes([["Ana"]] * imports.MAX_ROWS, header=["given_names"]))).rows)
        == 20_000
    )


# Cell values


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1990-07-09", date(1990, 7, 9)),
        ("07/09/1990", date(1990, 7, 9)),  # US: month first
        ("7/9/1990", date(1990, 7, 9)),
        ("1990-07-09 00:00:00", date(1990, 7, 9)),
        (excel_date(1990, 7, 9), date(1990, 7, 9)),
        ("", None),
        (None, None),
    ],
)
def test_it_reads_iso_and_us_dates(value, expected):
    assert imports.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("13/09/1990", "not a date"),
        ("9 July 1990", "not a date"),
        ("7/9/90", "four digits"),
        ("1990-02-30", "not a date"),
    ],
)
def test_it_refuses_dates_it_would_have_to_guess(value, message):
    with pytest.raises(ValidationError, match=message):
        imports.parse_date(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [("MX", "MX"), ("mx", "MX"), ("MEX", "MX"), ("Mexico", "MX"), ("México", "MX"), ("MEXICO", "MX"),
     ("Estados Unidos", "US"), ("United States", "US"), ("Haití", "HT"), ("Cote d'Ivoire", "CI"),
     ("Venezuela (Bolivarian Republic of)", "VE"), ("", "")],
)  # fmt: skip
def test_it_resolves_countries_by_code_or_english_or_spanish_name(value, code):
    assert imports.parse_country(value) == code


@pytest.mark.parametrize(
    ("value", "code"),
    [("es", "es"), ("Spanish", "es"), ("Español", "es"), ("espanol", "es"), ("quc", "quc"), ("K'iche'", "quc"),
     ("Kreyòl", "ht"), ("Haitian Creole", "ht"), ("Q'anjob'al", "kjb"), ("Inglés", "en"), ("", "es")],
)  # fmt: skip
def test_it_resolves_languages_by_code_or_name(value, code):
    assert imports.parse_language(value) == code


# Problems, each with its row and column


def test_it_says_an_a_number_with_letters_is_wrong():
    error = only_error(csv_bytes([row(given_names="Ana"), row(given_names="Luis", a_number="A12B45678")]))
    assert (error.row, error.column) == (3, "a_number")
    assert "only digits" in error.message


def test_it_says_an_a_number_of_the_wrong_length_is_wrong():
    error = only_error(csv_bytes([row(given_names="Ana", a_number="A12345")]))
    assert (error.row, error.column) == (2, "a_number")
    assert "7 to 9 digits" in error.message
    assert "this one has 5" in error.message


def test_it_says_a_date_of_birth_in_the_future_is_wrong():
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    error = only_error(csv_bytes([row(given_names="Ana", date_of_birth=tomorrow)]))
    assert (error.row, error.column) == (2, "date_of_birth")
    assert error.message == "A date of birth cannot be in the future."


def test_it_says_an_arrival_before_birth_is_wrong():
    error = only_error(csv_bytes([row(given_names="Ana", date_of_birth="2000-01-01", last_arrival_date="12/31/1999")]))
    assert (error.row, error.column) == (2, "last_arrival_date")
    assert "before the date of birth" in error.message


def test_it_says_which_country_and_language_it_does_not_know():
    validation = check(csv_bytes([row(given_names="Ana", country_of_nationality="Narnia", language="Klingon")]))
    assert errors_of(validation) == [(2, "country_of_nationality"), (2, "language")]
    assert "“Narnia” is not a country we know" in validation.errors[0].message
    assert "“Klingon” is not a language we know" in validation.errors[1].message


def test_it_says_a_phone_that_is_not_a_phone_is_wrong():
    validation = check(
        csv_bytes([row(given_names="Ana", phone="call the church"), row(given_names="Luis", phone="12")])
    )
    assert errors_of(validation) == [(2, "phone"), (3, "phone")]
    assert validation.errors[0].message == "This does not look like a phone number."
    assert "too many digits" in validation.errors[1].message.lower()


def test_it_says_a_row_needs_a_given_name():
    error = only_error(csv_bytes([row(paternal_surname="López")]))
    assert (error.row, error.column, error.message) == (2, "given_names", "Every row needs a given name.")


def test_it_names_both_rows_of_an_a_number_repeated_in_the_file():
    rows = [
        row(given_names="Ana", a_number="A123456789"),
        row(given_names="Eva"),
        row(given_names="Luis", a_number="123-456-789"),
    ]
    validation = check(csv_bytes(rows))
    assert errors_of(validation) == [(2, "a_number"), (4, "a_number")]
    for error in validation.errors:
        assert error.message == "The A-number A-123-456-789 is on more than one row of this file: rows 2 and 4."
    assert [row.number for row in validation.valid] == [3]


def test_it_names_the_client_who_already_has_the_a_number():
    validation = check(
        csv_bytes([row(given_names="Ana", a_number="A012345678")]),
        existing={"012345678": (42, "Ana María López Reyes")},
    )
    assert errors_of(validation) == [(2, "a_number")]
    assert validation.errors[0].message == (
        "A client of this clinic already has the A-number A-012-345-678: Ana María López Reyes (client 42)."
    )


def test_it_reports_each_problem_of_a_row_and_keeps_the_other_rows_valid():
    rows = [*GOOD_ROWS, row(given_names="Bad", date_of_birth="2000-13-01", a_number="A1", language="xx")]
    validation = check(csv_bytes(rows))
    assert errors_of(validation) == [(5, "date_of_birth"), (5, "language"), (5, "a_number")]
    assert validation.total == 4
    assert len(validation.valid) == 3


def test_it_previews_the_first_valid_rows_as_they_will_be_saved():
    rows = [row(given_names="Bad", a_number="x")] + [row(given_names=f"Person {n}") for n in range(30)]
    preview = check(csv_bytes(rows)).preview()
    assert len(preview) == imports.PREVIEW_ROWS
    assert preview[0]["row"] == 3
    first = check(csv_bytes(GOOD_ROWS)).preview()[0]
    assert first == {
        "row": 2,
        "given_names": "Rosa Elena",
        "paternal_surname": "Pérez",
        "maternal_surname": "López",
        "date_of_birth": "1988-03-14",
        "country_of_nationality": "MX",
        "preferred_language": "es",
        "a_number": "123456789",
        "phone": "+525512345678",
        "last_entry_date": "2024-02-01",
        "aliases": ["Rosita", "La Güera"],
    }


def test_it_reports_progress_while_checking():
    calls = []
    sheet = imports.read_sheet(io.BytesIO(csv_bytes([["Ana"]] * 450, header=["given_names"])))
    imports.validate(
        sheet, clients_with_a_numbers=lambda a_numbers: {}, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(200, 450), (400, 450), (450, 450)]
