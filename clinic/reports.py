"""Reads behind the supervisor's reports and exports, scoped to the supervisor's clinic.

They carry no more client data than the report needs: the case-closing report is counts only,
and the case export has case numbers, never a client's name or A-number."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, FilteredRelation, Q
from django.utils.translation import gettext as _

from cases.access import cases_visible_to
from cases.models import Case, CaseAssignment
from cases.selectors import SORTS
from cases.selectors import _filtered as filter_cases  # the case list's own filters, so both agree
from clinic.permissions import Role, require_role
from clinic.tables import Table

EXPORT_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class ClosingReport:
    date_from: date
    date_to: date
    total: int
    tables: list[Table]

    def table(self, key: str) -> Table | None:
        return next((table for table in self.tables if table.key == key), None)


def closing_report(*, actor, date_from: date, date_to: date) -> ClosingReport:
    """The clinic's cases closed between the two dates (both included), counted by LSC closing
    reason, by funding source and by outcome. One query: every count is a filtered COUNT."""
    membership = require_role(actor, Role.SUPERVISOR)
    closed = Case.objects.filter(
        clinic=membership.clinic, status=Case.Status.CLOSED, closed_on__gte=date_from, closed_on__lte=date_to
    )
    groups = [
        ("closing-reason", _("Closed cases by closing reason"), _("Closing reason"), "closing_reason",
         Case.ClosingReason.choices, _("No closing reason recorded")),
        ("funding-source", _("Closed cases by funding source"), _("Funding source"), "funding_source",
         Case.Funding.choices, _("No funding source recorded")),
        ("outcome", _("Closed cases by outcome"), _("Outcome"), "outcome",
         Case.Outcome.choices, _("No outcome recorded")),
    ]  # fmt: skip
    aggregates = {"total": Count("pk")}
    for group_index, (*_labels, field, choices, _unrecorded) in enumerate(groups):
        for value_index, (value, _label) in enumerate([*choices, ("", "")]):
            aggregates[f"n{group_index}_{value_index}"] = Count("pk", filter=Q(**{field: value}))
    counts = closed.aggregate(**aggregates)
    tables = []
    for group_index, (key, title, heading, _field, choices, unrecorded) in enumerate(groups):
        rows = [
            [str(label), counts[f"n{group_index}_{value_index}"]] for value_index, (_value, label) in enumerate(choices)
        ]
        not_recorded = counts[f"n{group_index}_{len(choices)}"]
        if not_recorded:
            rows.append([unrecorded, not_recorded])
        rows.append([_("Total"), sum(count for _label, count in rows)])
        tables.append(Table(key=key, title=title, headers=[heading, _("Closed cases")], rows=rows))
    return ClosingReport(date_from, date_to, counts["total"], tables)


CASE_EXPORT_FIELDS = (
    "number", "status", "process", "court__name", "court__code", "lead__user__first_name", "lead__user__last_name",
    "lead__user__username", "opened_on", "closed_on", "outcome",
)  # fmt: skip
CASE_LABELS = (Case.Status, Case.Process, Case.Outcome)


def case_export_table(*, actor, filters: dict) -> Table:
    """The cases of the case list (same filters and order), one row per case, read from the
    database in chunks as the export is written: nothing holds all the rows at once."""
    require_role(actor, Role.SUPERVISOR)
    order = SORTS.get(filters.get("sort") or "-opened", SORTS["-opened"])
    lead = FilteredRelation("assignments", condition=Q(assignments__role=CaseAssignment.Role.LEAD))
    rows = (
        filter_cases(cases_visible_to(actor), filters)
        .annotate(lead=lead)
        .order_by(*order)
        .values_list(*CASE_EXPORT_FIELDS)
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )
    headers = [
        _("Case number"), _("Status"), _("Process"), _("Court"), _("Lead attorney"), _("Opened on"), _("Closed on"),
        _("Outcome"),
    ]  # fmt: skip
    # Labels translated now, in the request's language, not later while the response streams.
    status, process, outcome = ({value: str(label) for value, label in field.choices} for field in CASE_LABELS)
    return Table(key="cases", title=_("Cases"), headers=headers, rows=_case_rows(rows, status, process, outcome))


def _case_rows(rows, status: dict, process: dict, outcome: dict) -> Iterator[list]:
    for number, state, kind, court, code, first, last, username, opened, closed, result in rows:
        yield [
            number,
            status.get(state, state),
            process.get(kind, kind),
            f"{court} ({code})" if court else "",
            " ".join(filter(None, (first, last))) or username or "",
            opened,
            closed,
            outcome.get(result, result),
        ]
