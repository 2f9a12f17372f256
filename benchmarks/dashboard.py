"""Server time of the supervisor dashboard on scale data (issue 6: under 150 ms at the 95th
percentile, with a fixed number of queries), unfiltered and filtered by attorney, court, process
and date range; and a 50,000-row export, streamed (time and peak Python memory while it streams).

Run against PostgreSQL:  DATABASE_URL=postgres://... .venv/bin/python benchmarks/dashboard.py
It needs the scale data with cases, hearings and deadlines (manage.py seed_scale --clients 100000).
Prints median, 95th percentile and max in ms and the query count of each variant, writes
benchmarks/results/dashboard.{md,json}, and exits non-zero when a variant misses its budget.
With --explain it also prints EXPLAIN (ANALYZE, BUFFERS) of the dashboard's slowest queries.
"""

import argparse
import os
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.local")

import django

django.setup()

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from benchmarks.pagetiming import RESULTS, measure, report
from cases.models import Case, CaseAssignment, Deadline, Hearing
from clients.models import WalkIn
from clinic.dashboard_counts import recount_dashboard
from clinic.models import Clinic, DashboardCount, Membership

BUDGET_MS = 150
EXPORT_ROWS = 50_000


def supervisor(clinic: Clinic):
    user, _ = get_user_model().objects.get_or_create(username=f"bench-supervisor-{clinic.slug}")
    Membership.objects.get_or_create(user=user, defaults={"clinic": clinic, "role": Membership.Role.SUPERVISOR})
    return user


def variants(clinic: Clinic) -> dict[str, str]:
    """{variant: url}: the GET parameters of clinic/dashboard_forms.py's DashboardFilterForm."""
    url = reverse("clinic:dashboard")
    busiest_attorney = (
        CaseAssignment.objects.filter(case__clinic=clinic, role=CaseAssignment.Role.LEAD)
        .values("user_id")
        .annotate(n=Count("id"))
        .order_by("-n", "user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    busiest_court = (
        Case.objects.filter(clinic=clinic)
        .exclude(court=None)
        .values("court_id")
        .annotate(n=Count("id"))
        .order_by("-n", "court_id")
        .values_list("court_id", flat=True)
        .first()
    )
    today = timezone.localdate()

    def with_filters(**params) -> str:
        return f"{url}?{urlencode(params)}"

    return {
        "unfiltered": url,
        "by attorney (the busiest)": with_filters(attorney=busiest_attorney),
        "by court (the busiest)": with_filters(court=busiest_court),
        "defensive cases": with_filters(process="defensive"),
        "last 90 days": with_filters(date_from=today - timedelta(days=90), date_to=today),
        "attorney, court and last year": with_filters(
            attorney=busiest_attorney, court=busiest_court, date_from=today - timedelta(days=365), date_to=today
        ),
    }


def export_url(clinic: Clinic) -> str | None:
    """The case-list CSV export with the filter whose row count is the closest to at least
    50,000 (the case list's filters have no date range: by process and status)."""
    try:
        base = reverse("reports:case-export", kwargs={"fmt": "csv"})
    except NoReverseMatch:
        return None
    cases = Case.objects.filter(clinic=clinic)
    still_open = cases.exclude(status=Case.Status.CLOSED)
    candidates = [
        ({"process": process}, still_open.filter(process=process).count()) for process in Case.Process.values
    ] + [
        ({"status": "all", "process": process}, cases.filter(process=process).count())
        for process in Case.Process.values
    ]
    enough = [item for item in candidates if item[1] >= EXPORT_ROWS] or [({"status": "all"}, cases.count())]
    params, _rows = min(enough, key=lambda item: item[1])
    return f"{base}?{urlencode(params)}"


def time_export(http, url: str, *, trace: bool) -> dict:
    """Streams the export as a browser would, chunk by chunk: time to the first byte and in all,
    or (with `trace`, which slows Python down) the peak Python memory while it streams."""
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    response = http.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.streaming, "the export does not stream"
    first, size, lines = None, 0, 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter()
        size += len(chunk)
        lines += chunk.count(b"\n")
    total = time.perf_counter() - start
    result = {"url": url, "rows": lines - 1, "mib": round(size / 2**20, 1)}
    if trace:
        result["peak_python_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    else:
        result.update(first_byte_ms=round((first - start) * 1000, 1), total_s=round(total, 2))
    return result


def explain(http, url: str, top: int) -> list[tuple[float, str, str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the `top` slowest queries of one request."""
    with CaptureQueriesContext(connection) as captured:
        http.get(url)
    slowest = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)[:top]
    plans = []
    with connection.cursor() as cursor:
        for query in slowest:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            plans.append((float(query["time"]) * 1000, query["sql"], "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--explain", type=int, default=0, metavar="N", help="EXPLAIN the N slowest queries")
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False  # measure what production runs
    clinic = Clinic.objects.annotate(count=Count("cases")).order_by("-count").first()
    if clinic is None or clinic.count == 0:
        sys.stderr.write("No cases: load the scale data first (manage.py seed_scale --clients 100000).\n")
        return 2
    counts = {
        "cases": clinic.count,
        "hearings": Hearing.objects.filter(case__clinic=clinic).count(),
        "deadlines": Deadline.objects.filter(case__clinic=clinic).count(),
        "open deadlines": Deadline.objects.filter(case__clinic=clinic, status="open").count(),
        "walk-ins": WalkIn.objects.filter(clinic=clinic).count(),
    }
    if not counts["deadlines"]:
        sys.stderr.write("No deadlines: run manage.py seed_scale again, it adds what is missing.\n")
        return 2
    started = time.perf_counter()
    counted = recount_dashboard(clinic)
    recount = (
        f"Recount of the dashboard's counts (clinic/dashboard_counts.py, run by Celery beat): "
        f"{time.perf_counter() - started:.2f} s, {DashboardCount.objects.filter(clinic=clinic).count():,} rows "
        f"({counted.duration_ms} ms inside the transaction)."
    )
    print(recount)
    http = HttpClient()
    http.force_login(supervisor(clinic))
    pages = variants(clinic)
    rows = {name: measure(http, url, args.repeats) for name, url in pages.items()}
    summary = ", ".join(f"{n:,} {what}" for what, n in counts.items())
    title = f"Supervisor dashboard: server time with {summary} ({connection.vendor}, {args.repeats} requests each)"
    within = report("dashboard", title, rows, BUDGET_MS, {"counts": counts})
    lines = ["", recount]
    if args.no_export:
        pass
    elif (url := export_url(clinic)) is None:
        print("Export: no case export URL (reports:case-export) yet; skipped.")
    else:
        timed, traced = time_export(http, url, trace=False), time_export(http, url, trace=True)
        lines += [
            "",
            f"Export of the case list as CSV (`{url}`): {timed['rows']:,} rows, {timed['mib']} MiB, first byte after "
            f"{timed['first_byte_ms']} ms, all of it in {timed['total_s']} s; peak Python memory while streaming "
            f"{traced['peak_python_mib']} MiB (tracemalloc, a second run).",
        ]
        print(lines[-1])
    if args.explain:
        for ms, sql, plan in explain(http, pages["unfiltered"], args.explain):
            print(f"\n-- {ms:.1f} ms\n{sql}\n{plan}")
    if lines:
        with (RESULTS / "dashboard.md").open("a") as out:
            out.write("\n".join(lines) + "\n")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
