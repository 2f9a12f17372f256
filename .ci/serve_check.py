"""`make serve` on loopback: the production processes start, answer, do their work and stop.

Starts `make serve` in its own process group with a throwaway environment: the database
amparo_serve (created here, dropped at the end), Redis database 12 (emptied before and after), a
random SECRET_KEY, static and uploaded files in a temporary folder, and a heartbeat every 2 s.
Then, in order:
- /healthz answers 200 over plain HTTP (as a load balancer asks): database and broker up, and a
  heartbeat that beat sent through Redis to the reminders worker;
- `manage.py shell` creates a clinic and an attorney, and a dashboard recount queued on the default
  queue is done by the other worker;
- the attorney signs in through the login form and the start page opens;
- exactly one beat, two Celery workers (queues reminders and celery) and a gunicorn master with at
  least two workers run;
- SIGTERM to the process group stops every one of them within 20 s.
Any failure exits non-zero with what failed and the end of the log.

The check plays the TLS proxy on the loopback hop, as benchmarks/load.py does: BEHIND_TLS_PROXY=true
and each request carries X-Forwarded-Proto: https, so the HTTPS redirect, HSTS, Secure cookies and
the CSRF origin check stay as a deployment has them (sending the Secure cookies back over that hop
is the script's doing, as a proxy's would be).

Standard library only: it runs the project's own tools from .venv.
Usage: python3 .ci/serve_check.py [timeout-seconds until /healthz answers, default 180]
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = BASE_DIR / ".venv" / "bin" / "python"
SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "amparo_serve"
REDIS_URL = "redis://127.0.0.1:6379/12"
USERNAME = "serve-check"
MARKER = "AMPARO_SERVE_CHECK"
STOP_WITHIN = 20  # seconds; honcho itself kills what is still running 5 s after its SIGTERM

DATABASE_ADMIN = """
import sys, psycopg
from psycopg import sql
with psycopg.connect(sys.argv[1], autocommit=True) as admin:
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(sys.argv[2])))
    if sys.argv[3] == "create":
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(sys.argv[2])))
"""
FLUSH_REDIS = "import sys, redis; redis.Redis.from_url(sys.argv[1]).flushdb()"
# Run by `manage.py shell` with the production settings. The recount goes to the default queue
# (CELERY_TASK_ROUTES), so it proves the second worker as the heartbeat proves the first.
PREPARE = """
import json, os, time
from django.contrib.auth import get_user_model
from clinic.models import Clinic, DashboardCounted, Membership
from clinic.tasks import recount_dashboards

clinic = Clinic.objects.create(name="Serve check", slug="serve-check", time_zone="UTC")
user = get_user_model().objects.create_user("serve-check", password=os.environ["SERVE_CHECK_PASSWORD"])
Membership.objects.create(user=user, clinic=clinic, role=Membership.Role.ATTORNEY)
started = time.monotonic()
recount_dashboards.delay(clinic.pk)
while not DashboardCounted.objects.filter(clinic=clinic).exists() and time.monotonic() - started < 20:
    time.sleep(0.2)
print(json.dumps({"recounted": DashboardCounted.objects.filter(clinic=clinic).exists(),
                  "seconds": round(time.monotonic() - started, 1)}))
