"""Smoke test of a running `make run`: wait for /healthz to report database, broker and beat ok
(a real Celery round trip), then sign in as a demo user through the login form.

Standard library only, so it runs before and outside the project's virtualenv.
Usage: python3 .ci/smoke_login.py http://127.0.0.1:8000 [timeout-seconds]
"""

import http.cookiejar
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def wait_for_health(base: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    last = "no answer yet"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                return json.load(response)
        except urllib.error.HTTPError as exc:
            last = exc.read().decode()
        except OSError as exc:
            last = str(exc)
        time.sleep(2)
    raise SystemExit(f"/healthz never became healthy in {timeout:.0f}s; last answer: {last}")


def sign_in(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{base}/accounts/login/", timeout=10).read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"{base}/accounts/login/", data=form.encode(), headers={"Referer": base})
    with opener.open(request, timeout=10) as response:
        return response.geturl()


def main() -> None:
    base = sys.argv[1].rstrip("/")
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 300
    health = wait_for_health(base, timeout)
    print(f"healthz: {health}")
    landed = sign_in(base, "supervisor", "clinic-demo")
    if not landed.endswith("/dashboard/"):
        raise SystemExit(f"signing in as the demo supervisor landed on {landed}, not the dashboard")
    print(f"signed in as supervisor, landed on {landed}")


if __name__ == "__main__":
    main()
