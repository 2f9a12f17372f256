"""Display filters only; no queries, no business rules."""

import math
from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def timedelta_minutes(value: timedelta) -> int:
    """Whole minutes, rounded up, so '14 minutes 10 seconds' reads as 15."""
    return math.ceil(value.total_seconds() / 60)
