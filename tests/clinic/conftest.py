import pytest

from tests.clinic.test_dashboard import World


@pytest.fixture
def world(clinic, staff, other_clinic, outsiders):
    """The dashboard's known data set (tests/clinic/test_dashboard.py)."""
    return World(clinic, staff, other_clinic, outsiders)