"""


class CheckFailedError(Exception):
    pass


def venv_python(code: str, *args: str) -> str:
    result = subprocess.run([str(PYTHON), "-c", code, *args], capture_output=True, text=True, timeout=60)
    if result.returncode:
        raise CheckFailedError(f"{code.strip().splitlines()[0]}... failed:\n{result.stderr[-2000:]}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(port: int, folder: Path) -> dict:
    # Not the settings, switches or make flags of whatever runs this script.
    dropped = {"DEBUG", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "DATABASE_TRANSACTION_POOLING"}
    prefixes = ("DJANGO_", "SERVE_", "AWS_", "REDIS_SENTINEL_", "REMINDERS_", "WORKER_")
    env = {key: value for key, value in os.environ.items() if key not in dropped and not key.startswith(prefixes)}
    env.update(
        DATABASE_URL=f"{SERVER}/{DATABASE}",
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        BEHIND_TLS_PROXY="true",
        PORT=str(port),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        HEARTBEAT_INTERVAL_SECONDS="2",
        LOG_LEVEL="WARNING",
    )
    # Every process make serve starts inherits it: how this script finds them all (started_here).
    env[MARKER] = secrets.token_hex(8)
    return env


# ---- HTTP, with the proxy's header and the cookies kept by hand ------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str):
        self.base = base
        # Where the browser believes it is: the proxy's HTTPS address (the CSRF check compares them).
        self.origin = base.replace("http://", "https://", 1)
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, fields: dict | None = None, https: bool = True):
        """(status, headers, body) of one request; no redirect is followed."""
        headers = {"Referer": self.origin + path}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            response = self.opener.open(request, timeout=15)
        except urllib.error.HTTPError as answer:  # a 3xx without a redirect handler, or an error
            response = answer
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, response.read().decode(errors="replace")

    def follow(self, path: str, fields: dict | None = None) -> tuple[str, int, str]:
        """(final path, status, body) after following redirects within the app."""
        status, headers, body = self.request(path, fields)
        for _ in range(5):
            if status not in (301, 302, 303):
                break
            path = urllib.parse.urlsplit(headers["Location"]).path
            status, headers, body = self.request(path)
        return path, status, body


def wait_for_health(base: str, server: subprocess.Popen, deadline: float, log_path: Path) -> tuple[dict, float]:
    """/healthz's answer, and when honcho started the processes (migrations and static files done)."""
    last, processes_at = "no answer yet", 0.0
    while time.monotonic() < deadline:
        if not processes_at and "started (pid=" in log_path.read_text(errors="replace"):
            processes_at = time.monotonic()
        if server.poll() is not None:
            raise CheckFailedError(f"make serve stopped (exit {server.returncode}) before /healthz answered")
        try:
            # Plain HTTP and no proxy header: what a load balancer's health check sends.
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:
                return json.load(response), processes_at or time.monotonic()
        except urllib.error.HTTPError as exc:
            last = f"{exc.code} {exc.read().decode(errors='replace')}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.5)
    raise CheckFailedError(f"/healthz did not answer 200 in time; last answer: {last}")


def sign_in(base: str, password: str) -> str:
    browser = Browser(base)
    status, _, _ = browser.request("/accounts/login/", https=False)
    if status != 301:
        raise CheckFailedError(f"plain HTTP to the login page answered {status}, not a redirect to HTTPS")
    status, headers, _ = browser.request("/accounts/login/")
    if status != 200 or "max-age=" not in headers.get("Strict-Transport-Security", ""):
        raise CheckFailedError(f"the login page answered {status} (HSTS: {headers.get('Strict-Transport-Security')})")
    fields = {"username": USERNAME, "password": password, "csrfmiddlewaretoken": browser.cookies.get("csrftoken", "")}
    path, status, body = browser.follow("/accounts/login/", fields)
    if status != 200 or 'action="/accounts/logout/"' not in body:
        raise CheckFailedError(f"signing in ended on {path} with {status}, not a signed-in page")
    return path


# ---- processes --------------------------------------------------------------------------------


def started_here(token: str) -> dict[int, tuple[int, list[str]]]:
    """pid -> (parent pid, argv) of every live process whose environment carries MARKER=token: all
    that `make serve` started, even those whose parent has died (not a zombie: its environment is gone)."""
    marker, found = f"{MARKER}={token}".encode(), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if marker not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
        except OSError:  # gone meanwhile
            continue
        # "pid (name) state ppid ...": the name may hold spaces and parentheses.
        found[int(entry.name)] = (int(stat[stat.rindex(")") + 2 :].split()[1]), argv)
    return found


def program(argv: list[str]) -> str:
    """celery or gunicorn for their processes (argv[0] is python when the script's shebang ran it)."""
    names = [Path(arg).name for arg in argv[:2]]
    return next((name for name in names if name in ("celery", "gunicorn")), "")


def count_processes(token: str) -> dict:
    table = started_here(token)

    def parent_is(pid: int, name: str) -> bool:
        parent = table.get(table[pid][0])
        return parent is not None and program(parent[1]) == name

    def kind(argv: list[str]) -> str:
        return f"{program(argv)}.{next((word for word in ('beat', 'worker') if word in argv), '')}"

    beats = [pid for pid, (_, argv) in table.items() if kind(argv) == "celery.beat"]
    # A worker's pool children are celery processes whose parent is the worker.
    workers = [
        pid for pid, (_, argv) in table.items() if kind(argv) == "celery.worker" and not parent_is(pid, "celery")
    ]
    masters = [
        pid for pid, (_, argv) in table.items() if program(argv) == "gunicorn" and not parent_is(pid, "gunicorn")
    ]
    web_workers = [pid for pid, (ppid, argv) in table.items() if program(argv) == "gunicorn" and ppid in masters]
    queues = [table[pid][1][table[pid][1].index("--queues") + 1] for pid in workers if "--queues" in table[pid][1]]
    return {
        "beat": len(beats),
        "celery_workers": len(workers),
        "queues": sorted(queues),
        "gunicorn_masters": len(masters),
        "gunicorn_workers": len(web_workers),
    }


