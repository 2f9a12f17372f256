"""The floor pages of the HTTP load run (benchmarks/floor_urls.py, served only by the benchmark's
settings): the case overview's floor must do what the overview does before it shows anything, or
the run's reference would read as a ceiling it is not."""

import pytest
from django.test import override_settings

from clinic.models import AuditEvent, Membership

Role = Membership.Role


@pytest.fixture(autouse=True)
def floor_urls():
    with override_settings(ROOT_URLCONF="benchmarks.floor_urls"):
        yield


def _views_of(case) -> int:
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_id=str(case.pk)).count()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR])
def test_the_case_floor_answers_each_role_as_the_overview_does_and_audits_the_view(as_user, staff, case, role):
    client = as_user(staff[role])
    overview = client.get(f"/cases/{case.pk}/")
    before = _views_of(case)
    floor = client.get(f"/bench-floor/case/{case.pk}/")
    assert floor.status_code == overview.status_code == 200
    assert _views_of(case) == before + 1
    assert 'id="main"' in floor.content.decode()


def test_the_case_floor_of_another_clinics_case_is_not_found_and_not_audited(as_user, attorney, other_case):
    assert as_user(attorney).get(f"/bench-floor/case/{other_case.pk}/").status_code == 404
    assert _views_of(other_case) == 0


def test_the_empty_page_is_a_signed_in_page_with_its_frame(as_user, client, intake_user):
    assert client.get("/bench-floor/empty/").status_code == 302  # to sign in, as every page
    page = as_user(intake_user).get("/bench-floor/empty/")
    assert page.status_code == 200
    assert 'aria-label="Main navigation"' in page.content.decode()
