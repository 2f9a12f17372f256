"""The supervisor's reports and downloads: the case-closing report for funders, each dashboard
table and the case list as CSV or XLSX. Every view and download is written to the audit log."""

from datetime import date

from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases.forms import CaseFilterForm
from clinic import reports
from clinic.audit import audit_record
from clinic.exports import csv_response, xlsx_response, xlsx_workbook_response
from clinic.models import AuditEvent
from clinic.permissions import Role, role_required
from clinic.report_forms import ClosingReportForm
from clinic.tables import Table

Action = AuditEvent.Action


@require_GET
@role_required(Role.SUPERVISOR)
def closing_report(request):
    today = timezone.localdate()
    form = ClosingReportForm(request.GET or None, initial={"date_from": date(today.year, 1, 1), "date_to": today})
    report = None
    if form.is_valid():
        report = reports.closing_report(actor=request.user, **form.cleaned_data)
        _audit(request, Action.VIEW, "Case-closing report", "Viewed the case-closing report", form.cleaned_data)
    context = {"form": form, "report": report, "query": request.GET.urlencode()}
    return render(request, "clinic/report_closing.html", context)


@require_GET
@role_required(Role.SUPERVISOR)
def closing_report_export(request, key: str, fmt: str):
    form = ClosingReportForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('reports:closing')}?{request.GET.urlencode()}")
    report = reports.closing_report(actor=request.user, **form.cleaned_data)
    period = f"{form.cleaned_data['date_from']:%Y-%m-%d}-to-{form.cleaned_data['date_to']:%Y-%m-%d}"
    if key == "all" and fmt == "xlsx":
        response = xlsx_workbook_response(report.tables, f"case-closing-report-{period}")
    else:
        response = _download(_table_or_404(report.table(key)), fmt, f"case-closing-{key}-{period}")
    _audit(request, Action.EXPORT, "Case-closing report", f"Exported the case-closing report ({key}) as {fmt}",
           form.cleaned_data)  # fmt: skip
    return response


@require_GET
@role_required(Role.SUPERVISOR)
def dashboard_export(request, key: str, fmt: str):
    from clinic import dashboard  # loaded only when used: it is the heavy part

    filters = _dashboard_filters(request)
    table = _table_or_404(dashboard.dashboard_tables(actor=request.user, filters=filters).get(key))
    response = _download(table, fmt, f"dashboard-{key}-{timezone.localdate():%Y-%m-%d}")
    _audit(request, Action.EXPORT, f"Dashboard: {key}", f"Exported the dashboard table {key} as {fmt}", filters)
    return response


@require_GET
@role_required(Role.SUPERVISOR)
def case_export(request, fmt: str):
    form = CaseFilterForm(request.GET or None, clinic=request.clinic)
    filters = form.filters()
    table = reports.case_export_table(actor=request.user, filters=filters)
    response = _download(table, fmt, f"cases-{timezone.localdate():%Y-%m-%d}")
    _audit(request, Action.EXPORT, "Case list", f"Exported the case list as {fmt}", filters)
    return response


def _dashboard_filters(request) -> dict:
    """The dashboard's own filter form, so the download has exactly the rows of the page."""
    from clinic.dashboard_forms import DashboardFilterForm

    return DashboardFilterForm(request.GET or None, clinic=request.clinic).filters()


def _table_or_404(table: Table | None) -> Table:
    if table is None:
        raise Http404
    return table


def _download(table: Table, fmt: str, filename: str):
    return csv_response(table, filename) if fmt == "csv" else xlsx_response(table, filename)


def _audit(request, action: str, label: str, summary: str, filters: dict) -> None:
    """What was shown or exported, and with which filters (values as text, ids for records)."""
    shown = {name: _plain(value) for name, value in filters.items() if value not in (None, "", [])}
    if shown:
        summary += " — " + ", ".join(f"{name}: {value}" for name, value in shown.items())
    audit_record(
        action=action, actor=request.user, object_label=label, summary=summary, changes={"filters": shown},
        request=request,
    )  # fmt: skip


def _plain(value) -> str:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
