"""A clinic admin manages the staff of their own clinic in the app; nobody else can."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from clinic.models import AuditEvent, Membership

Role = Membership.Role
NOT_ADMIN = [role for role in Role if role != Role.CLINIC_ADMIN]
NEW_STAFF = {
    "first_name": "Lucía",
    "last_name": "Montes",
    "username": "lmontes",
    "email": "Lucia.Montes@Example.org",
    "role": Role.ATTORNEY,
}


def staff_urls(membership):
    """Every staff-management URL, with the method each is used with."""
    return [
        ("get", reverse("clinic:staff-list")),
        ("get", reverse("clinic:staff-create")),
        ("get", reverse("clinic:staff-edit", args=[membership.pk])),
        ("post", reverse("clinic:staff-deactivate", args=[membership.pk])),
        ("post", reverse("clinic:staff-reactivate", args=[membership.pk])),
        ("post", reverse("clinic:staff-invite", args=[membership.pk])),
    ]


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_other_roles_are_refused_every_staff_page(as_user, staff, attorney, role):
    client = as_user(staff[role])
    for method, url in staff_urls(attorney.membership):
        assert getattr(client, method)(url).status_code == 403, url
    assert attorney.is_active


def test_an_admin_of_another_clinic_gets_not_found(as_user, outsiders, attorney):
    client = as_user(outsiders[Role.CLINIC_ADMIN])
    for method, url in staff_urls(attorney.membership)[2:]:
        assert getattr(client, method)(url).status_code == 404, url
    attorney.refresh_from_db()
    assert attorney.is_active


def test_the_list_shows_only_the_clinics_own_staff(as_user, clinic_admin, staff, outsiders):
    page = as_user(clinic_admin).get(reverse("clinic:staff-list"))
    usernames = {membership.user.username for membership in page.context["memberships"]}
    assert usernames == {user.username for user in staff.values()}
    assert "br-attorney" not in page.content.decode()


def test_the_list_runs_a_fixed_number_of_queries(as_user, clinic_admin, clinic, django_assert_num_queries):
    from tests.factories import staff_member

    for number in range(15):
        staff_member(clinic, Role.ATTORNEY, username=f"extra{number}")
    client = as_user(clinic_admin)
    client.get(reverse("clinic:staff-list"))
    # user with membership and clinic (also answers the role check; the session comes from the
    # cache), two-factor device, staff with their users
    with django_assert_num_queries(3):
        client.get(reverse("clinic:staff-list"))


def test_adding_staff_sends_an_invitation_to_choose_a_password(
    client, as_user, clinic_admin, clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(clinic_admin).post(reverse("clinic:staff-create"), NEW_STAFF, follow=True)
    assert "Lucía Montes was added" in response.content.decode()
    user = get_user_model().objects.get(username="lmontes")
    assert user.membership.clinic == clinic
    assert user.membership.role == Role.ATTORNEY
    assert user.email == "lucia.montes@example.org"
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_label="lmontes", actor=clinic_admin
    ).exists()

    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert invitation.to == ["lucia.montes@example.org"]
    assert clinic.name in invitation.subject
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+)", invitation.body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    password = "a-long-new-passphrase"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})
    signed_in = client.post(reverse("login"), {"username": "lmontes", "password": password})
    assert signed_in.status_code == 302


def test_a_taken_username_is_a_field_error_and_nothing_is_written(
    as_user, clinic_admin, attorney, django_capture_on_commit_callbacks
):
    before = get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        page = as_user(clinic_admin).post(reverse("clinic:staff-create"), {**NEW_STAFF, "username": attorney.username})
    assert page.status_code == 200
    assert "already exists" in str(page.context["form"].errors["username"])
    assert get_user_model().objects.count() == before
    assert mail.outbox == []


def test_bad_input_gets_field_errors(as_user, clinic_admin):
    page = as_user(clinic_admin).post(
        reverse("clinic:staff-create"), {**NEW_STAFF, "email": "not-an-email", "username": "no spaces", "role": "boss"}
    )
    errors = page.context["form"].errors
    assert set(errors) == {"email", "username", "role"}
    assert not get_user_model().objects.filter(first_name="Lucía").exists()


def test_editing_changes_the_role_and_audits_it(as_user, clinic_admin, attorney):
    data = {
        "first_name": attorney.first_name,
        "last_name": attorney.last_name,
        "email": attorney.email,
        "role": Role.SUPERVISOR,
    }
    response = as_user(clinic_admin).post(reverse("clinic:staff-edit", args=[attorney.membership.pk]), data)
    assert response.status_code == 302
    attorney.membership.refresh_from_db()
    assert attorney.membership.role == Role.SUPERVISOR
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_label=attorney.username)
    assert event.changes == {"role": ["attorney", "supervisor"]}


def test_the_last_admin_cannot_be_demoted(as_user, clinic_admin):
    data = {"first_name": "A", "last_name": "B", "email": "a@example.org", "role": Role.ATTORNEY}
    page = as_user(clinic_admin).post(reverse("clinic:staff-edit", args=[clinic_admin.membership.pk]), data)
    assert page.status_code == 200
    assert "at least one active clinic admin" in str(page.context["form"].errors["role"])
    clinic_admin.membership.refresh_from_db()
    assert clinic_admin.membership.role == Role.CLINIC_ADMIN
    assert clinic_admin.first_name != "A"


def test_deactivating_signs_the_person_out_and_reactivating_lets_them_back(client, as_user, clinic_admin, attorney):
    from django.test import Client

    attorney_browser = Client()
    attorney_browser.force_login(attorney)
    assert attorney_browser.get(reverse("cases:my-work")).status_code == 200

    admin = as_user(clinic_admin)
    response = admin.post(reverse("clinic:staff-deactivate", args=[attorney.membership.pk]), follow=True)
    assert b"can no longer sign in" in response.content
    attorney.refresh_from_db()
    assert not attorney.is_active
    assert attorney_browser.get(reverse("cases:my-work")).status_code == 302

    admin.post(reverse("clinic:staff-reactivate", args=[attorney.membership.pk]))
    attorney.refresh_from_db()
    assert attorney.is_active
    assert AuditEvent.objects.filter(object_label=attorney.username, action=AuditEvent.Action.UPDATE).count() == 2


def test_an_admin_cannot_deactivate_themselves(as_user, clinic_admin):
    response = as_user(clinic_admin).post(
        reverse("clinic:staff-deactivate", args=[clinic_admin.membership.pk]), follow=True
    )
    assert b"You cannot deactivate your own account" in response.content
    clinic_admin.refresh_from_db()
    assert clinic_admin.is_active


def test_resending_an_invitation(as_user, clinic_admin, attorney, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(clinic_admin).post(
            reverse("clinic:staff-invite", args=[attorney.membership.pk]), follow=True
        )
    assert b"A new invitation was sent" in response.content
    assert mail.outbox[0].to == [attorney.email]


def test_staff_pages_use_get_and_post_only_as_meant(as_user, clinic_admin, attorney):
    client = as_user(clinic_admin)
    assert client.get(reverse("clinic:staff-deactivate", args=[attorney.membership.pk])).status_code == 405
