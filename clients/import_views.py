"""Importing clients from a spreadsheet: upload, preview, import. Thin views over
clients.import_selectors and clients.import_services."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clients import import_selectors, import_services, imports
from clients.access import CLIENT_ROLES
from clients.import_forms import ClientImportRunForm, ClientImportUploadForm
from clients.models import ClientImport
from clinic.permissions import role_required

Status = ClientImport.Status
IN_PROGRESS = (Status.VALIDATING, Status.IMPORTING)
# Formulas in a CSV run when Excel opens it; a cell starting with one of these is written as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@role_required(*CLIENT_ROLES)
def client_import_upload(request):
    posted = request.method == "POST"
    form = ClientImportUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            client_import = import_services.client_import_upload(
                actor=request.user, file=form.cleaned_data["file"], request=request
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("clients:import-detail", pk=client_import.pk)
    context = {
        "form": form,
        "columns": [(name, imports.COLUMN_HELP[name], name in imports.REQUIRED_COLUMNS) for name in imports.COLUMNS],
        "recent": import_selectors.recent_client_imports(actor=request.user),
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "clients/import_upload.html", context)


@role_required(*CLIENT_ROLES)
def client_import_template(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clients-import-template.csv"'
    # With the byte-order mark, Excel opens the file as UTF-8 and keeps accents when saving it.
    response.write("\ufeff")
    csv.writer(response).writerow(imports.COLUMNS)
    return response


@role_required(*CLIENT_ROLES)
def client_import_detail(request, pk: int):
    client_import = import_selectors.client_import_get(actor=request.user, pk=pk)
    import_services.client_import_viewed(actor=request.user, client_import=client_import, request=request)
    context = {"client_import": client_import, **_status_context(client_import)}
    if client_import.status == Status.VALIDATED:
        context |= {
            "errors_shown": client_import.errors[: import_selectors.ERRORS_SHOWN],
            "error_rows": len({error["row"] for error in client_import.errors}),
            "preview": import_selectors.preview_rows(client_import=client_import),
            "unknown_columns": import_selectors.client_import_unknown_columns(client_import=client_import),
            "can_import_all": client_import.valid_rows == client_import.total_rows,
        }
    if client_import.status == Status.DONE:
        context["skipped"] = client_import.total_rows - client_import.imported_count
    return render(request, "clients/import_detail.html", context)


def _status_context(client_import: ClientImport) -> dict:
    in_progress = client_import.status in IN_PROGRESS
    progress = import_selectors.client_import_progress(client_import=client_import) if in_progress else None
    return {"in_progress": in_progress, "progress": progress}


@role_required(*CLIENT_ROLES)
def client_import_progress(request, pk: int):
    """Polled by htmx every 2 s while a task works; once it is done, the whole page reloads to show the result."""
    client_import = import_selectors.client_import_get(actor=request.user, pk=pk, light=True)
    context = {"client_import": client_import, **_status_context(client_import)}
    response = render(request, "clients/import_progress.html", context)
    if not context["in_progress"] and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@role_required(*CLIENT_ROLES)
def client_import_run(request, pk: int):
    client_import = import_selectors.client_import_get(actor=request.user, pk=pk, light=True)
    form = ClientImportRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to import."))
        return redirect("clients:import-detail", pk=pk)
    try:
        import_services.client_import_start(
            actor=request.user, client_import=client_import, mode=form.cleaned_data["mode"], request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("clients:import-detail", pk=pk)


@require_POST
@role_required(*CLIENT_ROLES)
def client_import_discard(request, pk: int):
    client_import = import_selectors.client_import_get(actor=request.user, pk=pk, light=True)
    try:
        import_services.client_import_discard(actor=request.user, client_import=client_import, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("clients:import-detail", pk=pk)
    messages.success(request, _("The file was discarded; no client was imported from it."))
    return redirect("clients:import-upload")


@role_required(*CLIENT_ROLES)
def client_import_problems(request, pk: int):
    """Every problem of the file as CSV, for files with more than the page shows."""
    client_import = import_selectors.client_import_get(actor=request.user, pk=pk)
    import_services.client_import_problems_downloaded(actor=request.user, client_import=client_import, request=request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{client_import.pk}-problems.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    writer.writerows([error["row"], error["column"], _as_text(error["message"])] for error in client_import.errors)
    return response


def _as_text(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value
