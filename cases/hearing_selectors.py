"""Every read of hearings, through cases.access: a case the user may not see answers 404, a case
they may see but not change answers 403 to a `write` lookup. Each hearing is shown in its own zone."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, DateField, F, Func, QuerySet, Value, Window
from django.db.models.functions import NullIf, RowNumber
from django.shortcuts import get_object_or_404

from cases import hearing_times
from cases.access import case_for_user, cases_visible_to
from cases.models import Case, Hearing, hearing_local_day
from clinic.urls_fast import record_url

MINE, CLINIC = "mine", "clinic"
# Entries a day of the month view lists before "+N more" (the week view lists them all).
MONTH_DAY_LIMIT = 3
# What a calendar entry shows (templates/cases/calendar_entry.html) and HearingRow needs: a page of
# a month's entries reads no more.
CALENDAR_FIELDS = (
    "case", "kind", "court", "location", "time_zone", "judge", "starts_at", "ends_at", "medium", "result",
    "case__number", "case__client__given_names", "case__client__paternal_surname", "case__client__maternal_surname",
    "court__name",
)  # fmt: skip


@dataclass(frozen=True)
class HearingRow:
    """A hearing with what every page shows of it, already in the hearing's zone."""

    hearing: Hearing
    day: date
    clock: str
    upcoming: bool

    @property
    def when(self) -> str:
        # Worked out when a page shows it: a calendar entry shows only the clock.
        hearing = self.hearing
        return hearing_times.format_when(hearing.starts_at, hearing.time_zone, hearing.ends_at)

    @property
    def url(self) -> str:
        """The hearing on its case's Hearings tab."""
        return f"{record_url('cases:hearings', self.hearing.case_id)}#hearing-{self.hearing.pk}"

    @property
    def needs_result(self) -> bool:
        return not self.upcoming and not self.hearing.result


def hearing_row(hearing: Hearing, now: datetime) -> HearingRow:
    zone = hearing.time_zone
    return HearingRow(
        hearing=hearing,
        day=hearing_times.local_day(hearing.starts_at, zone),
        clock=hearing_times.format_clock(hearing.starts_at, zone),
        upcoming=hearing.starts_at >= now,
    )


def hearings_of_case(*, actor, case: Case, now: datetime) -> dict[str, list[HearingRow]]:
    """The case's hearings: upcoming ones soonest first, then past ones most recent first. One query."""
    hearings = Hearing.objects.filter(case=case, case__in=cases_visible_to(actor)).select_related("court")
    rows = [hearing_row(hearing, now) for hearing in hearings.order_by("starts_at", "id")]
    return {
        "upcoming": [row for row in rows if row.upcoming],
        "past": [row for row in reversed(rows) if not row.upcoming],
    }


def hearing_for_user(*, actor, case_pk: int, pk: int, write: bool = False) -> Hearing:
    """The hearing of the case, if `actor` may see the case (404 otherwise; 403 for `write`
    without the right to change it)."""
    case = case_for_user(actor=actor, pk=case_pk, write=write)
    hearing = get_object_or_404(Hearing.objects.select_related("court"), case=case, pk=pk)
    hearing.case = case
    return hearing


def _hearings_on(*, actor, first_day: date, last_day: date, scope: str) -> QuerySet[Hearing]:
    """The hearings whose day in their own zone is from `first_day` to `last_day`. `scope` MINE:
    cases the actor is assigned to; CLINIC: every case they may see. The UTC window around the days
    (any zone's) bounds the index read before each hearing's own day is worked out."""
    start, end = hearing_times.utc_window(first_day, last_day)
    hearings = Hearing.objects.filter(case__in=cases_visible_to(actor), starts_at__gte=start, starts_at__lt=end)
    if scope == MINE:
        hearings = hearings.filter(case__assignments__user=actor)
    return hearings.alias(day=_local_day()).filter(day__range=(first_day, last_day))


def _local_day() -> Func:
    """cases.models.hearing_local_day on PostgreSQL, where its index serves it. SQLite (the embedded
    default of `make run`) has no time zones of its own: there, the function Django registers on
    every SQLite connection for a date in a zone (what TruncDate uses) works it out."""
    if connection.vendor == "postgresql":
        return hearing_local_day()
    zone = NullIf(F("time_zone"), Value(""))
    return Func(F("starts_at"), zone, Value("UTC"), function="django_datetime_cast_date", output_field=DateField())


