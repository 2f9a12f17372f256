"""Display helpers for cases; no queries, no rules."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def in_court_time(hearing) -> str:
    """'Tue 9 Feb 2027, 08:30 CST': a hearing's time in the zone it was given in (the court's),
    whatever the zone of the clinic looking at it."""
    local = timezone.localtime(hearing.starts_at, hearing.time_zone)
    return f"{date_format(local, 'D j M Y, H:i')} {local.tzname()}"


@register.filter
def overdue_on(deadline, today) -> bool:
    """Past its date and not an earliest-day date (the EAD dates are never overdue)."""
    return deadline.is_overdue(today)
