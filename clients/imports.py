"""Reading a spreadsheet of clients and checking every row before anything is saved.

No writes here: the web import (clients.import_services, run by clients.tasks) and the
`import_clients` command both call read_sheet() then validate(), so a file is judged the same way
wherever it comes from. Each row is cleaned by ImportRowForm, a ClientForm restricted to the
spreadsheet's columns, so a client typed in and a client imported obey the same rules.
"""

import codecs
import csv
import io
import os
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import openpyxl
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from clients.forms import ClientForm
from clients.identifiers import format_a_number
from clients.models import ClientAlias, Language

# The spreadsheet's columns, in the order of the template CSV.
COLUMNS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "aliases",
    "date_of_birth",
    "country_of_nationality",
    "a_number",
    "phone",
    "language",
    "last_arrival_date",
)
REQUIRED_COLUMNS = ("given_names",)
# What each column holds, for the upload page and the command's help.
COLUMN_HELP = {
    "given_names": gettext_lazy("First name(s). The only column every row needs."),
    "paternal_surname": gettext_lazy("Father's surname."),
    "maternal_surname": gettext_lazy("Mother's surname."),
    "aliases": gettext_lazy("Other names the person has used, separated by semicolons (;)."),
    "date_of_birth": gettext_lazy("YYYY-MM-DD or MM/DD/YYYY (month first), or a date cell in Excel."),
    "country_of_nationality": gettext_lazy("A code like MX, or the name in English or Spanish: Mexico, México."),
    "a_number": gettext_lazy("7 to 9 digits, like A-123-456-789."),
    "phone": gettext_lazy("US numbers as you write them; others with their country code, like +52."),
    "language": gettext_lazy("A code like es or quc, or a name like Spanish or Español. Empty: Spanish."),
    "last_arrival_date": gettext_lazy("Date of the last arrival in the US, written like the date of birth."),
}
# Spreadsheet column -> Client field, where the names differ.
FIELD_OF_COLUMN = {"language": "preferred_language", "last_arrival_date": "last_entry_date"}
COLUMN_OF_FIELD = {field: column for column, field in FIELD_OF_COLUMN.items()}

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
PREVIEW_ROWS = 20
PROGRESS_EVERY = 200
ALIAS_SEPARATOR = ";"

_XLSX_MAGIC = b"PK\x03\x04"
_OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (",", ";", "\t")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d+)$")

Progress = Callable[[int, int], None]


