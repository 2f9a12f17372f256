"""How well the conflict check finds people: a labelled set of name variants (clients.conflict_eval)
over a seeded clinic of a few thousand people. Recall: the person is in the top 10. Precision:
at most 3 unrelated people in any top 10, and invented people find nobody strong."""

import pytest
from django.db import transaction

from clients.conflict_eval import MAX_UNRELATED, VARIANTS, Report, labelled_queries, run
from clients.conflicts import STRONG
from clients.scale import seed_scale

# The seeded clinic lives only inside the module fixture's transaction; the mark makes pytest-django
# create the test database for it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def outcomes(django_db_setup, django_db_blocker):
    """About 4,500 names (700 clients with their families, aliases, adverse parties, walk-ins)."""
    with django_db_blocker.unblock(), transaction.atomic():
        clinic = seed_scale(clients=700, seed=11)["main"]
        labelled = labelled_queries(clinic_id=clinic.pk, seed=11, per_variant=15, invented=30)
        found = run(labelled.queries, clinic_id=clinic.pk)
        transaction.set_rollback(True)
    return found


def test_it_finds_at_least_97_percent_of_the_variants(outcomes):
    report = Report.of(outcomes)
    misses = [(miss.query.variant, miss.query.query) for miss in report.misses]
    assert report.recall >= 0.97, misses
    assert set(report.recall_by_variant) == set(VARIANTS)


def test_it_shows_at_most_three_unrelated_people_in_a_top_ten(outcomes):
    worst = max(outcomes, key=lambda outcome: outcome.unrelated)
    assert worst.unrelated <= MAX_UNRELATED, (worst.query.query, [(m.name, m.score) for m in worst.matches])


def test_it_finds_no_one_strong_for_invented_people(outcomes):
    invented = [outcome for outcome in outcomes if outcome.query.target is None]
    assert len(invented) == 30
    for outcome in invented:
        assert outcome.strongest < STRONG, (outcome.query.query, outcome.matches)
        assert len(outcome.matches) <= MAX_UNRELATED, (outcome.query.query, outcome.matches)
