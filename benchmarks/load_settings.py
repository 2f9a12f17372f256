"""The settings gunicorn runs under in benchmarks/load.py: clinic.settings.production unchanged
(DEBUG off, secure cookies, HSTS, HTTPS redirect, the manifest static storage served by
whitenoise), except where the collected static files go. The project's STATIC_ROOT (var/staticfiles)
is left alone: hashed copies there would outlive the run and could be served instead of the files
that `make run` and the browser tests read from static/. The URLs are the app's, with two reference
pages of benchmarks/http_load.py beside them (benchmarks/floor_urls.py)."""

from clinic.settings.production import *  # noqa: F403
from clinic.settings.production import VAR_DIR

STATIC_ROOT = VAR_DIR / "load" / "staticfiles"
ROOT_URLCONF = "benchmarks.floor_urls"
