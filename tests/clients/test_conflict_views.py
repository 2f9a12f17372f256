"""The conflict-check pages: who may run a check, see its results and decide, in which clinic."""

import pytest
from django.urls import reverse

from clients import services
from clients.models import ConflictCheck
from clinic.models import AuditEvent, Membership

Role = Membership.Role
CHECK_ROLES = {Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR}
QUERY = {"given_names": "Ana", "paternal_surname": "Lopes", "maternal_surname": "Reyes"}


@pytest.fixture
def check(intake_user, client_record):
    return services.conflict_check_run(actor=intake_user, query=QUERY)


@pytest.mark.parametrize("role", list(Role))
def test_conflict_check_pages_by_role(as_user, staff, check, role):
    client = as_user(staff[role])
    expected = 200 if role in CHECK_ROLES else 403
    assert client.get(reverse("clients:conflict-check")).status_code == expected
    assert client.get(reverse("clients:conflict-check-detail", args=[check.pk])).status_code == expected
    assert client.post(
        reverse("clients:conflict-check-decide", args=[check.pk]), {"decision": "cleared"}
    ).status_code in ((302,) if role in CHECK_ROLES else (403,))


@pytest.mark.parametrize("role", sorted(CHECK_ROLES))
def test_another_clinics_check_is_not_found(as_user, outsiders, check, role):
    client = as_user(outsiders[role])
    assert client.get(reverse("clients:conflict-check-detail", args=[check.pk])).status_code == 404
    assert (
        client.post(reverse("clients:conflict-check-decide", args=[check.pk]), {"decision": "cleared"}).status_code
        == 404
    )
    check.refresh_from_db()
    assert check.decision == ""


def test_a_check_finds_the_client_and_is_recorded(as_user, intake_user, client_record):
    response = as_user(intake_user).post(reverse("clients:conflict-check"), QUERY)
    check = ConflictCheck.objects.get()
    assert response.url == reverse("clients:conflict-check-detail", args=[check.pk])
    assert check.performed_by == intake_user
    assert check.query["paternal_surname"] == "Lopes"
    assert check.results[0]["client_id"] == client_record.pk
    page = as_user(intake_user).get(response.url).content.decode()
    assert "Ana María López Reyes" in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_label=f"ConflictCheck {check.pk}").exists()


def test_a_check_needs_a_surname_or_an_a_number(as_user, intake_user):
    page = as_user(intake_user).post(reverse("clients:conflict-check"), {"given_names": "Chuy"})
    assert "Enter a given name and a surname, or an A-number" in page.content.decode()
    assert not ConflictCheck.objects.exists()


def test_intake_staff_learn_an_adverse_party_matched_but_not_who(as_user, intake_user, attorney, client_record):
    services.adverse_party_save(
        actor=attorney, client=client_record, data={"name": "Ramiro Zeta Fuentes", "role": "police"}
    )
    check = services.conflict_check_run(
        actor=intake_user, query={"given_names": "Ramiro", "paternal_surname": "Zeta", "maternal_surname": "Fuentes"}
    )
    intake_page = as_user(intake_user).get(reverse("clients:conflict-check-detail", args=[check.pk])).content.decode()
    assert "Restricted record: ask an attorney to review this match." in intake_page
    assert "Ramiro Zeta Fuentes" not in intake_page.split("Searched")[1].split("</strong>", 1)[1]
    attorney_page = as_user(attorney).get(reverse("clients:conflict-check-detail", args=[check.pk])).content.decode()
    assert "Ramiro Zeta Fuentes" in attorney_page
