"""A view's query of a clinic's records that is not narrowed to the clinic fails loudly in tests
(clinic/scoping.py). Every other test that requests a page runs under the same guard, so the
whole suite is the search for a forgotten filter; these tests prove the guard itself."""

import pytest
from django.apps import apps
from django.db.models import Prefetch, Q

from cases import services as case_services
from cases.models import Case, Deadline, Hearing
from clients.models import Client
from clinic.models import Clinic, Membership
from clinic.scoping import UnscopedQueryError, across_clinics, guarded, is_clinic_owned
from tests.factories import ClientFactory

Role = Membership.Role
PROJECT_APPS = ("clinic", "clients", "cases")


def _owner_fields(model):
    return [
        field
        for field in model._meta.get_fields()
        if (field.many_to_one or field.one_to_one) and field.concrete and field.related_model is not None
    ]


def test_every_model_that_belongs_to_a_clinic_is_guarded():
    """A new model with a clinic, or under a record that has one, cannot be left out."""
    models = [model for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()]
    unguarded = [
        model._meta.label
        for model in models
        if not is_clinic_owned(model)
        and any(
            field.related_model is Clinic or (field.related_model in models and is_clinic_owned(field.related_model))
            for field in _owner_fields(model)
        )
    ]
    assert unguarded == []
    assert {"clients.Client", "cases.Case", "cases.Deadline", "cases.Evidence", "clinic.AuditEvent"} <= {
        model._meta.label for model in models if is_clinic_owned(model)
    }


@pytest.fixture
def case(staff, clinic):
    client = ClientFactory(clinic=clinic)
    return case_services.case_open(
        actor=staff[Role.ATTORNEY],
        client=client,
        data={"process": Case.Process.AFFIRMATIVE},
        lead_attorney=staff[Role.ATTORNEY],
    )


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda case: Case.objects.get(pk=case.pk), id="by id alone"),
        pytest.param(lambda case: Client.objects.count(), id="every client"),
        pytest.param(lambda case: list(Deadline.objects.filter(pk__in=[1, 2])), id="deadlines by ids"),
        pytest.param(lambda case: Case.objects.exclude(clinic=case.clinic).first(), id="every other clinic"),
        pytest.param(lambda case: Case.objects.filter(clinic__isnull=False).first(), id="any clinic at all"),
        pytest.param(
            lambda case: Case.objects.filter(Q(clinic=case.clinic) | Q(number="2026-0001")).first(),
            id="or an unnarrowed branch",
        ),
        pytest.param(
            lambda case: list(Client.objects.filter(pk__in=Case.objects.values("client"))), id="unnarrowed subquery"
        ),
    ],
)
def test_an_unnarrowed_query_fails_loudly(case, query):
    with guarded(), pytest.raises(UnscopedQueryError, match=r"A query of (cases|clients)\.\w+ \(tests/security"):
        query(case)


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(lambda case: Case.objects.get(clinic=case.clinic, pk=case.pk), id="by clinic"),
        pytest.param(lambda case: list(case.deadlines.all()), id="under a record read for the clinic"),
        pytest.param(lambda case: list(Deadline.objects.filter(case__clinic=case.clinic_id)), id="through a join"),
        pytest.param(
            lambda case: list(
                Case.objects.filter(clinic=case.clinic).prefetch_related(
                    "deadlines",
                    Prefetch("hearings", queryset=Hearing.objects.order_by("starts_at")[:3], to_attr="next_three"),
                )
            ),
            id="prefetched, also sliced",
        ),
        pytest.param(
            lambda case: list(Client.objects.filter(pk__in=Case.objects.filter(clinic=case.clinic).values("client"))),
            id="by a narrowed subquery",
        ),
        pytest.param(lambda case: Case.objects.none().count(), id="nothing"),
    ],
)
def test_a_narrowed_query_runs(case, query):
    with guarded():
        query(case)


def test_a_deliberate_read_across_clinics_says_so(case):
    with guarded(), across_clinics():
        assert Case.objects.filter(pk=case.pk).exists()


def test_outside_a_view_nothing_is_checked(case):
    """Tasks, commands and the tests' own setup work across clinics by design."""
    assert Case.objects.get(pk=case.pk) == case


@pytest.mark.urls("tests.security.leaky_urls")
def test_a_view_that_forgets_the_clinic_fails_instead_of_showing_another_clinics_client(as_user, staff, other_clinic):
    stranger = ClientFactory(clinic=other_clinic, given_names="Rosa", paternal_surname="Ixcoy")
    browser = as_user(staff[Role.ATTORNEY])
    with pytest.raises(UnscopedQueryError, match=r"clients\.Client \(tests/security/leaky_urls\.py"):
        browser.get(f"/leaky/client/{stranger.pk}/")
    assert browser.get("/leaky/every-clinic/").content == b"1"


@pytest.mark.urls("tests.security.leaky_urls")
def test_without_the_guard_the_same_view_would_leak(as_user, staff, other_clinic, settings):
    """What the guard stops (production runs with it off unless CLINIC_SCOPE_GUARD is set)."""
    settings.CLINIC_SCOPE_GUARD = False
    stranger = ClientFactory(clinic=other_clinic, given_names="Rosa", paternal_surname="Ixcoy")
    page = as_user(staff[Role.ATTORNEY]).get(f"/leaky/client/{stranger.pk}/")
    assert page.status_code == 200
    assert "Rosa" in page.content.decode()
