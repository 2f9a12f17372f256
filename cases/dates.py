"""Calendar arithmetic for legal deadlines. Pure functions, no database.

Immigration "day" rule (domain-rules.md section 0): count calendar days; a deadline that lands on
a Saturday, Sunday or legal holiday moves to the next day that is none of those. Legal holidays
are the US federal holidays as observed (the `holidays` package).
"""

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _federal_holidays(year: int) -> holidays.HolidayBase:
    return holidays.US(years=year, observed=True)


def holiday_name(day: date) -> str | None:
    return _federal_holidays(day.year).get(day)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def roll_forward(day: date) -> date:
    """The first business day on or after `day`."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def add_years(day: date, years: int) -> date:
    """The same calendar date `years` later. 29 February becomes 28 February: the earlier day,
    because how the agencies count a leap-day anniversary is not verified (domain-rules.md) and a
    deadline shown early is safe where one shown late is not."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
