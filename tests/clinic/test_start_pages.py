"""Each role's start page, and who may open it."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from clinic.models import Membership
from tests.factories import UserFactory

Role = Membership.Role

START_PAGE_ACCESS = {
    "clients:intake-desk": {Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR},
    "cases:my-work": {Role.ATTORNEY, Role.SUPERVISOR},
    "clinic:dashboard": {Role.SUPERVISOR},
}


@pytest.mark.parametrize("url_name", START_PAGE_ACCESS)
@pytest.mark.parametrize("role", list(Role))
def test_start_page_access_by_role(as_user, staff, url_name, role):
    response = as_user(staff[role]).get(reverse(url_name))
    assert response.status_code == (200 if role in START_PAGE_ACCESS[url_name] else 403)


@pytest.mark.parametrize("url_name", START_PAGE_ACCESS)
def test_start_pages_need_sign_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_navigation_shows_only_the_roles_entries(as_user, staff):
    intake_page = as_user(staff[Role.INTAKE]).get(reverse("clients:intake-desk")).content.decode()
    assert "Intake desk" in intake_page
    assert "Staff" not in intake_page
    assert "Activity log" not in intake_page
    admin_page = as_user(staff[Role.CLINIC_ADMIN]).get(reverse("clinic:staff-list")).content.decode()
    assert "Clinic settings" in admin_page
    assert "Intake desk" not in admin_page


def test_times_are_shown_in_the_clinics_time_zone(as_user, staff, outsiders):
    moment = datetime(2026, 3, 1, 5, 30, tzinfo=UTC)
    for user in (staff[Role.ATTORNEY], outsiders[Role.ATTORNEY]):
        user.last_login = moment
        user.save(update_fields=["last_login"])
    el_paso = as_user(staff[Role.CLINIC_ADMIN]).get(reverse("clinic:staff-list")).content.decode()
    assert "28 Feb 2026, 22:30" in el_paso  # Mountain Standard Time, UTC-7
    dallas = as_user(outsiders[Role.CLINIC_ADMIN]).get(reverse("clinic:staff-list")).content.decode()
    assert "28 Feb 2026, 23:30" in dallas  # Central Standard Time, UTC-6


def test_a_user_without_a_clinic_is_told_so(client, db):
    lost = UserFactory(username="lost")
    client.force_login(lost)
    page = client.get(reverse("home"))
    assert page.status_code == 403
    assert b"Your account is not linked to a clinic" in page.content


def test_a_superuser_without_a_clinic_goes_to_the_admin(admin_client):
    response = admin_client.get(reverse("home"))
    assert response.url == reverse("admin:index")


def test_an_unknown_address_gets_the_not_found_page(as_user, attorney):
    page = as_user(attorney).get("/no-such-page/")
    assert page.status_code == 404
    assert b"We could not find that page" in page.content


def test_the_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
