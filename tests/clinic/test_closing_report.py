"""The case-closing report for funders: counts checked against the data set, counted here on its
own; supervisors only; another clinic's cases never counted; bad dates are a form error."""

import csv
import io
from collections import Counter
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cases.models import Case
from clinic.models import AuditEvent, Membership
from tests.clinic.report_data import bulk_cases

Role = Membership.Role
Closed = Case.Status.CLOSED
Reason, Funding, Outcome = Case.ClosingReason, Case.Funding, Case.Outcome
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-06-30"}

# (status, closed_on, closing reason, funding source, outcome)
DATA = [
    (Closed, date(2026, 1, 1), Reason.COUNSEL_ADVICE, Funding.LSC, ""),  # first day counts
    (Closed, date(2026, 2, 10), Reason.COUNSEL_ADVICE, Funding.IOLTA, ""),
    (Closed, date(2026, 3, 5), Reason.COURT_DECISION, Funding.LSC, Outcome.GRANTED_ASYLUM),
    (Closed, date(2026, 3, 6), Reason.COURT_DECISION, Funding.FOUNDATION, Outcome.GRANTED_ASYLUM),
    (Closed, date(2026, 4, 1), Reason.COURT_DECISION, Funding.FOUNDATION, Outcome.DENIED_REMOVAL),
    (Closed, date(2026, 4, 2), Reason.AGENCY_DECISION, Funding.LSC, Outcome.USCIS_GRANTED),
    (Closed, date(2026, 5, 9), Reason.LIMITED_ACTION, "", Outcome.WITHDRAWN),
    (Closed, date(2026, 6, 30), Reason.EXTENSIVE_SERVICE, Funding.PRO_BONO, Outcome.TERMINATED),  # last day counts
    (Closed, date(2025, 12, 31), Reason.COURT_DECISION, Funding.LSC, Outcome.GRANTED_ASYLUM),  # before the period
    (Closed, date(2026, 7, 1), Reason.COURT_DECISION, Funding.LSC, Outcome.GRANTED_ASYLUM),  # after the period
    (Case.Status.DECIDED, None, "", Funding.LSC, Outcome.GRANTED_ASYLUM),  # not closed
    (Case.Status.PREPARING, None, "", Funding.IOLTA, ""),
]


def in_period(row) -> bool:
    return row[0] == Closed and date(2026, 1, 1) <= row[1] <= date(2026, 6, 30)


def expected(column: int, choices, unrecorded: str) -> list[list]:
    """The table the report should show, counted from DATA without the code under test."""
    counts = Counter(row[column] for row in DATA if in_period(row))
    rows = [[str(label), counts[value]] for value, label in choices]
    if counts[""]:
        rows.append([unrecorded, counts[""]])
    rows.append(["Total", sum(counts.values())])
    return rows


EXPECTED = {
    "closing-reason": expected(2, Reason.choices, "No closing reason recorded"),
    "funding-source": expected(3, Funding.choices, "No funding source recorded"),
    "outcome": expected(4, Outcome.choices, "No outcome recorded"),
}


@pytest.fixture
def data(clinic, other_clinic):
    specs = [
        {"status": status, "closed_on": closed_on, "closing_reason": reason, "funding_source": funding,
         "outcome": outcome}
        for status, closed_on, reason, funding, outcome in DATA
    ]  # fmt: skip
    bulk_cases(clinic, specs)
    # The other clinic closed cases in the same period: never counted here.
    bulk_cases(other_clinic, specs[:6] * 3, prefix="BR")


def report(as_user, user, **params):
    return as_user(user).get(reverse("reports:closing"), params)


def test_it_counts_closed_cases_by_reason_funding_and_outcome(as_user, supervisor, data):
    response = report(as_user, supervisor, **PERIOD)
    assert response.status_code == 200
    result = response.context["report"]
    assert result.total == 8
    assert {table.key: table.rows for table in result.tables} == EXPECTED
    for table in result.tables:
        assert table.rows[-1][1] == result.total


def test_it_shows_the_tables_with_totals_on_the_page(as_user, supervisor, data):
    html = report(as_user, supervisor, **PERIOD).content.decode()
    assert "Closed cases by closing reason" in html
    assert "I: Court decision" in html
    assert "No funding source recorded" in html
    assert "8 cases closed from" in html
    assert html.count("Total") >= 3
    assert "Hernández" not in html  # the bulk cases' client: no client data in the report


