"""Personas: two clinics, one user per role in the first, and the same roles in the other
(the outsiders), as hc's alice/bob/charlie. Tests run on real PostgreSQL and Redis only."""

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.models import Membership
from clinic.permissions import membership_of
from clinic.two_factor import confirmed_totp_device, two_factor_required
from tests.factories import ClinicFactory, staff_member

Role = Membership.Role


def pytest_sessionstart(session):
    """Refuse to run, loudly, without the real services: no test may skip for lack of them."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        pytest.exit(f"make test needs PostgreSQL: set DATABASE_URL=postgres://... (got {engine}).", returncode=3)
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.exit(f"make test needs Redis at REDIS_URL={settings.REDIS_URL}: {exc}", returncode=3)


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Las Americas (test)", slug="las-americas-test", time_zone="America/Denver")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Border Rights (test)", slug="border-rights-test", time_zone="America/Chicago")


@pytest.fixture
def staff(clinic):
    """One user per role in `clinic`, keyed by role value."""
    return {role.value: staff_member(clinic, role, username=f"la-{role.value}") for role in Role}


@pytest.fixture
def outsiders(other_clinic):
    """One user per role in `other_clinic`, keyed by role value."""
    return {role.value: staff_member(other_clinic, role, username=f"br-{role.value}") for role in Role}


@pytest.fixture
def intake_user(staff):
    return staff[Role.INTAKE]


@pytest.fixture
def attorney(staff):
    return staff[Role.ATTORNEY]


@pytest.fixture
def supervisor(staff):
    return staff[Role.SUPERVISOR]


@pytest.fixture
def clinic_admin(staff):
    return staff[Role.CLINIC_ADMIN]


@pytest.fixture
def as_user(client):
    """as_user(user) -> the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return pass_second_factor(client, user)

    return sign_in


def pass_second_factor(client, user):
    """Marks the client's session as past the second sign-in step, as a right code would: with the
    user's authenticator, set up here if their role or clinic requires one (clinic.two_factor)."""
    device = confirmed_totp_device(user)
    if device is None:
        if not two_factor_required(membership_of(user)):
            return client
        device = TOTPDevice.objects.create(user=user, name="Test authenticator")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. Clinic ids come back in a new test database while the
    Redis cache outlives it, so an earlier run's "courts in use" of clinic 1 would otherwise decide
    which court filter this run's clinic 1 accepts."""
    cache.clear()
