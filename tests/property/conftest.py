"""The property tests' settings and the records every form needs (tests/property/world.py).

Hypothesis runs many examples in one test function, while pytest-django's fixtures are made once
for it. So the records are built once per module, in a transaction of the module's own that is
rolled back when the module ends (`world`); each test's own transaction (pytest-django's `db`)
nests in it as a savepoint, and each example runs in a further savepoint rolled back after it
(tests/property/harness.py): every example starts from the same records, nothing one example
writes changes the next, and nothing is left in the test database for other tests.

Profiles: "property" (the default, also in CI) is derandomized, so every run tries the same
examples and a failure found once is found again; HYPOTHESIS_PROFILE=explore draws new random
examples, more of them, to hunt for new bugs locally."""

import os

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings

from clinic.models import Membership
from tests.factories import ClinicFactory, staff_member
from tests.property.world import World, build_world

COMMON = {
    "deadline": None,
    # One fixture for many examples is the point here (see above); the world is large on purpose.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    # No example database in the shared work tree; a failure prints the example to reproduce it.
    "database": None,
    "print_blob": True,
}
settings.register_profile("property", max_examples=8, derandomize=True, **COMMON)
settings.register_profile("explore", max_examples=200, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "property"))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence and spreadsheets go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """The records of tests/property/world.py, for every test of a module; rolled back at its end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        # As Django's TestCase marks its own: a service's durable block (the evidence upload) may
        # nest in it, as it may in the test's.
        atomic._from_testcase = True
        atomic.__enter__()
        try:
            clinic = ClinicFactory(name="Las Americas (test)", slug="las-americas-test", time_zone="America/Denver")
            other = ClinicFactory(name="Border Rights (test)", slug="border-rights-test", time_zone="America/Chicago")
            roles = list(Membership.Role)
            staff = {role.value: staff_member(clinic, role, username=f"la-{role.value}") for role in roles}
            outsiders = {role.value: staff_member(other, role, username=f"br-{role.value}") for role in roles}
            yield build_world(clinic, staff, other, outsiders)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