class SpreadsheetError(Exception):
    """The file as a whole cannot be used. The message says why in plain words."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class Sheet:
    unknown_columns: list[str]
    # (row number as the spreadsheet shows it, {column: raw value}); blank rows left out.
    rows: list[tuple[int, dict[str, object]]]


@dataclass
class Row:
    number: int
    data: dict  # Client fields, ready for clients.services.client_create
    aliases: list[str]
    errors: list[RowError] = field(default_factory=list)
    a_number: str | None = None  # kept even when another column is wrong, to find repeats

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_preview(self) -> dict:
        values = {name: value.isoformat() if isinstance(value, date) else value for name, value in self.data.items()}
        return {"row": self.number, **values, "aliases": self.aliases}


@dataclass
class Validation:
    rows: list[Row]
    unknown_columns: list[str]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if row.valid]

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def preview(self) -> list[dict]:
        return [row.as_preview() for row in self.valid[:PREVIEW_ROWS]]


# Reading the file


def read_sheet(file) -> Sheet:
    """The header and the non-blank rows of a CSV or XLSX file opened in binary mode."""
    return _sheet(_table(file), header_only=False)


def read_unknown_columns(file) -> list[str]:
    """The columns of the header row that the import ignores."""
    return _sheet(_table(file), header_only=True).unknown_columns


def check_upload(file) -> str:
    """Judges an uploaded file before it is stored, by its size and its content (never its name):
    SpreadsheetError unless it is a CSV or Excel workbook of at most 10 MB whose first row names
    the columns. Returns the extension of what it really is. Its rows are checked later, by a task."""
    try:
        read_unknown_columns(file)
    except SpreadsheetError:
        raise
    # Any bytes under any name arrive here, and a damaged workbook fails in many ways.
    except Exception as exc:
        raise SpreadsheetError(_("This is not a CSV or Excel (.xlsx) file.")) from exc
    finally:
        file.seek(0)
    extension = ".xlsx" if file.read(len(_XLSX_MAGIC)) == _XLSX_MAGIC else ".csv"
    file.seek(0)
    return extension


def _table(file) -> Iterator[list]:
    file.seek(0, os.SEEK_END)
    size = file.tell()
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(
            _("This file is %(size)s MB; the limit is 10 MB. Split it into smaller files.")
            % {"size": f"{size / 1024 / 1024:.1f}"}
        )
    file.seek(0)
    data = file.read()
    if not data.strip():
        raise SpreadsheetError(_("This file is empty."))
    if data.startswith(_XLSX_MAGIC):
        return _xlsx_table(data)
    if data.startswith(_OLD_EXCEL_MAGIC):
        raise SpreadsheetError(
            _("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or as CSV UTF-8.")
        )
    return _csv_table(data)


def _xlsx_table(data: bytes) -> Iterator[list]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise SpreadsheetError(_("This file could not be read as an Excel workbook. Save it as .xlsx or CSV.")) from exc
    try:
        # Row numbers are those Excel shows: iter_rows yields the blank rows between filled ones too.
        yield from (list(values) for values in workbook.worksheets[0].iter_rows(values_only=True))
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged sheet
        raise SpreadsheetError(_("Part of this workbook could not be read. Save it again as .xlsx or CSV.")) from exc
    finally:
        workbook.close()


def _csv_table(data: bytes) -> Iterator[list]:
    text = _decode(data)
    lines = text.splitlines()
    delimiter = None
    # Excel writes and reads a first line "sep=;" that names the separator; it is not a row.
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        lines = lines[1:]
    delimiter = delimiter or _delimiter(lines[0] if lines else "")
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise SpreadsheetError(_("This file could not be read as CSV: %(reason)s.") % {"reason": exc}) from exc


def _decode(data: bytes) -> str:
    # Excel's "Unicode text" export is UTF-16 with a byte-order mark.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(_("This is not a CSV or Excel (.xlsx) file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain "CSV (Comma delimited)" on Windows writes Windows-1252, not UTF-8.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _("The letters in this file could not be read. Save it as “CSV UTF-8” and upload it again.")
        ) from exc


def _delimiter(header: str) -> str:
    # Excel in Spanish (and most of Latin America and Europe) separates with semicolons.
    counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header_name(value) -> str:
    return re.sub(r"[\s\-]+", "_", _text(value).lower())


def _sheet(table: Iterable[list], *, header_only: bool) -> Sheet:
    table = iter(table)
    known, unknown = _columns(next(table, []))
    if header_only:
        return Sheet(unknown_columns=unknown, rows=[])
    rows = []
    for number, values in enumerate(table, start=2):
        if all(_text(value) == "" for value in values):
            continue
        if len(rows) == MAX_ROWS:
            raise SpreadsheetError(
                _("This file has more than %(max)s rows. Split it into files of at most %(max)s rows.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        rows.append((number, {name: values[index] if index < len(values) else None for name, index in known.items()}))
    if not rows:
        raise SpreadsheetError(_("The file has a header row but no clients under it."))
    return Sheet(unknown_columns=unknown, rows=rows)


def _columns(header: list) -> tuple[dict[str, int], list[str]]:
    """The position of each known column in the header row, and the names of the others."""
    positions = defaultdict(list)
    for index, name in enumerate(_header_name(value) for value in header):
        if name:
            positions[name].append(index)
    if not positions:
        raise SpreadsheetError(_("The first row must name the columns, like given_names, paternal_surname, a_number."))
    for name, indexes in positions.items():
        if name in COLUMNS and len(indexes) > 1:
            raise SpreadsheetError(
                _("The column “%(column)s” appears %(count)d times in the first row; keep only one.")
                % {"column": name, "count": len(indexes)}
            )
    for name in REQUIRED_COLUMNS:
        if name not in positions:
            raise SpreadsheetError(
                _("The file has no “%(column)s” column. The first row must name the columns; %(column)s is required.")
                % {"column": name}
            )
    known = {name: indexes[0] for name, indexes in positions.items() if name in COLUMNS}
    return known, [name for name in positions if name not in COLUMNS]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel keeps numbers typed in a cell as floats: an A-number 12345678 arrives as 12345678.0.
        return str(int(value))
    return str(value).strip()


# Checking the rows


class ImportRowForm(ClientForm):
    """ClientForm's own cleaning (A-number, phone, dates in the past, entry after birth),
    restricted to the spreadsheet's columns.

    The country is left out: parse_country only answers codes from django_countries' own list,
    and the form's choice check walked that list twice per row (40% of the time of a file).
    """

    class Meta(ClientForm.Meta):
        fields = [
            "given_names", "paternal_surname", "maternal_surname", "date_of_birth", "preferred_language",
            "a_number", "phone", "last_entry_date",
        ]  # fmt: skip
        error_messages = {"given_names": {"required": gettext_lazy("Every row needs a given name.")}}

    def _get_validation_exclusions(self):
        # The model's check that an A-number has 9 digits costs a database query per row;
        # clean_a_number already guarantees it, and client_create checks it again when saving.
        return super()._get_validation_exclusions() | {"a_number"}


def validate(sheet: Sheet, *, clients_with_a_numbers: Callable, progress: Progress | None = None) -> Validation:
    """Cleans every row and finds repeated A-numbers. `clients_with_a_numbers(a_numbers)` answers
    {a_number: (client id, full name)} for the clinic's clients that already hold one of them."""
    total = len(sheet.rows)
    rows = []
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        rows.append(clean_row(number, cells))
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done, total)
    _check_repeated_a_numbers(rows)
    _check_existing_a_numbers(rows, clients_with_a_numbers({row.a_number for row in rows if row.a_number}))
    if progress is not None:
        progress(total, total)
    return Validation(rows=rows, unknown_columns=sheet.unknown_columns)


