"""The conflict check against the database (clients.conflict_search): one clinic's people only,
every kind of record, the A-number and the birth date, a walk-in who became a client once."""

from datetime import date

import pytest

from clients import name_index
from clients.conflict_search import ConflictMatch, find_conflicts
from clients.conflicts import THRESHOLD
from clients.models import PersonName
from tests.factories import (
    AdversePartyFactory,
    ClientAliasFactory,
    ClientFactory,
    FamilyMemberFactory,
    WalkInFactory,
)

Kind = PersonName.Kind


@pytest.fixture
def jose(clinic):
    return ClientFactory(clinic=clinic, date_of_birth=date(1990, 3, 14), a_number="201234567")


def keys(matches: list[ConflictMatch]) -> list[tuple[str, int]]:
    return [(match.kind, match.record_id) for match in matches]


def test_it_finds_a_client_however_the_name_is_written(clinic, jose):
    for written in ("José Luis Hernández García", "jose luis hernandez", "Pepe Luis Garcia Hernandez", "Luis Hernadez"):
        matches = find_conflicts(clinic_id=clinic.pk, full_name=written)
        assert keys(matches)[:1] == [(Kind.CLIENT, jose.pk)], written


def test_it_takes_the_parts_of_the_walk_in_form(clinic, jose):
    matches = find_conflicts(
        clinic_id=clinic.pk, given_names="Jose", paternal_surname="Garcia", maternal_surname="Hernandez"
    )
    assert keys(matches) == [(Kind.CLIENT, jose.pk)]
    assert "surnames swapped" in matches[0].reasons


def test_it_never_shows_another_clinics_people(clinic, other_clinic, jose):
    namesake = ClientFactory(clinic=other_clinic, a_number="201234567", date_of_birth=date(1990, 3, 14))
    query = {"full_name": "José Luis Hernández García", "a_number": "A201234567", "date_of_birth": date(1990, 3, 14)}
    assert keys(find_conflicts(clinic_id=clinic.pk, **query)) == [(Kind.CLIENT, jose.pk)]
    assert keys(find_conflicts(clinic_id=other_clinic.pk, **query)) == [(Kind.CLIENT, namesake.pk)]


def test_it_finds_the_same_a_number_whatever_the_name(clinic, jose):
    for written in ("A-201-234-567", "A201234567", "201 234 567"):
        matches = find_conflicts(clinic_id=clinic.pk, full_name="Oksana Petrenko", a_number=written)
        assert [(m.kind, m.record_id, m.score) for m in matches] == [(Kind.CLIENT, jose.pk, 100)]
        assert matches[0].reasons[0] == "same A-number"


def test_it_searches_by_a_number_or_birth_date_without_a_name(clinic, jose):
    [match] = find_conflicts(clinic_id=clinic.pk, a_number="A-201-234-567")
    assert (match.record_id, match.score, match.reasons) == (jose.pk, 100, ("same A-number",))
    assert find_conflicts(clinic_id=clinic.pk, date_of_birth=date(1990, 3, 14)) == []
    assert find_conflicts(clinic_id=clinic.pk) == []


def test_it_ignores_an_a_number_that_is_not_one(clinic, jose):
    matches = find_conflicts(clinic_id=clinic.pk, full_name="José Luis Hernández García", a_number="A-12")
    assert keys(matches) == [(Kind.CLIENT, jose.pk)]


def test_it_finds_a_misspelt_name_with_the_same_birth_date(clinic, jose):
    matches = find_conflicts(clinic_id=clinic.pk, full_name="Jose Hernadez", date_of_birth=date(1990, 3, 14))
    assert keys(matches) == [(Kind.CLIENT, jose.pk)]
    assert "same date of birth" in matches[0].reasons


def test_it_does_not_show_someone_for_a_birth_date_alone(clinic, jose):
    assert find_conflicts(clinic_id=clinic.pk, full_name="Oksana Petrenko", date_of_birth=date(1990, 3, 14)) == []


def test_it_finds_aliases_family_members_adverse_parties_and_walk_ins(clinic, jose):
    alias = ClientAliasFactory(client=jose, name="Chepe Hernández")
    spouse = FamilyMemberFactory(
        client=jose, given_names="Rosa María", paternal_surname="López", maternal_surname="Reyes"
    )
    persecutor = AdversePartyFactory(client=jose, name="Ramiro Salgado Treviño")
    walk_in = WalkInFactory(clinic=clinic, given_names="Marisol", paternal_surname="Vega", maternal_surname="Quintero")
    assert (Kind.ALIAS, alias.pk) in keys(find_conflicts(clinic_id=clinic.pk, full_name="José Hernández"))
    assert keys(find_conflicts(clinic_id=clinic.pk, full_name="Rosa Lopez Reyes")) == [(Kind.FAMILY_MEMBER, spouse.pk)]
    assert keys(find_conflicts(clinic_id=clinic.pk, full_name="Ramiro Salgado")) == [
        (Kind.ADVERSE_PARTY, persecutor.pk)
    ]
    assert keys(find_conflicts(clinic_id=clinic.pk, full_name="Marisol Vega Quintero")) == [(Kind.WALK_IN, walk_in.pk)]


