"""The supervisor dashboard's reads: every figure aggregated in SQL, scoped to the supervisor's
clinic, in a fixed number of queries whatever the size of the clinic (tests/clinic/test_dashboard.py).

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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Case as When_
from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear, TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.deadline_rules import Trigger
from cases.models import Case, CaseAssignment, Deadline, Digest, Hearing, ReliefApplication, Reminder
from clients.models import WalkIn
from clients.names import full_name
from clients.triage import one_year_deadline
from clinic.models import Clinic
from clinic.permissions import Role, require_role
from clinic.tables import Table

TABLE_KEYS = ("caseload", "hearings", "deadlines", "one_year_risk", "walk_ins", "outcomes", "failed_reminders")
WEEKS = 12
RISK_DAYS = 90
RISK_SHOWN = 50  # the page lists the soonest ones; the export has them all
SOON_DAYS, MONTH_DAYS = 7, 30
DIGEST_DAYS = 7

OPEN_STATUSES = [status for status in Case.Status if status != Case.Status.CLOSED]
GRANTED = (ReliefApplication.Decision.GRANTED, ReliefApplication.Decision.CONDITIONAL)
DENIED = (ReliefApplication.Decision.DENIED,)
OTHER = (
    ReliefApplication.Decision.WITHDRAWN,
    ReliefApplication.Decision.ABANDONED,
    ReliefApplication.Decision.NOT_ADJUDICATED,
    ReliefApplication.Decision.OTHER,
)
# Outcome columns of the walk-in chart, in order; "open" is a walk-in not yet decided.
WALK_IN_OUTCOMES = (
    WalkIn.Status.ACCEPTED,
    WalkIn.Status.REFERRED_OUT,
    WalkIn.Status.DECLINED,
    WalkIn.Status.NO_SHOW,
)
OPEN_WALK_IN_STATUSES = [status for status in WalkIn.Status if status not in WalkIn.CLOSED_STATUSES]

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
    one_year_risk: list[RiskRow]
    walk_ins: list[WeekRow]
    outcomes: list[OutcomeRow]
    failed_reminders: int
    failed_digests: int
    tables: dict[str, Table] = field(default_factory=dict)

    @property
    def one_year_risk_shown(self) -> list[RiskRow]:
        """The soonest RISK_SHOWN of the one-year risk list: what the page renders."""
        return self.one_year_risk[:RISK_SHOWN]

    @property
    def one_year_risk_hidden(self) -> int:
        return max(len(self.one_year_risk) - RISK_SHOWN, 0)


class _Rows:
    """A table's rows made on each pass over them, so a page that only shows some of them never
    builds them all (the exports stream them)."""

    def __init__(self, items, row):
        self.items, self.row = items, row

    def __iter__(self):
        return map(self.row, self.items)

    def __len__(self) -> int:
        return len(self.items)


def fiscal_year(day: date) -> int:
    """The US federal fiscal year of a day: FY 2026 runs from 1 Oct 2025 to 30 Sep 2026."""
    return day.year + 1 if day.month >= 10 else day.year


def _walk_ins_in_scope(filters: dict) -> bool:
    return not (filters.get("attorney") or filters.get("court") or filters.get("process"))


def _start_of(day: date, clinic: Clinic) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), clinic.time_zone)


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
    caseload, unassigned = _caseload(clinic, filters, windows)
    failed_reminders, failed_digests = _failed_deliveries(clinic, today)
    board = Dashboard(
        clinic=clinic,
        windows=windows,
        filters=filters,
        caseload=caseload,
        unassigned=unassigned,
        hearings=_hearings(clinic, filters, windows),
        deadlines=_deadlines(clinic, filters, windows),
        one_year_risk=_one_year_risk(clinic, filters, today),
        walk_ins=_walk_ins(clinic, windows),
        outcomes=_outcomes(clinic, filters, windows),
        failed_reminders=failed_reminders,
        failed_digests=failed_digests,
    )
    board.tables = _tables(board)
    return board


def dashboard_tables(*, actor, filters: dict) -> dict[str, Table]:
    """The dashboard's tables by key (TABLE_KEYS), the same data as the page: for the exports."""
    return dashboard(actor=actor, filters=filters).tables


# ---- caseload ----------------------------------------------------------------------------------


