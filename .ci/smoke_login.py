"""Smoke test of a running `make run`: wait for /healthz to report database, broker and beat ok
(a real Celery round trip), then sign in as a demo user through the login form and the
two-factor step (the demo supervisor's published authenticator key, clinic/demo.py).

Standard library only, so it runs before and outside the project's virtualenv.
Usage: python3 .ci/smoke_login.py http://127.0.0.1:8000 [timeout-seconds]
"""

import base64
import hashlib
import hmac
import http.cookiejar
import json
import struct
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


# DEMO_TOTP_SECRET of clinic/demo.py: the demo supervisor's authenticator key, published on purpose.
DEMO_TOTP_SECRET = "AMPARODEMO2FASECRETNOTFORREALUSE"  # noqa: S105 (published demo key)
VERIFY_PATH = "/account/two-factor/verify/"


def totp(secret: str, step: int) -> str:
    """RFC 6238 code (SHA-1, 6 digits) of the 30-second step `step`."""
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def sign_in(base: str, username: str, password: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(url: str, fields: dict) -> str:
        token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
        form = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(url, data=form.encode(), headers={"Referer": base})
        with opener.open(request, timeout=10) as response:
            return response.geturl()

    opener.open(f"{base}/accounts/login/", timeout=10).read()
    landed = post(f"{base}/accounts/login/", {"username": username, "password": password})
    # The second step: the current code, or the next one if the current was already used (after
    # the second a wrong code makes the next try wait).
    now = int(time.time()) // 30
    for step in (now, now + 1):
        if VERIFY_PATH not in landed:
            break
        if step != now:
            time.sleep(1.5)
        landed = post(landed, {"code": totp(DEMO_TOTP_SECRET, step)})
    return landed


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
