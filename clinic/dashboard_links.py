"""Where each dashboard figure leads, and its charts: presentation only, no database access."""

from datetime import date, timedelta
from functools import lru_cache
from html import escape
from urllib.parse import urlencode

from django.conf import settings
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.links import outcome_cases_urls
from cases.selectors import NO_ATTORNEY
from clients.links import walk_in_list_url
from clients.models import WalkIn
from clinic import charts
from clinic.dashboard import WALK_IN_OUTCOMES, Dashboard, RiskRow, WeekRow, walk_in_weeks
from clinic.dates import short_date
from clinic.urls_fast import record_url

WALK_IN_COLOURS = {
    WalkIn.Status.ACCEPTED: "#009E73",
    WalkIn.Status.REFERRED_OUT: "#0072B2",
    WalkIn.Status.DECLINED: "#D55E00",
    WalkIn.Status.NO_SHOW: "#999999",
    "open": "#E69F00",
}


def _url(name: str, **params) -> str:
    """The named page with the params that have a value; reversed once per process
    (clinic.urls_fast): the page links hundreds of figures."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return record_url(name) + (f"?{query}" if query else "")


def _case_params(filters: dict) -> dict:
    return {
        "court": filters["court"].pk if filters.get("court") else None,
        "process": filters.get("process"),
    }


def dashboard_links(board: Dashboard, filters: dict) -> dict:
    """The URL behind each figure: the case list (by attorney, status, court, process), the
    clinic-wide deadline list, the calendar, the intake desk and the failed reminders."""
    case_params = _case_params(filters)
    attorney = filters["attorney"].pk if filters.get("attorney") else None

    def deadlines(which: str, user_id=None, **extra) -> str:
        return _url("cases:deadline-list", which=which, attorney=user_id or attorney, **case_params, **extra)

    caseload = []
    for row in board.caseload:
        caseload.append(
            {
                "row": row,
                "open": _url("cases:case-list", attorney=row.user_id, **case_params),
                "statuses": [
                    (count, _url("cases:case-list", attorney=row.user_id, status=status, **case_params))
                    for status, count in row.statuses()
                ],
                "deadlines_30": deadlines("next30", row.user_id),
                "overdue": deadlines("overdue", row.user_id),
            }
        )
    windows = board.windows
    range_params = {
        "date_from": windows.start.isoformat() if windows.start else None,
        "date_to": windows.end.isoformat() if windows.end else None,
    }
    calendar_month = _url("cases:calendar", scope="clinic", view="month")
    walk_in_cells = [_walk_in_cells(board, week) for week in board.walk_ins]
    case_list = record_url("cases:case-list")
    outcome_cells = [_outcome_cells(row, filters, case_list) for row in board.outcomes]
    return {
        "caseload": caseload,
        "caseload_rows": caseload_rows(caseload, calendar=calendar_month),
        "open_cases": _url("cases:case-list", attorney=attorney, **case_params),
        "unassigned": _url("cases:case-list", attorney=NO_ATTORNEY, **case_params),
        "calendar_week": _url("cases:calendar", scope="clinic", view="week"),
        "calendar_month": calendar_month,
        "calendar_range": _url("cases:calendar", scope="clinic", view="month", date=range_params["date_from"]),
        "overdue": deadlines("overdue"),
        "next_7": deadlines("next7"),
        "next_30": deadlines("next30"),
        "deadlines_range": deadlines("open", **range_params),
        "intake_desk": _url("clients:intake-desk", period="week"),
        "failed_reminders": record_url("cases:reminder-failures"),
        "outcome_cases": _url("cases:case-list", status="all", attorney=attorney, **case_params),
        "walk_in_cells": walk_in_cells,
        "walk_in_rows": table_rows(walk_in_cells),
        "outcome_cells": outcome_cells,
        "outcome_rows": table_rows(outcome_cells),
        "one_year_risk": [_risk_row(row) for row in board.one_year_risk_shown],
    }


WALK_IN_KEYS = (*[status.value for status in WALK_IN_OUTCOMES], "open")


def _walk_in_days(board: Dashboard, week: WeekRow) -> tuple:
    """The days of one week of the chart: the chart may start and end mid-week."""
    first, last = walk_in_weeks(board.windows)
    return max(week.week, first), min(week.week + timedelta(days=6), last)


def _walk_in_links(board: Dashboard, week: WeekRow) -> list[str]:
    """The walk-in list behind each part of one week's column, in WALK_IN_KEYS order."""
    first, last = _walk_in_days(board, week)
    return [walk_in_list_url(first=first, last=last, status=key) for key in WALK_IN_KEYS]


