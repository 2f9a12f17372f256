"""Production settings: every secret comes from the environment, and nothing insecure is allowed.

`DJANGO_SETTINGS_MODULE=clinic.settings.production python manage.py check --deploy` is clean.
What each switch is for, and how the pieces scale: docs/deploy.md.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from clinic.settings.base import *  # noqa: F403
from clinic.settings.base import DATABASES, DEV_SECRET_KEY, STATIC_ROOT, STORAGES
from clinic.settings.env import env_bool, env_int, env_list, env_str

DEBUG = False

SECRET_KEY = env_str("SECRET_KEY")
if SECRET_KEY == DEV_SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be a random value of at least 50 characters, not the development key. "
        "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set the ALLOWED_HOSTS environment variable (comma-separated host names).")

# PostgreSQL and a real Redis, never the SQLite and embedded broker that `make run` falls back to.
env_str("DATABASE_URL")
env_str("REDIS_URL")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL: production runs on PostgreSQL.")
# Through PgBouncer (or a managed pooler) in transaction mode, a connection is not the same server
# session from one transaction to the next: no persistent connections, server-side cursors or
# prepared statements then.
if env_bool("DATABASE_TRANSACTION_POOLING", False):
    DATABASES["default"].update(CONN_MAX_AGE=0, DISABLE_SERVER_SIDE_CURSORS=True)
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None

# collectstatic writes here and WhiteNoise serves from here (default var/staticfiles).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(STATIC_ROOT)))


def _object_storage(bucket: str) -> dict:
    """Uploads (evidence, client spreadsheets) in an S3-compatible bucket, so that every web and
    worker machine reads what another stored. Keys come from boto3's usual places (AWS_ACCESS_KEY_ID
    and AWS_SECRET_ACCESS_KEY, or the machine's role). Files are read only through the app's
    access-checked views; a signed address, if one is ever made, lasts a minute."""
    acl = env_str("AWS_DEFAULT_ACL", "") or None
    # No ACL by default: objects are private, and a bucket with ACLs disabled (AWS's default)
    # refuses any. Evidence is confidential (8 CFR 208.6): a public ACL is never accepted.
    if acl not in (None, "private", "bucket-owner-full-control"):
        raise ImproperlyConfigured("AWS_DEFAULT_ACL may only be private or bucket-owner-full-control.")
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            # "path" for stores that have no per-bucket host names (MinIO, moto).
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE", "") or None,
            "default_acl": acl,
            "querystring_auth": True,
            "querystring_expire": 60,
            # botocore still signs addresses with the deprecated version 2 in us-east-1.
            "signature_version": "s3v4",
            # As on disk: a name already taken gets a new one, never overwrites a file.
            "file_overwrite": False,
        },
    }


AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = _object_storage(AWS_STORAGE_BUCKET_NAME)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer's health check asks over plain HTTP, without the proxy's header: answer it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
