"""`make bench`: the server time of every page whose issue sets a speed budget, on the scale data
(manage.py seed_scale), side by side in the same run with two references:

- the baseline: Django's own admin change list of clients and of cases on the same data
  (benchmarks/baseline_admin.py), what Django gives with no work of ours;
- the floor: the page's own SQL, replayed bare through the database driver, with no Django around
  it: every SELECT the page ran ("all SQL") and the slowest of them ("main query").

Each page is requested in-process (django.test.Client: middleware, views, templates, no network)
with production's settings that matter for speed (DEBUG off, the clinic-scope guard off), as the
role that uses it. Prints a Markdown table, writes it with a JSON copy to benchmarks/results/, and
exits 1 when a page misses its budget (2 when the data is missing).

    DATABASE_URL=postgres://... .venv/bin/python benchmarks/bench.py --clients 100000
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.local")
# As production: no query log kept in memory, no per-query scope check.
os.environ["DEBUG"] = "false"
os.environ["CLINIC_SCOPE_GUARD"] = "false"

import psycopg
from psycopg import sql as pgsql


def create_database(url: str) -> None:
    """Creates the benchmark database if it is missing (from the server's `postgres` database)."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))


if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    create_database(os.environ["DATABASE_URL"])

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from benchmarks.pagetiming import busiest_lead
from cases.models import Case, Deadline, Hearing
from clients.models import Client, FamilyMember, WalkIn
from clients.scale import OTHER_SLUG, scale_clinic
from clinic.dashboard_counts import recount_dashboard
from clinic.models import Clinic, Membership
from clinic.permissions import membership_of
from clinic.two_factor import two_factor_required

RESULTS = BASE_DIR / "benchmarks" / "results"
EXPORT_MEMORY_BUDGET_MIB = 16


@dataclass
class Page:
    name: str
    role: str
    url: str
    budget_ms: float | None
    budget_source: str
    baseline: str  # which admin change list it reads against: "clients" or "cases"
    data: dict | None = None  # a POST
    expect: int = 200


@dataclass
class Row:
    name: str
    url: str
    median_ms: float
    p95_ms: float
    queries: int
    sql_ms: float
    main_query_ms: float
    budget: str = ""
    met: bool | None = None
    baseline: str = ""
    notes: dict = field(default_factory=dict)


# Data


def ensure_data(clients: int, seed: int) -> Clinic:
    """The scale clinic, loaded first (manage.py seed_scale) when this database has none."""
    if not Clinic.objects.filter(slug=OTHER_SLUG).exists():
        print(f"Loading scale data for {clients:,} clients (manage.py seed_scale)...", flush=True)
        call_command("seed_scale", clients=clients, seed=seed)
    clinic = scale_clinic()
    if not Case.objects.filter(clinic=clinic).exists():
        sys.exit("The scale clinic has no cases: load the scale data into a fresh database.")
    return clinic


def member(clinic: Clinic, role: str, user=None):
    """A signed-in test client for a member of `clinic` with `role`, past the second step when the
    role must take it (supervisors), as a right code would leave the session."""
    if user is None:
        user, _ = get_user_model().objects.get_or_create(username=f"bench-{role}-{clinic.slug}")
        Membership.objects.get_or_create(user=user, defaults={"clinic": clinic, "role": role})
    http = HttpClient()
    http.force_login(user)
    if two_factor_required(membership_of(user)):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = http.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return http


def platform_admin():
    user, _ = get_user_model().objects.get_or_create(
        username="bench-platform-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    http = HttpClient()
    http.force_login(user)
    return http


def busiest(queryset, count: str):
    return queryset.annotate(n=Count(count)).order_by("-n", "pk").values_list("pk", flat=True).first()


def pages(clinic: Clinic) -> tuple[list[Page], dict]:
    """What is measured, as whom. Returns the pages and the users behind the roles."""
    clients = Client.objects.filter(clinic=clinic)
    cases = Case.objects.filter(clinic=clinic)
    lead = busiest_lead(clinic)
    court = cases.exclude(court=None).values("court_id").annotate(n=Count("id")).order_by("-n").first()["court_id"]
    family = FamilyMember.objects.filter(client__clinic=clinic)
    client_pk = family.values("client_id").annotate(n=Count("id")).order_by("-n", "client_id").first()["client_id"]
    case_pk = busiest(cases.filter(assignments__user_id=lead), "hearings")  # one the attorney may open
    surname = clients.values_list("paternal_surname", flat=True).order_by("pk").first()
    person = clients.order_by("pk")[len(clients) // 3 : len(clients) // 3 + 1].get()
    month = timezone.localdate().strftime("%Y-%m")
    intake = "issue 3 (intake)"
    cases_ = "issue 4 (cases)"
    dashboard = "issue 6 (dashboard)"
    queue = "none in issue 3; held to its client list's"
    record = "none in issue 3; held to issue 4's case overview"
    calendar = "none in issue 5; held to issue 6's dashboard"
    month_view = f"/cases/calendar/?view=month&month={month}"
    by_lead = f"attorney={lead}"
    conflict = {name: getattr(person, name) for name in ("given_names", "paternal_surname", "maternal_surname")}
    pages = [
        Page("walk-in queue (intake desk, today)", "intake", "/intake/", 50, queue, "clients"),
        Page("walk-in queue, this week", "intake", "/intake/?period=week", 50, queue, "clients"),
        Page("client list, first page", "intake", "/clients/", 50, intake, "clients"),
        Page(f"client search '{surname}'", "intake", "/clients/?" + urlencode({"q": surname}), 50, intake, "clients"),
        Page("client search 'maria her'", "intake", "/clients/?q=maria+her", 50, intake, "clients"),
        Page("client detail (most family)", "attorney", f"/clients/{client_pk}/", 50, record, "clients"),
        Page("conflict check (POST, runs it)", "intake", "/conflict-check/", 50, intake, "clients", conflict, 302),
        Page("case list, open cases", "supervisor", "/cases/", 50, cases_, "cases"),
        Page("case list, by attorney and court", "supervisor", f"/cases/?{by_lead}&court={court}", 50, cases_, "cases"),
        Page("case list, attorney's own", "attorney", "/cases/", 50, cases_, "cases"),
        Page("case detail (most hearings)", "attorney", f"/cases/{case_pk}/", 50, cases_, "cases"),
        Page("hearing calendar, month (mine)", "attorney", month_view, 150, calendar, "cases"),
        Page("hearing calendar, month (clinic)", "supervisor", month_view + "&scope=clinic", 150, calendar, "cases"),
        Page("supervisor dashboard", "supervisor", "/dashboard/", 150, dashboard, "cases"),
        Page("supervisor dashboard, by attorney", "supervisor", f"/dashboard/?{by_lead}", 150, dashboard, "cases"),
    ]  # fmt: skip
    return pages, {"attorney": lead}


# Measuring


def request(http, page: Page):
    if page.data is None:
        return http.get(page.url)
    return http.post(page.url, page.data)


def time_page(http, page: Page, repeats: int) -> tuple[list[float], list[str]]:
    """Server times in ms over `repeats` requests, and the SQL of the last one."""
    request(http, page)  # warm: caches, connections, the conflict index
    timings, statements = [], []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = request(http, page)
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != page.expect:
            raise SystemExit(f"{page.name}: {page.url} answered {response.status_code}, not {page.expect}")
        statements = [query["sql"] for query in captured.captured_queries]
    return timings, statements


def time_sql(statements: list[str], repeats: int) -> tuple[float, float]:
    """The page's SELECTs replayed bare through psycopg, rows fetched: (median of all, median of
    the slowest one) in ms. Writes (the audit event, the session) are left out: the floor of a read."""
    selects = [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    raw = connection.connection
    per_query = [[] for _ in selects]
    totals = []
    with raw.cursor() as cursor:
        for _ in range(repeats):
            total = 0.0
            for index, sql in enumerate(selects):
                start = time.perf_counter()
                cursor.execute(sql.encode())
                cursor.fetchall()
                spent = (time.perf_counter() - start) * 1000
                per_query[index].append(spent)
                total += spent
            totals.append(total)
    main = max((statistics.median(times) for times in per_query), default=0.0)
    return statistics.median(totals), main


def percentile95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


def measure(http, page: Page, repeats: int) -> Row:
    timings, statements = time_page(http, page, repeats)
    sql_ms, main_ms = time_sql(statements, repeats)
    row = Row(
        name=page.name,
        url=page.url,
        median_ms=round(statistics.median(timings), 1),
        p95_ms=round(percentile95(timings), 1),
        queries=len(statements),
        sql_ms=round(sql_ms, 1),
        main_query_ms=round(main_ms, 1),
        baseline=page.baseline,
    )
    if page.budget_ms is not None:
        row.budget = f"p95 < {page.budget_ms:g} ms ({page.budget_source})"
        row.met = row.p95_ms < page.budget_ms
    return row


def measure_export(http, clinic: Clinic, repeats: int) -> Row:
    """The case list as CSV, all cases: time to stream all of it, and (a separate run under
    tracemalloc) the peak Python memory, which must not grow with the rows (issue 6)."""
    url = "/reports/cases.csv?" + urlencode({"status": "all"})
    timings, first_bytes, rows = [], [], 0
    for _ in range(repeats):
        start = time.perf_counter()
        response = http.get(url)
        first = None
        size = 0
        for chunk in response.streaming_content:
            first = first or time.perf_counter()
            size += chunk.count(b"\n")
        timings.append((time.perf_counter() - start) * 1000)
        first_bytes.append(((first or time.perf_counter()) - start) * 1000)
        rows = size - 1
    tracemalloc.start()
    for _chunk in http.get(url).streaming_content:
        pass
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return Row(
        name=f"export: case list CSV, {rows:,} rows",
        url=url,
        median_ms=round(statistics.median(timings), 1),
        p95_ms=round(percentile95(timings), 1),
        queries=0,
        sql_ms=0,
        main_query_ms=0,
        budget=f"peak Python memory < {EXPORT_MEMORY_BUDGET_MIB} MiB while streaming (issue 6)",
        met=peak < EXPORT_MEMORY_BUDGET_MIB,
        notes={
            "rows": rows,
            "first_byte_ms": round(statistics.median(first_bytes), 1),
            "peak_python_mib": round(peak, 1),
        },
    )


def measure_sweep(cases: int) -> Row:
    """benchmarks/reminder_sweep.py in its own database: ten open deadlines per case."""
    env = {**os.environ, "DEBUG": "false"}
    env["DATABASE_URL"] = os.environ.get("SWEEP_DATABASE_URL", _sibling_database("sweep"))
    env["REDIS_URL"] = os.environ.get("SWEEP_REDIS_URL", "redis://127.0.0.1:6379/14")
    out = RESULTS / "_sweep.json"
    subprocess.run(
        [sys.executable, str(BASE_DIR / "benchmarks" / "reminder_sweep.py"), "--cases", str(cases), "--json", str(out)],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    result = json.loads(out.read_text())
    out.unlink()
    seconds = result["seconds"] * 1000
    return Row(
        name=f"reminder sweep, {result['open']:,} open deadlines ({result['due']:,} due)",
        url="cases.reminders.sweep_reminders()",
        median_ms=round(seconds, 1),
        p95_ms=round(seconds, 1),
        queries=0,
        sql_ms=0,
        main_query_ms=0,
        budget=f"< {result['budget_seconds']} s (issue 5, for 1,000,000 open deadlines)",
        met=result["met"],
        notes=result,
    )


def _sibling_database(suffix: str) -> str:
    url = settings.DATABASES["default"]
    return f"postgres://{url['USER']}@{url['HOST']}:{url['PORT']}/{url['NAME']}_{suffix}"


# The report


def machine() -> dict:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in lines if "model name" in line), platform.processor())
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    start = time.perf_counter()
    total = 0
    for number in range(10_000_000):
        total += number
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 2**20),
        "python": platform.python_version(),
        "postgresql": postgres,
        "django": django.get_version(),
        # A yardstick of this machine's speed at the time of the run: 10 million additions in Python.
        "python_loop_s": round(time.perf_counter() - start, 2),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def data_counts(clinic: Clinic) -> dict:
    return {
        "clients": Client.objects.filter(clinic=clinic).count(),
        "family_members": FamilyMember.objects.filter(client__clinic=clinic).count(),
        "walk_ins": WalkIn.objects.filter(clinic=clinic).count(),
        "cases": Case.objects.filter(clinic=clinic).count(),
        "hearings": Hearing.objects.filter(case__clinic=clinic).count(),
        "deadlines": Deadline.objects.filter(case__clinic=clinic).count(),
    }


def ratio(value: float, reference: float | None) -> str:
    return f"{value / reference:.1f}x" if reference else "-"


def markdown(rows: list[Row], admin: dict[str, Row], info: dict, repeats: int) -> str:
    counts, box = info["data"], info["machine"]
    lines = [
        f"# make bench: {counts['clients']:,} clients",
        "",
        f"Data (the main clinic of `seed_scale`): {counts['clients']:,} clients, {counts['family_members']:,} family "
        f"members, {counts['walk_ins']:,} walk-ins, {counts['cases']:,} cases, {counts['hearings']:,} hearings, "
        f"{counts['deadlines']:,} deadlines.",
        f"Machine: {box['cpu']}, {box['cores']} cores, {box['memory_gib']} GiB; Python {box['python']}, "
        f"Django {box['django']}, PostgreSQL {box['postgresql']}; 10M Python additions in {box['python_loop_s']} s; "
        f"load average {' '.join(map(str, box['load_average']))} at the start. Run {info['run_at']}.",
        f"Server time in-process, {repeats} requests a page after one to warm up. *All SQL*: the page's SELECTs "
        "replayed bare through psycopg (the floor); *main query*: the slowest of them. *Admin*: Django's admin "
        "change list of the same records, the baseline.",
        "",
        "| page | median ms | p95 ms | queries | all SQL ms | main query ms | x SQL | x admin | budget | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for row in [*admin.values(), *rows]:
        reference = admin.get(row.baseline)
        lines.append(
            f"| {row.name} | {row.median_ms} | {row.p95_ms} | {row.queries or '-'} | {row.sql_ms or '-'} | "
            f"{row.main_query_ms or '-'} | {ratio(row.median_ms, row.sql_ms)} | "
            f"{ratio(row.median_ms, reference.median_ms if reference else None)} | "
            f"{row.budget or 'baseline'} | {'' if row.met is None else 'yes' if row.met else '**MISSED**'} |"
        )
    for row in rows:
        if row.notes.get("first_byte_ms") is not None:
            lines += ["", f"Export: first byte after {row.notes['first_byte_ms']} ms; peak Python memory "
                      f"{row.notes['peak_python_mib']} MiB while streaming {row.notes['rows']:,} rows."]  # fmt: skip
    missed = [row.name for row in rows if row.met is False]
    lines += ["", "**Every budget met.**" if not missed else f"**Missed:** {', '.join(missed)}."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000, help="scale data to load when there is none")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=40, help="requests per page (after one to warm up)")
    parser.add_argument("--sweep-cases", type=int, default=100_000, help="cases of the sweep (ten deadlines each)")
    parser.add_argument("--name", default="bench", help="results file name: benchmarks/results/NAME.{md,json}")
    parser.add_argument(
        "--report-only", action="store_true", help="exit 0 even when a budget is missed (the table still says so)"
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor != "postgresql":
        sys.exit("make bench measures PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0)
    clinic = ensure_data(args.clients, args.seed)
    recount_dashboard(clinic)
    info = {"machine": machine(), "data": data_counts(clinic), "run_at": timezone.now().strftime("%Y-%m-%d %H:%M UTC")}
    todo, users = pages(clinic)
    sessions = {
        "intake": member(clinic, Membership.Role.INTAKE),
        "attorney": member(clinic, Membership.Role.ATTORNEY, get_user_model().objects.get(pk=users["attorney"])),
        "supervisor": member(clinic, Membership.Role.SUPERVISOR),
    }
    with override_settings(ROOT_URLCONF="benchmarks.baseline_admin"):
        staff = platform_admin()
        admin = {
            "clients": Page("admin change list: clients", "admin", "/bench-admin/clients/client/", None, "", "clients"),
            "cases": Page("admin change list: cases", "admin", "/bench-admin/cases/case/", None, "", "cases"),
        }
        admin_rows = {key: measure(staff, page, args.repeats) for key, page in admin.items()}
    rows = []
    for page in todo:
        rows.append(measure(sessions[page.role], page, args.repeats))
        print(f"  {page.name}: p95 {rows[-1].p95_ms} ms", flush=True)
    rows.append(measure_export(sessions["supervisor"], clinic, max(3, args.repeats // 10)))
    rows.append(measure_sweep(args.sweep_cases))
    info["machine"]["load_average_after"] = [round(value, 2) for value in os.getloadavg()]
    text = markdown(rows, admin_rows, info, args.repeats)
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / f"{args.name}.md").write_text(text)
    payload = {**info, "repeats": args.repeats, "admin": {k: asdict(v) for k, v in admin_rows.items()}}
    payload["pages"] = [asdict(row) for row in rows]
    (args.results / f"{args.name}.json").write_text(json.dumps(payload, indent=2, default=str))
    return 0 if args.report_only or all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
