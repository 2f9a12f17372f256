"""The production settings refuse to start without real secrets, and pass `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args, **env_overrides):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings.production", **env_overrides}
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )


def test_it_refuses_to_start_without_a_secret_key():
    result = run_manage("check", SECRET_KEY=None, ALLOWED_HOSTS="clinic.example.org")
    assert result.returncode == 2
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_it_refuses_the_development_key():
    from clinic.settings.base import DEV_SECRET_KEY

    result = run_manage("check", SECRET_KEY=DEV_SECRET_KEY, ALLOWED_HOSTS="clinic.example.org")
    assert result.returncode == 2
    assert "SECRET_KEY must be a random value" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=None)
    assert result.returncode == 2
    assert "ALLOWED_HOSTS" in result.stderr


def test_check_deploy_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="clinic.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
