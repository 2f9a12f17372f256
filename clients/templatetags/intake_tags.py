"""The intake desk's queue rows; display only, no queries."""

from datetime import datetime

from django import template
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from clients.models import Language, WalkIn
from clients.templatetags.client_tags import country_name
from clinic.dates import month_abbreviation
from clinic.html_rows import fill, join_rows
from clinic.urls_fast import record_url

register = template.Library()

# One row of the queue, built in Python as the client list's (client_tags.CLIENT_ROW): a busy
# week lists hundreds of walk-ins, and the template language spent about 0.3 ms on each row.
QUEUE_ROW = (
    '<tr class="{row_class}"><td class="text-nowrap">{arrived}</td>'
    '<td><a class="fw-semibold" href="{url}">{name}</a><div class="small text-body-secondary">{origin}</div></td>'
    "<td>{flags}</td>"
    '<td class="small">{reason}</td>'
    '<td><span class="badge status-{status}">{status_label}</span></td>'
    '<td class="small">{handled_by}</td></tr>'
)
FLAG = '<span class="badge flag flag-{level} me-1 mb-1">{label}</span>'
FLAG_WITH_DETAIL = (
    '<span class="badge flag flag-{level} me-1 mb-1" title="{detail}">{label}'
    '<span class="visually-hidden">: {detail}</span></span>'
)
NO_FLAG = format_html('<span class="text-body-secondary small">{}</span>', "—")
ROW_CLASSES = {"danger": "queue-row-danger", "warning": "queue-row-warning"}


@register.simple_tag
def queue_rows(queue, period: str) -> SafeString:
    """{% queue_rows queue period %}: the rows of the intake queue (templates/clients/intake_desk.html),
    entries of clients.selectors.walk_in_queue; the week's show the day of arrival too."""
    row = _QueueRow(with_day=period == "week")
    return join_rows(fill(QUEUE_ROW, row(entry)) for entry in queue)


class _QueueRow:
    """The text of each row. Labels and places repeat from row to row: each is translated once
    per page (fill() escapes every value of every row)."""

    def __init__(self, *, with_day: bool):
        self.with_day = with_day
        self.time_zone = timezone.get_current_timezone()
        self.language = translation.get_language()
        self.languages = _labels(Language.choices)
        self.reasons = _labels(WalkIn.Reason.choices)
        self.statuses = _labels(WalkIn.Status.choices)
        self.origins: dict[tuple[str, str], str] = {}
        if with_day:
            self.weekdays = {number: str(name) for number, name in WEEKDAYS_ABBR.items()}

    def __call__(self, entry) -> dict:
        return {
            "row_class": ROW_CLASSES.get(entry.triage.level, "") if entry.is_open else "queue-row-closed",
            "arrived": self.arrived(entry.arrived_at.astimezone(self.time_zone)),
            "url": record_url("clients:walk-in-detail", entry.pk),
            "name": entry.name,
            "origin": self.origin(entry.language, entry.country),
            "flags": _flags(entry.triage.flags),
            "reason": self.reasons.get(entry.reason, entry.reason),
            "status": entry.status,
            "status_label": self.statuses.get(entry.status, entry.status),
            "handled_by": entry.handled_by or "—",
        }

    def arrived(self, moment: datetime) -> str:
        """As the date filter's "H:i", or "D j M, H:i" for the week (in the clinic's time zone)."""
        clock = f"{moment.hour:02d}:{moment.minute:02d}"
        if not self.with_day:
            return clock
        month = month_abbreviation(moment.month, self.language)
        return f"{self.weekdays[moment.weekday()]} {moment.day} {month}, {clock}"

    def origin(self, language: str, country: str) -> str:
        """The preferred language, and the country of nationality if known."""
        if (language, country) not in self.origins:
            label = self.languages.get(language, language)
            name = country_name(country, self.language)
            self.origins[language, country] = f"{label} · {name}" if name else label
        return self.origins[language, country]


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _flags(flags) -> str:
    if not flags:
        return NO_FLAG
    return format_html_join("", "{}", ((_flag(flag),) for flag in flags))


def _flag(flag) -> str:
    """The flag in plain words; its detail (a date, what may be needed) as a tooltip and for screen readers."""
    if flag.detail:
        return format_html(FLAG_WITH_DETAIL, level=flag.level, label=flag.label, detail=flag.detail)
    return format_html(FLAG, level=flag.level, label=flag.label)
