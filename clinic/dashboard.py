"""The supervisor dashboard's reads: every figure aggregated in SQL, scoped to the supervisor's
clinic, in a fixed number of queries whatever the size of the clinic (tests/clinic/test_dashboard.py).

The caseload, hearings, deadlines, walk-ins and outcomes are summed from the clinic's
DashboardCount rows, recounted every few minutes (clinic/dashboard_counts.py), whose age the page
shows; the one-year risk, failed deliveries and the lists behind the figures read live records.
The rows change only with a recount, so most of their sums are kept until the next one
(_recounted_sums).

Filters (clinic/dashboard_forms.py): attorney, court and process narrow every figure that belongs
to a case (caseload, hearings, deadlines, clients at one-year risk, outcomes). An attorney is "on"
a case when they are assigned to it in any role, as on the case list.

What the date range filters:
- hearings and deadlines: a row "in the chosen range" is added beside the fixed windows from
  today (next 7 and 30 days, overdue), which always stay relative to today;
- walk-ins: the 12 weeks ending with the week of "to" (today without it), not before "from";
- outcomes: decisions with a decision date in the range (all of them without one);
- the caseload, the one-year risk and failed reminders are "as of today" and ignore it.

Walk-ins belong to no attorney, court or process yet: the walk-in chart ignores those filters,
and open walk-ins appear in the one-year risk only when none of them is chosen.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Case as When_
from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from cases.deadline_rules import Trigger
from cases.models import Case, CaseAssignment, Court, Deadline, Digest, ReliefApplication, Reminder
from clients.models import Client, WalkIn
from clients.names import full_name
from clients.triage import latest_arrival_due_by, one_year_deadline
from clinic.dashboard_counts import DENIED, EARLIEST, GRANTED, OTHER, counted_at
from clinic.models import Clinic, DashboardCount, DashboardCounted, DashboardMeasure
from clinic.permissions import Role, require_role
from clinic.tables import Table

logger = logging.getLogger(__name__)

NAME_PARTS = ("pk", "given_names", "paternal_surname", "maternal_surname")
TABLE_KEYS = ("caseload", "hearings", "deadlines", "one_year_risk", "walk_ins", "outcomes", "failed_reminders")
WEEKS = 12
RISK_DAYS = 90
RISK_SHOWN = 50  # the page lists the soonest ones; the export has them all
SOON_DAYS, MONTH_DAYS = 7, 30
DIGEST_DAYS = 7

OPEN_STATUSES = [status for status in Case.Status if status != Case.Status.CLOSED]
# Outcome columns of the walk-in chart, in order; "open" is a walk-in not yet decided.
WALK_IN_OUTCOMES = (
    WalkIn.Status.ACCEPTED,
    WalkIn.Status.REFERRED_OUT,
    WalkIn.Status.DECLINED,
    WalkIn.Status.NO_SHOW,
)
OPEN_WALK_IN_STATUSES = list(WalkIn.OPEN_STATUSES)

# An EAD date is the first day something may be done, never a last day: never overdue.
NOT_EARLIEST_DATE = Q(rule_version__isnull=True) | ~Q(rule_version__rule__trigger=Trigger.I589_RECEIVED)


@dataclass(frozen=True)
class Windows:
    today: date
    start: date | None
    end: date | None

    @property
    def has_range(self) -> bool:
        return bool(self.start or self.end)

    @property
    def soon_end(self) -> date:  # exclusive: today and the 6 days after it
        return self.today + timedelta(days=SOON_DAYS)

    @property
    def month_end(self) -> date:  # exclusive: today and the 29 days after it
        return self.today + timedelta(days=MONTH_DAYS)


@dataclass
class CaseloadRow:
    user_id: int | None  # None: the unassigned cases
    name: str
    by_status: dict[str, int] = field(default_factory=dict)
    hearings_30: int = 0
    deadlines_30: int = 0
    overdue: int = 0

    @property
    def open_cases(self) -> int:
        return sum(self.by_status.values())

    def statuses(self) -> list[tuple[str, int]]:
        return [(status.value, self.by_status.get(status.value, 0)) for status in OPEN_STATUSES]


@dataclass(frozen=True)
class RiskRow:
    kind: str  # "walk_in" or "client"
    pk: int
    name: str
    last_arrival: date
    deadline: date
    days_left: int
    detail: str  # the walk-in's status, or the client's open case number

    @property
    def days_ago(self) -> int:
        return -self.days_left


@dataclass(frozen=True)
class WeekRow:
    week: date
    counts: dict[str, int]  # WALK_IN_OUTCOMES values and "open"

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class OutcomeRow:
    fiscal_year: int
    kind: str
    kind_label: str
    court_id: int | None
    court_label: str
    granted: int
    denied: int
    other: int
    affirmative: bool = False  # the "Asylum office" row: affirmative cases, no court

    @property
    def decided(self) -> int:
        return self.granted + self.denied + self.other

    @property
    def grant_rate(self) -> float | None:
        return round(100 * self.granted / self.decided, 1) if self.decided else None


@dataclass
class Dashboard:
    clinic: Clinic
    windows: Windows
    filters: dict
    caseload: list[CaseloadRow]
    unassigned: CaseloadRow
    hearings: dict[str, int]
    deadlines: dict[str, int]
    one_year_risk_shown: list[RiskRow]  # the soonest RISK_SHOWN; the export has them all
    one_year_risk_total: int
    walk_ins: list[WeekRow]
    outcomes: list[OutcomeRow]
    failed_reminders: int
    failed_digests: int
    counted: DashboardCounted
    tables: dict[str, Table] = field(default_factory=dict)

    @property
    def counted_just_now(self) -> bool:
        return timezone.now() - self.counted.counted_at < timedelta(minutes=1)

    @property
    def one_year_risk_hidden(self) -> int:
        return self.one_year_risk_total - len(self.one_year_risk_shown)


class _Rows:
    """A table's rows, read and made only when something passes over them: the page shows the
    first few, the export streams them all."""

    def __init__(self, read_items, row, length: int):
        self.read_items, self.row, self.length = read_items, row, length

    def __iter__(self):
        return map(self.row, self.read_items())

    def __len__(self) -> int:
        return self.length


def fiscal_year(day: date) -> int:
    """The US federal fiscal year of a day: FY 2026 runs from 1 Oct 2025 to 30 Sep 2026."""
    return day.year + 1 if day.month >= 10 else day.year


def _walk_ins_in_scope(filters: dict) -> bool:
    return not (filters.get("attorney") or filters.get("court") or filters.get("process"))


def _case_filter(filters: dict, prefix: str = "") -> Q:
    """The court and process filters on a case reached through `prefix` ("" for a Case, "case__"
    for a row of a case). The attorney filter is separate: see _attorney_filter."""
    condition = Q()
    if filters.get("court"):
        condition &= Q(**{f"{prefix}court": filters["court"]})
    if filters.get("process"):
        condition &= Q(**{f"{prefix}process": filters["process"]})
    return condition


def _attorney_filter(filters: dict, case_ref: str) -> Q:
    """Rows whose case the chosen attorney is on, as an EXISTS (no join that would count a row
    once per assignment)."""
    if not filters.get("attorney"):
        return Q()
    on_case = CaseAssignment.objects.filter(case=OuterRef(case_ref), user=filters["attorney"])
    return Q(Exists(on_case))


def dashboard(*, actor, filters: dict, today: date | None = None, now: datetime | None = None) -> Dashboard:
    """Everything the supervisor dashboard shows. Supervisors only (403 for everyone else)."""
    membership = require_role(actor, Role.SUPERVISOR)
    clinic = membership.clinic
    now = now or timezone.now()
    today = today or timezone.localtime(now, clinic.time_zone).date()
    windows = Windows(today=today, start=filters.get("date_from"), end=filters.get("date_to"))
    counted = counted_at(clinic)
    caseload_sums, figures, weeks, outcomes = _recounted_sums(clinic, filters, windows, counted)
    caseload, unassigned = _caseload(clinic, filters, caseload_sums)
    hearings, deadlines = _hearings_and_deadlines(figures)
    risk_shown, risk_total = _one_year_risk(clinic, filters, today, limit=RISK_SHOWN)
    failed_reminders, failed_digests = _failed_deliveries(clinic, today)
    board = Dashboard(
        clinic=clinic,
        windows=windows,
        filters=filters,
        caseload=caseload,
        unassigned=unassigned,
        hearings=hearings,
        deadlines=deadlines,
        one_year_risk_shown=risk_shown,
        one_year_risk_total=risk_total,
        walk_ins=[WeekRow(week, counts) for week, counts in weeks],
        outcomes=_outcomes(outcomes),
        failed_reminders=failed_reminders,
        failed_digests=failed_digests,
        counted=counted,
    )
    board.tables = _tables(board)
    return board


def dashboard_tables(*, actor, filters: dict) -> dict[str, Table]:
    """The dashboard's tables by key (TABLE_KEYS), the same data as the page: for the exports."""
    return dashboard(actor=actor, filters=filters).tables


