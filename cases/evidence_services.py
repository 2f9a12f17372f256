"""Every write of a case's evidence: upload, details and links to claim elements, delete, the
exhibit list, and the audit of downloads and exports. Keyword-only, atomic, audited by case number
and evidence id (never a file name or description: either may hold a client's name).

Files and rows go together: an upload stores its files and rows in one durable transaction and
removes the stored files if it fails; a deleted document's file goes once the deletion commits."""

import os

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import F, Value, When
from django.utils.translation import gettext as _

from cases import exhibits, uploads
from cases.access import require_change
from cases.models import Case, ClaimElement, Evidence, EvidenceLink, HarmIncident
from cases.services import audit_case
from clinic.models import AuditEvent

Action = AuditEvent.Action
# Moved past any real position while the list is renumbered: positions are unique per case and
# PostgreSQL checks a unique index row by row, so 1..n cannot be rewritten in place.
_PARKING = 1_000_000
EDITABLE = ("title", "category", "language", "translation", "translator_certificate", "page_count")


def evidence_upload(*, actor, case: Case, files, data: dict, links=(), request=None) -> list[Evidence]:
    """Stores `files` as evidence of `case`, each with the details in `data` and the same `links`.
    Every file is checked first (cases.uploads); if any is refused, nothing is stored and the
    ValidationError names each refused file."""
    require_change(actor, case)
    checked = _check_all(files)
    links = _valid_links(case, links)
    stored: list[str] = []
    try:
        # Durable: once this block commits, the rows are really saved, so the files must stay.
        with transaction.atomic(durable=True):
            items = [
                _store(actor, case, file, info, data, links, stored) for file, info in zip(files, checked, strict=True)
            ]
            for item in items:
                audit_case(actor, Action.CREATE, case, f"Evidence {item.pk} uploaded", request=request, obj=item)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    return items


def _check_all(files) -> list[uploads.Inspected]:
    if not files:
        raise ValidationError(_("Choose the file(s) to upload."))
    errors, checked = [], []
    for file in files:
        try:
            checked.append(uploads.inspect_upload(file))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def _store(actor, case: Case, file, info: uploads.Inspected, data: dict, links, stored: list[str]) -> Evidence:
    original_name = os.path.basename(file.name or "")[:255]
    title = (data.get("title") or "").strip() or os.path.splitext(original_name)[0][:200] or _("Document")
    evidence = Evidence(
        case=case, title=title, category=data["category"], language=data["language"],
        translation=data["translation"], translator_certificate=data.get("translator_certificate", False),
        original_name=original_name, content_type=info.kind.content_type, size=info.size, sha256=info.sha256,
        page_count=info.page_count, uploaded_by=actor,
    )  # fmt: skip
    evidence.file.save(original_name, file, save=False)
    stored.append(evidence.file.name)
    evidence.full_clean()
    evidence.save()
    _add_links(evidence, links)
    return evidence


def _valid_links(case: Case, links) -> set[tuple[str, int | None]]:
    """The links as (element, incident id), checked: past harm names an incident of this case's
    claim, and no other element names one."""
    links = set(links)
    incident_ids = {incident_id for element, incident_id in links if incident_id}
    own = set(HarmIncident.objects.filter(claim__case=case, pk__in=incident_ids).values_list("pk", flat=True))
    for element, incident_id in links:
        if element not in ClaimElement.values or (element == ClaimElement.HARM) != bool(incident_id):
            raise ValidationError({"links": _("Choose the claim elements from the list.")})
        if incident_id and incident_id not in own:
            raise ValidationError({"links": _("That incident is not part of this case's claim.")})
    return links


def _add_links(evidence: Evidence, links) -> None:
    EvidenceLink.objects.bulk_create(
        [EvidenceLink(evidence=evidence, element=element, incident_id=incident_id) for element, incident_id in links]
    )


