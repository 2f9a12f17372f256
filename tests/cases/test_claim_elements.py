"""The elements of a claim that need evidence (cases.claim_elements): pure, no database."""

import itertools

import pytest

from cases.claim_elements import ElementRow, claim_elements, elements_of_claim
from cases.models import Claim, ClaimElement

E = ClaimElement
PERSECUTORS = [*Claim.PersecutorType.values, ""]
ONE_YEAR = Claim.OneYear.values
PSG = [E.PSG_IMMUTABILITY, E.PSG_PARTICULARITY, E.PSG_SOCIAL_DISTINCTION]


def _elements(social_group=False, persecutor_type="", one_year_status=Claim.OneYear.UNKNOWN, incident_ids=()):
    rows = claim_elements(
        social_group=social_group,
        persecutor_type=persecutor_type,
        one_year_status=one_year_status,
        incident_ids=incident_ids,
    )
    return [row.element for row in rows]


def test_it_asks_for_every_element_of_a_fresh_claim():
    # A claim nobody has filled in yet: persecutor not known, one-year status not assessed.
    assert claim_elements(social_group=False, persecutor_type="", one_year_status="unknown", incident_ids=[]) == [
        ElementRow(E.IDENTITY),
        ElementRow(E.GROUND),
        ElementRow(E.NEXUS),
        ElementRow(E.PROTECTION_FAILURE),
        ElementRow(E.FUTURE_FEAR),
        ElementRow(E.RELOCATION),
        ElementRow(E.ONE_YEAR),
    ]


def test_it_lists_a_social_group_claim_against_a_gang_filed_late_in_full():
    rows = claim_elements(
        social_group=True, persecutor_type="non_state", one_year_status="changed", incident_ids=[7, 3]
    )
    assert rows == [
        ElementRow(E.IDENTITY),
        ElementRow(E.HARM, 7),
        ElementRow(E.HARM, 3),
        ElementRow(E.GROUND),
        ElementRow(E.PSG_IMMUTABILITY),
        ElementRow(E.PSG_PARTICULARITY),
        ElementRow(E.PSG_SOCIAL_DISTINCTION),
        ElementRow(E.NEXUS),
        ElementRow(E.PROTECTION_FAILURE),
        ElementRow(E.FUTURE_FEAR),
        ElementRow(E.RELOCATION),
        ElementRow(E.ONE_YEAR),
    ]


def test_it_lists_a_political_claim_against_the_state_filed_in_time_briefly():
    assert _elements(persecutor_type="state", one_year_status="within", incident_ids=[1]) == [
        E.IDENTITY, E.HARM, E.GROUND, E.NEXUS, E.FUTURE_FEAR, E.RELOCATION,
    ]  # fmt: skip


def test_it_gives_one_harm_row_per_incident_in_the_order_given():
    rows = claim_elements(social_group=False, persecutor_type="", one_year_status="unknown", incident_ids=[5, 9, 2])
    assert [row.incident_id for row in rows if row.element == E.HARM] == [5, 9, 2]
    assert all(row.incident_id is None for row in rows if row.element != E.HARM)


def test_it_reads_a_generator_of_incident_ids():
    assert _elements(incident_ids=(pk for pk in [1, 2])).count(E.HARM) == 2


@pytest.mark.parametrize(
    ("social_group", "persecutor_type", "one_year_status", "incidents"),
    list(itertools.product([False, True], PERSECUTORS, ONE_YEAR, [0, 1, 4])),
)
def test_it_applies_each_rule_in_every_combination(social_group, persecutor_type, one_year_status, incidents):
    elements = _elements(social_group, persecutor_type, one_year_status, list(range(1, incidents + 1)))
    always = [E.IDENTITY, E.GROUND, E.NEXUS, E.FUTURE_FEAR, E.RELOCATION]
    assert all(elements.count(element) == 1 for element in always)
    assert elements.count(E.HARM) == incidents
    assert all((element in elements) == social_group for element in PSG)
    assert (E.PROTECTION_FAILURE in elements) == (persecutor_type != Claim.PersecutorType.STATE)
    assert (E.ONE_YEAR in elements) == (one_year_status != Claim.OneYear.WITHIN)
    # The order a brief argues them in, whatever is left out.
    canonical = [
        E.IDENTITY,
        E.HARM,
        E.GROUND,
        *PSG,
        E.NEXUS,
        E.PROTECTION_FAILURE,
        E.FUTURE_FEAR,
        E.RELOCATION,
        E.ONE_YEAR,
    ]
    assert elements == sorted(elements, key=canonical.index)
    assert len(elements) == 5 + incidents + 3 * social_group + (persecutor_type != "state") + (
        one_year_status != "within"
    )


def test_it_never_names_an_element_the_model_does_not_know():
    elements = _elements(social_group=True, persecutor_type="both", one_year_status="late", incident_ids=[1])
    assert set(elements) == set(E.values)


def test_it_reads_the_fields_of_an_unsaved_claim_without_the_database():
    claim = Claim(ground_social_group=True, persecutor_type="state", one_year_status="within")
    assert elements_of_claim(claim, [4]) == claim_elements(
        social_group=True, persecutor_type="state", one_year_status="within", incident_ids=[4]
    )
