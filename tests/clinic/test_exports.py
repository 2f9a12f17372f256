"""CSV and XLSX downloads: what they contain, that they parse back, that a cell cannot become a
formula, who may download, that nothing of another clinic leaks, that each download is audited,
and that an export of tens of thousands of rows streams in flat memory."""

import csv
import io
import sys
import tracemalloc
import types
from datetime import date, datetime

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Case
from clinic import exports
from clinic.exports import csv_response, safe_filename, xlsx_response
from clinic.models import AuditEvent, Membership
from clinic.tables import Table
from tests.clinic.report_data import bulk_cases, dallas, lead

Role = Membership.Role

TABLE = Table(
    key="sample",
    title="Sample: hearings [next 7 days]",
    headers=["Case", "Court", "Count", "Date", "Note"],
    rows=[
        ["LA-2026-0001", "El Paso — Juárez", 3, date(2026, 3, 4), None],
        ["LA-2026-0002", '=HYPERLINK("http://evil")', -2, date(2026, 3, 5), "+1 555"],
        ["LA-2026-0003", "@SUM(A1)", 0, None, "-5"],
        ["LA-2026-0004", "\tTab", 1, date(2026, 3, 6), "a=b is fine"],
    ],
)
GUARDED = {
    '=HYPERLINK("http://evil")': '\'=HYPERLINK("http://evil")',
    "+1 555": "'+1 555",
    "@SUM(A1)": "'@SUM(A1)",
    "-5": "'-5",
    "\tTab": "'\tTab",
}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def xlsx_rows(response, sheet=None) -> list[list]:
    """The rows of the first sheet, with dates (which openpyxl reads as midnight) as dates."""
    sheet = sheet or load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [[as_day(value) for value in row] for row in sheet.iter_rows(values_only=True)]


def as_day(value):
    return value.date() if isinstance(value, datetime) else value


def test_csv_has_a_bom_the_headers_and_the_rows():
    response = csv_response(TABLE, "sample")
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert "El Paso — Juárez".encode() in content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == TABLE.headers
    assert rows[1] == ["LA-2026-0001", "El Paso — Juárez", "3", "2026-03-04", ""]
    assert rows[2][2] == "-2"  # numbers are numbers, not guarded text
    assert len(rows) == 5


def test_csv_guards_against_formulas():
    cells = [cell for row in csv_rows(csv_response(TABLE, "sample"))[1:] for cell in row]
    for raw, guarded in GUARDED.items():
        assert guarded in cells
        assert raw not in cells
    assert "a=b is fine" in cells


def test_xlsx_has_the_same_rows_with_dates_as_dates():
    response = xlsx_response(TABLE, "sample")
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "Sample  hearings  next 7 days"
    assert sheet["A1"].font.bold
    rows = xlsx_rows(None, sheet)
    assert rows[0] == TABLE.headers
    assert rows[1] == ["LA-2026-0001", "El Paso — Juárez", 3, date(2026, 3, 4), None]
    assert sheet["D2"].is_date
    assert rows[2][2] == -2


def test_xlsx_guards_against_formulas():
    sheet = load_workbook(io.BytesIO(b"".join(xlsx_response(TABLE, "sample").streaming_content))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells]
    for raw, guarded in GUARDED.items():
        assert guarded in values
        assert raw not in values


@pytest.mark.parametrize(("respond", "extension"), [(csv_response, "csv"), (xlsx_response, "xlsx")])
def test_downloads_are_attachments_with_a_safe_name_and_not_cached(respond, extension):
    response = respond(TABLE, '../../etc/passwd "x"\r\nSet-Cookie: a=b')
    assert response["Content-Disposition"] == f'attachment; filename="etcpasswd-x-set-cookie-ab.{extension}"'
    assert response["Cache-Control"] == "no-store"


