"""`manage.py seed_scale`: a deterministic large data set, in a main clinic and a small second one."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from clients.models import AdverseParty, Client, ClientAlias, FamilyMember, PersonName, WalkIn
from clients.scale import OTHER_SLUG, seed_scale
from clinic.models import Clinic


def people_of(seed: int, clients: int = 40) -> list[tuple]:
    """The people a seed gives, loaded and then rolled back."""
    with transaction.atomic():
        seed_scale(clients=clients, seed=seed)
        people = list(
            PersonName.objects.order_by("kind", "full_name", "date_of_birth").values_list(
                "kind", "full_name", "date_of_birth", "a_number"
            )
        )
        transaction.set_rollback(True)
    return people


def test_it_gives_the_same_people_for_the_same_seed(db):
    first = people_of(seed=7)
    assert first == people_of(seed=7)
    assert first != people_of(seed=8)


def test_it_loads_the_main_clinic_and_a_second_one_of_five_percent(db):
    clinics = seed_scale(clients=200, seed=3)
    main, other = clinics["main"], clinics["other"]
    assert (main.slug, other.slug) == ("scale-clinic", OTHER_SLUG)
    assert Client.objects.filter(clinic=main).count() == 200
    assert Client.objects.filter(clinic=other).count() == 10
    assert WalkIn.objects.filter(clinic=main).count() == 500


def test_it_makes_realistic_people(db):
    main = seed_scale(clients=400, seed=5)["main"]
    clients = Client.objects.filter(clinic=main)
    related = FamilyMember.objects.filter(client__clinic=main).count()
    related += (
        ClientAlias.objects.filter(client__clinic=main).count()
        + AdverseParty.objects.filter(client__clinic=main).count()
    )
    assert 2.2 <= related / 400 <= 2.8
    assert 0.5 <= clients.filter(a_number__isnull=False).count() / 400 <= 0.7
    assert 0.85 <= clients.filter(date_of_birth__isnull=False).count() / 400 <= 0.95
    assert clients.filter(given_names__contains=" ").exists()  # compound given names
    assert clients.filter(maternal_surname="").exists()  # one surname
    assert any(char in "áéíóúñ" for name in clients.values_list("paternal_surname", flat=True) for char in name)
    assert set(clients.values_list("country_of_nationality", flat=True)) >= {"MX", "HN", "GT", "SV"}
    # Every person is in the name index, in their own clinic.
    assert PersonName.objects.filter(clinic=main).count() == (
        400 + related + WalkIn.objects.filter(clinic=main).count()
    )


def test_it_uses_the_demo_clinic_when_there_is_one(db):
    demo = Clinic.objects.create(name="Las Americas (demo)", slug="las-americas-demo")
    assert seed_scale(clients=20, seed=1)["main"] == demo


def test_it_refuses_to_load_twice(db):
    out = StringIO()
    call_command("seed_scale", "--clients", "20", "--seed", "1", stdout=out)
    assert "scale-clinic: 20 clients" in out.getvalue()
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_scale", "--clients", "20", "--seed", "1", stdout=StringIO())
    assert Client.objects.count() == 21


@pytest.mark.django_db(transaction=True)
def test_it_writes_on_a_second_connection_outside_a_transaction():
    # Outside a transaction, PostgreSQL batches are copied by a second thread, each committed.
    clinics = seed_scale(clients=600, seed=2)
    assert Client.objects.filter(clinic=clinics["main"]).count() == 600
    assert PersonName.objects.filter(clinic=clinics["main"], kind="client").count() == 600
    assert FamilyMember.objects.filter(client__clinic=clinics["main"], client_id__isnull=False).exists()