# ---- the sums of the recounted rows ------------------------------------------------------------

SUMS_SECONDS = 15 * 60  # past the next recount, whose new counted_at makes new keys anyway


def _recounted_sums(clinic: Clinic, filters: dict, windows: Windows, counted: DashboardCounted) -> tuple:
    """The caseload's sums per person, the hearing and deadline figures, the walk-in weeks and the
    outcomes for these filters and days, summed from the clinic's DashboardCount rows once per
    recount and kept in the cache: the rows change only when recounted, and a recount has a new
    counted_at, part of the key, so every later look (a reload, another supervisor) reads what
    summing again would give, without the four queries. Plain numbers, days and ids: no names,
    no words in any language (people and courts are named on each look)."""
    key = _sums_key(clinic, filters, windows, counted)
    sums = cache.get(key)
    if sums is None:
        sums = (
            _caseload_sums(clinic, filters, windows, counted),
            _figure_sums(clinic, filters, windows, counted),
            _walk_in_sums(clinic, windows),
            _outcome_sums(clinic, filters, windows),
        )
        cache.set(key, sums, SUMS_SECONDS)
    return sums


def sums_after_recount(clinic: Clinic, counted: DashboardCounted) -> None:
    """Sums the page as most look at it (no filter, the day of the count) into the cache at once,
    so that the first look after a recount does not pay for it (clinic/dashboard_counts.py). Only a
    head start: without the cache (`seed_demo` in `make run` counts before the embedded Redis is
    up), the recount stands and the first look sums for itself."""
    try:
        _recounted_sums(clinic, {}, Windows(today=counted.counted_on, start=None, end=None), counted)
    except RedisError:
        logger.warning("The dashboard of %s was recounted, but its sums could not be cached.", clinic.pk)