def test_safe_filename_keeps_a_plain_name():
    assert safe_filename("case-closing-2026-01-01", "csv") == "case-closing-2026-01-01.csv"
    assert safe_filename("cases.xlsx", "xlsx") == "cases.xlsx"
    assert safe_filename("¿?", "csv") == "export.csv"


# The case list as a download.


@pytest.fixture
def cases(clinic, other_clinic, attorney, supervisor, outsiders):
    court = dallas()
    made = bulk_cases(
        clinic,
        [
            {"status": Case.Status.FILED, "court": court, "opened_on": date(2026, 1, 5)},
            {"status": Case.Status.PREPARING, "process": Case.Process.AFFIRMATIVE, "opened_on": date(2026, 2, 1)},
            {
                "status": Case.Status.CLOSED,
                "court": court,
                "opened_on": date(2025, 3, 1),
                "closed_on": date(2026, 1, 20),
                "closing_reason": "I",
                "outcome": Case.Outcome.GRANTED_ASYLUM,
            },
        ],
    )
    lead(made[0], attorney)
    lead(made[2], supervisor)
    theirs = bulk_cases(other_clinic, [{"status": Case.Status.FILED, "court": court}] * 2, prefix="BR")
    lead(theirs[0], outsiders[Role.ATTORNEY])
    return made


def export(as_user, user, fmt="csv", **params):
    return as_user(user).get(reverse("reports:case-export", args=[fmt]), params)


def test_case_export_has_the_open_cases_like_the_list(as_user, supervisor, attorney, cases):
    response = export(as_user, supervisor)
    assert isinstance(response, StreamingHttpResponse)
    rows = csv_rows(response)
    assert rows[0] == ["Case number", "Status", "Process", "Court", "Lead attorney", "Opened on", "Closed on",
                       "Outcome"]  # fmt: skip
    assert rows[1:] == [
        ["LA-2026-00002", "Preparing the application", "Affirmative (USCIS asylum office)", "", "", "2026-02-01", "",
         ""],
        ["LA-2026-00001", "Filed", "Defensive (immigration court)", "Dallas (DAL)", attorney.get_full_name(),
         "2026-01-05", "", ""],
    ]  # fmt: skip


def test_case_export_follows_the_list_filters(as_user, supervisor, cases):
    rows = csv_rows(export(as_user, supervisor, status="closed"))
    assert [row[0] for row in rows[1:]] == ["LA-2026-00003"]
    assert rows[1][4:] == [supervisor.get_full_name(), "2025-03-01", "2026-01-20", "Asylum granted"]
    rows = csv_rows(export(as_user, supervisor, status="all", sort="number"))
    assert [row[0] for row in rows[1:]] == ["LA-2026-00001", "LA-2026-00002", "LA-2026-00003"]
    rows = csv_rows(export(as_user, supervisor, status="all", court=dallas().pk))
    assert [row[0] for row in rows[1:]] == ["LA-2026-00001", "LA-2026-00003"]


def test_case_export_as_xlsx_has_the_same_rows(as_user, supervisor, cases):
    as_csv = csv_rows(export(as_user, supervisor, status="all"))
    response = export(as_user, supervisor, "xlsx", status="all")
    assert isinstance(response, FileResponse)
    rows = xlsx_rows(response)
    assert rows[0] == as_csv[0]
    assert [row[0] for row in rows[1:]] == [row[0] for row in as_csv[1:]]
    assert rows[3][5:7] == [date(2025, 3, 1), date(2026, 1, 20)]


def test_case_export_carries_no_client_data(as_user, supervisor, cases):
    content = b"".join(export(as_user, supervisor, status="all").streaming_content).decode("utf-8-sig")
    client = cases[0].client
    assert client.paternal_surname not in content
    assert client.given_names not in content


