"""The app under load (issue 7, "Load"): gunicorn on PostgreSQL and Redis, on loopback, with 20
simulated members of staff (intake, attorneys, a supervisor) doing their daily mix for 60 seconds
with locust (benchmarks/locustfile.py). A benchmark script, not a test.

Run:  .venv/bin/python benchmarks/load.py   (needs requirements-dev.txt: locust)
      [--users 20 --spawn-rate 5 --run-time 60s --workers 4 --clients 2000 --warmup 20 --wait 1 3]
It uses its own database and Redis database (DATABASE_URL and REDIS_URL, default
postgres://postgres@127.0.0.1:5432/amparo_bench_load and redis://127.0.0.1:6379/13), and on each
run: migrates; on the first, loads `seed_scale --clients 2000 --seed 1` (a clinic of its own,
"scale-clinic": 2,000 clients with their families, 5,000 walk-ins, about 2,400 cases with their
hearings and deadlines; seed_demo is not run: seed_scale loads no cases into a clinic that already
has some, and the demo clinic has); gives the accounts it signs in with a known password (6
intake staff and a supervisor it creates, the 12 attorneys who hold the scale cases) and clears
their django-axes failures; collects the static files; starts gunicorn (4 workers) on a free port
of 127.0.0.1; runs a short warm-up (not reported: every worker compiles its templates and reads
the conflict check's name index once), then the measured run; stops gunicorn, also on Ctrl-C.
Prints total requests, failures, throughput, median and 95th percentile overall and per page,
writes benchmarks/results/load.{md,json}, and exits non-zero on any failed request or any 5xx in
gunicorn's access log.

Settings: gunicorn runs clinic.settings.production unchanged (benchmarks/load_settings.py only
moves the collected static files out of the project's STATIC_ROOT), with what a deployment gives
it in the environment: a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and BEHIND_TLS_PROXY=true,
the documented switch for running behind a TLS-terminating proxy. The benchmark is that proxy on
the loopback hop: each request carries `X-Forwarded-Proto: https`, so HTTPS redirects, HSTS,
Secure cookies and the CSRF origin check all stay on, none weakened; only the client sends the
Secure cookies back over that hop, as a proxy does. (The alternative, the development
settings with DEBUG=false, would measure another static storage and other security settings than
a deployment runs.)

Two-factor sign-in: the supervisor must pass it (clinic/two_factor.py); `two_factor_keys()` gives
the benchmark's supervisor a confirmed authenticator with a known key and the locustfile's
`complete_two_factor()` enters its code (both marked TWO-FACTOR HOOK).

Celery: no worker is started. Pages, walk-ins, conflict checks, notes and deadlines queue no task
(deadline reminders are found later by beat's sweep); a task queued anyway would wait in this
benchmark's Redis database, which is purged at the start of each run, and never block a request.
"""

import argparse
import json
import math
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amparo_bench_load")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/13")
# Preparing the data: the development settings, without DEBUG's record of every query.
os.environ["DJANGO_SETTINGS_MODULE"] = "clinic.settings.local"
os.environ["DEBUG"] = "false"
os.environ.setdefault("LOG_LEVEL", "WARNING")

WORK_DIR = BASE_DIR / "var" / "load"
BIN = Path(sys.executable).parent
PASSWORD = "load-benchmark-only"  # noqa: S105  (the accounts of the benchmark's own database)
INTAKE_ACCOUNTS = [f"load-intake-{n:02d}" for n in range(1, 7)]
SUPERVISOR = "load-supervisor"
# Of the simulated users other than the one supervisor: intake staff and attorneys, 6 to 13.
WEIGHTS = {"intake": 6, "attorney": 13}
CASES_PER_ATTORNEY = 40
PEOPLE = 300


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", default="60s", help="locust's --run-time (default 60s)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, on 2 cores)")
    parser.add_argument("--clients", type=int, default=2000, help="seed_scale --clients, on the first run")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=20, help="seconds of unreported load first (0: none)")
    parser.add_argument(
        "--wait", type=float, nargs=2, default=[1.0, 3.0], metavar=("MIN", "MAX"),
        help="each simulated user's pause between two actions, in seconds (default 1 3)",
    )  # fmt: skip
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: a free one)")
    return parser.parse_args()


