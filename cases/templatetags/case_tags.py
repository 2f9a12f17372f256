"""Display helpers for cases; no queries, no rules."""

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case
from clinic.dates import short_date
from clinic.html_rows import fill, join_rows

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


# One row of the case list, built in Python as the client list's (clients.templatetags.client_tags
# CLIENT_ROW): the template language spent about 0.3 ms on each of the 50 rows.
CASE_ROW = (
    "<tr>{select}"
    '<td class="text-nowrap"><a class="fw-semibold" href="{url}">{number}</a></td>'
    "<td>{client}</td>"
    '<td class="small">{place}</td>'
    '<td><span class="badge case-status-{status}">{status_label}</span></td>'
    '<td class="small">{leads}</td>'
    '<td class="small text-nowrap">{next_hearing}</td>'
    '<td class="small text-nowrap">{opened}</td></tr>'
)
SELECT_CELL = (
    '<td class="select-col"><input class="form-check-input" type="checkbox" name="cases" value="{pk}" '
    'form="reassign-form" id="select-{pk}" data-select-item="reassign-case" aria-label="{label} {number}"></td>'
)


@register.simple_tag
def case_rows(cases, selectable: bool) -> str:
    """{% case_rows page.cases reassign %}: the rows of the case list (templates/cases/case_list.html),
    each with a checkbox for the reassign bar when `selectable`."""
    court, office, select_case = _("Court"), _("Asylum office"), _("Select case")
    statuses = {value: str(text) for value, text in Case.Status.choices}  # translated once, not per row
    zone, language = timezone.get_current_timezone(), translation.get_language()

    def place(case) -> str:
        if case.process != "defensive":
            return office
        return f"{court}: {case.court.code}" if case.court else court

    def row(case) -> dict:
        return {
            "select": fill(SELECT_CELL, {"pk": str(case.pk), "label": select_case, "number": case.number})
            if selectable
            else "",
            "url": case.get_absolute_url(),
            "number": case.number,
            "client": case.client.full_name,
            "place": place(case),
            "status": case.status,
            "status_label": statuses.get(case.status, case.status),
            "leads": ", ".join(str(assignment.user) for assignment in case.lead_assignments) or "—",
            "next_hearing": short_date(case.next_hearing, zone, language) or "—",
            "opened": short_date(case.opened_on, zone, language),
        }

    return join_rows(fill(CASE_ROW, row(case)) for case in cases)
