"""The conflict check's scoring (clients.conflicts): no database. Each way of writing a name finds
the person with the reason staff read; other people score below the threshold."""

from datetime import date

import pytest

from clients import conflicts
from clients.conflicts import STRONG, THRESHOLD

RECORDED = conflicts.person_from_keys(
    full_name="José Luis Hernández García",
    given_key="jose luis",
    surname_key="hernandez garcia",
    date_of_birth=date(1990, 3, 14),
    a_number="201234567",
)


def typed(given="José Luis", paternal="Hernández", maternal="García", **extra):
    return conflicts.person_from_parts(given_names=given, paternal_surname=paternal, maternal_surname=maternal, **extra)


def recorded(full_name, given_key, surname_key, **extra):
    return conflicts.person_from_keys(full_name=full_name, given_key=given_key, surname_key=surname_key, **extra)


def test_it_scores_the_same_name_100():
    verdict = conflicts.score(typed(), RECORDED)
    assert verdict.score == 100
    assert verdict.reasons == ("same name",)


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        (typed("Jose Luis", "Hernandez", "Garcia"), "accents or capitals differ"),
        (typed("JOSÉ LUIS", "HERNÁNDEZ", "garcía"), "accents or capitals differ"),
        (typed(paternal="García", maternal="Hernández"), "surnames swapped"),
        (typed(maternal=""), "one surname missing"),
        (typed(paternal="García", maternal=""), "one surname missing"),
        (typed("José"), "compound given name"),
        (typed("Luis"), "compound given name"),
        (typed("Pepe Luis"), "nickname of José"),
        (typed(paternal="Hernadez"), "spelling differs (Hernadez / Hernández)"),
        (typed(paternal="Hernadez", maternal="Garcai"), "spelling differs (Garcai / García)"),
        (typed(paternal="Hernández-García", maternal=""), "same name"),
    ],
)
def test_it_finds_each_way_of_writing_the_name(query, reason):
    verdict = conflicts.score(query, RECORDED)
    assert verdict.score >= THRESHOLD, verdict
    assert reason in verdict.reasons


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        ("Pepe", "José"),
        ("Paco", "Francisco"),
        ("Lupe", "Guadalupe"),
        ("Chuy", "Jesús"),
        ("Memo", "Guillermo"),
        ("Lalo", "Eduardo"),
    ],
)
def test_it_knows_common_spanish_nicknames(nickname, formal):
    person = recorded(f"{formal} Ramírez Soto", conflicts.names.normalize(formal), "ramirez soto")
    verdict = conflicts.score(typed(nickname, "Ramírez", "Soto"), person)
    assert verdict.score >= STRONG
    assert verdict.reasons == (f"nickname of {formal}",)


def test_it_drops_particles_and_hyphens():
    person = recorded("Juan de la Cruz-Pérez", "juan", "cruz perez")
    assert conflicts.score(typed("Juan", "Cruz", "Pérez"), person).reasons == ("same name",)


def test_it_reads_a_name_in_one_field_in_any_order():
    query = conflicts.person_from_full_name("Hernández García, José Luis")
    assert conflicts.score(query, RECORDED).score == 100


def test_it_gives_the_same_a_number_the_top_score_whatever_the_name():
    verdict = conflicts.score(typed("Oksana", "Petrenko", "", a_number="201234567"), RECORDED)
    assert verdict.score == 100
    assert verdict.reasons[0] == "same A-number"


def test_it_adds_for_the_same_birth_date_and_takes_off_for_another():
    misspelt = typed("Jose Luis", "Hernadez", "", date_of_birth=date(1990, 3, 14))
    same = conflicts.score(misspelt, RECORDED)
    other = conflicts.score(typed(date_of_birth=date(1991, 3, 14)), RECORDED)
    assert same.score >= STRONG
    assert "same date of birth" in same.reasons
    assert other.score < 100
    assert "date of birth differs" in other.reasons


@pytest.mark.parametrize(
    "query",
    [
        typed("Pedro", "Ramírez", "Soto"),  # somebody else
        typed("Juan Carlos", "Hernández", "García"),  # a brother: another given name
        typed("José Luis", "Hernández", "López"),  # another second surname
        typed("Josefina", "Hernández", "García"),
        typed("José Luis", "Marín", ""),  # Marín is not María, nor a given name
    ],
)
def test_it_keeps_other_people_below_the_threshold(query):
    assert conflicts.score(query, RECORDED).score < THRESHOLD


def test_it_does_not_take_an_established_name_for_a_typing_error_of_another():
    andrea = recorded("Andrea Flores García", "andrea", "flores garcia")
    query = typed("Andrés", "Flores", "García")
    assert conflicts.score(query, andrea).score >= THRESHOLD
    assert conflicts.score(query, andrea, known=frozenset({"andres", "andrea"})).score < THRESHOLD


def test_it_does_not_take_francisca_for_francisco():
    francisca = recorded("Francisca Ortiz Vega", "francisca", "ortiz vega")
    assert conflicts.score(typed("Francisco", "Ortiz", "Vega"), francisca).score < THRESHOLD


@pytest.mark.parametrize(("length", "typos"), [(3, 0), (4, 1), (7, 1), (8, 2)])
def test_it_allows_more_typing_errors_in_longer_words(length, typos):
    assert conflicts.allowed_typos(length) == typos
