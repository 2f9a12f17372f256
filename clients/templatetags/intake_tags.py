"""The intake desk's queue rows; display only, no queries."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS_3, WEEKDAYS_ABBR
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

from clients.models import Language, WalkIn
from clients.templatetags.client_tags import country_name
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
NOBODY = conditional_escape("—")
ROW_CLASSES = {"danger": conditional_escape("queue-row-danger"), "warning": conditional_escape("queue-row-warning")}
PLAIN_ROW, CLOSED_ROW = conditional_escape(""), conditional_escape("queue-row-closed")


@register.simple_tag
def queue_rows(queue, period: str) -> SafeString:
    """{% queue_rows queue period %}: the rows of the intake queue (templates/clients/intake_desk.html),
    entries of clients.selectors.walk_in_queue; the week's show the day of arrival too."""
    row = _QueueRow(with_day=period == "week")
    return join_rows(fill(QUEUE_ROW, row(entry)) for entry in queue)


class _QueueRow:
    """The text of each row. Labels, places and staff names repeat from row to row: each is
    translated and escaped once per page."""

    def __init__(self, *, with_day: bool):
        self.with_day = with_day
        self.time_zone = timezone.get_current_timezone()
        self.languages = _escaped(Language.choices)
        self.reasons = _escaped(WalkIn.Reason.choices)
        self.statuses = _escaped(WalkIn.Status.choices)
        self.origins: dict[tuple[str, str], str] = {}
        self.staff: dict[str, str] = {"": NOBODY}
        if with_day:
            self.weekdays = {number: str(name) for number, name in WEEKDAYS_ABBR.items()}
            self.months = {number: str(name).title() for number, name in MONTHS_3.items()}

    def __call__(self, entry) -> dict:
        return {
            "row_class": ROW_CLASSES.get(entry.triage.level, PLAIN_ROW) if entry.is_open else CLOSED_ROW,
            "arrived": self.arrived(entry.arrived_at.astimezone(self.time_zone)),
            "url": record_url("clients:walk-in-detail", entry.pk),
            "name": entry.name,
            "origin": self.origin(entry.language, entry.country),
            "flags": _flags(entry.triage.flags),
            "reason": self.reasons.get(entry.reason, entry.reason),
            "status": entry.status,
            "status_label": self.statuses.get(entry.status, entry.status),
            "handled_by": self.handled_by(entry.handled_by),
        }

    def arrived(self, moment: datetime) -> str:
        """As the date filter's "H:i", or "D j M, H:i" for the week (in the clinic's time zone)."""
        clock = f"{moment.hour:02d}:{moment.minute:02d}"
        if not self.with_day:
            return clock
        return f"{self.weekdays[moment.weekday()]} {moment.day} {self.months[moment.month]}, {clock}"

    def origin(self, language: str, country: str) -> str:
        """The preferred language, and the country of nationality if known."""
        if (language, country) not in self.origins:
            label = self.languages.get(language, language)
            name = country_name(country)
            self.origins[language, country] = format_html("{} · {}", label, name) if name else conditional_escape(label)
        return self.origins[language, country]

    def handled_by(self, name: str) -> str:
        if name not in self.staff:
            self.staff[name] = conditional_escape(name)
        return self.staff[name]


def _escaped(choices) -> dict[str, str]:
    return {value: conditional_escape(label) for value, label in choices}


def _flags(flags) -> str:
    if not flags:
        return NO_FLAG
    return format_html_join("", "{}", ((_flag(flag),) for flag in flags))


def _flag(flag) -> str:
    """The flag in plain words; its detail (a date, what may be needed) as a tooltip and for screen readers."""
    if flag.detail:
        return format_html(FLAG_WITH_DETAIL, level=flag.level, label=flag.label, detail=flag.detail)
    return format_html(FLAG, level=flag.level, label=flag.label)