def clean_row(number: int, cells: Mapping[str, object]) -> Row:
    errors: list[RowError] = []
    data: dict[str, object] = {}
    for column, parse in _PARSERS.items():
        try:
            data[FIELD_OF_COLUMN.get(column, column)] = parse(cells.get(column))
        except ValidationError as exc:
            errors.append(RowError(number, column, exc.messages[0]))
    for column in ("given_names", "paternal_surname", "maternal_surname", "a_number", "phone"):
        data[column] = _text(cells.get(column))
    aliases = [name.strip() for name in _text(cells.get("aliases")).split(ALIAS_SEPARATOR) if name.strip()]
    max_length = ClientAlias._meta.get_field("name").max_length
    for alias in aliases:
        if len(alias) > max_length:
            message = _("An alias can have at most %(max)d characters; one here has %(count)d.")
            errors.append(RowError(number, "aliases", message % {"max": max_length, "count": len(alias)}))

    form = ImportRowForm(data={name: value for name, value in data.items() if value is not None})
    form.is_valid()
    for name, messages in form.errors.items():
        column = "" if name == NON_FIELD_ERRORS else COLUMN_OF_FIELD.get(name, name)
        if any(error.column == column for error in errors):
            continue  # already said why, in the spreadsheet's own terms
        errors.extend(RowError(number, column, message) for message in messages)
    cleaned = {name: form.cleaned_data.get(name) for name in ImportRowForm.Meta.fields}
    cleaned["country_of_nationality"] = data.get("country_of_nationality") or ""
    return Row(number=number, data=cleaned, aliases=aliases, errors=errors, a_number=cleaned["a_number"])


def _check_repeated_a_numbers(rows: list[Row]) -> None:
    rows_of = defaultdict(list)
    for row in rows:
        if row.a_number:
            rows_of[row.a_number].append(row)
    for a_number, repeats in rows_of.items():
        if len(repeats) < 2:
            continue
        numbers = get_text_list([str(row.number) for row in repeats], _("and"))
        message = _("The A-number %(a_number)s is on more than one row of this file: rows %(rows)s.") % {
            "a_number": format_a_number(a_number),
            "rows": numbers,
        }
        for row in repeats:
            row.errors.append(RowError(row.number, "a_number", message))


