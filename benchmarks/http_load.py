"""The HTTP load run of `make bench` (issue 9): the client list and the case overview under
gunicorn with the production settings, on loopback, driven by wrk (Debian's `wrk`, a C load
generator, so the 2 cores go to the app and PostgreSQL rather than to the load generator).
Budget: at least 200 requests/s each, with the 95th percentile under 150 ms.

    DATABASE_URL=postgres://.../amparo_bench .venv/bin/python benchmarks/http_load.py
It needs the scale data already loaded (manage.py seed_scale, or benchmarks/bench.py). Each URL
gets a warm-up, then a measured run with a fixed number of open connections; every request
carries a signed-in member's session cookie (an intake worker for the client list, the case's lead
attorney for the overview) and `X-Forwarded-Proto: https`, as from a TLS-terminating load
balancer (the server setup is benchmarks/load.py's: BEHIND_TLS_PROXY, nothing weakened).
Beside them, three references not held to the budget, the floor under it: the sign-in page, an
empty signed-in page, and the case overview's floor (benchmarks/floor_urls.py).
Writes benchmarks/results/http_load.{md,json}; exits 1 when a URL misses the budget or any
request fails.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.local")
os.environ["DEBUG"] = "false"

from benchmarks import load  # gunicorn's environment, start and stop (benchmarks/load.py)

MIN_RATE = 200
MAX_P95_MS = 150
# Reference rows, not held to the budget: the floor under the budgeted URLs.
SIGN_IN = "reference: the sign-in page, signed out"
EMPTY_PAGE = "reference: an empty signed-in page (session, member, middleware, the page's frame)"
CASE_FLOOR = "reference: the case overview's floor (its case read and the view audited, nothing shown)"
REFERENCES = (SIGN_IN, EMPTY_PAGE, CASE_FLOOR)

# wrk's Lua hook: the figures as one JSON line (wrk prints only some percentiles itself).
REPORT_LUA = """
-- Every answer but a 200 counts as failed: wrk itself counts only 4xx and 5xx, so a redirect to
-- the sign-in page (a session the server does not accept) would pass unseen.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) not_200 = 0 end
response = function(status, headers, body) if status ~= 200 then not_200 = not_200 + 1 end end
done = function(summary, latency, requests)
  local errors, failed = summary.errors, 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("not_200") end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "median_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f, ' ..
    '"not_200": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, latency.max / 1e3, failed,
    errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # One per core: the pages are CPU-bound (PostgreSQL answers in about a millisecond), and on 2
    # cores shared with PostgreSQL and wrk, 4 workers served about 10% fewer requests/s than 2
    # (client list 202-208 against 228-233) with the same CPU spent: more switching between them.
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (default one per core)"
    )
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections (default 8)")
    parser.add_argument("--duration", type=int, default=30, help="seconds measured per URL (default 30)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of unreported load first (default 5)")
    parser.add_argument("--name", default="http_load", help="results file name: benchmarks/results/NAME.{md,json}")
    parser.add_argument(
        "--report-only", action="store_true", help="exit 0 even when a budget is missed (the table still says so)"
    )
    parser.add_argument("--results", type=Path, default=BASE_DIR / "benchmarks" / "results")
    return parser.parse_args()


