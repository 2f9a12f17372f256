"""Reads clinic.settings.production as a deployment would get it: imported in a fresh interpreter
with only the environment given (the test run's own settings are long loaded and cannot be)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
# Switches a developer's shell may carry that would change what a test expects.
SWITCHES = ("AWS_", "REDIS_SENTINEL_", "DATABASE_TRANSACTION_POOLING", "STATIC_ROOT", "MEDIA_ROOT", "DJANGO_")
# A setting the module leaves out has Django's default, as in a running app.
READ = """
import json
from django.conf import global_settings
import clinic.settings.production as settings
names = ["STORAGES", "CACHES", "DATABASES", "STATIC_ROOT", "MEDIA_ROOT", "SESSION_ENGINE",
         "SECURE_REDIRECT_EXEMPT", "CELERY_BROKER_URL", "CELERY_BROKER_TRANSPORT_OPTIONS"]
values = {name: getattr(settings, name, getattr(global_settings, name, None)) for name in names}
print(json.dumps(values, default=str))
"""


def environment(**env: str | None) -> dict:
    inherited = {key: value for key, value in os.environ.items() if not key.startswith(SWITCHES)}
    merged = {**inherited, "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "clinic.example.org", **env}
    return {key: value for key, value in merged.items() if value is not None}


def run_python(code: str, **env: str | None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=environment(**env), capture_output=True, text=True, timeout=60
    )


def production_settings(**env: str | None) -> dict:
    """The settings production.py makes of `env` (on top of the test run's DATABASE_URL and REDIS_URL)."""
    result = run_python(READ, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