def _sums_key(clinic: Clinic, filters: dict, windows: Windows, counted: DashboardCounted) -> str:
    chosen = [filters.get("attorney"), filters.get("court"), filters.get("process"), windows.start, windows.end]
    chosen = [getattr(value, "pk", value) for value in chosen]
    # The version first: a change to what is kept must change it, or a page would read the old shape.
    parts = ["clinic:dashboard-sums:2", clinic.pk, counted.counted_at.isoformat(), windows.today, *chosen]
    return ":".join(str(part) for part in parts)


# ---- caseload ----------------------------------------------------------------------------------


def _counts(clinic: Clinic, filters: dict, *measures: str):
    """The clinic's DashboardCount rows of the measures, narrowed by court and process."""
    rows = DashboardCount.objects.filter(clinic=clinic, measure__in=measures)
    if filters.get("court"):
        rows = rows.filter(court=filters["court"])
    if filters.get("process"):
        rows = rows.filter(process=filters["process"])
    return rows


def _once_each(rows, filters: dict):
    """The rows that count each record once: with an attorney chosen, the rows of the cases they
    are on (they are on a case once), else the rows counted per record."""
    if filters.get("attorney"):
        return rows.filter(per_person=True, user=filters["attorney"])
    return rows.filter(per_person=False)


def _sum(condition: Q) -> Coalesce:
    return Coalesce(Sum("count", filter=condition), 0)


def _overdue(windows: Windows, counted: DashboardCounted) -> Q:
    """Open deadlines due before today, never an EAD date: those overdue when counted, and those
    that fell due since."""
    since = Q(measure=DashboardMeasure.DEADLINES, day__gte=counted.counted_on, day__lt=windows.today)
    return Q(measure=DashboardMeasure.OVERDUE_BEFORE) | since & ~Q(status=EARLIEST)