def test_it_counts_only_the_supervisors_clinic(as_user, outsiders, data):
    result = report(as_user, outsiders[Role.SUPERVISOR], **PERIOD).context["report"]
    assert result.total == 18
    assert result.table("closing-reason").rows[0] == ["A: Counsel and advice", 6]


def test_it_shows_an_empty_period_as_zeros(as_user, supervisor, data):
    result = report(as_user, supervisor, date_from="2020-01-01", date_to="2020-12-31").context["report"]
    assert result.total == 0
    assert result.table("outcome").rows[-1] == ["Total", 0]


def test_without_dates_it_shows_the_form_only(as_user, supervisor, data):
    response = report(as_user, supervisor)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert not AuditEvent.objects.filter(object_label="Case-closing report").exists()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"date_from": "2026-06-30", "date_to": "2026-01-01"}, "date_to", "on or after the first day"),
        ({"date_from": "2026-01-01"}, "date_to", "Enter the last day"),
        ({"date_from": "2026-02-30", "date_to": "2026-03-01"}, "date_from", "Enter a real date"),
        ({"date_from": "soon", "date_to": "later"}, "date_from", "Enter a real date"),
    ],
)
def test_bad_dates_are_a_form_error(as_user, supervisor, data, params, field, message):
    response = report(as_user, supervisor, **params)
    assert response.status_code == 200
    assert response.context["report"] is None
    assert message in " ".join(response.context["form"].errors[field])
    assert message in response.content.decode()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.CLINIC_ADMIN])
def test_other_roles_get_403(as_user, staff, data, role):
    assert report(as_user, staff[role], **PERIOD).status_code == 403
    url = reverse("reports:closing-export", args=["outcome", "csv"])
    assert as_user(staff[role]).get(url, PERIOD).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client, data):
    response = client.get(reverse("reports:closing"), PERIOD)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_viewing_the_report_is_audited_with_the_period(as_user, supervisor, data):
    report(as_user, supervisor, **PERIOD)
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_label="Case-closing report")
    assert event.actor == supervisor
    assert event.clinic == supervisor.membership.clinic
    assert event.changes == {"filters": PERIOD}
    assert "2026-01-01" in event.summary


@pytest.mark.parametrize("key", ["closing-reason", "funding-source", "outcome"])
def test_csv_export_parses_back_to_the_table(as_user, supervisor, data, key):
    response = as_user(supervisor).get(reverse("reports:closing-export", args=[key, "csv"]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="case-closing-{key}-2026-01-01-to-2026-06-30.csv"'
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "Closed cases"
    assert rows[1:] == [[label, str(count)] for label, count in EXPECTED[key]]


def test_xlsx_export_has_the_same_rows(as_user, supervisor, data):
    response = as_user(supervisor).get(reverse("reports:closing-export", args=["funding-source", "xlsx"]), PERIOD)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [["Funding source", "Closed cases"], *EXPECTED["funding-source"]]


def test_whole_report_as_one_workbook(as_user, supervisor, data):
    response = as_user(supervisor).get(reverse("reports:closing-export", args=["all", "xlsx"]), PERIOD)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 3
    outcome = [list(row) for row in workbook.worksheets[2].iter_rows(min_row=2, values_only=True)]
    assert outcome == EXPECTED["outcome"]


def test_export_is_audited(as_user, supervisor, data):
    as_user(supervisor).get(reverse("reports:closing-export", args=["outcome", "xlsx"]), PERIOD)
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == supervisor
    assert "outcome" in event.summary
    assert "xlsx" in event.summary
    assert event.changes == {"filters": PERIOD}


def test_export_of_an_unknown_table_is_404(as_user, supervisor, data):
    response = as_user(supervisor).get(reverse("reports:closing-export", args=["clients", "csv"]), PERIOD)
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_export_with_bad_dates_goes_back_to_the_form(as_user, supervisor, data):
    params = {"date_from": "2026-06-30", "date_to": "2026-01-01"}
    response = as_user(supervisor).get(reverse("reports:closing-export", args=["outcome", "csv"]), params)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:closing"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()