def create_database(url: str) -> None:
    """Creates the benchmark database if it is missing (the server's `postgres` database)."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# ---- the data ---------------------------------------------------------------------------------


def prepare(args) -> tuple[dict, dict]:
    """Migrates and seeds the database, sets up the accounts; (the plan for the locustfile, the
    size of the data)."""
    import random

    from axes.utils import reset as axes_reset
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import CommandError, call_command

    from cases.forms import courts_in_use, staff_who_can_lead
    from cases.models import Case, CaseAssignment, Deadline, Hearing
    from clients.scale import scale_clinic
    from clinic.models import Membership

    call_command("migrate", "--noinput", verbosity=0)
    try:
        call_command("seed_scale", clients=args.clients, seed=args.seed)
    except CommandError as exc:  # loaded by an earlier run
        print(f"seed_scale: {exc}")
    clinic = scale_clinic()

    users = get_user_model()
    hashed = make_password(PASSWORD)  # hashed once: the same known password for every account below
    roles = Membership.Role

    def account(username: str, role: str | None):
        user, _ = users.objects.get_or_create(username=username, defaults={"first_name": "Load", "last_name": "Test"})
        if role and not Membership.objects.filter(user=user).exists():
            Membership.objects.create(user=user, clinic=clinic, role=role)
        user.password, user.is_active = hashed, True
        user.save(update_fields=["password", "is_active"])
        axes_reset(username=username)  # no lockout left over from an interrupted run
        return user

    for username in INTAKE_ACCOUNTS:
        account(username, roles.INTAKE)
    supervisor = account(SUPERVISOR, roles.SUPERVISOR)

    rng = random.Random(args.seed)  # noqa: S311  (which cases and people, not a secret)
    open_cases = Case.objects.filter(clinic=clinic).exclude(status=Case.Status.CLOSED)
    attorneys = []
    for member in Membership.objects.filter(clinic=clinic, role=roles.ATTORNEY, user__is_active=True).select_related(
        "user"
    ):
        cases = list(
            CaseAssignment.objects.filter(user=member.user, case__in=open_cases).values_list("case_id", flat=True)
        )
        # The attorneys seed_scale made hold the cases (the demo attorney keeps the demo password).
        if member.user.username.startswith(f"{clinic.slug}-attorney-") and cases:
            account(member.user.username, None)
            sample = rng.sample(cases, min(len(cases), CASES_PER_ATTORNEY))
            attorneys.append({"username": member.user.username, "id": member.user.pk, "cases": sample})
    if not attorneys:
        raise SystemExit(
            f"No attorney of {clinic.slug} holds open cases: seed_scale loaded none (it loads no cases into a "
            "clinic that already has some, such as the demo clinic). Use a fresh database."
        )

    people = list(
        clinic.clients.order_by("?").values(
            "id", "given_names", "paternal_surname", "maternal_surname", "a_number", "date_of_birth"
        )[:PEOPLE]
    )
    for person in people:
        person["date_of_birth"] = person["date_of_birth"].isoformat() if person["date_of_birth"] else None
        person["a_number"] = person["a_number"] or ""

    plan = {
        "password": PASSWORD,
        "wait_seconds": args.wait,
        "weights": WEIGHTS,
        "intake": INTAKE_ACCOUNTS,
        "attorneys": attorneys,
        "supervisor": SUPERVISOR,
        "attorney_ids": list(staff_who_can_lead(clinic).values_list("pk", flat=True)),
        "court_ids": courts_in_use(clinic),
        "people": people,
        "client_ids": [person["id"] for person in people],
        "time_zone": str(clinic.time_zone),
        "two_factor_keys": two_factor_keys([supervisor]),
        "two_factor_state": str(WORK_DIR / "two-factor-step"),
    }
    size = {
        "clinic": clinic.name,
        "clients": clinic.clients.count(),
        "walk_ins": clinic.walk_ins.count(),
        "cases": clinic.cases.count(),
        "hearings": Hearing.objects.filter(case__clinic=clinic).count(),
        "deadlines": Deadline.objects.filter(case__clinic=clinic).count(),
    }
    return plan, size


def two_factor_keys(users) -> dict[str, str]:
    """TWO-FACTOR HOOK. With django-otp installed (issue 7: required for supervisors and clinic
    admins), gives each account that will be asked for a code a confirmed TOTP device with a known
    key (hex, as django-otp stores it); the locustfile's `complete_two_factor()` answers with it.
    Without django-otp: nothing."""
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return {}
    from django_otp.plugins.otp_totp.models import TOTPDevice

    keys = {}
    for user in users:
        key = secrets.token_hex(20)
        TOTPDevice.objects.filter(user=user, name="load benchmark").delete()
        TOTPDevice.objects.create(user=user, name="load benchmark", key=key, confirmed=True)
        keys[user.username] = key
    return keys


# ---- the processes ----------------------------------------------------------------------------


def server_environment() -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}  # production.py has it off
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.load_settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="true",
        LOG_LEVEL="WARNING",
    )
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int) -> subprocess.Popen:
    command = [
        str(BIN / "gunicorn"), "clinic.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--access-logfile", str(WORK_DIR / "access.log"), "--access-logformat", '%(s)s %(m)s "%(U)s" %(M)s',
        "--error-logfile", str(WORK_DIR / "gunicorn.log"), "--graceful-timeout", "5", "--no-control-socket",
    ]  # fmt: skip
    # Its own session: Ctrl-C reaches this script, which stops gunicorn itself (stop()).
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)


def wait_until_ready(server: subprocess.Popen, base: str, timeout: float = 60) -> None:
    # An http:// address this script built: the S310 scheme warning does not apply.
    request = urllib.request.Request(base + "/accounts/login/", headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}); see {WORK_DIR / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s; see {WORK_DIR / 'gunicorn.log'}")


def stop(process: subprocess.Popen | None, name: str) -> None:
    """SIGTERM to the process group this script started, then SIGKILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        print(f"{name} did not stop in 15 s: killing it")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def run_locust(args, base: str, plan_path: Path, samples_path: Path, run_time: str, label: str) -> tuple[int, dict]:
    """One headless locust run; (its exit status, the samples the locustfile recorded)."""
    env = {**os.environ, "AMPARO_LOAD_PLAN": str(plan_path), "AMPARO_LOAD_SAMPLES": str(samples_path)}
    samples_path.unlink(missing_ok=True)
    log = WORK_DIR / f"locust-{label}.log"
    command = [
        str(BIN / "locust"), "-f", str(BASE_DIR / "benchmarks" / "locustfile.py"), "--headless", "--host", base,
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", run_time,
        "--stop-timeout", "10", "--only-summary", "--csv", str(WORK_DIR / f"locust-{label}"),
        "--loglevel", "WARNING",
    ]  # fmt: skip
    with log.open("w") as output:
        locust = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
                                  start_new_session=True)  # fmt: skip
        try:
            status = locust.wait()
        finally:
            stop(locust, "locust")
    if not samples_path.exists():
        raise SystemExit(f"locust wrote no samples; see {log}:\n{log.read_text()[-3000:]}")
    return status, json.loads(samples_path.read_text())