def _walk_in_cells(board: Dashboard, week: WeekRow) -> list[tuple]:
    """One row of the walk-in table as (value, link) cells."""
    first, last = _walk_in_days(board, week)
    counts = [(week.counts[key], url) for key, url in zip(WALK_IN_KEYS, _walk_in_links(board, week), strict=True)]
    return [(week.week, None), *counts, (week.total, walk_in_list_url(first=first, last=last))]


def _outcome_cells(row, filters: dict, case_list: str) -> list[tuple]:
    """One row of the outcome table as (value, link) cells: each count leads to its cases."""
    cases = outcome_cases_urls(
        case_list,
        fiscal_year=row.fiscal_year,
        relief=row.kind,
        court_id=row.court_id,
        process=filters.get("process", ""),
        attorney_id=filters["attorney"].pk if filters.get("attorney") else None,
        affirmative=row.affirmative,
    )
    return [
        (row.fiscal_year, None),
        (row.kind_label, None),
        (row.court_label, None),
        (row.granted, cases["granted"]),
        (row.denied, cases["denied"]),
        (row.other, cases["other"]),
        (row.decided, cases["decided"]),
        (row.grant_rate, None),
    ]


def table_rows(cells: list[list[tuple]]) -> SafeString:
    """The <tr> rows of a table of (value, link) cells, as templates/clinic/_dashboard_table.html
    would write them cell by cell: written here, with each distinct value localized once,
    because the outcome table has hundreds of rows and the template engine (or format_html) takes
    several times as long over them."""
    # typed: 50 and 50.0 are equal keys, yet a grant rate of 50.0 is shown as "50.0" (es "50,0").
    shown = lru_cache(maxsize=None, typed=True)(_shown)
    rows = (
        "".join(
            f'<td><a href="{escape(url)}">{shown(value)}</a></td>'
            if url and value is not None
            else f"<td>{shown(value)}</td>"
            for value, url in row
        )
        for row in cells
    )
    return mark_safe("\n".join(f"<tr>{row}</tr>" for row in rows))  # noqa: S308  (every value and link escaped)


ZERO = '<span class="text-body-secondary">0</span>'


def caseload_rows(entries: list[dict], calendar: str) -> SafeString:
    """The caseload table's row of each person (dashboard.html adds the unassigned one), as the
    template wrote them: built here, like table_rows, because a row has a dozen linked figures
    and the template engine took a few milliseconds over the table."""
    rows = []
    for entry in entries:
        row = entry["row"]
        statuses = [
            f'<td class="text-end">{_linked(url, count) if count else ZERO}</td>' for count, url in entry["statuses"]
        ]
        overdue = ZERO
        if row.overdue:
            overdue = f'<a class="text-danger fw-semibold" href="{escape(entry["overdue"])}">{_shown(row.overdue)}</a>'
        cells = [
            f'<th scope="row" class="fw-normal">{escape(str(row.name))}</th>',
            f'<td class="text-end fw-semibold">{_linked(entry["open"], row.open_cases)}</td>',
            *statuses,
            f'<td class="text-end">{_linked(calendar, row.hearings_30)}</td>',
            f'<td class="text-end">{_linked(entry["deadlines_30"], row.deadlines_30)}</td>',
            f'<td class="text-end">{overdue}</td>',
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return mark_safe("\n".join(rows))  # noqa: S308  (every name, figure and link escaped)


def _linked(url: str, value) -> str:
    return f'<a href="{escape(url)}">{_shown(value)}</a>'


def _shown(value) -> str:
    """A cell's value as the template shows it ({{ value }}, a date as "j M Y", None as a dash), escaped."""
    if value is None:
        return "—"
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)  # what localize() makes of a count, without its ten look-ups of formats
    return escape(str(short_date(value) if isinstance(value, date) else localize(value)))


