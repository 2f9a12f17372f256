"""`manage.py seed_scale`: a deterministic large data set, in a main clinic and a small second one."""

import importlib
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max

from cases.models import Case, CaseNumberCounter, Deadline, Hearing
from clients import bulk, name_index
from clients.models import AdverseParty, Client, ClientAlias, FamilyMember, PersonName, PersonNameToken, WalkIn
from clients.scale import OTHER_SLUG, seed_scale
from clinic.models import Clinic
from tests.cases.test_scale_deadlines import deadlines_of_all


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
    family = FamilyMember.objects.filter(client__clinic=main)
    assert 2.3 <= family.count() / 400 <= 2.7
    # Spouses, children, and parents and siblings (as the I-589 lists them), several to a client.
    relationships = dict(family.values_list("relationship").annotate(n=Count("id")))
    assert set(relationships) == {"spouse", "child", "parent", "sibling"}
    assert relationships["child"] > relationships["spouse"] > relationships["parent"] > 0
    assert family.values("client").annotate(n=Count("id")).filter(n__gte=5).exists()
    related = (
        family.count()
        + ClientAlias.objects.filter(client__clinic=main).count()
        + AdverseParty.objects.filter(client__clinic=main).count()
    )
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


def test_the_averages_are_those_of_the_spec(db):
    """Per client 2.5 family members, 1.2 cases; 4 hearings per defensive case; 10 deadlines per
    case: on average, over 2,000 clients."""
    call_command("seed_scale", "--clients", "2000", "--seed", "1", stdout=StringIO())
    main = Clinic.objects.get(slug="scale-clinic")
    clients = Client.objects.filter(clinic=main).count()
    cases = Case.objects.filter(clinic=main)
    defensive = cases.filter(process="defensive")
    assert clients == 2000
    assert FamilyMember.objects.filter(client__clinic=main).count() / clients == pytest.approx(2.5, abs=0.1)
    assert cases.count() / clients == pytest.approx(1.2, abs=0.05)
    assert Hearing.objects.filter(case__in=defensive).count() / defensive.count() == pytest.approx(4, abs=0.15)
    assert Deadline.objects.filter(case__clinic=main).count() / cases.count() == pytest.approx(10, abs=0.4)
    assert WalkIn.objects.filter(clinic=main).count() / clients == 2.5


def test_the_name_index_is_what_name_index_makes_of_each_record(db):
    """The loader builds the index rows from its own values, for speed: they must be the rows
    clients.name_index writes for the same records once saved."""
    assert_the_name_index_agrees(seed_scale(clients=150, seed=9)["main"])


def assert_the_name_index_agrees(main: Clinic) -> None:
    names = {(row.kind, row.record_id): row for row in PersonName.objects.filter(clinic=main)}
    words: dict[int, set] = {}
    for pk, token, search_client, sort_name in PersonNameToken.objects.filter(clinic=main).values_list(
        "person_name_id", "token", "search_client_id", "client_sort_name"
    ):
        words.setdefault(pk, set()).add((token, search_client, sort_name))
    records = [
        *Client.objects.filter(clinic=main),
        *FamilyMember.objects.filter(client__clinic=main).select_related("client"),
        *ClientAlias.objects.filter(client__clinic=main).select_related("client"),
        *AdverseParty.objects.filter(client__clinic=main).select_related("client"),
        *WalkIn.objects.filter(clinic=main),
    ]
    assert len(records) == len(names) > 900
    for record in records:
        values, expected_words = name_index.entry_values(record)
        row = names[(values["kind"], record.pk)]
        assert {field: getattr(row, field) for field in name_index.NAME_FIELDS if field != "kind"} == {
            field: values[field] for field in name_index.NAME_FIELDS if field != "kind"
        }, record
        owner = (values["search_client_id"], values["client_sort_name"])
        assert words[row.pk] == {(word[:60], *owner) for word in expected_words}, record


