"""Start-up fails with a message that names a missing or malformed environment variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from clinic.settings import env

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("reader", "name", "value"),
    [
        (lambda: env.env_bool("DEBUG", False), "DEBUG", "maybe"),
        (lambda: env.env_int("SESSION_IDLE_MINUTES", 30, minimum=1), "SESSION_IDLE_MINUTES", "half an hour"),
        (lambda: env.env_int("SESSION_IDLE_MINUTES", 30, minimum=1), "SESSION_IDLE_MINUTES", "0"),
        (lambda: env.env_database("DATABASE_URL", "sqlite:///x"), "DATABASE_URL", "mysql://db/amparo"),
        (lambda: env.env_database("DATABASE_URL", "sqlite:///x"), "DATABASE_URL", "not a url"),
        (lambda: env.env_broker_url("REDIS_URL", "redis://x"), "REDIS_URL", "amqp://guest@localhost//"),
        (lambda: env.env_email("EMAIL_URL", "consolemail://"), "EMAIL_URL", "carrier-pigeon://coop"),
        (lambda: env.env_time_zone("TIME_ZONE", "UTC"), "TIME_ZONE", "Mars/Olympus_Mons"),
        (lambda: env.env_str("SECRET_KEY"), "SECRET_KEY", ""),
    ],
)
@pytest.mark.filterwarnings("ignore:Engine not recognized")
def test_it_names_the_bad_variable(monkeypatch, reader, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        reader()


def test_it_hides_the_database_password_in_the_message(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://amparo:s3cret@db/amparo")
    with pytest.raises(ImproperlyConfigured) as excinfo:
        env.env_database("DATABASE_URL", "sqlite:///x")
    assert "s3cret" not in str(excinfo.value)


def test_it_reads_good_values(monkeypatch):
    monkeypatch.setenv("DEBUG", "yes")
    monkeypatch.setenv("ALLOWED_HOSTS", "clinic.example.org, localhost")
    monkeypatch.setenv("DATABASE_URL", "postgres://amparo@db:5432/amparo")
    assert env.env_bool("DEBUG", False) is True
    assert env.env_list("ALLOWED_HOSTS", []) == ["clinic.example.org", "localhost"]
    assert env.env_database("DATABASE_URL", "sqlite:///x")["NAME"] == "amparo"


def test_manage_py_says_which_variable_is_wrong_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings.local", "TIME_ZONE": "El Paso"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "TIME_ZONE must be an IANA time zone" in result.stderr
    assert "Traceback" not in result.stderr