def _figures(windows: Windows, counted: DashboardCounted) -> dict[str, Q]:
    """Which DashboardCount rows each hearing and deadline figure sums. Hearings and interviews
    (not cancelled) from today: next 7 and 30 days, and in the chosen range; open deadlines:
    overdue (never an EAD earliest date), due in the next 7 and 30 days, and in the chosen range."""
    today, soon_end, month_end = windows.today, windows.soon_end, windows.month_end
    hearing, deadline = Q(measure=DashboardMeasure.HEARINGS), Q(measure=DashboardMeasure.DEADLINES)
    in_range = _range_q(windows, "day") if windows.has_range else Q(pk__in=[])
    return {
        "hearings_next_7": hearing & Q(day__gte=today, day__lt=soon_end),
        "hearings_next_30": hearing & Q(day__gte=today, day__lt=month_end),
        "hearings_in_range": hearing & in_range,
        "deadlines_overdue": _overdue(windows, counted),
        "deadlines_next_7": deadline & Q(day__gte=today, day__lt=soon_end),
        "deadlines_next_30": deadline & Q(day__gte=today, day__lt=month_end),
        "deadlines_in_range": deadline & in_range,
    }


def _any_of(conditions) -> Q:
    either = Q()
    for condition in conditions:
        either |= condition
    return either


CASE_MEASURES = (
    DashboardMeasure.CASES,
    DashboardMeasure.HEARINGS,
    DashboardMeasure.DEADLINES,
    DashboardMeasure.OVERDUE_BEFORE,
)


def _caseload_sums(clinic: Clinic, filters: dict, windows: Windows, counted: DashboardCounted) -> list[dict]:
    """Per person (None: nobody) their open cases by status, hearings and deadlines in the next
    30 days and overdue deadlines; a case with two attorneys counts for each. One query."""
    figures = _figures(windows, counted)
    hearings_30, deadlines_30 = figures["hearings_next_30"], figures["deadlines_next_30"]
    overdue = figures["deadlines_overdue"]
    open_cases = Q(measure=DashboardMeasure.CASES)
    rows = _counts(clinic, filters, *CASE_MEASURES)
    rows = rows.filter(Q(per_person=True), _any_of([open_cases, hearings_30, deadlines_30, overdue]))
    if filters.get("attorney"):  # only their row is kept
        rows = rows.filter(user=filters["attorney"])
    by_status = {status.value: _sum(open_cases & Q(status=status.value)) for status in OPEN_STATUSES}
    return list(
        rows.order_by()
        .values("user")
        .annotate(**by_status, hearings_30=_sum(hearings_30), deadlines_30=_sum(deadlines_30), overdue=_sum(overdue))
    )


def _caseload(clinic: Clinic, filters: dict, by_user: list[dict]) -> tuple[list[CaseloadRow], CaseloadRow]:
    """Open cases per attorney by status, their hearings and deadlines in the next 30 days and
    their overdue deadlines (_caseload_sums), and the unassigned ones. One query: the people."""
    by_status = [status.value for status in OPEN_STATUSES]
    # The people who can lead a case, and anyone else still assigned to an open case (someone
    # deactivated, a former attorney): their cases need a new home.
    still_assigned = [item["user"] for item in by_user if item["user"] and any(item[s] for s in by_status)]
    people = (
        get_user_model()
        .objects.filter(
            Q(
                is_active=True,
                membership__clinic=clinic,
                membership__role__in=[Role.ATTORNEY, Role.SUPERVISOR],
            )
            | Q(pk__in=still_assigned)
        )
        .order_by("last_name", "first_name", "username")
        .only("id", "first_name", "last_name", "username")
    )
    caseload = {person.pk: CaseloadRow(person.pk, str(person.get_full_name() or person.username)) for person in people}
    unassigned = CaseloadRow(None, _("Unassigned"))
    for item in by_user:
        row = unassigned if item["user"] is None else caseload.get(item["user"])
        if row:
            row.by_status = {status: item[status] for status in by_status if item[status]}
            row.hearings_30, row.deadlines_30, row.overdue = item["hearings_30"], item["deadlines_30"], item["overdue"]
    rows_shown = list(caseload.values())
    if filters.get("attorney"):
        rows_shown = [row for row in rows_shown if row.user_id == filters["attorney"].pk]
    return rows_shown, unassigned


# ---- hearings and deadlines --------------------------------------------------------------------


def _range_q(windows: Windows, lookup: str) -> Q:
    """Rows with the date field `lookup` within the chosen date range, both days included."""
    condition = Q()
    if windows.start:
        condition &= Q(**{f"{lookup}__gte": windows.start})
    if windows.end:
        condition &= Q(**{f"{lookup}__lt": windows.end + timedelta(days=1)})
    return condition


def deadlines_queryset(clinic: Clinic, filters: dict):
    """The clinic's open deadlines, narrowed by attorney, court and process."""
    return Deadline.objects.filter(case__clinic=clinic, status=Deadline.Status.OPEN).filter(
        _case_filter(filters, "case__"), _attorney_filter(filters, "case_id")
    )


