"""Settings of the Celery worker that tests/reliability starts: the real broker and database,
not eager, and each email written to its own file so the test can count them."""

from clinic.settings.base import *  # noqa: F403
from clinic.settings.env import env_str

EMAIL_BACKEND = "tests.reliability.mailbox.EmailBackend"
EMAIL_FILE_PATH = env_str("TEST_MAIL_DIR")
# A connection per task: the test cuts the database off and drops it at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