def test_case_export_never_has_another_clinics_cases(as_user, supervisor, outsiders, cases):
    ours = csv_rows(export(as_user, supervisor, status="all"))
    assert not any(row[0].startswith("BR-") for row in ours)
    theirs = csv_rows(export(as_user, outsiders[Role.SUPERVISOR], status="all"))
    assert [row[0] for row in theirs[1:]] == ["BR-2026-00002", "BR-2026-00001"]


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.CLINIC_ADMIN])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_case_export_is_for_supervisors_only(as_user, staff, cases, role, fmt):
    assert export(as_user, staff[role], fmt).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_case_export_of_an_unknown_format_is_404(as_user, supervisor, cases):
    assert as_user(supervisor).get("/reports/cases.pdf").status_code == 404


def test_case_export_is_audited_with_its_filters(as_user, supervisor, cases):
    export(as_user, supervisor, "xlsx", status="closed", court=dallas().pk)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == supervisor
    assert event.clinic == supervisor.membership.clinic
    assert event.object_label == "Case list"
    assert event.changes == {"filters": {"status": "closed", "court": str(dallas().pk)}}
    assert "xlsx" in event.summary


# Each dashboard table as a download (clinic.dashboard.dashboard_tables, replaced by a fake here
# so these tests are about the download, not the figures).


@pytest.fixture
def fake_dashboard(monkeypatch, other_clinic):
    calls = []

    def dashboard_tables(*, actor, filters):
        calls.append({"actor": actor, "filters": filters})
        clinic = actor.membership.clinic
        return {
            "caseload": Table("caseload", "Caseload", ["Attorney", "Open cases"], [[f"Staff of {clinic.slug}", 4]]),
            "hearings": Table("hearings", "Hearings", ["Case", "Date"], [["=cmd", date(2026, 5, 1)]]),
        }

    try:
        import clinic.dashboard  # noqa: F401

        monkeypatch.setattr("clinic.dashboard.dashboard_tables", dashboard_tables)
    except ImportError:
        monkeypatch.setitem(sys.modules, "clinic.dashboard", types.SimpleNamespace(dashboard_tables=dashboard_tables))
    return calls


def dashboard_export(as_user, user, key, fmt, **params):
    return as_user(user).get(reverse("reports:dashboard-export", args=[key, fmt]), params)


def test_dashboard_table_as_csv(as_user, supervisor, fake_dashboard):
    response = dashboard_export(as_user, supervisor, "caseload", "csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-caseload-')
    assert csv_rows(response) == [["Attorney", "Open cases"], ["Staff of las-americas-test", "4"]]


def test_dashboard_table_as_xlsx(as_user, supervisor, fake_dashboard):
    rows = xlsx_rows(dashboard_export(as_user, supervisor, "hearings", "xlsx"))
    assert rows == [["Case", "Date"], ["'=cmd", date(2026, 5, 1)]]


def test_dashboard_export_passes_the_dashboards_filters(as_user, supervisor, attorney, fake_dashboard):
    dashboard_export(as_user, supervisor, "caseload", "csv", attorney=attorney.pk, process="defensive",
                     date_from="2026-01-01", date_to="2026-03-31")  # fmt: skip
    filters = fake_dashboard[-1]["filters"]
    assert filters == {
        "attorney": attorney,
        "process": "defensive",
        "date_from": date(2026, 1, 1),
        "date_to": date(2026, 3, 31),
    }
    assert fake_dashboard[-1]["actor"] == supervisor
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.object_label == "Dashboard: caseload"
    assert event.changes == {
        "filters": {"attorney": str(attorney.pk), "process": "defensive", "date_from": "2026-01-01",
                    "date_to": "2026-03-31"}
    }  # fmt: skip


def test_dashboard_export_ignores_bad_filters_as_the_dashboard_does(as_user, supervisor, fake_dashboard):
    dashboard_export(as_user, supervisor, "caseload", "csv", date_from="2026-05-01", date_to="2026-01-01")
    assert fake_dashboard[-1]["filters"] == {}


def test_unknown_dashboard_table_is_404(as_user, supervisor, fake_dashboard):
    assert dashboard_export(as_user, supervisor, "clients", "csv").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.CLINIC_ADMIN])