@transaction.atomic
def evidence_update(*, actor, evidence: Evidence, data: dict, links=None, request=None) -> Evidence:
    """Changes the details of a document and, when `links` is given, what it supports."""
    require_change(actor, evidence.case)
    changed = [name for name in EDITABLE if name in data and getattr(evidence, name) != data[name]]
    for name in changed:
        setattr(evidence, name, data[name])
    if changed:
        evidence.full_clean()
        evidence.save(update_fields=changed)
    if links is not None and _replace_links(evidence, _valid_links(evidence.case, links)):
        changed.append("links")
    if changed:
        audit_case(actor, Action.UPDATE, evidence.case, f"Evidence {evidence.pk}", changed, request, obj=evidence)
    return evidence


def _replace_links(evidence: Evidence, wanted: set[tuple[str, int | None]]) -> bool:
    current = {(link.element, link.incident_id): link.pk for link in evidence.links.all()}
    gone = [pk for key, pk in current.items() if key not in wanted]
    new = wanted - set(current)
    EvidenceLink.objects.filter(pk__in=gone).delete()
    _add_links(evidence, new)
    return bool(gone or new)


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence, request=None) -> None:
    """Deletes the document; it leaves the exhibit list (the others close up) and its file is
    removed from storage once the deletion has committed."""
    case = evidence.case
    require_change(actor, case)
    _lock_exhibits(case)
    audit_case(actor, Action.DELETE, case, f"Evidence {evidence.pk} deleted", request=request, obj=evidence)
    order, pk, file_name = _exhibit_order(case), evidence.pk, evidence.file.name
    evidence.delete()
    if pk in order:
        _renumber(case, [other for other in order if other != pk])
    transaction.on_commit(lambda: default_storage.delete(file_name))


@transaction.atomic
def exhibit_change(*, actor, evidence: Evidence, action: str, request=None) -> list[int]:
    """Adds the document to the exhibit list, removes it, or moves it up or down. Returns the new order."""
    case = evidence.case
    require_change(actor, case)
    _lock_exhibits(case)
    order = _exhibit_order(case)
    new = exhibits.reordered(order, evidence.pk, action)
    if new != order:
        _renumber(case, new)
        audit_case(
            actor, Action.UPDATE, case, f"Exhibit list: {action} evidence {evidence.pk}", request=request, obj=evidence
        )
    return new


def _lock_exhibits(case: Case) -> None:
    # One change of a case's exhibit list at a time: each reads the order, then rewrites it.
    Case.objects.select_for_update().filter(clinic=case.clinic_id, pk=case.pk).values_list("pk").first()


def _exhibit_order(case: Case) -> list[int]:
    exhibits_of_case = Evidence.objects.filter(case=case, exhibit_position__isnull=False)
    return list(exhibits_of_case.order_by("exhibit_position").values_list("pk", flat=True))


def _renumber(case: Case, order: list[int]) -> None:
    """Makes `order` the exhibit list, 1..n without gaps; every other document leaves it."""
    of_case = Evidence.objects.filter(case=case)
    of_case.filter(exhibit_position__isnull=False).exclude(pk__in=order).update(exhibit_position=None)
    of_case.filter(exhibit_position__isnull=False).update(exhibit_position=F("exhibit_position") + _PARKING)
    if order:
        positions = SqlCase(*(When(pk=pk, then=Value(index)) for index, pk in enumerate(order, start=1)))
        of_case.filter(pk__in=order).update(exhibit_position=positions)


def evidence_record_download(*, actor, evidence: Evidence, request=None) -> None:
    audit_case(
        actor, Action.DOWNLOAD, evidence.case, f"Evidence {evidence.pk} downloaded", request=request, obj=evidence
    )


def exhibit_index_record_export(*, actor, case: Case, exhibit_count: int, request=None) -> None:
    audit_case(actor, Action.EXPORT, case, f"Exhibit index exported ({exhibit_count} exhibits)", request=request)