def _caseload(clinic: Clinic, filters: dict, windows: Windows) -> tuple[list[CaseloadRow], CaseloadRow]:
    """Open cases per attorney by status, their hearings and deadlines in the next 30 days and
    their overdue deadlines; a case with two attorneys counts for each. Four queries."""
    open_cases = Case.objects.filter(clinic=clinic).open().filter(_case_filter(filters))
    # No DISTINCT: a case has one assignment per user (cases_assignment unique on case and user),
    # so grouping by the assigned user cannot count a case twice, and COUNT(DISTINCT) would sort
    # every open case (on disk, at scale).
    status_counts = {status.value: Count("id", filter=Q(status=status.value)) for status in OPEN_STATUSES}
    by_user = open_cases.order_by().values("assignments__user").annotate(**status_counts)

    # With an attorney chosen only their row is kept, so narrowing these by the attorney too
    # changes no figure shown.
    hearing_rows = (
        hearings_queryset(clinic, filters)
        .filter(starts_at__gte=_start_of(windows.today, clinic), starts_at__lt=_start_of(windows.month_end, clinic))
        .order_by()
        .values("case__assignments__user")
        .annotate(count=Count("id"))
    )
    deadline_rows = (
        deadlines_queryset(clinic, filters)
        .filter(due_on__lt=windows.month_end)
        .order_by()
        .values("case__assignments__user")
        .annotate(
            next_30=Count("id", filter=deadline_window("next30", windows)),
            overdue=Count("id", filter=deadline_window("overdue", windows)),
        )
    )
    # The people who can lead a case, and anyone else still assigned to an open case (someone
    # deactivated, a former attorney): their cases need a new home.
    assigned = CaseAssignment.objects.filter(user=OuterRef("pk"), case__clinic=clinic).exclude(
        case__status=Case.Status.CLOSED
    )
    people = (
        get_user_model()
        .objects.filter(
            Q(
                is_active=True,
                membership__clinic=clinic,
                membership__role__in=[Role.ATTORNEY, Role.SUPERVISOR],
            )
            | Q(Exists(assigned))
        )
        .order_by("last_name", "first_name", "username")
        .only("id", "first_name", "last_name", "username")
    )
    rows = {person.pk: CaseloadRow(person.pk, str(person.get_full_name() or person.username)) for person in people}
    unassigned = CaseloadRow(None, _("Unassigned"))

    def row_of(user_id) -> CaseloadRow | None:
        return unassigned if user_id is None else rows.get(user_id)

    for item in by_user:
        if row := row_of(item["assignments__user"]):
            row.by_status = {status.value: item[status.value] for status in OPEN_STATUSES if item[status.value]}
    for item in hearing_rows:
        if row := row_of(item["case__assignments__user"]):
            row.hearings_30 = item["count"]
    for item in deadline_rows:
        if row := row_of(item["case__assignments__user"]):
            row.deadlines_30, row.overdue = item["next_30"], item["overdue"]
    caseload = list(rows.values())
    if filters.get("attorney"):
        caseload = [row for row in caseload if row.user_id == filters["attorney"].pk]
    return caseload, unassigned


# ---- hearings and deadlines --------------------------------------------------------------------


def _range_q(windows: Windows, lookup: str, clinic: Clinic | None = None) -> Q:
    """Rows with `lookup` within the chosen date range (a datetime field when `clinic` is given,
    compared with the clinic's local midnights)."""
    condition = Q()
    if windows.start:
        start = _start_of(windows.start, clinic) if clinic else windows.start
        condition &= Q(**{f"{lookup}__gte": start})
    if windows.end:
        end = _start_of(windows.end + timedelta(days=1), clinic) if clinic else windows.end + timedelta(days=1)
        condition &= Q(**{f"{lookup}__lt": end})
    return condition


def hearings_queryset(clinic: Clinic, filters: dict):
    return (
        Hearing.objects.filter(case__clinic=clinic)
        .exclude(result=Hearing.Result.CANCELLED)
        .filter(_case_filter(filters, "case__"), _attorney_filter(filters, "case_id"))
    )


