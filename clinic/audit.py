"""The one way to write the audit log. Services and views call audit_record; nothing edits it."""

from axes.helpers import get_client_ip_address
from django.db import models

from clinic.models import AuditEvent, Clinic
from clinic.permissions import membership_of


def audit_record(
    *,
    action: str,
    actor=None,
    clinic: Clinic | None = None,
    obj: models.Model | None = None,
    object_label: str = "",
    summary: str = "",
    changes: dict | None = None,
    request=None,
) -> AuditEvent:
    if actor is not None and not actor.is_authenticated:
        actor = None
    if clinic is None and actor is not None:
        membership = membership_of(actor)
        clinic = membership.clinic if membership else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_label=actor.get_username() if actor else "",
        clinic=clinic,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=object_label[:200],
        summary=summary[:500],
        changes=changes or {},
        ip_address=get_client_ip_address(request) if request is not None else None,
    )


def field_changes(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed, for the audit trail."""
    return {name: [before[name], after[name]] for name in after if before.get(name) != after[name]}


def audit_update(
    *, actor, obj: models.Model, object_label: str, what: str, before: dict, after: dict, request=None
) -> AuditEvent | None:
    """Records an UPDATE with the fields that changed between `before` and `after`; nothing if none did."""
    changes = field_changes(before, after)
    if not changes:
        return None
    return audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        obj=obj,
        object_label=object_label,
        summary=f"Changed {', '.join(changes)} of {what}",
        changes=changes,
        request=request,
    )


def audit_record_many(*, action: str, actor, objects: list[models.Model], summary: str = "") -> None:
    """One event per object, written in one statement (bulk imports)."""
    membership = membership_of(actor)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action=action,
                actor=actor,
                actor_label=actor.get_username(),
                clinic=membership.clinic if membership else None,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_label=f"{type(obj).__name__} {obj.pk}",
                summary=summary,
            )
            for obj in objects
        ],
        batch_size=1000,
    )