def targets(secret_key: str) -> list[dict]:
    """The two URLs with the session cookie of the member who opens them, made with the server's
    SECRET_KEY (a session's user hash is signed with it)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client as HttpClient

    from benchmarks.pagetiming import busiest_lead
    from cases.models import Case
    from clients.scale import scale_clinic
    from clinic.models import Membership

    settings.SECRET_KEY = secret_key
    clinic = scale_clinic()
    users = get_user_model()
    intake, _ = users.objects.get_or_create(username=f"bench-intake-{clinic.slug}")
    Membership.objects.get_or_create(user=intake, defaults={"clinic": clinic, "role": Membership.Role.INTAKE})
    lead = busiest_lead(clinic)
    case_pk = (
        Case.objects.filter(clinic=clinic, assignments__user_id=lead)
        .annotate(n=Count("hearings"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    attorney = users.objects.get(pk=lead)
    budgeted = [
        ("client list, first page", intake, "/clients/"),
        ("case overview (the lead attorney's case with the most hearings)", attorney, f"/cases/{case_pk}/"),
    ]
    # References, not budgeted (benchmarks/floor_urls.py): what any signed-in page costs before it
    # shows anything, and what the case overview must do before it shows anything (read the case
    # for its attorney, audit the view). The budgeted URLs cannot be faster than these.
    references = [
        (EMPTY_PAGE, attorney, "/bench-floor/empty/"),
        (CASE_FLOOR, attorney, f"/bench-floor/case/{case_pk}/"),
    ]
    rows = []
    for name, user, path in budgeted + references:
        http = HttpClient()
        http.force_login(user)
        cookie = http.cookies[settings.SESSION_COOKIE_NAME].value
        rows.append({"name": name, "path": path, "cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
    # The sign-in page, signed out (no query, a small template, every middleware): the most
    # requests/s this machine gives any page of the app.
    rows.append({"name": SIGN_IN, "path": "/accounts/login/", "cookie": "reference=1"})
    from django.db import connection

    connection.close()
    return rows


def wrk(base: str, target: dict, seconds: int, connections: int, script: Path) -> dict:
    command = [
        "wrk", "--threads", "1", "--connections", str(connections), "--duration", f"{seconds}s", "--timeout", "10s",
        "--script", str(script), "--header", f"Cookie: {target['cookie']}", "--header", "X-Forwarded-Proto: https",
        base + target["path"],
    ]  # fmt: skip
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    figures["rate"] = round(figures["requests"] / figures["seconds"], 1)
    return figures


def markdown(rows: list[dict], args, load_average: tuple) -> str:
    lines = [
        f"# HTTP load: gunicorn ({args.workers} workers), production settings, wrk with {args.connections} "
        f"connections for {args.duration} s per URL",
        "",
        f"Loopback on this machine ({os.cpu_count()} cores, shared by wrk, gunicorn and PostgreSQL); load average "
        f"{load_average[0]:.2f} before. Budget: at least {MIN_RATE} requests/s with the 95th percentile under "
        f"{MAX_P95_MS} ms.",
        "",
        "| URL | requests/s | median ms | p95 ms | p99 ms | max ms | failed | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        failed = row["not_200"] + row["socket_errors"]
        lines.append(
            f"| {row['name']} | {row['rate']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['max_ms']:.1f} | {failed} | {'' if row['met'] is None else 'yes' if row['met'] else '**MISSED**'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    args = arguments()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    env = load.server_environment()
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"]
    subprocess.run(collect, cwd=BASE_DIR, env=env, check=True)
    rows = targets(env["SECRET_KEY"])
    load.WORK_DIR.mkdir(parents=True, exist_ok=True)
    port = load.free_port()
    base = f"http://127.0.0.1:{port}"
    load_average = os.getloadavg()
    server = None
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "report.lua"
        script.write_text(REPORT_LUA)
        try:
            server = load.start_gunicorn(env, port, args.workers)
            load.wait_until_ready(server, base)
            for row in rows:
                if args.warmup:
                    wrk(base, row, args.warmup, args.connections, script)
                row.update(wrk(base, row, args.duration, args.connections, script))
                row["met"] = None if row["name"] in REFERENCES else (
                    row["rate"] >= MIN_RATE and row["p95_ms"] < MAX_P95_MS and not row["not_200"] + row["socket_errors"]
                )  # fmt: skip
                print(f"  {row['name']}: {row['rate']} requests/s, p95 {row['p95_ms']:.1f} ms", flush=True)
        finally:
            load.stop(server, "gunicorn")
    for row in rows:
        row.pop("cookie")
    text = markdown(rows, args, load_average)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{args.name}.md").write_text(text)
    payload = {"workers": args.workers, "connections": args.connections, "duration_s": args.duration, "urls": rows}
    (args.results / f"{args.name}.json").write_text(json.dumps(payload, indent=2))
    return 0 if args.report_only or all(row["met"] is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
