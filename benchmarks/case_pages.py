"""Server time of the case pages on scale data (issue 4: under 50 ms at the 95th percentile with
120,000 cases): the case list as a supervisor (default, filtered by attorney, by court, ordered by
next hearing, a page deep in the list) and as an attorney, and the case overview.

Run against PostgreSQL:  DATABASE_URL=postgres://... .venv/bin/python benchmarks/case_pages.py
It needs the scale data with cases (manage.py seed_scale --clients 100000). Prints median, 95th
percentile and max in ms and the query count of each page, writes benchmarks/results/case_pages.{md,json},
and exits non-zero when a page misses its budget.
"""

import argparse
import os
import sys
from pathlib import Path

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

from benchmarks.pagetiming import measure, report
from cases.models import Case, CaseAssignment
from clinic.models import Clinic, Membership

BUDGET_MS = 50


def staff(clinic: Clinic, role: str) -> object:
    user, _ = get_user_model().objects.get_or_create(username=f"bench-{role}-{clinic.slug}")
    Membership.objects.get_or_create(user=user, defaults={"clinic": clinic, "role": role})
    return user


def pages(clinic: Clinic, attorney_id: int) -> dict[str, tuple[str, str]]:
    """{page: (role, url)}"""
    busiest = (
        Case.objects.filter(clinic=clinic)
        .annotate(hearings_count=Count("hearings"))
        .order_by("-hearings_count", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    court = Case.objects.filter(clinic=clinic).exclude(court=None).values_list("court_id", flat=True).first()
    return {
        "case list, supervisor, open cases": ("supervisor", "/cases/"),
        "case list, filtered by attorney": ("supervisor", f"/cases/?attorney={attorney_id}"),
        "case list, filtered by court": ("supervisor", f"/cases/?court={court}"),
        "case list, by case number": ("supervisor", "/cases/?sort=number"),
        "case list, page 400": ("supervisor", "/cases/?page=400"),
        "case list, attorney's own cases": ("attorney", "/cases/"),
        "case overview (a case with the most hearings)": ("supervisor", f"/cases/{busiest}/"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=60)
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    clinic = Clinic.objects.annotate(count=Count("cases")).order_by("-count").first()
    if clinic is None or clinic.count == 0:
        sys.stderr.write("No cases: load the scale data first (manage.py seed_scale --clients 100000).\n")
        return 2
    attorney_id = (
        CaseAssignment.objects.filter(case__clinic=clinic, role="lead").values_list("user_id", flat=True).first()
    )
    clients = {"supervisor": HttpClient(), "attorney": HttpClient()}
    clients["supervisor"].force_login(staff(clinic, Membership.Role.SUPERVISOR))
    clients["attorney"].force_login(get_user_model().objects.get(pk=attorney_id))
    rows = {name: measure(clients[role], url, args.repeats) for name, (role, url) in pages(clinic, attorney_id).items()}
    count = Case.objects.filter(clinic=clinic).count()
    title = f"Case pages: server time with {count:,} cases ({connection.vendor}, {args.repeats} requests each)"
    return 0 if report("case_pages", title, rows, BUDGET_MS, {"cases": count}) else 1


if __name__ == "__main__":
    sys.exit(main())
