"""The headers of a page served the way production serves it: gunicorn with the production
settings behind a TLS proxy. A Content Security Policy with no inline script or style, HSTS,
nosniff, frame denial, a referrer policy, and cookies that never travel over plain HTTP."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
HOST = "clinic.example.org"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test run's own database: the login page needs none of its rows."""
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def production_server(django_db_setup):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "BEHIND_TLS_PROXY": "1",
        "DATABASE_URL": database_url(),
    }
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=BASE_DIR, env=environment, check=True, timeout=120)
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "clinic.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def fetch(url: str, *, https: bool):
    headers = {"Host": HOST}
    if https:
        headers["X-Forwarded-Proto"] = "https"
    opener = urllib.request.build_opener(NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, headers=headers), timeout=10)  # noqa: S310 (http to loopback)
    except urllib.error.HTTPError as answer:  # a 3xx without a redirect handler, or an error
        return answer


def test_a_served_page_carries_the_security_headers(production_server):
    response = fetch(f"{production_server}/accounts/login/", https=True)
    assert response.status == 200
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    cookies = headers.get_all("Set-Cookie")
    csrf = next(cookie for cookie in cookies if cookie.startswith("csrftoken="))
    assert "Secure" in csrf
    assert "HttpOnly" in csrf
    body = response.read().decode()
    assert "<script>" not in body  # every script is a file: no inline one for the policy to allow
    assert 'style="' not in body


def test_plain_http_is_sent_to_https(production_server):
    response = fetch(f"{production_server}/accounts/login/", https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/accounts/login/"