def deadline_window(which: str, windows: Windows) -> Q:
    """One of the deadline list's choices as a condition (clinic/dashboard_forms.py)."""
    if which == "overdue":
        return Q(due_on__lt=windows.today) & NOT_EARLIEST_DATE
    if which == "next7":
        return Q(due_on__gte=windows.today, due_on__lt=windows.soon_end)
    if which == "next30":
        return Q(due_on__gte=windows.today, due_on__lt=windows.month_end)
    return Q()


def deadline_list(*, actor, filters: dict, today: date):
    """The clinic-wide deadline list (cases:deadline-list): the open deadlines of one of its
    choices (filters["which"]) due in the chosen range, earliest first, with each case and its
    lead attorneys. Supervisors only (403 for everyone else)."""
    clinic = require_role(actor, Role.SUPERVISOR).clinic
    windows = Windows(today=today, start=filters.get("date_from"), end=filters.get("date_to"))
    leads = Prefetch(
        "case__assignments",
        queryset=CaseAssignment.objects.filter(role=CaseAssignment.Role.LEAD).select_related("user"),
        to_attr="lead_assignments",
    )
    return (
        deadlines_queryset(clinic, filters)
        .filter(deadline_window(filters.get("which", ""), windows), _range_q(windows, "due_on"))
        .select_related("case", "rule_version__rule")
        .prefetch_related(leads)
        .order_by("due_on", "id")
    )


def _figure_sums(clinic: Clinic, filters: dict, windows: Windows, counted: DashboardCounted) -> dict[str, int]:
    """The clinic's hearing and deadline figures (_figures), narrowed by the filters. One query."""
    figures = _figures(windows, counted)
    rows = _once_each(_counts(clinic, filters, *CASE_MEASURES[1:]), filters)
    return rows.filter(_any_of(figures.values())).aggregate(
        **{name: _sum(condition) for name, condition in figures.items()}
    )


def _hearings_and_deadlines(totals: dict[str, int]) -> tuple[dict, dict]:
    hearings = {key: totals[f"hearings_{key}"] for key in ("next_7", "next_30", "in_range")}
    deadlines = {key: totals[f"deadlines_{key}"] for key in ("overdue", "next_7", "next_30", "in_range")}
    return hearings, deadlines


# ---- one-year deadline risk -------------------------------------------------------------------


def _one_year_risk(clinic: Clinic, filters: dict, today: date, limit: int | None) -> tuple[list[RiskRow], int]:
    """Open walk-ins (waiting, screened, consultation booked: not yet accepted, referred out,
    declined or gone) and clients with an open case, whose one-year filing deadline from the last
    arrival is within 90 days or past, and who have no I-589 filed on any case: the first `limit`
    of them in order (all of them without a limit), and how many there are. Two queries for the
    clients and two for the walk-ins, whatever their number: counted and cut in SQL.

    Still ahead comes first, soonest first (those can still be filed in time), then the passed
    ones, most recently missed first. SQL orders by arrival, which orders by deadline; two
    arrivals whose deadlines roll to the same day may stand either way round at the cut."""
    latest = latest_arrival_due_by(today + timedelta(days=RISK_DAYS))
    passed = latest_arrival_due_by(today - timedelta(days=1))  # arrivals whose deadline is behind us
    # (kind, rows, the name's columns on them: a client's are looked up after the cut)
    sources = [("client", _clients_at_risk(clinic, filters, latest), ())]
    if _walk_ins_in_scope(filters):
        sources.append(("walk_in", _walk_ins_at_risk(clinic, latest), NAME_PARTS[1:]))
    labels = dict(WalkIn.Status.choices)
    found, total = [], 0
    for kind, source, name_columns in sources:
        # How many there are in all, on each row of the cut: one pass over them, not two.
        ordered = _soonest_first(source.annotate(of_all=Window(Count("*"))), passed)[:limit]
        rows = list(ordered.values_list("of_all", "pk", "arrival", "detail", *name_columns))
        total += rows[0][0] if rows else 0
        found += [(kind, pk, arrival, detail, names) for _of_all, pk, arrival, detail, *names in rows]
    client_ids = [pk for kind, pk, *_rest in found if kind == "client"]
    client_names = Client.objects.filter(clinic=clinic, pk__in=client_ids).order_by()
    names_of = {pk: names for pk, *names in client_names.values_list(*NAME_PARTS)}
    rows = []
    for kind, pk, arrival, detail, names in found:
        deadline = one_year_deadline(arrival)
        detail = str(labels[detail]) if kind == "walk_in" else detail or ""
        name = full_name(*(names or names_of[pk]))
        rows.append(RiskRow(kind, pk, name, arrival, deadline, (deadline - today).days, detail))
    rows.sort(key=lambda row: (row.days_left < 0, abs(row.days_left), row.name))
    return rows[:limit], total


