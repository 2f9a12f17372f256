import pytest
from django.urls import reverse

from clinic.audit import audit_record
from clinic.models import AuditEvent, Membership
from tests.factories import staff_member

Role = Membership.Role
READERS = {Role.SUPERVISOR, Role.CLINIC_ADMIN}


@pytest.mark.parametrize("role", list(Role))
def test_activity_log_access_by_role(as_user, staff, role):
    assert as_user(staff[role]).get(reverse("clinic:activity")).status_code == (200 if role in READERS else 403)


def test_activity_log_shows_only_the_clinics_events(as_user, supervisor, outsiders):
    audit_record(action=AuditEvent.Action.VIEW, actor=supervisor, object_label="LA-2026-0001")
    audit_record(action=AuditEvent.Action.VIEW, actor=outsiders[Role.SUPERVISOR], object_label="BR-2026-0001")
    page = as_user(supervisor).get(reverse("clinic:activity")).content.decode()
    assert "LA-2026-0001" in page
    assert "BR-2026-0001" not in page


def test_activity_log_runs_a_fixed_number_of_queries(as_user, supervisor, django_assert_num_queries):
    for number in range(60):
        audit_record(action=AuditEvent.Action.VIEW, actor=supervisor, object_label=f"LA-2026-{number:04d}")
    client = as_user(supervisor)
    client.get(reverse("clinic:activity"))
    # user with membership and clinic (also answers the role check; the session comes from the
    # cache), two-factor device, the people of the person filter, count, one page of events
    with django_assert_num_queries(5):
        page = client.get(reverse("clinic:activity") + "?page=2")
    assert b"Page 2 of 2" in page.content


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR])
def test_clinic_settings_are_for_admins_only(as_user, staff, role):
    client = as_user(staff[role])
    assert client.get(reverse("clinic:settings")).status_code == 403
    assert client.post(reverse("clinic:settings"), {"name": "X", "time_zone": "America/Chicago"}).status_code == 403


def test_an_admin_changes_the_clinics_time_zone_and_policy(as_user, clinic_admin, clinic):
    response = as_user(clinic_admin).post(
        reverse("clinic:settings"),
        {"name": clinic.name, "time_zone": "America/Chicago", "attorneys_read_all_cases": "on"},
    )
    assert response.status_code == 302
    clinic.refresh_from_db()
    assert str(clinic.time_zone) == "America/Chicago"
    assert clinic.attorneys_read_all_cases
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_label=clinic.slug)
    assert event.changes["time_zone"] == ["America/Denver", "America/Chicago"]


def test_an_admin_only_ever_edits_their_own_clinic(as_user, outsiders, clinic, other_clinic):
    as_user(outsiders[Role.CLINIC_ADMIN]).post(
        reverse("clinic:settings"), {"name": "Renamed", "time_zone": "America/Chicago"}
    )
    clinic.refresh_from_db()
    other_clinic.refresh_from_db()
    assert clinic.name == "Las Americas (test)"
    assert other_clinic.name == "Renamed"


def test_an_unknown_time_zone_is_a_field_error(as_user, clinic_admin, clinic):
    page = as_user(clinic_admin).post(reverse("clinic:settings"), {"name": clinic.name, "time_zone": "Mars/Base"})
    assert "time_zone" in page.context["form"].errors
    clinic.refresh_from_db()
    assert str(clinic.time_zone) == "America/Denver"


def test_the_dashboard_counts_only_the_clinics_own_staff_and_events(as_user, staff, outsiders):
    staff_member(staff[Role.SUPERVISOR].membership.clinic, Role.ATTORNEY, username="la-attorney-2")
    audit_record(action=AuditEvent.Action.VIEW, actor=staff[Role.ATTORNEY], object_label="LA-2026-0007")
    page = as_user(outsiders[Role.SUPERVISOR]).get(reverse("clinic:dashboard"))
    assert dict(page.context["role_counts"]) == {
        "Intake staff": 1,
        "Attorney": 1,
        "Supervisor": 1,
        "Clinic admin": 1,
    }
    assert "LA-2026-0007" not in page.content.decode()
    own = as_user(staff[Role.SUPERVISOR]).get(reverse("clinic:dashboard"))
    assert dict(own.context["role_counts"])["Attorney"] == 2
    assert "LA-2026-0007" in own.content.decode()


def test_one_persons_activity_and_one_records_trail(as_user, supervisor, staff, outsiders):
    intake = staff[Role.INTAKE]
    audit_record(action=AuditEvent.Action.VIEW, actor=intake, object_label="walk-in seen by intake")
    audit_record(action=AuditEvent.Action.VIEW, actor=supervisor, object_label="LA-2026-0007", obj=intake)
    audit_record(action=AuditEvent.Action.VIEW, actor=outsiders[Role.SUPERVISOR], obj=intake, object_label="theirs")
    client = as_user(supervisor)
    page = client.get(reverse("clinic:activity"), {"person": intake.pk}).content.decode()
    assert "walk-in seen by intake" in page
    assert "LA-2026-0007" not in page
    assert "Activity of" in page
    # The trail of one record: the clinic's own events about it, never another clinic's.
    record = f"{intake._meta.label_lower}:{intake.pk}"
    page = client.get(reverse("clinic:activity"), {"record": record}).content.decode()
    assert "Trail of LA-2026-0007" in page
    assert "walk-in seen by intake" not in page
    assert "theirs" not in page
    # Each row links to its person's activity and its record's trail.
    assert f"?person={supervisor.pk}" in page
    assert f"?record={intake._meta.label_lower}:{intake.pk}" in page


@pytest.mark.parametrize(
    "params", [{"person": "999999"}, {"person": "abc"}, {"record": "x"}, {"record": "cases.case:1;drop"}]
)
def test_a_bad_activity_filter_shows_everything_with_a_message(as_user, supervisor, params):
    audit_record(action=AuditEvent.Action.VIEW, actor=supervisor, object_label="LA-2026-0001")
    response = as_user(supervisor).get(reverse("clinic:activity"), params)
    assert response.status_code == 200
    assert "LA-2026-0001" in response.content.decode()
    assert response.context["form"].errors


def test_another_clinics_person_is_not_a_choice(as_user, supervisor, outsiders):
    audit_record(action=AuditEvent.Action.VIEW, actor=outsiders[Role.SUPERVISOR], object_label="BR-2026-0001")
    response = as_user(supervisor).get(reverse("clinic:activity"), {"person": outsiders[Role.SUPERVISOR].pk})
    assert response.context["form"].errors
    assert "BR-2026-0001" not in response.content.decode()


def test_the_staff_list_links_to_each_persons_activity(as_user, staff):
    page = as_user(staff[Role.CLINIC_ADMIN]).get(reverse("clinic:staff-list")).content.decode()
    assert f"{reverse('clinic:activity')}?person={staff[Role.INTAKE].pk}" in page
