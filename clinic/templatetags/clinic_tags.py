"""Display filters only; no queries, no business rules."""

import math
from datetime import timedelta

from django import template

from clinic import urls_fast

register = template.Library()


@register.filter
def timedelta_minutes(value: timedelta) -> int:
    """Whole minutes, rounded up, so '14 minutes 10 seconds' reads as 15."""
    return math.ceil(value.total_seconds() / 60)


@register.simple_tag
def record_url(view_name: str, *pks) -> str:
    """{% record_url 'clients:family-edit' client.pk member.pk %}: as {% url %} for views that take
    ids only, without a reverse() each time (clinic.urls_fast); for links repeated on every row."""
    return urls_fast.record_url(view_name, *pks)