def _soonest_first(source, passed: date):
    """Arrivals whose deadline is still ahead first, earliest first; then the others, latest first."""
    behind = Q(arrival__lte=passed)
    return source.annotate(
        is_behind=When_(When(behind, then=Value(1)), default=Value(0), output_field=IntegerField()),
        ahead_on=When_(When(behind, then=Value(None)), default=F("arrival"), output_field=DateField()),
    ).order_by("is_behind", "ahead_on", "-arrival", "pk")


def _walk_ins_at_risk(clinic: Clinic, latest: date):
    """Open walk-ins not yet a client who arrived on or before `latest` (a partial index,
    clients_walkin_open_unclaimed)."""
    return WalkIn.objects.filter(
        clinic=clinic, status__in=OPEN_WALK_IN_STATUSES, client__isnull=True, last_arrival_date__lte=latest
    ).annotate(arrival=F("last_arrival_date"), detail=F("status"))


def _clients_at_risk(clinic: Clinic, filters: dict, latest: date):
    """Per client with an open case and no I-589 filed on any case: their latest arrival over
    those cases (the case's own date, corrected on the case, wins over the one given at intake)
    and highest case number, when that arrival is on or before `latest`. From the open cases
    without an I-589 (a partial index, cases_case_open_unfiled): an open case with an I-589
    excludes its client anyway, so leaving those cases out changes nothing."""
    filed = Exists(Case.objects.filter(client=OuterRef("client_id"), i589_received_on__isnull=False))
    unfiled = Case.objects.filter(clinic=clinic, i589_received_on__isnull=True).open()
    filtered = filters.get("court") or filters.get("process") or filters.get("attorney")
    if filtered:
        # The filters choose the clients (one of their open cases matches), not the cases counted.
        # A client kept has no I-589 on any case, so their open cases are all unfiled ones: the
        # matching cases are looked for among those (the partial index again).
        matching = unfiled.filter(_case_filter(filters), _attorney_filter(filters, "pk")).values("client_id")
        unfiled = unfiled.filter(client_id__in=matching)
    else:
        unfiled = unfiled.filter(~filed)
    # The date given at intake only when no case has one: COALESCE looks it up only then. The
    # names are looked up afterwards, for the rows shown only.
    given_at_intake = (
        Client.objects.filter(clinic=clinic, pk=OuterRef("client_id")).order_by().values("last_entry_date")
    )
    clients = (
        unfiled.order_by()
        .values("client_id")
        .annotate(
            arrival=Coalesce(Max("last_arrival_date"), Subquery(given_at_intake)),
            detail=Max("number"),
            pk=F("client_id"),
        )
        .filter(arrival__lte=latest)
    )
    if not filtered:
        return clients
    # With a filter, "no I-589 on any case" is tested per client after grouping (HAVING), on the
    # few clients the filter chose. As a NOT EXISTS beside it in WHERE, the planner takes nearly
    # every client for filed, expects none left, and probes the matching cases once per client
    # at risk instead: about 100 ms for the attorney on 11,000 cases of benchmarks/bench.py, 30 now.
    return clients.annotate(cases_filed=Count("client_id", filter=Q(filed))).filter(cases_filed=0)


# ---- walk-ins ----------------------------------------------------------------------------------


def walk_in_weeks(windows: Windows) -> tuple[date, date]:
    """The first day (inclusive) and the last day (inclusive) the walk-in chart covers."""
    end = windows.end or windows.today
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=WEEKS - 1)
    if windows.start and windows.start > first:
        first = windows.start
    return first, end


