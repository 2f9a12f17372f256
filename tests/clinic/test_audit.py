"""The audit log is append-only: the model, the queryset, the admin and the database all refuse changes."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from clinic.audit import audit_record
from clinic.models import AuditEvent, AuditLogAppendOnlyError


@pytest.fixture
def event(clinic_admin, attorney):
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    return audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=clinic_admin,
        obj=attorney.membership,
        object_label=attorney.username,
        summary="Changed role",
        changes={"role": ["attorney", "supervisor"]},
        request=request,
    )


def test_it_records_who_clinic_when_what_and_ip(event, clinic_admin, clinic, attorney):
    event.refresh_from_db()
    assert event.actor == clinic_admin
    assert event.actor_label == clinic_admin.username
    assert event.clinic == clinic
    assert event.occurred_at is not None
    assert (event.object_type, event.object_id) == ("clinic.membership", str(attorney.membership.pk))
    assert event.ip_address == "203.0.113.9"
    assert event.changes == {"role": ["attorney", "supervisor"]}


def test_it_refuses_save_of_an_existing_event(event):
    event.summary = "rewritten"
    with pytest.raises(AuditLogAppendOnlyError):
        event.save()
    event.refresh_from_db()
    assert event.summary == "Changed role"


def test_it_refuses_queryset_update_and_delete(event):
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AuditLogAppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AuditLogAppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk, summary="Changed role").exists()


def test_the_database_refuses_a_raw_update(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE clinic_auditevent SET summary = 'rewritten' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.summary == "Changed role"


def test_the_database_refuses_a_raw_delete(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM clinic_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_django_admin_cannot_change_or_delete(event, admin_client):
    change_url = reverse("admin:clinic_auditevent_change", args=[event.pk])
    page = admin_client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert admin_client.post(change_url, {"summary": "rewritten"}).status_code == 403
    assert (
        admin_client.post(reverse("admin:clinic_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.summary == "Changed role"
