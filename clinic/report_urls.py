"""Reports and downloads for supervisors (clinic/report_views.py)."""

from django.urls import path, register_converter

from clinic import report_views


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export_format")

app_name = "reports"

urlpatterns = [
    path("reports/closing/", report_views.closing_report, name="closing"),
    path("reports/closing/<slug:key>.<export_format:fmt>", report_views.closing_report_export, name="closing-export"),
    path("reports/cases.<export_format:fmt>", report_views.case_export, name="case-export"),
    path("dashboard/export/<slug:key>.<export_format:fmt>", report_views.dashboard_export, name="dashboard-export"),
]