def stop(server: subprocess.Popen, token: str) -> list[str]:
    """SIGTERM to make's process group, as Ctrl-C or systemd sends it (honcho passes it on to its
    processes); what is still running STOP_WITHIN s later."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_WITHIN
    while time.monotonic() < deadline:
        if server.poll() is not None and not started_here(token):
            return []
        time.sleep(0.2)
    left = [" ".join(argv)[:120] for _, argv in started_here(token).values()]
    return left + (["make serve"] if server.poll() is None else [])


def kill_leftovers(server: subprocess.Popen, token: str) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    for pid in started_here(token):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.wait(timeout=10)


# ---- the check --------------------------------------------------------------------------------


def check(server: subprocess.Popen, env: dict, password: str, deadline: float, started: float, log: Path) -> dict:
    base = f"http://127.0.0.1:{env['PORT']}"
    health, processes_at = wait_for_health(base, server, deadline, log)
    print(f"migrations applied and static files collected after {processes_at - started:.1f}s")
    print(f"healthz 200 after {time.monotonic() - started:.1f}s: {health}")
    shell_env = {**env, "DJANGO_SETTINGS_MODULE": "clinic.settings.production", "SERVE_CHECK_PASSWORD": password}
    result = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "-c", PREPARE],
        cwd=BASE_DIR, env=shell_env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    if result.returncode:
        raise CheckFailedError(f"manage.py shell failed:\n{result.stderr[-2000:]}")
    prepared = json.loads(result.stdout.strip().splitlines()[-1])
    if not prepared["recounted"]:
        raise CheckFailedError("a dashboard recount queued on the default queue was not done within 20 s")
    print(f"clinic and attorney created; a recount went through the default queue in {prepared['seconds']}s")
    landed = sign_in(base, password)
    print(f"signed in as {USERNAME} (through the proxy header), landed on {landed}")
    counted = count_processes(env[MARKER])
    print(f"processes: {counted}")
    expected = {"beat": 1, "celery_workers": 2, "queues": ["celery", "reminders"], "gunicorn_masters": 1}
    wrong = {key: counted[key] for key, value in expected.items() if counted[key] != value}
    if wrong or counted["gunicorn_workers"] < 2:
        raise CheckFailedError(f"expected {expected} and at least 2 gunicorn workers, found {counted}")
    return counted


def main() -> int:
    timeout = float(sys.argv[1]) if len(sys.argv) > 1 else 180
    # A SIGTERM (CI's time running out) ends the script as Ctrl-C does: through the cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    # make serve would install these too; here first, as the database is made with the venv's psycopg.
    subprocess.run(["make", "--no-print-directory", ".venv/.run-installed"], cwd=BASE_DIR, check=True)
    venv_python(DATABASE_ADMIN, f"{SERVER}/postgres", DATABASE, "create")
    venv_python(FLUSH_REDIS, REDIS_URL)
    folder = Path(tempfile.mkdtemp(prefix="amparo-serve-"))
    port = free_port()
    env = environment(port, folder)
    log_path = folder / "serve.log"
    server, failure = None, None
    try:
        with log_path.open("w") as log:
            server = subprocess.Popen(
                ["make", "--no-print-directory", "serve"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        check(server, env, secrets.token_urlsafe(16), started + timeout, started, log_path)
        running = len(started_here(env[MARKER]))
        stopping = time.monotonic()
        left = stop(server, env[MARKER])
        if left:
            raise CheckFailedError(f"still running {STOP_WITHIN}s after SIGTERM: {left}")
        print(f"SIGTERM stopped all {running} processes in {time.monotonic() - stopping:.1f}s")
    except (CheckFailedError, subprocess.TimeoutExpired, OSError) as error:
        failure = error
    finally:
        if server is not None:
            kill_leftovers(server, env[MARKER])
        venv_python(DATABASE_ADMIN, f"{SERVER}/postgres", DATABASE, "drop")
        venv_python(FLUSH_REDIS, REDIS_URL)
    if failure is not None:
        print(f"serve check FAILED: {failure}\n--- the end of make serve's output ({log_path}):")
        print("\n".join(log_path.read_text(errors="replace").splitlines()[-60:]))
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    print(f"serve check passed in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CheckFailedError as error:  # before make serve started: PostgreSQL or Redis unreachable
        sys.exit(f"serve check FAILED: {error}")
