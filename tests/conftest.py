"""Personas: two clinics, one user per role in the first, and the same roles in the other
(the outsiders), as hc's alice/bob/charlie. Tests run on real PostgreSQL and Redis only."""

import os
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from xdist.scheduler import LoadScopeScheduling

from clinic.celery import app as celery_app
from clinic.models import Membership
from clinic.permissions import membership_of
from clinic.two_factor import confirmed_totp_device, two_factor_required
from tests.factories import ClinicFactory, staff_member

Role = Membership.Role

# Under pytest-xdist these modules run whole on one worker: their tests share a module-scoped
# fixture that is slow to make, or unsafe to make in two workers at once.
WHOLE_MODULES = {
    "tests/reliability/test_worker.py",  # a Celery worker
    "tests/ops/test_backup.py",  # databases named after DATABASE_URL (not the worker), seeded in 40 s
    "tests/clinic/test_served_headers.py",  # collectstatic into the one STATIC_ROOT, then a gunicorn
    "tests/clients/test_conflict_quality.py",  # 4,500 seeded names
    "tests/ops/test_object_storage.py",  # moto's S3 server
}


class InOrderScheduling(LoadScopeScheduling):
    """Tests go one by one to whichever worker is free, in collection order, so each worker keeps
    pytest-django's order: transactional tests, which empty the database (the courts the migrations
    wrote too), after the others. A module of WHOLE_MODULES goes whole to one worker.

    That is `--dist loadgroup` with xdist_group marks, which does not group under pytest 9.2
    (pytest-xdist issue 1386) and would run the groups first, transactional or not."""

    def _split_scope(self, nodeid):
        module = nodeid.split("::", 1)[0]
        return module if module in WHOLE_MODULES else nodeid


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "load":
        return None  # another --dist was asked for
    config.option.loadscopereorder = False  # collection order, not the largest module first
    return InOrderScheduling(config, log)


def pytest_configure(config):
    """Under pytest-xdist each worker gets a Redis database of its own: gwN uses REDIS_URL's number
    plus N (`make test`'s two workers, on redis://.../0, use 0 and 1). Every test empties the cache
    with FLUSHDB and tests/reliability flushes its broker; neither may touch another worker's data.
    (pytest-django already gives each worker its own test database, test_<name>_gwN.)"""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    parts = urlsplit(settings.REDIS_URL)
    if parts.scheme not in {"redis", "rediss"}:
        pytest.exit(f"Parallel tests need a redis:// REDIS_URL, not {parts.scheme}://; run them with -n 0.", 3)
    url = parts._replace(path=f"/{int(parts.path.strip('/') or 0) + int(worker.removeprefix('gw'))}").geturl()
    # The settings were read before this hook: override each one made from REDIS_URL (for the whole
    # run), and the environment of the programs tests start (manage.py, gunicorn, a Celery worker).
    cache_settings = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": url}}
    override_settings(REDIS_URL=url, CELERY_BROKER_URL=url, CACHES=cache_settings).enable()
    celery_app.conf.broker_url = url
    os.environ["REDIS_URL"] = url


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
def default_language():
    """Each test starts in the default language. A request activates its user's language in the
    test's thread and nothing deactivates it (Django's LocaleMiddleware does not either), so a page
    in Spanish in one test translated the next test's messages on the same worker."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache. Clinic ids come back in a new test database while the
    Redis cache outlives it, so an earlier run's "courts in use" of clinic 1 would otherwise decide
    which court filter this run's clinic 1 accepts."""
    cache.clear()