def purge_queue() -> None:
    """Tasks left in this benchmark's Redis database by an earlier run (none are expected)."""
    import redis

    redis.Redis.from_url(os.environ["REDIS_URL"]).delete("celery")


# ---- the numbers ------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank, as the page benchmarks take it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summarise(samples: list[list]) -> dict:
    times = [sample[1] for sample in samples]
    return {
        "requests": len(samples),
        "failures": sum(1 for sample in samples if not sample[2]),
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
        "max_ms": round(max(times), 1) if times else None,
    }


def served(since: int) -> dict:
    """What gunicorn's access log says after byte `since`: requests, 5xx answers, and the server's
    own time per request (from reading the request to the last byte; no wait in the listen queue)."""
    with (WORK_DIR / "access.log").open("rb") as log:
        log.seek(since)
        lines = log.read().decode(errors="replace").splitlines()
    times = [float(line.rsplit(" ", 1)[1]) for line in lines]
    return {
        "requests": len(lines),
        "5xx": sum(1 for line in lines if re.match(r"5\d\d ", line)),
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(percentile(times, 0.95), 1) if times else None,
    }


def report(args, size: dict, run: dict, locust_status: int, server: dict, warmup: dict | None) -> bool:
    from django.db import connection

    samples = run["samples"]
    duration = run["stopped"] - run["started"]
    overall = summarise(samples)
    overall["requests_per_second"] = round(len(samples) / duration, 1)
    pages = {}
    for name in sorted({sample[0] for sample in samples}):
        pages[name] = summarise([sample for sample in samples if sample[0] == name])
    failing = sorted({(sample[0], sample[3]) for sample in samples if not sample[2]})
    pages_only = summarise([sample for sample in samples if not sample[0].startswith("sign in")])
    ok = overall["failures"] == 0 and server["5xx"] == 0 and locust_status == 0 and overall["requests"] > 0
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": connection.cursor().connection.info.server_version,
    }
    users = ", ".join(f"{count} {role}" for role, count in sorted(run["users"].items()))
    title = (
        f"Load: {args.users} simulated staff ({users}) for {args.run_time}, gunicorn with {args.workers} "
        f"workers on {machine['cpus']} cores, PostgreSQL {machine['postgresql'] // 10000} and Redis on loopback"
    )
    lines = [
        f"# {title}",
        "",
        f"Data: {size['clinic']}: {size['clients']:,} clients, {size['walk_ins']:,} walk-ins, {size['cases']:,} "
        f"cases, {size['hearings']:,} hearings, {size['deadlines']:,} deadlines. Production settings behind a "
        f"loopback TLS proxy; each user pauses {args.wait[0]:g} to {args.wait[1]:g} s between actions; "
        f"{'a ' + str(args.warmup) + ' s warm-up first, not counted' if warmup else 'no warm-up'}. "
        f"Run {datetime.now(UTC).astimezone():%d %b %Y %H:%M}.",
        "",
        "| what | value |",
        "| --- | ---: |",
        f"| requests | {overall['requests']:,} in {duration:.1f} s |",
        f"| failures | {overall['failures']} |",
        f"| 5xx in gunicorn's access log | {server['5xx']} (of {server['requests']:,} requests served) |",
        f"| throughput | {overall['requests_per_second']} requests/s |",
        f"| median | {overall['median_ms']} ms |",
        f"| 95th percentile | {overall['p95_ms']} ms |",
        f"| max | {overall['max_ms']} ms |",
        f"| median / p95 without the sign-ins | {pages_only['median_ms']} / {pages_only['p95_ms']} ms |",
        f"| server time in gunicorn, median / p95 | {server['median_ms']} / {server['p95_ms']} ms |",
        f"| load average before / after (other work on the machine counts) | {run['load'][0]:.2f} / "
        f"{run['load'][1]:.2f} |",
        "",
        "| page | requests | failures | median ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in pages.items():
        cells = [name, row["requests"], row["failures"], row["median_ms"], row["p95_ms"], row["max_ms"]]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    if failing:
        lines += ["", "Failed: " + ", ".join(f"{name} ({status or 'no answer'})" for name, status in failing)]
    lines += ["", "Verdict: " + ("no failure, no 5xx." if ok else "**FAILED** (see above and var/load/).")]
    text = "\n".join(lines) + "\n"
    print(text)
    results = BASE_DIR / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "load.md").write_text(text)
    data = {
        "users": args.users, "spawn_rate": args.spawn_rate, "run_time": args.run_time, "duration_s": round(duration, 1),
        "workers": args.workers, "wait_seconds": args.wait, "warmup_s": args.warmup if warmup else 0,
        "simulated_users": run["users"], "machine": machine, "data": size, "overall": overall,
        "without_sign_in": pages_only, "server": server, "load_average": run["load"],
        "locust_exit_status": locust_status, "warmup": warmup, "pages": pages, "ok": ok,
    }  # fmt: skip
    (results / "load.json").write_text(json.dumps(data, indent=2) + "\n")
    return ok


