"""Display helpers for walk-ins and clients; no queries, no rules."""

from django import template
from django.utils import timezone

from clients.identifiers import format_a_number

register = template.Library()


@register.filter
def age(date_of_birth, today=None) -> int | None:
    """Whole years old today (clinic time)."""
    if not date_of_birth:
        return None
    today = today or timezone.localdate()
    return today.year - date_of_birth.year - ((today.month, today.day) < (date_of_birth.month, date_of_birth.day))


@register.filter(name="a_number")
def a_number_display(digits: str | None) -> str:
    return format_a_number(digits)