def test_it_reports_a_walk_in_who_became_a_client_as_the_client_once(clinic, jose):
    WalkInFactory(
        clinic=clinic,
        client=jose,
        status="accepted",
        given_names="Jose Luis",
        paternal_surname="Hernandez",
        maternal_surname="",
    )
    matches = find_conflicts(clinic_id=clinic.pk, full_name="José Luis Hernández García")
    assert keys(matches) == [(Kind.CLIENT, jose.pk)]
    assert matches[0].name == "José Luis Hernández García"


def test_it_reports_the_client_when_only_the_walk_in_name_matches(clinic, jose):
    WalkInFactory(
        clinic=clinic,
        client=jose,
        status="accepted",
        given_names="Joselo",
        paternal_surname="Ibarra",
        maternal_surname="",
    )
    matches = find_conflicts(clinic_id=clinic.pk, full_name="Joselo Ibarra")
    assert [(m.kind, m.record_id, m.name) for m in matches] == [(Kind.CLIENT, jose.pk, "José Luis Hernández García")]
    assert matches[0].reasons == ("same name", "by the name given at a walk-in visit")


def test_it_leaves_out_what_it_is_told_to(clinic, jose):
    walk_in = WalkInFactory(
        clinic=clinic, given_names="José Luis", paternal_surname="Hernández", maternal_surname="García"
    )
    query = {"given_names": "José Luis", "paternal_surname": "Hernández", "maternal_surname": "García"}
    assert keys(find_conflicts(clinic_id=clinic.pk, **query)) == [(Kind.CLIENT, jose.pk), (Kind.WALK_IN, walk_in.pk)]
    assert keys(find_conflicts(clinic_id=clinic.pk, exclude=[("walk_in", walk_in.pk)], **query)) == [
        (Kind.CLIENT, jose.pk)
    ]


def test_it_finds_names_added_after_its_first_check(clinic, jose):
    assert find_conflicts(clinic_id=clinic.pk, full_name="Yesenia Tzul Coc") == []
    newcomer = WalkInFactory(clinic=clinic, given_names="Yesenia", paternal_surname="Tzul", maternal_surname="Coc")
    assert keys(find_conflicts(clinic_id=clinic.pk, full_name="Yesenia Tzul Coc")) == [(Kind.WALK_IN, newcomer.pk)]


def test_it_forgets_a_renamed_record(clinic, jose):
    assert find_conflicts(clinic_id=clinic.pk, full_name="José Luis Hernández García")
    jose.given_names, jose.paternal_surname, jose.maternal_surname = "Ignacio", "Ortega", "Luna"
    jose.save()
    name_index.index(jose)
    assert find_conflicts(clinic_id=clinic.pk, full_name="José Luis Hernández García") == []
    assert keys(find_conflicts(clinic_id=clinic.pk, full_name="Nacho Ortega Luna")) == [(Kind.CLIENT, jose.pk)]


def test_it_returns_nothing_for_a_name_like_nobody(clinic, jose):
    ClientFactory.create_batch(3, clinic=clinic, given_names="Ana", paternal_surname="Pérez", maternal_surname="Soto")
    assert find_conflicts(clinic_id=clinic.pk, full_name="Wei Zhang") == []


def test_it_ranks_by_score_and_stops_at_the_limit(clinic, jose):
    ClientFactory.create_batch(
        12, clinic=clinic, given_names="José Luis", paternal_surname="Hernández", maternal_surname=""
    )
    matches = find_conflicts(clinic_id=clinic.pk, full_name="José Luis Hernández García", limit=5)
    assert len(matches) == 5
    assert matches[0].record_id == jose.pk
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(m.score >= THRESHOLD for m in matches)


def test_it_runs_a_bounded_number_of_queries(clinic, jose, django_assert_max_num_queries):
    find_conflicts(clinic_id=clinic.pk, full_name="José Luis Hernández García")  # reads the index into memory
    # 1 the newest name id (is the copy in memory old?), 2 names added since it was read,
    # 3 the candidates' rows (and those with the same birth date or A-number).
    with django_assert_max_num_queries(3):
        find_conflicts(clinic_id=clinic.pk, full_name="José Luis Hernández García", date_of_birth=date(1990, 3, 14))
