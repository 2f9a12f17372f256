"""Days as the pages write them, "3 Mar 2026" (the date filter's "j M Y"), without Django's general
date formatter: the lists and the dashboard write hundreds of days, and date_format parses its
format and translates the month's name every time."""

from datetime import datetime
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.dates import MONTHS_3


def short_date(day, zone=None, language: str | None = None) -> str:
    """'14 Mar 1999'; a datetime by its day in `zone` (default: the active one). A list passes the
    page's zone and language, read once: each read of the active ones costs more than the rest."""
    if not day:
        return ""
    if isinstance(day, datetime):
        day = day.astimezone(zone or timezone.get_current_timezone()).date() if timezone.is_aware(day) else day.date()
    return f"{day.day} {month_abbreviation(day.month, language or translation.get_language())} {day.year}"


@lru_cache(maxsize=64)
def month_abbreviation(month: int, language: str) -> str:
    """'Mar' as the date filter's "M" writes it, in `language` (the active one: it keys the cache)."""
    return MONTHS_3[month].title()
