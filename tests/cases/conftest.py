"""Cases opened through the real services, as an intake worker or attorney would open them."""

from datetime import date

import pytest

from cases import services
from cases.models import Case, Court
from clients import services as client_services


@pytest.fixture
def principal(intake_user):
    """The principal client, with a wife and a child in the US and a parent abroad."""
    client = client_services.client_create(
        actor=intake_user,
        data={
            "given_names": "Javier Armando",
            "paternal_surname": "Castañeda",
            "maternal_surname": "Ruelas",
            "date_of_birth": date(1999, 3, 14),
            "last_entry_date": date(2025, 12, 9),
            "country_of_nationality": "MX",
        },
    )
    for data in (
        {"relationship": "spouse", "given_names": "Daniela", "marital_status": "married", "location": "in_us"},
        {"relationship": "child", "given_names": "Mateo", "date_of_birth": date(2019, 5, 2), "location": "in_us"},
    ):
        client_services.family_member_save(actor=intake_user, client=client, data=data)
    return client


@pytest.fixture
def court(db):
    return Court.objects.get(code="DAL")


@pytest.fixture
def case(attorney, principal, court) -> Case:
    """A defensive case before the Dallas court, led by `attorney`, with the whole family on it."""
    return services.case_open(
        actor=attorney,
        client=principal,
        data={"process": Case.Process.DEFENSIVE, "court": court},
        lead_attorney=attorney,
        included_family=principal.family_members.all(),
    )


@pytest.fixture
def other_case(outsiders, other_clinic):
    """A case of the other clinic."""
    from clinic.models import Membership

    intake = outsiders[Membership.Role.INTAKE]
    client = client_services.client_create(actor=intake, data={"given_names": "Pedro", "paternal_surname": "Páramo"})
    return services.case_open(
        actor=outsiders[Membership.Role.ATTORNEY],
        client=client,
        data={"process": Case.Process.AFFIRMATIVE},
        lead_attorney=outsiders[Membership.Role.ATTORNEY],
    )
