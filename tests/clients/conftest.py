"""Walk-ins and clients made through the real services, as staff would make them."""

from datetime import date

import pytest

from clients import services


@pytest.fixture
def walk_in(intake_user):
    return services.walk_in_log(
        actor=intake_user,
        data={
            "given_names": "José Luis",
            "paternal_surname": "Hernández",
            "maternal_surname": "Cruz",
            "phone": "+19155550123",
            "date_of_birth": date(1999, 4, 2),
            "last_arrival_date": date(2026, 1, 5),
            "reason": "asylum",
        },
    )


@pytest.fixture
def client_record(intake_user):
    return services.client_create(
        actor=intake_user,
        data={
            "given_names": "Ana María",
            "paternal_surname": "López",
            "maternal_surname": "Reyes",
            "date_of_birth": date(1990, 7, 9),
            "a_number": "012345678",
            "phone": "+19155550199",
        },
        address={
            "line1": "100 Main St",
            "line2": "",
            "city": "El Paso",
            "state": "TX",
            "zip_code": "79901",
            "moved_in_on": date(2026, 2, 1),
        },
    )


@pytest.fixture
def other_clients_record(outsiders):
    from clinic.models import Membership

    return services.client_create(
        actor=outsiders[Membership.Role.INTAKE],
        data={"given_names": "Pedro", "paternal_surname": "Páramo", "a_number": "087654321"},
    )