def _hearings(clinic: Clinic, filters: dict, windows: Windows) -> dict[str, int]:
    """Hearings and interviews (not cancelled) from today's local midnight: next 7 and 30 days,
    and in the chosen range. One query."""
    today = _start_of(windows.today, clinic)
    soon = Q(starts_at__gte=today, starts_at__lt=_start_of(windows.soon_end, clinic))
    month = Q(starts_at__gte=today, starts_at__lt=_start_of(windows.month_end, clinic))
    in_range = _range_q(windows, "starts_at", clinic) if windows.has_range else Q(pk__in=[])
    return (
        hearings_queryset(clinic, filters)
        .filter(month | in_range)
        .aggregate(
            next_7=Count("id", filter=soon), next_30=Count("id", filter=month), in_range=Count("id", filter=in_range)
        )
    )


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


def _deadlines(clinic: Clinic, filters: dict, windows: Windows) -> dict[str, int]:
    """Open deadlines: overdue (never an EAD earliest date), due in the next 7 and 30 days, and
    due in the chosen range. One query."""
    overdue, soon, month = (deadline_window(which, windows) for which in ("overdue", "next7", "next30"))
    in_range = _range_q(windows, "due_on") if windows.has_range else Q(pk__in=[])
    return (
        deadlines_queryset(clinic, filters)
        .filter(Q(due_on__lt=windows.month_end) | in_range)
        .aggregate(
            overdue=Count("id", filter=overdue),
            next_7=Count("id", filter=soon),
            next_30=Count("id", filter=month),
            in_range=Count("id", filter=in_range),
        )
    )


# ---- one-year deadline risk -------------------------------------------------------------------


def _one_year_risk(clinic: Clinic, filters: dict, today: date) -> list[RiskRow]:
    """Open walk-ins (waiting, screened, consultation booked: not yet accepted, referred out,
    declined or gone) and clients with an open case, whose one-year filing deadline from the last
    arrival is within 90 days or past, and who have no I-589 filed on any case. Two queries.

    The deadline rolls past weekends and holidays (clients.triage.one_year_deadline), which SQL
    cannot do: SQL keeps every arrival at most 365 days before the 90-day horizon (a superset),
    Python keeps the exact ones."""
    horizon = today + timedelta(days=RISK_DAYS)
    cutoff = horizon - timedelta(days=365)
    rows: list[RiskRow] = []

    def add(kind, pk, name, arrival, detail):
        deadline = one_year_deadline(arrival)
        if deadline <= horizon:
            rows.append(RiskRow(kind, pk, name, arrival, deadline, (deadline - today).days, detail))

    if _walk_ins_in_scope(filters):
        walk_ins = WalkIn.objects.filter(
            clinic=clinic, status__in=OPEN_WALK_IN_STATUSES, client__isnull=True, last_arrival_date__lte=cutoff
        ).order_by()
        labels = dict(WalkIn.Status.choices)
        for walk_in in walk_ins.only(
            "id", "given_names", "paternal_surname", "maternal_surname", "last_arrival_date", "status"
        ):
            add("walk_in", walk_in.pk, walk_in.full_name, walk_in.last_arrival_date, str(labels[walk_in.status]))

    # From the open cases without an I-589 (a partial index, cases_case_open_unfiled), one row per
    # client with none filed on any case: their latest arrival over those cases (the case's own
    # date, corrected on the case, wins over the one given at intake) and highest case number. An
    # open case with an I-589 excludes its client anyway, so leaving those cases out changes nothing.
    filed = Case.objects.filter(client=OuterRef("client_id"), i589_received_on__isnull=False)
    unfiled = Case.objects.filter(clinic=clinic, i589_received_on__isnull=True).open().filter(~Exists(filed))
    if filters.get("court") or filters.get("process") or filters.get("attorney"):
        # The filters choose the clients (one of their open cases matches), not the cases counted.
        matching = (
            Case.objects.filter(client=OuterRef("client_id"))
            .open()
            .filter(_case_filter(filters), _attorney_filter(filters, "pk"))
        )
        unfiled = unfiled.filter(Exists(matching))
    clients = (
        unfiled.order_by()
        .values(
            "client_id",
            "client__given_names",
            "client__paternal_surname",
            "client__maternal_surname",
            "client__last_entry_date",
        )
        .annotate(arrival=Coalesce(Max("last_arrival_date"), "client__last_entry_date"), case_number=Max("number"))
        .filter(arrival__lte=cutoff)
    )
    for item in clients:
        name = full_name(
            item["client__given_names"], item["client__paternal_surname"], item["client__maternal_surname"]
        )
        add("client", item["client_id"], name, item["arrival"], item["case_number"] or "")
    # Soonest first, then the ones already past, most recently missed first.
    rows.sort(key=lambda row: (row.days_left < 0, abs(row.days_left), row.name))
    return rows