RISK_LINKS = {"walk_in": "clients:walk-in-detail", "client": "clients:client-detail"}


def _risk_row(row: RiskRow) -> dict:
    """One row of the one-year list as the page shows it: its link, words and dates ready, so the
    template only places them (a template tag per word and date, over 50 rows, took longer)."""
    who = _("Walk-in") if row.kind == "walk_in" else _("Client")
    arrived = _("arrived %(day)s") % {"day": short_date(row.last_arrival)}
    if row.days_left < 0:
        days = ngettext("passed %(counter)s day ago", "passed %(counter)s days ago", row.days_ago)
        days, badge = days % {"counter": localize(row.days_ago)}, "text-bg-danger"
    else:
        days = ngettext("%(counter)s day", "%(counter)s days", row.days_left) % {"counter": localize(row.days_left)}
        badge = "text-bg-warning" if row.days_left <= 30 else ""
    return {
        "url": record_url(RISK_LINKS[row.kind], row.pk),
        "name": row.name,
        "about": f"{who} · {row.detail} · {arrived}",
        "deadline": short_date(row.deadline),
        "days": days,
        "badge": badge,
    }


def dashboard_charts(board: Dashboard) -> dict:
    outcome_labels = dict(WalkIn.Status.choices)
    keys = WALK_IN_KEYS
    series = [
        charts.Series(str(outcome_labels[key]) if key != "open" else _("Still open"), WALK_IN_COLOURS[key])
        for key in keys
    ]
    first, last = walk_in_weeks(board.windows)
    walk_ins = charts.stacked_columns(
        title=_("Walk-ins per week by outcome"),
        description=_("Weeks from %(first)s to %(last)s; the table below has the numbers.")
        % {"first": date_format(first, "j M Y"), "last": date_format(last, "j M Y")},
        categories=[date_format(week.week, "j M") for week in board.walk_ins],
        series=series,
        values=[[week.counts[key] for key in keys] for week in board.walk_ins],
        links=[_walk_in_links(board, week) for week in board.walk_ins],
    )
    # Outcomes: one bar per relief (all courts and years in the filter), grant rate on the right.
    by_kind: dict[str, list[int]] = {}
    for row in board.outcomes:
        totals = by_kind.setdefault(row.kind_label, [0, 0, 0])
        totals[0] += row.granted
        totals[1] += row.denied
        totals[2] += row.other
    outcomes = None
    if by_kind:
        outcomes = charts.stacked_bars(
            title=_("Decisions per relief, with grant rates"),
            description=_("Granted, denied and other decisions per form of relief; the table below has the numbers."),
            categories=list(by_kind),
            series=[
                charts.Series(_("Granted"), "#009E73"),
                charts.Series(_("Denied"), "#D55E00"),
                charts.Series(_("Other"), "#999999"),
            ],
            values=list(by_kind.values()),
            notes=[
                _("%(rate)s%% granted") % {"rate": round(100 * t[0] / sum(t))} if sum(t) else ""
                for t in by_kind.values()
            ],
            width=1100,
        )
    rows = [row for row in board.caseload if row.open_cases or row.hearings_30 or row.deadlines_30 or row.overdue]
    if board.unassigned.open_cases and not board.filters.get("attorney"):
        rows.append(board.unassigned)
    caseload = None
    if rows:
        caseload = charts.stacked_bars(
            title=_("Open cases per attorney"),
            description=_("Open cases, with overdue deadlines; the table below has the numbers."),
            categories=[row.name for row in rows],
            series=[charts.Series(_("Open cases"), "#0072B2")],
            values=[[row.open_cases] for row in rows],
            width=1100,
            notes=[_("%(count)s overdue") % {"count": row.overdue} if row.overdue else "" for row in rows],
        )
    return {"walk_ins": walk_ins, "outcomes": outcomes, "caseload": caseload}