# ---- main -------------------------------------------------------------------------------------


def main() -> int:
    args = arguments()
    # A SIGTERM ends the script as Ctrl-C does: through the `finally` that stops what it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    create_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    print(f"Preparing {os.environ['DATABASE_URL'].rsplit('/', 1)[1]} (the first run loads the scale data)...")
    plan, size = prepare(args)
    plan_path = WORK_DIR / "plan.json"
    plan_path.write_text(json.dumps(plan))
    purge_queue()

    env = server_environment()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    (WORK_DIR / "access.log").write_text("")
    gunicorn = None
    try:
        gunicorn = start_gunicorn(env, port, args.workers)
        wait_until_ready(gunicorn, base)
        print(f"gunicorn ({args.workers} workers) answers on {base}")
        warmup = None
        if args.warmup:
            print(f"Warm-up: {args.warmup} s...")
            status, run = run_locust(args, base, plan_path, WORK_DIR / "warmup.json", f"{args.warmup}s", "warmup")
            warmup = summarise(run["samples"])
            if status or warmup["failures"]:
                print(f"The warm-up failed ({warmup['failures']} failed requests); see {WORK_DIR}/locust-warmup.log")
        since = (WORK_DIR / "access.log").stat().st_size
        load_before = os.getloadavg()[0]
        print(f"Measuring: {args.users} users, spawn rate {args.spawn_rate}/s, {args.run_time}...")
        status, run = run_locust(args, base, plan_path, WORK_DIR / "samples.json", args.run_time, "measured")
        time.sleep(0.5)  # gunicorn writes its last access-log lines
        answered = served(since)
    finally:
        stop(gunicorn, "gunicorn")
    run["load"] = [load_before, os.getloadavg()[0]]
    ok = report(args, size, run, status, answered, warmup)
    if warmup and warmup["failures"]:
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the `finally` above has stopped gunicorn and locust
        print("Interrupted: everything this script started is stopped.")
        sys.exit(130)