def _walk_in_sums(clinic: Clinic, windows: Windows) -> list[tuple[date, dict]]:
    """Walk-ins per week (Monday to Sunday, clinic time) by outcome, as (Monday, counts); every week
    present. One query."""
    first, last = walk_in_weeks(windows)
    found = (
        DashboardCount.objects.filter(
            clinic=clinic, measure=DashboardMeasure.WALK_INS, per_person=False, day__gte=first, day__lte=last
        )
        .order_by()
        .values("day", "status")
        .annotate(total=Sum("count"))
    )
    empty = {status.value: 0 for status in WALK_IN_OUTCOMES} | {"open": 0}
    by_week = defaultdict(lambda: dict(empty))
    for item in found:
        column = "open" if item["status"] in OPEN_WALK_IN_STATUSES else item["status"]
        by_week[item["day"] - timedelta(days=item["day"].weekday())][column] += item["total"]
    weeks, week = [], first - timedelta(days=first.weekday())
    while week <= last:
        weeks.append((week, by_week.get(week, empty)))
        week += timedelta(weeks=1)
    return weeks


# ---- outcomes ----------------------------------------------------------------------------------


def _outcome_sums(clinic: Clinic, filters: dict, windows: Windows) -> list[tuple]:
    """Decided relief applications per fiscal year, relief and court, as (fiscal year, relief,
    court id, affirmative, granted, denied, other): granted (incl. conditional grants), denied,
    other (withdrawn, abandoned, not adjudicated, other); reserved and undecided ones are not
    counted. The decision date is the relief's, else the case's. Without a court, affirmative cases
    (the asylum office's) apart from the others. One query, over the counts per fiscal year without
    a date range, per day with one."""
    if windows.has_range:
        counts = _counts(clinic, filters, DashboardMeasure.OUTCOMES).filter(_range_q(windows, "day"))
    else:
        counts = _counts(clinic, filters, DashboardMeasure.OUTCOMES_BY_YEAR)
    rows = (
        _once_each(counts, filters)
        .order_by()
        .values_list("fiscal_year", "kind", "court", "process")
        .annotate(
            granted=_sum(Q(status__in=GRANTED)),
            denied=_sum(Q(status__in=DENIED)),
            other=_sum(Q(status__in=OTHER)),
        )
    )
    merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for fy, kind, court, process, granted, denied, other in rows:
        totals = merged[(fy, kind, court, not court and process == Case.Process.AFFIRMATIVE)]
        totals[0] += granted
        totals[1] += denied
        totals[2] += other
    return [(*key, *totals) for key, totals in merged.items()]


def _outcomes(sums: list[tuple]) -> list[OutcomeRow]:
    """The outcome rows (_outcome_sums) with their relief and court named, latest year first. One
    query: the courts' names, read on each look."""
    court_ids = {court for _fy, _kind, court, *_rest in sums if court}
    names = Court.objects.filter(pk__in=court_ids).values_list("pk", "name", "code") if court_ids else []
    courts = {pk: f"{name} ({code})" for pk, name, code in names}
    kinds = {kind: str(label) for kind, label in ReliefApplication.Kind.choices}  # translated once, not per row
    outcome_rows = []
    for fy, kind, court, affirmative, granted, denied, other in sums:
        if court:
            court_label = courts.get(court, "")  # "": a court deleted since the count
        elif affirmative:
            court_label = _("Asylum office")
        else:
            court_label = _("No court recorded")
        row = OutcomeRow(fy, kind, kinds.get(kind, kind), court, court_label, granted, denied, other, affirmative)
        outcome_rows.append(row)
    outcome_rows.sort(key=lambda row: (-row.fiscal_year, row.kind_label, row.court_label))
    return outcome_rows


# ---- failed deliveries -------------------------------------------------------------------------


def _failed_deliveries(clinic: Clinic, today: date) -> tuple[int, int]:
    """Reminders that failed for good, and morning digests of the last 7 days that did (as on
    cases:reminder-failures). Two queries."""
    reminders = Reminder.objects.filter(status=Reminder.Status.FAILED, deadline__case__clinic=clinic).count()
    digests = Digest.objects.filter(
        status=Digest.Status.FAILED, clinic=clinic, local_date__gt=today - timedelta(days=DIGEST_DAYS)
    ).count()
    return reminders, digests


# ---- tables ------------------------------------------------------------------------------------


