"""Writes of client imports: the upload, the check of every row, the import, discarding a file.

The web flow: client_import_upload stores the file and queues clients.tasks.check_client_import;
the preview page calls client_import_start, which queues clients.tasks.run_client_import. The
`import_clients` command calls clients_import directly. Every client is made by
clients.services.client_create, inside one transaction for the whole file.

Audit entries name the import by number ("ClientImport 7"), never a file or client name.
"""

import logging
import os
import uuid

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clients import imports
from clients.access import require_client_access
from clients.import_selectors import clients_with_a_numbers, progress_key
from clients.models import ClientImport
from clients.services import DuplicateANumberError, clients_create_many
from clinic.audit import audit_record
from clinic.models import AuditEvent

logger = logging.getLogger(__name__)
Action = AuditEvent.Action
Status = ClientImport.Status
Mode = ClientImport.Mode
# The progress of a task that died stays readable long enough to be noticed, then goes.
PROGRESS_TIMEOUT = 60 * 60


class ImportFailedError(Exception):
    """Creating one of the clients failed; the transaction is rolled back and nothing is saved."""

    def __init__(self, row: int, reason: str):
        self.row = row
        super().__init__(_("Row %(row)d: %(reason)s Nothing was imported.") % {"row": row, "reason": reason})


def _audit(actor, action: str, client_import: ClientImport, summary: str, request=None) -> None:
    audit_record(
        action=action,
        actor=actor,
        clinic=client_import.clinic,
        obj=client_import,
        object_label=f"ClientImport {client_import.pk}",
        summary=summary,
        request=request,
    )


def _progress_writer(client_import: ClientImport, phase: str) -> imports.Progress:
    def write(done: int, total: int) -> None:
        cache.set(progress_key(client_import.pk), {"phase": phase, "done": done, "total": total}, PROGRESS_TIMEOUT)

    return write


# Upload and check


@transaction.atomic
def client_import_upload(*, actor, file, request=None) -> ClientImport:
    """Stores an uploaded spreadsheet and queues the check of its rows. A file too large, or by its
    content no spreadsheet, is refused (ValidationError) before anything is stored."""
    from clients.tasks import check_client_import

    membership = require_client_access(actor)
    try:
        extension = imports.check_upload(file)
    except imports.SpreadsheetError as exc:
        raise ValidationError(str(exc), code="invalid") from exc
    original_name = os.path.basename(file.name or "")[:255]
    client_import = ClientImport(clinic=membership.clinic, uploaded_by=actor, original_name=original_name)
    # A random name on disk: the staff's file name may hold a client's name, and two files may share one.
    stored_name = uuid.uuid4().hex + extension
    client_import.file.save(stored_name, file, save=False)
    client_import.save()
    _audit(actor, Action.CREATE, client_import, "Uploaded a spreadsheet of clients", request)
    transaction.on_commit(lambda: check_client_import.delay(client_import.pk))
    return client_import


def _read_and_validate(client_import: ClientImport, phase: str) -> imports.Validation:
    progress = _progress_writer(client_import, phase)
    progress(0, 0)
    with client_import.file.open("rb") as file:
        sheet = imports.read_sheet(file)
    clinic_id = client_import.clinic_id
    # Dates "in the future" are judged by the clinic's calendar, not the worker's.
    with timezone.override(client_import.clinic.time_zone):
        return imports.validate(
            sheet,
            clients_with_a_numbers=lambda a_numbers: clients_with_a_numbers(clinic_id=clinic_id, a_numbers=a_numbers),
            progress=progress,
        )


