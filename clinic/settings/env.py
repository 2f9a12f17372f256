"""Strict readers for environment variables.

A missing or malformed value stops start-up with an ImproperlyConfigured error that names the
variable (as healthchecks' envbool/envint do), instead of silently falling back to a default.
"""

import os
import zoneinfo
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_DATABASE_ENGINES = {"django.db.backends.postgresql", "django.db.backends.sqlite3"}
_BROKER_SCHEMES = {"redis", "rediss", "redis+socket", "sentinel"}


def _masked(url: str) -> str:
    """The URL without its password, safe to print in an error message."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    url = env_str(name, default)
    try:
        config = environ.Env.db_url_config(url)
    except Exception as exc:  # environ raises several types for bad URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL ({_masked(url)}): {exc}") from None
    if config.get("ENGINE") not in _DATABASE_ENGINES:
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:/// URL, not {_masked(url)}.")
    if not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database: {_masked(url)}.")
    return config


def env_broker_url(name: str, default: str) -> str:
    url = env_str(name, default)
    scheme = urlsplit(url).scheme
    if scheme not in _BROKER_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must be a redis://, rediss://, redis+socket:// or sentinel:// URL, not {_masked(url)}."
        )
    return url


def env_email(name: str, default: str) -> dict:
    url = env_str(name, default)
    try:
        return environ.Env.email_url_config(url)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not a valid email URL ({_masked(url)}): {exc}") from None


def env_time_zone(name: str, default: str) -> str:
    value = env_str(name, default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(f"{name} must be an IANA time zone such as America/Denver, not {value!r}.") from None
    return value
