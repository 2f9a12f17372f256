"""Hearings for the tests, scheduled through the real service, on dates relative to today so the
rules about the past and the future hold whenever the tests run."""

from datetime import date, time, timedelta

from django.utils import timezone

from cases import hearing_services
from cases.models import Case, Court, Hearing


def next_year() -> int:
    return timezone.now().year + 1


def winter_day() -> date:
    """9 February next year: standard time (CST in Dallas), from 2 to 14 months ahead."""
    return date(next_year(), 2, 9)


def summer_day() -> date:
    """9 July next year: daylight time (CDT in Dallas)."""
    return date(next_year(), 7, 9)


def nth_sunday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def spring_forward() -> date:
    """The second Sunday of March next year: 02:00 to 02:59 does not exist in the US zones with DST."""
    return nth_sunday(next_year(), 3, 2)


def fall_back() -> date:
    """The first Sunday of November next year: 01:00 to 01:59 happens twice."""
    return nth_sunday(next_year(), 11, 1)


def hearing_data(case: Case, day: date, clock: time = time(8, 30), **overrides) -> dict:
    """What the hearing form gives the service: a master calendar hearing at the case's court."""
    data = {
        "kind": Hearing.Kind.MASTER, "court": case.court, "time_zone": "America/Denver", "day": day,
        "starts": clock, "ends": None, "judge": "", "location": "", "medium": Hearing.Medium.IN_PERSON,
        "interpreter_language": "es", "notes": "",
    }  # fmt: skip
    return data | overrides


def schedule(actor, case: Case, day: date, clock: time = time(8, 30), **overrides) -> Hearing:
    return hearing_services.hearing_schedule(actor=actor, case=case, data=hearing_data(case, day, clock, **overrides))


def court(code: str) -> Court:
    return Court.objects.get(code=code)