def test_dashboard_export_is_for_supervisors_only(as_user, staff, fake_dashboard, role):
    assert dashboard_export(as_user, staff[role], "caseload", "csv").status_code == 403
    assert fake_dashboard == []


def test_dashboard_export_is_the_users_own_clinic(as_user, outsiders, fake_dashboard):
    rows = csv_rows(dashboard_export(as_user, outsiders[Role.SUPERVISOR], "caseload", "csv"))
    assert rows[1] == ["Staff of border-rights-test", "4"]


# Memory: the export of N cases must not hold N rows. Peak traced memory while the whole file
# is produced, for 4,000 and for 20,000 cases: five times the rows, about the same peak. (Rows
# are read 2,000 at a time, and while the next chunk is fetched the last one is still alive, so
# the peak is two chunks from 4,000 rows on; 2,000 rows would peak at one chunk.)

SMALL, LARGE = 4_000, 20_000


def peak_while_exporting(as_user, user, fmt) -> tuple[int, int]:
    """(peak bytes traced while the view runs and its response is consumed, bytes produced)."""
    tracemalloc.start()
    try:
        response = export(as_user, user, fmt, status="all")
        # Consumed to the end: the test client then closes the response itself.
        size = sum(len(chunk) for chunk in response.streaming_content)
        return tracemalloc.get_traced_memory()[1], size
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_big_export_streams_in_flat_memory(as_user, monkeypatch, clinic, supervisor, attorney, fmt):
    # An XLSX is kept in memory up to this size, then on disk: small here, so the test shows the
    # file on disk, and the rows not in memory, whatever the size of the export.
    monkeypatch.setattr(exports, "XLSX_IN_MEMORY_BYTES", 64 * 1024)
    client_record = None
    peaks = {}
    for rows in (SMALL, LARGE):
        Case.objects.filter(clinic=clinic).delete()
        made = bulk_cases(clinic, [{"status": Case.Status.FILED, "court": dallas()}] * rows, client=client_record)
        client_record = made[0].client
        if not peaks:
            peak_while_exporting(as_user, supervisor, fmt)  # the first request imports and caches
        peaks[rows], size = peak_while_exporting(as_user, supervisor, fmt)
        print(f"{fmt}: {rows} rows, {size:,} bytes out, peak {peaks[rows]:,} bytes traced")  # noqa: T201
    # Were the rows held in memory, the large export would need about five times the small one's peak.
    assert peaks[LARGE] < peaks[SMALL] * 1.3


def test_every_real_dashboard_table_downloads(as_user, supervisor, cases):
    """With the dashboard's own tables (clinic/dashboard.py): each key, both formats."""
    from clinic.dashboard import dashboard_tables

    tables = dashboard_tables(actor=supervisor, filters={})
    assert tables
    for key, table in tables.items():
        rows = csv_rows(dashboard_export(as_user, supervisor, key, "csv"))
        assert rows[0] == [str(header) for header in table.headers]
        xlsx = xlsx_rows(dashboard_export(as_user, supervisor, key, "xlsx"))
        assert len(xlsx) == len(rows)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).count() == 2 * len(tables)


def test_the_case_list_offers_its_download_to_supervisors_only(as_user, staff, supervisor, cases):
    export = reverse("reports:case-export", args=["csv"])
    html = as_user(supervisor).get(reverse("cases:case-list"), {"status": "all"}).content.decode()
    assert f'href="{export}?status=all"' in html
    for role in (Role.INTAKE, Role.ATTORNEY):
        assert export not in as_user(staff[role]).get(reverse("cases:case-list")).content.decode()


def test_the_dashboard_links_to_the_closing_report(as_user, supervisor):
    assert reverse("reports:closing") in as_user(supervisor).get(reverse("clinic:dashboard")).content.decode()
