"""Settings for `make test`: PostgreSQL and Redis from the environment, fast hashing, mail kept in memory."""

from clinic.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks queued by services run in-process; tests of the worker itself start a real one.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# No persistent connections: one left open by a live-server thread blocks dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Every view's query of a clinic's records must be narrowed to the clinic (clinic/scoping.py).
CLINIC_SCOPE_GUARD = True
# WhiteNoise looks a static file up when it is asked for, instead of listing STATIC_ROOT in every
# test's new client (some 1,400 files once collected: about 0.3 s a test).
WHITENOISE_AUTOREFRESH = True
