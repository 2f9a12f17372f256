"""Hearing times: a local date and time in a court's (or asylum office's) zone made aware, and an
aware time shown back in that zone with its abbreviation. Pure: no database, no current time zone.

Daylight saving time, decided here and tested in tests/cases/test_hearing_times.py:
- A local time that does not exist (the hour the clocks skip in spring, 02:30 on 14 March 2027 in
  Denver) is refused with NonexistentTimeError. Guessing would put the hearing an hour off, and a
  notice never gives such a time: it is a typo.
- A local time that happens twice (the hour repeated in autumn) is its first occurrence, in daylight
  time (fold=0). `is_ambiguous` tells the page to say so.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.utils import dateformat

# The widest UTC offsets in use (Kiribati +14, Baker Island -12): a local day in any zone lies
# within these margins around the same UTC day.
EARLIEST_OFFSET = timedelta(hours=14)
LATEST_OFFSET = timedelta(hours=12)
EN_DASH = "\u2013"


class NonexistentTimeError(ValueError):
    """The local time falls in the gap the clocks skip (spring forward)."""

    def __init__(self, day: date, clock: time, zone: tzinfo):
        self.day, self.clock, self.zone = day, clock, zone
        super().__init__(f"{day} {clock:%H:%M} does not exist in {zone}")


def as_zone(zone: tzinfo | str) -> tzinfo:
    return zone if isinstance(zone, tzinfo) else ZoneInfo(str(zone))


def _wall(day: date, clock: time, zone: tzinfo, fold: int = 0) -> datetime:
    return datetime.combine(day, clock.replace(tzinfo=None, second=0, microsecond=0), tzinfo=zone).replace(fold=fold)


def is_nonexistent(day: date, clock: time, zone: tzinfo | str) -> bool:
    """True if the wall time does not survive a round trip through UTC: it is in a gap."""
    wall = _wall(day, clock, as_zone(zone))
    return wall.astimezone(UTC).astimezone(wall.tzinfo).replace(tzinfo=None) != wall.replace(tzinfo=None)


def is_ambiguous(day: date, clock: time, zone: tzinfo | str) -> bool:
    """True if the wall time happens twice (the two folds have different offsets and both exist)."""
    zone = as_zone(zone)
    first, second = _wall(day, clock, zone, fold=0), _wall(day, clock, zone, fold=1)
    return first.utcoffset() != second.utcoffset() and not is_nonexistent(day, clock, zone)


def to_utc(day: date, clock: time, zone: tzinfo | str) -> datetime:
    """The UTC instant of `clock` on `day` in `zone`; the first occurrence of a repeated time.
    NonexistentTimeError for a time the clocks skip."""
    zone = as_zone(zone)
    if is_nonexistent(day, clock, zone):
        raise NonexistentTimeError(day, clock, zone)
    return _wall(day, clock, zone, fold=0).astimezone(UTC)


def in_zone(moment: datetime, zone: tzinfo | str) -> datetime:
    return moment.astimezone(as_zone(zone))


def local_day(moment: datetime, zone: tzinfo | str) -> date:
    """The calendar day of `moment` in `zone`: a hearing is on the court's day, not the viewer's."""
    return in_zone(moment, zone).date()


def format_clock(moment: datetime, zone: tzinfo | str) -> str:
    """'08:30 CST'."""
    local = in_zone(moment, zone)
    return f"{local:%H:%M} {local.tzname()}"


def format_day(day: date) -> str:
    """'Tue 9 Feb 2027', day and month names in the active language."""
    return dateformat.format(day, "D j M Y")


def format_when(moment: datetime, zone: tzinfo | str, end: datetime | None = None) -> str:
    """'Tue 9 Feb 2027, 08:30 CST', or with an end '..., 08:30-11:00 CST' (an en dash). The abbreviation comes
    from the datetime itself: Django's "T" format drops it for a time in the repeated hour."""
    local = in_zone(moment, zone)
    start = f"{format_day(local.date())}, {local:%H:%M}"
    if end is None:
        return f"{start} {local.tzname()}"
    local_end = in_zone(end, zone)
    if local_end.tzname() != local.tzname():
        return f"{start} {local.tzname()} {EN_DASH} {local_end:%H:%M} {local_end.tzname()}"
    return f"{start}{EN_DASH}{local_end:%H:%M} {local.tzname()}"


def utc_window(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC holding every instant that is on a day from `first_day` to `last_day`
    in some zone. Callers keep the rows whose local_day is in range."""
    start = datetime.combine(first_day, time.min, tzinfo=UTC) - EARLIEST_OFFSET
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=UTC) + LATEST_OFFSET
    return start, end


# Calendar grids. `first_weekday` as Python counts: 0 = Monday ... 6 = Sunday.


def week_start(day: date, first_weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def week_days(day: date, first_weekday: int) -> list[date]:
    start = week_start(day, first_weekday)
    return [start + timedelta(days=offset) for offset in range(7)]


def month_weeks(day: date, first_weekday: int) -> list[list[date]]:
    """The weeks that show `day`'s month, each of 7 days (the first and last spill over)."""
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    start = week_start(first, first_weekday)
    weeks = []
    while start <= last:
        weeks.append(week_days(start, first_weekday))
        start += timedelta(days=7)
    return weeks


def add_months(day: date, months: int) -> date:
    """The first of the month `months` away (for previous / next month)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
