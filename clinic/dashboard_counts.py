"""Recounting the supervisor dashboard's figures (clinic.models.DashboardCount).

Counting a large clinic's live records for every look at the dashboard takes longer than the
page may (benchmarks/dashboard.py: 300 to 600 ms on 120,000 cases and 1.2 million deadlines), so
the records are grouped by everything a figure or filter needs (person, court, process, day,
status) in one INSERT ... SELECT per measure, and the page sums the few thousand rows that
result. Beat recounts every clinic every DASHBOARD_RECOUNT_SECONDS; a reassignment and the
dashboard's "Recount now" button recount one clinic at once. The page shows the age of the counts.
"""

import time
from datetime import date

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import CharField, Count, DateField, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast, Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from cases.deadline_rules import Trigger
from cases.models import Case, Deadline, Hearing, ReliefApplication
from clients.models import WalkIn
from clinic.models import Clinic, DashboardCount, DashboardCounted, DashboardMeasure

GRANTED = (ReliefApplication.Decision.GRANTED, ReliefApplication.Decision.CONDITIONAL)
DENIED = (ReliefApplication.Decision.DENIED,)
OTHER = (
    ReliefApplication.Decision.WITHDRAWN,
    ReliefApplication.Decision.ABANDONED,
    ReliefApplication.Decision.NOT_ADJUDICATED,
    ReliefApplication.Decision.OTHER,
)
# An EAD date is the first day something may be done, never a last day: never overdue.
EARLIEST, DUE = "earliest", "due"

COLUMNS = ("measure", "per_person", "user_id", "court_id", "process", "day", "status", "kind", "fiscal_year", "count")


def recount_dashboard(clinic: Clinic) -> DashboardCounted:
    """Replace the clinic's counts with fresh ones, in one transaction: a dashboard read meanwhile
    sees the old counts whole, never half of the new ones. Then sums them for the page without
    filters, which the next look reads from the cache (clinic.dashboard._recounted_sums)."""
    started = time.monotonic()
    with transaction.atomic():
        # Two recounts of one clinic at once (beat and the button) queue up on this row.
        now = timezone.now()
        counted, _created = DashboardCounted.objects.select_for_update().get_or_create(
            clinic=clinic, defaults={"counted_at": now, "counted_on": now.date(), "duration_ms": 0}
        )
        counted.counted_at = now
        counted.counted_on = timezone.localtime(now, clinic.time_zone).date()
        DashboardCount.objects.filter(clinic=clinic).delete()
        for source in _sources(clinic, counted.counted_on):
            _insert(clinic, source)
        counted.duration_ms = round((time.monotonic() - started) * 1000)
        counted.save(update_fields=["counted_at", "counted_on", "duration_ms"])
    _tidy_up()
    from clinic.dashboard import sums_after_recount  # clinic.dashboard imports this module

    sums_after_recount(clinic, counted)
    return counted


def _tidy_up() -> None:
    """Every row was just replaced. Left to autovacuum, the dead ones would slow the page's scans
    until it comes round, and stale statistics may make the planner take the table for empty
    and sort on disk. VACUUM cannot run inside a transaction (a caller's, or a test's): then
    only ANALYZE."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(DashboardCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}" if connection.in_atomic_block else f"VACUUM (ANALYZE) {table}")


def recount_all_dashboards() -> int:
    """Every clinic, each in its own transaction. Returns how many."""
    clinics = list(Clinic.objects.order_by("pk"))
    for clinic in clinics:
        recount_dashboard(clinic)
    return len(clinics)


def counted_at(clinic: Clinic) -> DashboardCounted:
    """When the clinic's counts were made; the first look at a clinic never counted counts it."""
    counted = DashboardCounted.objects.filter(clinic=clinic).first()
    return counted or recount_dashboard(clinic)


def _insert(clinic: Clinic, source) -> None:
    """INSERT ... SELECT: the grouping runs in the database, and no row passes through Python.

    In day order: the page reads a measure's rows of a few days (the next 30, the last 12 weeks),
    and rows written in day order lie together on disk, in a few dozen pages; in the grouping's
    own order they were spread over thousands, and the caseload took twice as long to sum."""
    sql, params = source.query.sql_with_params()
    table = connection.ops.quote_name(DashboardCount._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in ("clinic_id", *COLUMNS))
    selected = ", ".join(connection.ops.quote_name(f"o_{column}") for column in COLUMNS)
    day = connection.ops.quote_name("o_day")
    # Table and column names are the model's own, the grouping query is Django's with its parameters.
    insert = f"INSERT INTO {table} ({names}) SELECT %s, {selected} FROM ({sql}) AS counts ORDER BY {day}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(insert, (clinic.pk, *params))