# ---- walk-ins ----------------------------------------------------------------------------------


def walk_in_weeks(windows: Windows) -> tuple[date, date]:
    """The first day (inclusive) and the last day (inclusive) the walk-in chart covers."""
    end = windows.end or windows.today
    first = end - timedelta(days=end.weekday()) - timedelta(weeks=WEEKS - 1)
    if windows.start and windows.start > first:
        first = windows.start
    return first, end


def _walk_ins(clinic: Clinic, windows: Windows) -> list[WeekRow]:
    """Walk-ins per week (Monday to Sunday, clinic time) by outcome; every week present. One query."""
    first, last = walk_in_weeks(windows)
    counts = {status.value: Count("id", filter=Q(status=status.value)) for status in WALK_IN_OUTCOMES}
    counts["open"] = Count("id", filter=Q(status__in=OPEN_WALK_IN_STATUSES))
    found = (
        WalkIn.objects.filter(
            clinic=clinic,
            arrived_at__gte=_start_of(first, clinic),
            arrived_at__lt=_start_of(last + timedelta(days=1), clinic),
        )
        .annotate(week=TruncWeek("arrived_at", tzinfo=clinic.time_zone))
        .order_by()
        .values("week")
        .annotate(**counts)
    )
    by_week = {}
    for item in found:
        week = item.pop("week")
        week = timezone.localtime(week, clinic.time_zone).date() if isinstance(week, datetime) else week
        by_week[week] = item
    weeks, week = [], first - timedelta(days=first.weekday())
    empty = {status.value: 0 for status in WALK_IN_OUTCOMES} | {"open": 0}
    while week <= last:
        weeks.append(WeekRow(week, by_week.get(week, empty)))
        week += timedelta(weeks=1)
    return weeks


# ---- outcomes ----------------------------------------------------------------------------------


def _outcomes(clinic: Clinic, filters: dict, windows: Windows) -> list[OutcomeRow]:
    """Decided relief applications per fiscal year, relief and court: granted (incl. conditional
    grants), denied, other (withdrawn, abandoned, not adjudicated, other); reserved and undecided
    ones are not counted. The decision date is the relief's, else the case's. One query."""
    decided_on = Coalesce("decided_on", "case__outcome_on")
    fiscal = ExtractYear("day") + When_(
        When(Q(month__gte=10), then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    rows = (
        ReliefApplication.objects.filter(case__clinic=clinic, decision__in=[*GRANTED, *DENIED, *OTHER])
        .filter(_case_filter(filters, "case__"), _attorney_filter(filters, "case_id"))
        .annotate(day=decided_on)
        .filter(day__isnull=False)
        .filter(_range_q(windows, "day"))
        .annotate(month=ExtractMonth("day"))
        .annotate(fy=fiscal)
        .order_by()
        .values("fy", "kind", "case__court", "case__court__code", "case__court__name", "case__process")
        .annotate(
            granted=Count("id", filter=Q(decision__in=GRANTED)),
            denied=Count("id", filter=Q(decision__in=DENIED)),
            other=Count("id", filter=Q(decision__in=OTHER)),
        )
    )
    kinds = dict(ReliefApplication.Kind.choices)
    merged: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in rows:
        if item["case__court"]:
            court_label = f"{item['case__court__name']} ({item['case__court__code']})"
        elif item["case__process"] == Case.Process.AFFIRMATIVE:
            court_label = _("Asylum office")
        else:
            court_label = _("No court recorded")
        key = (item["fy"], item["kind"], item["case__court"], court_label)
        totals = merged[key]
        totals[0] += item["granted"]
        totals[1] += item["denied"]
        totals[2] += item["other"]
    outcome_rows = [
        OutcomeRow(fy, kind, str(kinds.get(kind, kind)), court_id, court_label, *totals)
        for (fy, kind, court_id, court_label), totals in merged.items()
    ]
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
                board.one_year_risk,
                lambda row: [
                    str(kind_labels[row.kind]),
                    row.name,
                    row.last_arrival,
                    row.deadline,
                    row.days_left,
                    row.detail,
                ],
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