def _check_existing_a_numbers(rows: list[Row], existing: Mapping[str, tuple[int, str]]) -> None:
    message = _("A client of this clinic already has the A-number %(a_number)s: %(name)s (client %(id)s).")
    for row in rows:
        if row.a_number in existing:
            client_id, name = existing[row.a_number]
            text = message % {"a_number": format_a_number(row.a_number), "name": name, "id": client_id}
            row.errors.append(RowError(row.number, "a_number", text))


# Cell values


def parse_date(value) -> date | None:
    """A real date (XLSX), YYYY-MM-DD, or the US MM/DD/YYYY; anything else is refused, not guessed."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text).date()
    except ValueError:
        pass
    us = _US_DATE.match(text)
    if us and len(us[3]) != 4:
        raise ValidationError(_("Write the year with four digits: “%(value)s” could be 19… or 20….") % {"value": text})
    try:
        if us:
            return date(int(us[3]), int(us[1]), int(us[2]))
    except ValueError:
        pass
    raise ValidationError(
        _("“%(value)s” is not a date. Write dates as YYYY-MM-DD or MM/DD/YYYY (month first).") % {"value": text}
    )


def parse_country(value) -> str:
    """A two- or three-letter ISO code, or the country's name in English or Spanish -> 'MX'."""
    text = _text(value)
    if not text:
        return ""
    if len(text) in (2, 3) and text.isalpha() and (code := countries.alpha2(text)):
        return code
    code = _country_names().get(_fold(text))
    if code is None:
        raise ValidationError(
            _("“%(value)s” is not a country we know. Use a code like MX, or the name in English or Spanish.")
            % {"value": text}
        )
    return code


def parse_language(value) -> str:
    """An ISO code (es, quc) or the language's name in English or Spanish -> a Language value."""
    text = _text(value)
    if not text:
        return Language.SPANISH  # the model's default, shown as such in the preview
    code = _language_names().get(_fold(text))
    if code is None:
        raise ValidationError(
            _("“%(value)s” is not a language we know. Use a code like es or quc, or a name like Spanish or Español.")
            % {"value": text}
        )
    return code


_PARSERS = {
    "date_of_birth": parse_date,
    "last_arrival_date": parse_date,
    "country_of_nationality": parse_country,
    "language": parse_language,
}


def _fold(text: str) -> str:
    """'Côte d'Ivoire ' -> 'cote d ivoire': no accents, no case, punctuation as spaces."""
    plain = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", plain.lower()).split())


@cache
def _country_names() -> dict[str, str]:
    names = {}
    for language in ("en", "es"):
        with translation.override(language):
            names.update((_fold(str(name)), code) for code, name in countries)
    for code, old_names in countries.shadowed_names.items():
        names.update((_fold(str(name)), code) for name in old_names)
    names.update({"united states": "US", "ee uu": "US", "eeuu": "US", "usa": "US"})
    return names


# Spanish names of the languages (the app has no Spanish catalogue yet), other spellings and
# three-letter ISO 639 codes.
_LANGUAGE_ALIASES = {
    Language.SPANISH: ("espanol", "castellano", "spa"),
    Language.ENGLISH: ("ingles", "eng"),
    Language.HAITIAN_CREOLE: ("creole", "kreyol", "kreyol ayisyen", "criollo haitiano", "creole haitiano", "hat"),
    Language.PORTUGUESE: ("portugues", "por"),
    Language.FRENCH: ("frances", "fra", "fre"),
    Language.KICHE: ("kiche", "quiche"),
    Language.QANJOBAL: ("qanjobal", "kanjobal"),
    Language.RUSSIAN: ("ruso", "rus"),
    Language.ARABIC: ("arabe", "ara"),
    Language.OTHER: ("otro", "otra"),
}


@cache
def _language_names() -> dict[str, str]:
    names = {}
    with translation.override("en"):
        for code, label in Language.choices:
            names[_fold(code)] = code
            names[_fold(str(label))] = code
    for code, aliases in _LANGUAGE_ALIASES.items():
        names.update((alias, code) for alias in aliases)
    return names