def _grouped(
    queryset, measure: str, *, person: str | None, case: str, day=None, status=None, kind=None, fiscal_year=None
):
    """The queryset grouped into DashboardCount's columns, each selected as o_<column>.

    person: the path to the assigned user, None for a count per record; case: the path to the case
    ("" for a Case); day, status, kind, fiscal_year: expressions or field names, None for none."""
    text, no_day, no_number = Value("", CharField()), Cast(Value(None), DateField()), Cast(Value(None), IntegerField())
    columns = {
        "o_measure": Value(measure, CharField()),
        "o_per_person": Value(person is not None),
        "o_user_id": F(person) if person else no_number,
        "o_court_id": F(f"{case}court") if case is not None else no_number,
        "o_process": F(f"{case}process") if case is not None else text,
        "o_day": _expression(day) if day is not None else no_day,
        "o_status": _expression(status) if status is not None else text,
        "o_kind": _expression(kind) if kind is not None else text,
        "o_fiscal_year": _expression(fiscal_year) if fiscal_year is not None else no_number,
    }
    return queryset.order_by().annotate(**columns).values(*columns).annotate(o_count=Count("pk"))


def fiscal_year_of(day: str):
    """The US federal fiscal year of a date field: FY 2026 runs from 1 Oct 2025 to 30 Sep 2026."""
    from_october = Q(**{f"{day}__month__gte": 10})
    return ExtractYear(day) + When_(When(from_october, then=Value(1)), default=Value(0), output_field=IntegerField())


def _expression(value):
    return F(value) if isinstance(value, str) else value


def _sources(clinic: Clinic, today: date):
    """One grouped queryset per measure and way of counting (per person, per record)."""
    tz = clinic.time_zone
    open_cases = Case.objects.filter(clinic=clinic).open()
    yield _grouped(open_cases, DashboardMeasure.CASES, person="assignments__user", case="", status="status")

    deadlines = Deadline.objects.filter(case__clinic=clinic, status=Deadline.Status.OPEN)
    deadline_kind = When_(
        When(Q(rule_version__rule__trigger=Trigger.I589_RECEIVED), then=Value(EARLIEST)),
        default=Value(DUE),
        output_field=CharField(),
    )
    hearings = Hearing.objects.filter(case__clinic=clinic).exclude(result=Hearing.Result.CANCELLED)
    hearing_day = TruncDate("starts_at", tzinfo=tz)
    decisions = (
        ReliefApplication.objects.filter(case__clinic=clinic, decision__in=[*GRANTED, *DENIED, *OTHER])
        .annotate(decided=Coalesce("decided_on", "case__outcome_on"))
        .filter(decided__isnull=False)
        .annotate(fy=fiscal_year_of("decided"))
    )
    # Overdue then, and still overdue on any later day: the page adds the days since one by one.
    overdue = deadlines.filter(due_on__lt=today).exclude(rule_version__rule__trigger=Trigger.I589_RECEIVED)
    for person in ("case__assignments__user", None):
        yield _grouped(
            deadlines, DashboardMeasure.DEADLINES, person=person, case="case__", day="due_on", status=deadline_kind
        )
        yield _grouped(
            overdue, DashboardMeasure.OVERDUE_BEFORE, person=person, case="case__", day=Value(today, DateField())
        )
        yield _grouped(hearings, DashboardMeasure.HEARINGS, person=person, case="case__", day=hearing_day)
        outcome = {"person": person, "case": "case__", "status": "decision", "kind": "kind", "fiscal_year": "fy"}
        yield _grouped(decisions, DashboardMeasure.OUTCOMES, day="decided", **outcome)
        yield _grouped(decisions, DashboardMeasure.OUTCOMES_BY_YEAR, **outcome)

    walk_ins = WalkIn.objects.filter(clinic=clinic)
    arrival_day = TruncDate("arrived_at", tzinfo=tz)
    yield _grouped(walk_ins, DashboardMeasure.WALK_INS, person=None, case=None, day=arrival_day, status="status")