def _rows_by_day(hearings: QuerySet[Hearing], now: datetime) -> dict[date, list[HearingRow]]:
    days: dict[date, list[HearingRow]] = defaultdict(list)
    for hearing in hearings.select_related("case__client", "court").only(*CALENDAR_FIELDS).order_by("starts_at", "id"):
        row = hearing_row(hearing, now)
        days[row.day].append(row)
    return days


def calendar_hearings(
    *, actor, first_day: date, last_day: date, scope: str, now: datetime
) -> dict[date, list[HearingRow]]:
    """Every hearing from `first_day` to `last_day` (see _hearings_on) by its day, each day in time
    order. One query, whatever the number of hearings: for a week."""
    return _rows_by_day(_hearings_on(actor=actor, first_day=first_day, last_day=last_day, scope=scope), now)


def calendar_firsts(
    *, actor, first_day: date, last_day: date, scope: str, now: datetime, limit: int = MONTH_DAY_LIMIT
) -> tuple[dict[date, list[HearingRow]], dict[date, int]]:
    """The first `limit` hearings of each day from `first_day` to `last_day` (see _hearings_on), and
    how many each day has. A month holds thousands of a clinic's hearings: the database ranks and
    counts them, and only the few a month page lists are loaded. Two queries."""
    hearings = _hearings_on(actor=actor, first_day=first_day, last_day=last_day, scope=scope)
    ranked = (
        hearings.annotate(
            on=F("day"),
            of_day=Window(Count("pk"), partition_by=F("day")),
            position=Window(RowNumber(), partition_by=F("day"), order_by=("starts_at", "id")),
        )
        .filter(position__lte=limit)
        .order_by()
    )
    # Every hearing of a day carries the day's count: the ranked ones are enough to read it.
    firsts = list(ranked.values_list("pk", "on", "of_day"))
    totals = {day: total for _pk, day, total in firsts}
    # The ids come from the visible cases; the scope is kept on this read as on every other.
    shown = Hearing.objects.filter(pk__in=[pk for pk, _day, _total in firsts], case__in=cases_visible_to(actor))
    return _rows_by_day(shown, now), totals


@dataclass(frozen=True)
class CalendarDay:
    day: date
    # The hearings the day lists: all of them in a week, the first MONTH_DAY_LIMIT in a month.
    rows: list[HearingRow]
    total: int
    is_today: bool
    in_period: bool

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


@dataclass(frozen=True)
class CalendarPage:
    view: str
    anchor: date
    weeks: list[list[CalendarDay]]
    previous: date
    next: date

    @property
    def first_day(self) -> date:
        return self.weeks[0][0].day

    @property
    def last_day(self) -> date:
        return self.weeks[-1][-1].day

    @property
    def count(self) -> int:
        return sum(day.total for week in self.weeks for day in week if day.in_period)


def _grid(view: str, anchor: date, first_weekday: int) -> tuple[list[list[date]], date, date]:
    """The weeks the page draws, and the dates "previous" and "next" go to."""
    if view == "month":
        grid = hearing_times.month_weeks(anchor, first_weekday)
        return grid, hearing_times.add_months(anchor, -1), hearing_times.add_months(anchor, 1)
    grid = [hearing_times.week_days(anchor, first_weekday)]
    return grid, grid[0][0] - timedelta(days=7), grid[0][0] + timedelta(days=7)


def calendar_page(
    *, actor, view: str, anchor: date, scope: str, today: date, first_weekday: int, now: datetime
) -> CalendarPage:
    """The month (view "month") or week ("week") around `anchor`, each day with its hearings: a
    week lists them all, a month the first MONTH_DAY_LIMIT of each day and how many more."""
    grid, previous, following = _grid(view, anchor, first_weekday)
    window = {"actor": actor, "first_day": grid[0][0], "last_day": grid[-1][-1], "scope": scope, "now": now}
    if view == "month":
        days, totals = calendar_firsts(**window)
    else:
        days = calendar_hearings(**window)
        totals = {day: len(rows) for day, rows in days.items()}

    def cell(day: date) -> CalendarDay:
        in_period = view == "week" or day.month == anchor.month
        return CalendarDay(day, days.get(day, []), totals.get(day, 0), day == today, in_period)

    weeks = [[cell(day) for day in week] for week in grid]
    return CalendarPage(view=view, anchor=anchor, weeks=weeks, previous=previous, next=following)