def test_it_loads_cases_and_deadlines_into_the_demo_clinic_beside_its_own(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    demo = Clinic.objects.get(slug="las-americas-demo")
    own_cases = list(Case.objects.filter(clinic=demo).order_by("pk").values_list("pk", "number"))
    own_deadlines = Deadline.objects.filter(case__clinic=demo).count()
    assert own_cases
    assert own_deadlines

    out = StringIO()
    call_command("seed_scale", "--clients", "200", "--seed", "1", stdout=out)

    assert "The demo clinic 'las-americas-demo' exists: the 200 scale clients go into it" in out.getvalue()
    loaded = Client.objects.filter(clinic=demo, created_by=None)
    assert loaded.count() == 200
    assert not loaded.filter(cases=None).exists()  # every loaded client has a case
    scale_cases = Case.objects.filter(clinic=demo, client__created_by=None)
    assert 1.1 <= scale_cases.count() / 200 <= 1.3
    assert not scale_cases.filter(deadlines=None).exists()
    # The demo's own cases and deadlines are as they were; new numbers continue after theirs.
    assert (
        list(
            Case.objects.filter(clinic=demo, client__created_by__isnull=False)
            .order_by("pk")
            .values_list("pk", "number")
        )
        == own_cases
    )
    assert Deadline.objects.filter(case__clinic=demo, case__client__created_by__isnull=False).count() == own_deadlines
    last = dict(Case.objects.filter(clinic=demo).values("year").annotate(n=Max("sequence")).values_list("year", "n"))
    assert dict(CaseNumberCounter.objects.filter(clinic=demo).values_list("year", "last")) == last
    assert scale_cases.first().number.startswith(f"{demo.case_prefix}-")
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_scale", "--clients", "200", "--seed", "1", stdout=StringIO())


def test_a_loaded_key_that_points_nowhere_rolls_the_load_back(db):
    aliases = bulk.Table(ClientAlias, ("client_id", "kind", "name"))
    with pytest.raises(IntegrityError, match="client_id"), bulk.loading(ClientAlias):
        bulk.write(aliases.rows([(987654321, "alias", "Nadie")]))
    assert not ClientAlias.objects.exists()
    with connection.cursor() as cursor:  # the database checks keys row by row again
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"


@pytest.fixture
def reference_data():
    """The courts and deadline rules of the data migrations, which a transactional test before
    this one may have flushed (both migrations only add what is missing)."""
    for module, function in (("0002_courts", "add_courts"), ("0006_seed_deadline_rules", "seed_rules")):
        getattr(importlib.import_module(f"cases.migrations.{module}"), function)(apps, None)


@pytest.mark.django_db(transaction=True)
def test_the_command_loads_everything_on_a_second_connection_in_one_transaction(reference_data):
    # Deadlines made by a forked process, and copied by a second connection with the rest.
    out = StringIO()
    call_command("seed_scale", "--clients", "300", "--seed", "3", stdout=out)
    main = Clinic.objects.get(slug="scale-clinic")
    assert "scale-clinic: 300 clients, 750 walk-ins" in out.getvalue()
    assert Case.objects.filter(clinic=main).count() > 300
    assert Deadline.objects.filter(case__clinic=main).count() > 3000
    assert Case.objects.filter(clinic=main).exclude(i589_received_on=None).exists()
    assert_the_name_index_agrees(main)  # made by another forked process
    # They are what seed_deadlines makes of the same cases from the database.
    made = deadlines_of_all()
    Deadline.objects.all().delete()
    call_command("seed_scale", "--clients", "300", "--seed", "3", stdout=StringIO())
    assert deadlines_of_all() == made


def test_the_binary_encoder_writes_what_the_fields_hold(db):
    """A forked process encodes rows for COPY itself (bulk.binary_encoder): every type the
    loaders write comes back as written (text with accents, dates, times, booleans, NULLs)."""
    clinic = Clinic.objects.create(name="Encoded", slug="encoded")
    fields = ("id", "clinic_id", "given_names", "paternal_surname", "maternal_surname", "sort_name", "sex",
              "date_of_birth", "country_of_nationality", "a_number", "detained", "last_entry_date")  # fmt: skip
    table = bulk.Table(Client, fields)
    ids = bulk.reserve_ids(Client, 2)
    rows = [
        (ids[0], clinic.pk, "José Ángel", "Núñez", "", "nunez jose angel", "M", date(1990, 2, 28), "MX", None, True, None),
        (ids[1], clinic.pk, "Dieula", "Saint-Fleur", "", "saint fleur dieula", "F", None, "HT", "201234567", False, date(2024, 12, 31)),
    ]  # fmt: skip
    with bulk.loading(Client):
        bulk.write(bulk.binary_encoder(Client, table.columns)(table.rows(rows).values))
    saved = list(Client.objects.filter(clinic=clinic).order_by("pk").values_list(*fields, "created_at"))
    assert [row[:-1] for row in saved] == rows
    assert all(row[-1] == table.defaults[table.columns.index("created_at") - len(fields)] for row in saved)
