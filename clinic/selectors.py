"""Every read of clinic data, scoped to the user's clinic. Another clinic's row answers 404."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from clinic.models import AuditEvent, Heartbeat, Membership
from clinic.permissions import Role, require_role


def staff_list(*, actor) -> QuerySet[Membership]:
    admin = require_role(actor, Role.CLINIC_ADMIN)
    return Membership.objects.filter(clinic=admin.clinic).select_related("user")


def staff_get(*, actor, pk: int) -> Membership:
    return get_object_or_404(staff_list(actor=actor), pk=pk)


def staff_role_counts(*, actor) -> dict[str, int]:
    """Active staff per role in the actor's clinic, every role present (zero if nobody holds it)."""
    membership = require_role(actor, Role.SUPERVISOR, Role.CLINIC_ADMIN)
    rows = (
        Membership.objects.filter(clinic=membership.clinic, user__is_active=True)
        .values("role")
        .annotate(count=Count("id"))
    )
    counts = {row["role"]: row["count"] for row in rows}
    return {role.value: counts.get(role.value, 0) for role in Role}


def audit_events(*, actor, person=None, record: tuple[str, str] | None = None) -> QuerySet[AuditEvent]:
    """The clinic's audit trail, newest first: everything, one person's activity (`person`, a
    user), or one record's trail (`record`: its model label and id, as audit_record writes them)."""
    membership = require_role(actor, Role.SUPERVISOR, Role.CLINIC_ADMIN)
    events = AuditEvent.objects.filter(clinic=membership.clinic).select_related("actor")
    if person is not None:
        events = events.filter(actor=person)
    if record is not None:
        events = events.filter(object_type=record[0], object_id=record[1])
    return events


def last_heartbeat():
    return Heartbeat.objects.filter(name="beat").values_list("beat_at", flat=True).first()