def _tables(board: Dashboard) -> dict[str, Table]:
    status_labels = dict(Case.Status.choices)
    windows = board.windows
    range_label = _range_label(windows)
    caseload_rows = [*board.caseload]
    if not board.filters.get("attorney"):
        caseload_rows.append(board.unassigned)
    caseload = Table(
        key="caseload",
        title=_("Caseload per attorney"),
        headers=[
            _("Attorney"),
            _("Open cases"),
            *[str(status_labels[status]) for status in OPEN_STATUSES],
            _("Hearings, next 30 days"),
            _("Deadlines, next 30 days"),
            _("Overdue deadlines"),
        ],
        rows=[
            [
                row.name,
                row.open_cases,
                *[count for _status, count in row.statuses()],
                row.hearings_30,
                row.deadlines_30,
                row.overdue,
            ]
            for row in caseload_rows
        ],
    )
    hearing_rows = [
        [_("Next 7 days"), windows.today, windows.soon_end - timedelta(days=1), board.hearings["next_7"]],
        [_("Next 30 days"), windows.today, windows.month_end - timedelta(days=1), board.hearings["next_30"]],
    ]
    deadline_rows = [
        [_("Overdue"), None, windows.today - timedelta(days=1), board.deadlines["overdue"]],
        [_("Due in the next 7 days"), windows.today, windows.soon_end - timedelta(days=1), board.deadlines["next_7"]],
        [
            _("Due in the next 30 days"),
            windows.today,
            windows.month_end - timedelta(days=1),
            board.deadlines["next_30"],
        ],
    ]
    if windows.has_range:
        hearing_rows.append([range_label, windows.start, windows.end, board.hearings["in_range"]])
        deadline_rows.append([range_label, windows.start, windows.end, board.deadlines["in_range"]])
    kind_labels = {"walk_in": _("Walk-in"), "client": _("Client")}
    outcome_labels = dict(WalkIn.Status.choices)
    return {
        "caseload": caseload,
        "hearings": Table(
            key="hearings",
            title=_("Hearings and interviews"),
            headers=[_("Period"), _("From"), _("To"), _("Hearings")],
            rows=hearing_rows,
        ),
        "deadlines": Table(
            key="deadlines",
            title=_("Open deadlines"),
            headers=[_("Which"), _("From"), _("To"), _("Deadlines")],
            rows=deadline_rows,
        ),
        "one_year_risk": Table(
            key="one_year_risk",
            title=_("One-year filing deadline at risk"),
            headers=[
                _("Who"),
                _("Name"),
                _("Last arrival"),
                _("One-year deadline"),
                _("Days left"),
                _("Status or case"),
            ],
            rows=_Rows(
                lambda: _one_year_risk(board.clinic, board.filters, windows.today, limit=None)[0],
                lambda row: [
                    str(kind_labels[row.kind]),
                    row.name,
                    row.last_arrival,
                    row.deadline,
                    row.days_left,
                    row.detail,
                ],
                length=board.one_year_risk_total,
            ),
        ),
        "walk_ins": Table(
            key="walk_ins",
            title=_("Walk-ins per week"),
            headers=[
                _("Week of"),
                *[str(outcome_labels[status]) for status in WALK_IN_OUTCOMES],
                _("Still open"),
                _("Total"),
            ],
            rows=[
                [
                    week.week,
                    *[week.counts[status.value] for status in WALK_IN_OUTCOMES],
                    week.counts["open"],
                    week.total,
                ]
                for week in board.walk_ins
            ],
        ),
        "outcomes": Table(
            key="outcomes",
            title=_("Outcomes of relief applications"),
            headers=[
                _("Fiscal year"),
                _("Relief"),
                _("Court"),
                _("Granted"),
                _("Denied"),
                _("Other"),
                _("Decided"),
                _("Grant rate (%)"),
            ],
            rows=[
                [
                    row.fiscal_year,
                    row.kind_label,
                    row.court_label,
                    row.granted,
                    row.denied,
                    row.other,
                    row.decided,
                    row.grant_rate,
                ]
                for row in board.outcomes
            ],
        ),
        "failed_reminders": Table(
            key="failed_reminders",
            title=_("Reminder deliveries that failed"),
            headers=[_("What"), _("Failed")],
            rows=[
                [_("Deadline reminders"), board.failed_reminders],
                [_("Morning digests, last 7 days"), board.failed_digests],
            ],
        ),
    }


def _range_label(windows: Windows) -> str:
    if windows.start and windows.end:
        return _("From %(start)s to %(end)s") % {
            "start": date_format(windows.start, "j M Y"),
            "end": date_format(windows.end, "j M Y"),
        }
    if windows.start:
        return _("From %(start)s") % {"start": date_format(windows.start, "j M Y")}
    if windows.end:
        return _("Until %(end)s") % {"end": date_format(windows.end, "j M Y")}
    return ""
