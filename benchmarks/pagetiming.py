"""Shared by the page benchmarks: time a page in-process (server time, no network), count its
queries, and write a Markdown and JSON report. Imported after Django is set up."""

import json
import statistics
import time
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

RESULTS = Path(__file__).resolve().parent / "results"


def measure(http, url: str, repeats: int) -> dict:
    http.get(url)  # warm caches and connections
    timings, queries = [], 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = http.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    timings.sort()
    return {
        "url": url,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
        "max_ms": round(timings[-1], 1),
        "queries": queries,
    }


def report(name: str, title: str, rows: dict, budget_ms: float, extra: dict) -> bool:
    """Prints and saves the table; True when every page is within its budget at the 95th percentile."""
    lines = [
        f"# {title}",
        "",
        "| page | median ms | p95 ms | max ms | queries | budget |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, row in rows.items():
        verdict = "ok" if row["p95_ms"] < budget_ms else f"MISSED (< {budget_ms:g})"
        lines.append(
            f"| {page} | {row['median_ms']} | {row['p95_ms']} | {row['max_ms']} | {row['queries']} | {verdict} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(text)
    (RESULTS / f"{name}.json").write_text(json.dumps({**extra, "database": connection.vendor, "pages": rows}, indent=2))
    return all(row["p95_ms"] < budget_ms for row in rows.values())


def busiest_lead(clinic) -> int | None:
    """The attorney who leads the most of the clinic's cases: the heaviest "my cases"."""
    from django.db.models import Count

    from cases.models import CaseAssignment

    leads = CaseAssignment.objects.filter(case__clinic=clinic, role=CaseAssignment.Role.LEAD)
    return (
        leads.values("user_id")
        .annotate(n=Count("id"))
        .order_by("-n", "user_id")
        .values_list("user_id", flat=True)
        .first()
    )