def client_import_check(*, import_id: int) -> None:
    """Run by clients.tasks.check_client_import: checks every row and stores the counts, the
    problems and the preview. A file that cannot be read at all fails with the reason."""
    client_import = ClientImport.objects.select_related("clinic").filter(pk=import_id).first()
    if client_import is None or client_import.status != Status.VALIDATING:
        return  # discarded meanwhile, or a redelivered task whose work is done
    try:
        validation = _read_and_validate(client_import, "validating")
        ClientImport.objects.filter(pk=import_id, status=Status.VALIDATING).update(
            status=Status.VALIDATED,
            total_rows=validation.total,
            valid_rows=len(validation.valid),
            errors=[error.as_dict() for error in validation.errors],
            preview=validation.preview(),
        )
    except imports.SpreadsheetError as exc:
        _fail(client_import, str(exc))
    except OSError:
        _fail(client_import, _("The stored file could not be opened. Upload it again."))
    except Exception:
        logger.exception("Checking ClientImport %s failed", import_id)
        _fail(client_import, _("Something went wrong while checking this file. Upload it again, or ask for help."))
    finally:
        cache.delete(progress_key(import_id))


def _fail(client_import: ClientImport, message: str) -> None:
    ClientImport.objects.filter(pk=client_import.pk).update(
        status=Status.FAILED, failure_message=message[:500], finished_at=timezone.now()
    )
    _delete_file(client_import)


def _delete_file(client_import: ClientImport) -> None:
    """Once an import has ended the spreadsheet is of no more use, and it holds clients' data:
    it is deleted; the record keeps the counts, the problems and the first rows."""
    storage, name = client_import.file.storage, client_import.file.name
    if name:
        ClientImport.objects.filter(pk=client_import.pk).update(file="")
        transaction.on_commit(lambda: storage.delete(name))


# Import


@transaction.atomic
def client_import_start(*, actor, client_import: ClientImport, mode: str, request=None) -> None:
    """Queues the import chosen on the preview page: every row (only if all are valid) or only the valid rows."""
    from clients.tasks import run_client_import

    membership = require_client_access(actor)
    if mode == Mode.ALL and client_import.valid_rows != client_import.total_rows:
        raise ValidationError(
            _("Some rows have problems. Fix them and upload the file again, or import only the valid rows.")
        )
    if mode == Mode.VALID_ONLY and client_import.valid_rows == 0:
        raise ValidationError(_("No row of this file is valid, so there is nothing to import."))
    # Claiming the import in one UPDATE means a second click, or a second person, cannot queue it twice.
    claimed = ClientImport.objects.filter(
        pk=client_import.pk, clinic=membership.clinic, status=Status.VALIDATED
    ).update(status=Status.IMPORTING, mode=mode, imported_by=actor)
    if claimed != 1:
        raise ValidationError(_("This file is being imported already, or it cannot be imported any more."))
    client_import.status, client_import.mode = Status.IMPORTING, mode
    _audit(actor, Action.UPDATE, client_import, f"Import started: {mode}", request)
    transaction.on_commit(lambda: run_client_import.delay(client_import.pk, actor.pk))


def client_import_run(*, import_id: int, actor_id: int) -> None:
    """Run by clients.tasks.run_client_import: reads the file again, checks that every row is
    as it was on the preview, and creates the clients in one transaction, or none of them."""
    client_import = ClientImport.objects.select_related("clinic").filter(pk=import_id).first()
    if client_import is None or client_import.status != Status.IMPORTING:
        return
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        validation = _read_and_validate(client_import, "validating")
        rows = _rows_to_import(client_import, validation)
        with transaction.atomic(durable=True):
            # Locked, so that a redelivered task waits here and then finds the import done.
            if ClientImport.objects.select_for_update().get(pk=import_id).status != Status.IMPORTING:
                return
            with timezone.override(client_import.clinic.time_zone):
                count = _create_clients(actor, rows, _progress_writer(client_import, "importing"))
            ClientImport.objects.filter(pk=import_id).update(
                status=Status.DONE, imported_count=count, finished_at=timezone.now()
            )
            _delete_file(client_import)
            _audit(actor, Action.CREATE, client_import, f"Imported {count} clients")
    except (imports.SpreadsheetError, ImportFailedError) as exc:
        _fail_import(actor, client_import, str(exc))
    except PermissionDenied:
        message = _("The person who started the import may no longer add clients. Nothing was imported.")
        _fail_import(actor, client_import, message)
    except Exception:
        logger.exception("Importing ClientImport %s failed", import_id)
        _fail_import(actor, client_import, _("Something went wrong during the import. Nothing was imported."))
    finally:
        cache.delete(progress_key(import_id))


