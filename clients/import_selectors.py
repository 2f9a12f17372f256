"""Reads of client imports, scoped to the user's clinic (another clinic's import: 404)."""

from datetime import date

from django.core.cache import cache
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_countries import countries

from clients import imports
from clients.access import require_client_access
from clients.identifiers import format_a_number, format_phone
from clients.models import Client, ClientImport, Language

# Shown on the page; the full list of problems is a CSV download.
ERRORS_SHOWN = 200


def progress_key(import_id: int) -> str:
    return f"clients:import:{import_id}:progress"


def client_imports(*, actor) -> QuerySet[ClientImport]:
    membership = require_client_access(actor)
    return ClientImport.objects.filter(clinic=membership.clinic)


def recent_client_imports(*, actor, limit: int = 10) -> list[ClientImport]:
    # The problems and the preview can weigh megabytes; a list of imports needs neither.
    return list(client_imports(actor=actor).defer("errors", "preview").select_related("uploaded_by")[:limit])


def client_import_get(*, actor, pk: int, light: bool = False) -> ClientImport:
    """`light` leaves out the problems and the preview: the progress fragment, polled every 2 s, needs neither."""
    rows = client_imports(actor=actor).select_related("uploaded_by")
    return get_object_or_404(rows.defer("errors", "preview") if light else rows, pk=pk)


def client_import_progress(*, client_import: ClientImport) -> dict:
    """{"done": rows done, "total": rows in the file} while a task works on the import (written
    by clients.import_services to the cache, because the import's own transaction hides it)."""
    return cache.get(progress_key(client_import.pk)) or {"done": 0, "total": client_import.total_rows}


def client_import_unknown_columns(*, client_import: ClientImport) -> list[str]:
    """Columns the import ignores, read again from the file's header row (the model keeps no warnings)."""
    if not client_import.file:  # deleted once the import ended
        return []
    try:
        with client_import.file.open("rb") as file:
            return imports.read_unknown_columns(file)
    except (OSError, imports.SpreadsheetError):
        return []


def preview_rows(*, client_import: ClientImport) -> list[dict]:
    """The stored preview, with codes turned into what staff read: country and language names,
    A-numbers and phones as forms print them."""
    return [
        row
        | {
            "date_of_birth": _date(row.get("date_of_birth")),
            "last_entry_date": _date(row.get("last_entry_date")),
            "country_name": countries.name(row.get("country_of_nationality") or "") or "",
            "language_name": Language(row["preferred_language"]).label if row.get("preferred_language") else "",
            "a_number_display": format_a_number(row.get("a_number")),
            "phone_display": format_phone(row.get("phone")),
        }
        for row in client_import.preview
    ]


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def clients_with_a_numbers(*, clinic_id: int, a_numbers) -> dict[str, tuple[int, str]]:
    """{a_number: (client id, full name)} for the clinic's clients holding one of `a_numbers`; one query."""
    if not a_numbers:
        return {}
    rows = Client.objects.filter(clinic_id=clinic_id, a_number__in=list(a_numbers))
    return {client.a_number: (client.pk, client.full_name) for client in rows.only(
        "a_number", "given_names", "paternal_surname", "maternal_surname"
    )}  # fmt: skip
