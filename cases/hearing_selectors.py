"""Every read of hearings, through cases.access: a case the user may not see answers 404, a case
they may see but not change answers 403 to a `write` lookup. Each hearing is shown in its own zone."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.shortcuts import get_object_or_404

from cases import hearing_times
from cases.access import case_for_user, cases_visible_to
from cases.models import Case, Hearing

MINE, CLINIC = "mine", "clinic"
# Entries a day of the month view lists before "+N more" (the week view lists them all).
MONTH_DAY_LIMIT = 3


@dataclass(frozen=True)
class HearingRow:
    """A hearing with what every page shows of it, already in the hearing's zone."""

    hearing: Hearing
    day: date
    when: str
    clock: str
    upcoming: bool

    @property
    def needs_result(self) -> bool:
        return not self.upcoming and not self.hearing.result


def hearing_row(hearing: Hearing, now: datetime) -> HearingRow:
    zone = hearing.time_zone
    return HearingRow(
        hearing=hearing,
        day=hearing_times.local_day(hearing.starts_at, zone),
        when=hearing_times.format_when(hearing.starts_at, zone, hearing.ends_at),
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


def calendar_hearings(
    *, actor, first_day: date, last_day: date, scope: str, now: datetime
) -> dict[date, list[HearingRow]]:
    """The hearings from `first_day` to `last_day` by their day in their own zone, each day in
    time order. `scope` MINE: cases the actor is assigned to; CLINIC: every case they may see.
    One query, whatever the number of hearings."""
    start, end = hearing_times.utc_window(first_day, last_day)
    hearings = Hearing.objects.filter(case__in=cases_visible_to(actor), starts_at__gte=start, starts_at__lt=end)
    if scope == MINE:
        hearings = hearings.filter(case__assignments__user=actor)
    hearings = hearings.select_related("case__client", "court").order_by("starts_at", "id")
    days: dict[date, list[HearingRow]] = defaultdict(list)
    for hearing in hearings:
        row = hearing_row(hearing, now)
        if first_day <= row.day <= last_day:
            days[row.day].append(row)
    return days


@dataclass(frozen=True)
class CalendarDay:
    day: date
    rows: list[HearingRow]
    is_today: bool
    in_period: bool
    limit: int | None = None

    @property
    def shown(self) -> list[HearingRow]:
        return self.rows if self.limit is None else self.rows[: self.limit]

    @property
    def more(self) -> int:
        return len(self.rows) - len(self.shown)


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
        return sum(len(day.rows) for week in self.weeks for day in week if day.in_period)


def calendar_page(
    *, actor, view: str, anchor: date, scope: str, today: date, first_weekday: int, now: datetime
) -> CalendarPage:
    """The month (view "month") or week ("week") around `anchor`, each day with its hearings."""
    if view == "month":
        grid = hearing_times.month_weeks(anchor, first_weekday)
        previous, following = hearing_times.add_months(anchor, -1), hearing_times.add_months(anchor, 1)
    else:
        grid = [hearing_times.week_days(anchor, first_weekday)]
        previous, following = grid[0][0] - timedelta(days=7), grid[0][0] + timedelta(days=7)
    days = calendar_hearings(actor=actor, first_day=grid[0][0], last_day=grid[-1][-1], scope=scope, now=now)
    limit = MONTH_DAY_LIMIT if view == "month" else None
    weeks = [
        [
            CalendarDay(day, days.get(day, []), day == today, view == "week" or day.month == anchor.month, limit)
            for day in week
        ]
        for week in grid
    ]
    return CalendarPage(view=view, anchor=anchor, weeks=weeks, previous=previous, next=following)