def _rows_to_import(client_import: ClientImport, validation: imports.Validation) -> list[imports.Row]:
    # The rows are cleaned again from the file (cleaned data is not stored); if the verdict differs
    # from the preview (a client added since with one of the file's A-numbers), staff decide again.
    if [error.as_dict() for error in validation.errors] != client_import.errors:
        message = [_("The rows are not as they were when the file was checked.")]
        new = next((error for error in validation.errors if error.as_dict() not in client_import.errors), None)
        if new is not None:
            message.append(_("Row %(row)d: %(message)s") % {"row": new.row, "message": new.message})
        message.append(_("Nothing was imported; upload the file again to check it anew."))
        raise imports.SpreadsheetError(" ".join(message))
    if client_import.mode == Mode.ALL and len(validation.valid) != validation.total:
        raise imports.SpreadsheetError(_("Some rows have problems, so the file cannot be imported whole."))
    return validation.valid


def _fail_import(actor, client_import: ClientImport, message: str) -> None:
    _fail(client_import, message)
    _audit(actor, Action.UPDATE, client_import, "Import failed; nothing was imported")


def _create_clients(actor, rows: list[imports.Row], progress: imports.Progress | None = None) -> int:
    try:
        created = clients_create_many(
            actor=actor, rows=[(dict(row.data), list(row.aliases)) for row in rows], progress=progress
        )
    except DuplicateANumberError as exc:
        reason = _("a client with this A-number was added meanwhile: %(name)s (client %(id)s).") % {
            "name": exc.existing.full_name,
            "id": exc.existing.pk,
        }
        raise ImportFailedError(rows[exc.row_index].number, reason) from exc
    except ValidationError as exc:
        raise ImportFailedError(rows[exc.row_index].number, " ".join(exc.messages)) from exc
    return len(created)


@transaction.atomic(durable=True)
def clients_import(*, actor, rows: list[imports.Row], progress: imports.Progress | None = None) -> int:
    """Creates a client for each row, all or none; for the `import_clients` command."""
    membership = require_client_access(actor)
    count = _create_clients(actor, rows, progress)
    audit_record(
        action=Action.CREATE,
        actor=actor,
        clinic=membership.clinic,
        object_label="import_clients command",
        summary=f"Imported {count} clients from a spreadsheet on the command line",
    )
    return count


# What the file's page quotes from it (the preview, its problems, why an import failed), and may
# name existing clients with them; the progress and the finished result show counts only.
QUOTING_STATUSES = (Status.VALIDATED, Status.FAILED)


def client_import_viewed(*, actor, client_import: ClientImport, request=None) -> None:
    """A look at the file's page while it quotes the file is on the record, as the problems' download is."""
    if client_import.status in QUOTING_STATUSES:
        _audit(actor, Action.VIEW, client_import, "Viewed the file's preview and problems", request)


def client_import_problems_downloaded(*, actor, client_import: ClientImport, request=None) -> None:
    """The list of problems quotes the file (and names existing clients): its download is on the record."""
    require_client_access(actor)
    _audit(actor, Action.DOWNLOAD, client_import, "Downloaded the list of problems", request)


# Discarding


@transaction.atomic
def client_import_discard(*, actor, client_import: ClientImport, request=None) -> None:
    """Deletes an upload that will not be imported, and its file (it holds clients' data)."""
    membership = require_client_access(actor)
    locked = ClientImport.objects.select_for_update().filter(pk=client_import.pk, clinic=membership.clinic).first()
    if locked is None:
        return
    if locked.status in (Status.IMPORTING, Status.DONE):
        raise ValidationError(_("This file is being imported or was imported; it cannot be discarded."))
    _audit(actor, Action.DELETE, locked, "Discarded a spreadsheet of clients", request)
    storage, name = locked.file.storage, locked.file.name
    locked.delete()
    transaction.on_commit(lambda: storage.delete(name))
