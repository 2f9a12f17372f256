"""cases/hearing_times.py: local date and time in a zone to UTC and back, with the DST rules. No database.

US daylight saving time in the years used: 2026 starts 8 March, ends 1 November; 2027 starts
14 March, ends 7 November (02:00 local). Phoenix and Saipan never change."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from cases import hearing_times as ht

DENVER, CHICAGO, PHOENIX, SAIPAN = "America/Denver", "America/Chicago", "America/Phoenix", "Pacific/Saipan"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# Plain conversions


@pytest.mark.parametrize(
    ("zone", "day", "clock", "expected"),
    [
        (CHICAGO, date(2027, 2, 9), time(8, 30), utc(2027, 2, 9, 14, 30)),  # CST, UTC-6
        (CHICAGO, date(2027, 7, 9), time(8, 30), utc(2027, 7, 9, 13, 30)),  # CDT, UTC-5
        (DENVER, date(2027, 2, 9), time(8, 30), utc(2027, 2, 9, 15, 30)),  # MST, UTC-7
        (DENVER, date(2027, 7, 9), time(8, 30), utc(2027, 7, 9, 14, 30)),  # MDT, UTC-6
        (PHOENIX, date(2027, 2, 9), time(8, 30), utc(2027, 2, 9, 15, 30)),  # MST all year
        (PHOENIX, date(2027, 7, 9), time(8, 30), utc(2027, 7, 9, 15, 30)),
        (SAIPAN, date(2027, 2, 9), time(8, 30), utc(2027, 2, 8, 22, 30)),  # ChST, UTC+10: the day before in UTC
        (SAIPAN, date(2027, 7, 9), time(8, 30), utc(2027, 7, 8, 22, 30)),
    ],
)
def test_it_converts_a_local_time_to_utc(zone, day, clock, expected):
    assert ht.to_utc(day, clock, zone) == expected
    assert ht.to_utc(day, clock, ZoneInfo(zone)) == expected


def test_it_returns_utc_and_ignores_seconds():
    moment = ht.to_utc(date(2027, 2, 9), time(8, 30, 59, 123), CHICAGO)
    assert moment.tzinfo is UTC
    assert moment == utc(2027, 2, 9, 14, 30)


# Spring forward: the skipped hour does not exist


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        (DENVER, date(2027, 3, 14)),
        (CHICAGO, date(2027, 3, 14)),
        (DENVER, date(2026, 3, 8)),
        (CHICAGO, date(2026, 3, 8)),
    ],
)
@pytest.mark.parametrize("clock", [time(2, 0), time(2, 1), time(2, 30), time(2, 59)])
def test_it_refuses_a_time_the_clocks_skip(zone, day, clock):
    assert ht.is_nonexistent(day, clock, zone)
    assert not ht.is_ambiguous(day, clock, zone)
    with pytest.raises(ht.NonexistentTimeError) as error:
        ht.to_utc(day, clock, zone)
    assert (error.value.day, error.value.clock, str(error.value.zone)) == (day, clock, zone)


def test_it_accepts_the_minutes_around_the_skipped_hour():
    day = date(2027, 3, 14)
    assert ht.to_utc(day, time(1, 59), DENVER) == utc(2027, 3, 14, 8, 59)  # still MST
    assert ht.to_utc(day, time(3, 0), DENVER) == utc(2027, 3, 14, 9, 0)  # already MDT
    assert ht.to_utc(day, time(1, 59), CHICAGO) == utc(2027, 3, 14, 7, 59)
    assert ht.to_utc(day, time(3, 0), CHICAGO) == utc(2027, 3, 14, 8, 0)


# Fall back: the repeated hour is its first occurrence, in daylight time


@pytest.mark.parametrize(
    ("zone", "day", "clock", "first"),
    [
        (DENVER, date(2027, 11, 7), time(1, 0), utc(2027, 11, 7, 7, 0)),
        (DENVER, date(2027, 11, 7), time(1, 30), utc(2027, 11, 7, 7, 30)),
        (DENVER, date(2027, 11, 7), time(1, 59), utc(2027, 11, 7, 7, 59)),
        (CHICAGO, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 6, 30)),
        (CHICAGO, date(2027, 11, 7), time(1, 0), utc(2027, 11, 7, 6, 0)),
    ],
)
def test_it_takes_the_first_of_a_repeated_time(zone, day, clock, first):
    assert ht.is_ambiguous(day, clock, zone)
    assert not ht.is_nonexistent(day, clock, zone)
    moment = ht.to_utc(day, clock, zone)
    assert moment == first
    assert ht.in_zone(moment, zone).dst() == timedelta(hours=1)


def test_it_knows_the_edges_of_the_repeated_hour():
    day = date(2027, 11, 7)
    assert not ht.is_ambiguous(day, time(0, 59), DENVER)
    assert not ht.is_ambiguous(day, time(2, 0), DENVER)
    assert ht.to_utc(day, time(0, 59), DENVER) == utc(2027, 11, 7, 6, 59)  # MDT
    assert ht.to_utc(day, time(2, 0), DENVER) == utc(2027, 11, 7, 9, 0)  # MST


# Zones without daylight saving time


@pytest.mark.parametrize("zone", [PHOENIX, SAIPAN])
@pytest.mark.parametrize("day", [date(2027, 3, 14), date(2027, 11, 7), date(2026, 3, 8), date(2026, 11, 1)])
@pytest.mark.parametrize("clock", [time(1, 30), time(2, 30)])
def test_it_finds_nothing_odd_where_the_clocks_never_change(zone, day, clock):
    assert not ht.is_nonexistent(day, clock, zone)
    assert not ht.is_ambiguous(day, clock, zone)
    assert ht.in_zone(ht.to_utc(day, clock, zone), zone).time() == clock


@pytest.mark.parametrize(
    ("zone", "gaps", "folds"),
    [
        (DENVER, {date(2026, 3, 8), date(2027, 3, 14)}, {date(2026, 11, 1), date(2027, 11, 7)}),
        (CHICAGO, {date(2026, 3, 8), date(2027, 3, 14)}, {date(2026, 11, 1), date(2027, 11, 7)}),
        (PHOENIX, set(), set()),
        (SAIPAN, set(), set()),
    ],
)
def test_it_finds_gaps_and_folds_only_in_the_hour_the_clocks_change(zone, gaps, folds):
    """Every day of 2026 and 2027 at half past each hour, and every minute of the days the clocks
    change in Denver and Chicago: a gap only from 02:00 to 02:59 on the spring day, a fold only from
    01:00 to 01:59 on the autumn day; every other time comes back unchanged."""
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(730)]
    checks = [(day, time(hour, 30)) for day in days for hour in range(24)]
    change_days = (date(2026, 3, 8), date(2026, 11, 1), date(2027, 3, 14), date(2027, 11, 7))
    checks += [(day, time(minute // 60, minute % 60)) for day in change_days for minute in range(24 * 60)]
    for day, clock in checks:
        gap, fold = ht.is_nonexistent(day, clock, zone), ht.is_ambiguous(day, clock, zone)
        assert gap == (day in gaps and clock.hour == 2), (day, clock)
        assert fold == (day in folds and clock.hour == 1), (day, clock)
        if not gap:
            assert ht.in_zone(ht.to_utc(day, clock, zone), zone).replace(tzinfo=None) == datetime.combine(day, clock)


# Showing a time: in the hearing's zone, with its abbreviation


def test_it_formats_in_the_zone_with_its_abbreviation():
    moment = utc(2027, 2, 9, 14, 30)
    assert ht.format_when(moment, CHICAGO) == "Tue 9 Feb 2027, 08:30 CST"
    assert ht.format_when(moment, DENVER) == "Tue 9 Feb 2027, 07:30 MST"
    assert ht.format_when(utc(2027, 7, 9, 13, 30), CHICAGO) == "Fri 9 Jul 2027, 08:30 CDT"
    assert ht.format_when(utc(2027, 7, 9, 15, 30), PHOENIX) == "Fri 9 Jul 2027, 08:30 MST"
    assert ht.format_when(utc(2027, 2, 8, 22, 30), SAIPAN) == "Tue 9 Feb 2027, 08:30 ChST"
    assert ht.format_clock(moment, CHICAGO) == "08:30 CST"


def test_it_formats_the_same_whatever_zone_is_active():
    with timezone.override(ZoneInfo("America/Los_Angeles")):
        assert ht.format_when(utc(2027, 2, 9, 14, 30), CHICAGO) == "Tue 9 Feb 2027, 08:30 CST"


def test_it_formats_a_range():
    start, end = utc(2027, 2, 9, 14, 30), utc(2027, 2, 9, 17, 0)
    assert ht.format_when(start, CHICAGO, end) == "Tue 9 Feb 2027, 08:30\u201311:00 CST"


def test_it_names_both_abbreviations_of_a_range_across_the_change():
    start = ht.to_utc(date(2027, 11, 7), time(0, 30), DENVER)
    end = start + timedelta(hours=2)  # 01:30 for the second time, in MST
    assert ht.format_when(start, DENVER, end) == "Sun 7 Nov 2027, 00:30 MDT \u2013 01:30 MST"


def test_it_shows_each_occurrence_of_a_repeated_time_with_its_own_abbreviation():
    first = ht.to_utc(date(2027, 11, 7), time(1, 30), DENVER)
    assert ht.format_clock(first, DENVER) == "01:30 MDT"
    assert ht.format_clock(first + timedelta(hours=1), DENVER) == "01:30 MST"


def test_it_formats_day_names_in_the_active_language():
    with translation.override("es"):
        assert ht.format_when(utc(2027, 2, 9, 14, 30), CHICAGO).startswith("mar 9")


# The day a hearing is on


def test_it_puts_a_hearing_on_its_day_in_its_own_zone():
    late_in_dallas = ht.to_utc(date(2027, 2, 9), time(23, 30), CHICAGO)
    assert late_in_dallas.date() == date(2027, 2, 10)
    assert ht.local_day(late_in_dallas, CHICAGO) == date(2027, 2, 9)
    early_in_saipan = ht.to_utc(date(2027, 2, 9), time(8, 0), SAIPAN)
    assert early_in_saipan.date() == date(2027, 2, 8)
    assert ht.local_day(early_in_saipan, SAIPAN) == date(2027, 2, 9)


def test_it_makes_a_utc_window_that_holds_the_day_in_every_zone():
    start, end = ht.utc_window(date(2027, 2, 9), date(2027, 2, 9))
    for zone, clock in [(SAIPAN, time(0, 0)), ("Pacific/Kiritimati", time(0, 0)), ("Pacific/Honolulu", time(23, 59))]:
        moment = ht.to_utc(date(2027, 2, 9), clock, zone)
        assert start <= moment < end


# Calendar grids (first_weekday: 0 Monday, 6 Sunday)


def test_it_starts_weeks_on_the_given_day():
    wednesday = date(2027, 2, 10)
    assert ht.week_start(wednesday, 6) == date(2027, 2, 7)  # Sunday
    assert ht.week_start(wednesday, 0) == date(2027, 2, 8)  # Monday
    assert ht.week_start(date(2027, 2, 7), 6) == date(2027, 2, 7)
    assert ht.week_days(wednesday, 6) == [date(2027, 2, 7) + timedelta(days=n) for n in range(7)]


def test_it_lays_out_a_month_in_whole_weeks():
    february = ht.month_weeks(date(2026, 2, 17), 6)  # 1 Feb 2026 is a Sunday, 28 days
    assert len(february) == 4
    assert (february[0][0], february[-1][-1]) == (date(2026, 2, 1), date(2026, 2, 28))
    august = ht.month_weeks(date(2026, 8, 1), 6)  # a Saturday the 1st, 31 days: six rows
    assert len(august) == 6
    assert (august[0][0], august[-1][-1]) == (date(2026, 7, 26), date(2026, 9, 5))
    assert all(len(week) == 7 for week in august)


def test_it_moves_by_months_across_years():
    assert ht.add_months(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert ht.add_months(date(2027, 1, 15), -1) == date(2026, 12, 1)
    assert ht.add_months(date(2027, 3, 31), -1) == date(2027, 2, 1)
