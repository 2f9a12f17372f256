"""The case core: opening with a number, access by role and clinic, list, overview, team,
relief, outcome, notes, deadlines and closing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case, CaseAssignment, CaseNote, Deadline, ReliefApplication
from clients import services as client_services
from clinic.models import AuditEvent, Membership
from tests.factories import staff_member

Role = Membership.Role
CASE_ROLES = {Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR}
CONFIDENTIAL = {Role.ATTORNEY, Role.SUPERVISOR}


def core_urls(case):
    relief = case.relief_applications.first()
    return {
        "list": reverse("cases:case-list"),
        "open": reverse("cases:case-open", args=[case.client_id]),
        "detail": reverse("cases:case-detail", args=[case.pk]),
        "edit": reverse("cases:case-edit", args=[case.pk]),
        "team": reverse("cases:case-team", args=[case.pk]),
        "relief": reverse("cases:relief-edit", args=[case.pk, relief.pk]),
        "outcome": reverse("cases:case-outcome", args=[case.pk]),
        "close": reverse("cases:case-close", args=[case.pk]),
        "notes": reverse("cases:notes", args=[case.pk]),
    }


EXPECTED = {
    # page: {role: status}; missing roles get 403
    "list": dict.fromkeys(CASE_ROLES, 200),
    "open": dict.fromkeys(CASE_ROLES, 200),
    "detail": dict.fromkeys(CASE_ROLES, 200),
    "edit": {Role.ATTORNEY: 200, Role.SUPERVISOR: 200},
    "team": {Role.ATTORNEY: 200, Role.SUPERVISOR: 200},
    "relief": {Role.ATTORNEY: 200, Role.SUPERVISOR: 200},
    "outcome": {Role.ATTORNEY: 200, Role.SUPERVISOR: 200},
    "close": {Role.ATTORNEY: 200, Role.SUPERVISOR: 200},
    "notes": {Role.ATTORNEY: 200, Role.SUPERVISOR: 200},
}


@pytest.mark.parametrize("role", list(Role))
def test_case_pages_by_role(as_user, staff, case, role):
    client = as_user(staff[role])
    for page, url in core_urls(case).items():
        assert client.get(url).status_code == EXPECTED[page].get(role, 403), (page, role)


@pytest.mark.parametrize("role", sorted(CASE_ROLES))
def test_another_clinics_case_is_not_found(as_user, outsiders, case, role):
    client = as_user(outsiders[role])
    for page, url in core_urls(case).items():
        if page != "list":
            assert client.get(url).status_code == 404, page
    posts = [
        reverse("cases:deadline-add", args=[case.pk]),
        reverse("cases:relief-add", args=[case.pk]),
    ]
    for url in posts:
        assert client.post(url, {"title": "X", "due_on": "2027-01-01", "kind": "cat"}).status_code == 404
    # The arrival date computed the one-year deadline; nothing was entered by hand.
    assert not case.deadlines.filter(trigger_key="").exists()
    assert case.relief_applications.count() == 3


def test_an_attorney_not_on_the_case_does_not_see_it_unless_the_clinic_allows(as_user, case, clinic):
    colleague = staff_member(clinic, Role.ATTORNEY, username="colleague")
    client = as_user(colleague)
    assert client.get(reverse("cases:case-detail", args=[case.pk])).status_code == 404
    assert [c.pk for c in client.get(reverse("cases:case-list")).context["page"].cases] == []
    clinic.attorneys_read_all_cases = True
    clinic.save(update_fields=["attorneys_read_all_cases"])
    assert client.get(reverse("cases:case-detail", args=[case.pk])).status_code == 200
    assert client.get(reverse("cases:notes", args=[case.pk])).status_code == 200
    # Reading is allowed; changing is not.
    assert client.get(reverse("cases:case-edit", args=[case.pk])).status_code == 403
    assert client.post(reverse("cases:notes", args=[case.pk]), {"text": "x"}).status_code == 403
    assert not CaseNote.objects.exists()


def test_opening_a_case_numbers_it_and_sets_it_up(as_user, intake_user, attorney, principal, clinic, court):
    response = as_user(intake_user).post(
        reverse("cases:case-open", args=[principal.pk]),
        {
            "lead_attorney": attorney.pk, "process": "defensive", "court": court.pk,
            "included_family": [m.pk for m in principal.family_members.all()],
        },
    )  # fmt: skip
    case = Case.objects.get()
    assert response.url == reverse("cases:case-detail", args=[case.pk])
    year = timezone.localdate().year
    assert case.number == f"{clinic.case_prefix}-{year}-0001"
    assert case.last_arrival_date == date(2025, 12, 9)  # taken from the client
    assert list(case.assignments.values_list("user", "role")) == [(attorney.pk, "lead")]
    assert sorted(case.relief_applications.values_list("kind", flat=True)) == ["asylum", "cat", "withholding"]
    assert case.claim.bar_checks.count() == 11
    assert case.included_family.count() == 2
    second = services.case_open(
        actor=attorney, client=principal, data={"process": "affirmative"}, lead_attorney=attorney
    )
    assert second.number == f"{clinic.case_prefix}-{year}-0002"
    assert list(second.relief_applications.values_list("kind", flat=True)) == ["asylum"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, object_label=case.number).exists()


def test_a_family_member_who_is_not_the_principals_cannot_be_added(as_user, attorney, principal, case, intake_user):
    stranger = client_services.client_create(actor=intake_user, data={"given_names": "Otra"})
    cousin = client_services.family_member_save(
        actor=intake_user,
        client=stranger,
        data={"relationship": "sibling", "given_names": "Primo", "location": "in_us"},
    )
    page = as_user(attorney).post(
        reverse("cases:case-edit", args=[case.pk]),
        {"process": "defensive", "court": case.court_id, "status": "preparing", "included_family": [cousin.pk]},
    )
    assert "included_family" in page.context["form"].errors
    with pytest.raises(Exception, match="principal's own family"):
        services.case_update(actor=attorney, case=case, data={}, included_family=[cousin])
    assert cousin not in case.included_family.all()


def test_an_affirmative_case_has_no_court_and_dates_cannot_be_in_the_future(as_user, attorney, principal, court):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = as_user(attorney).post(
        reverse("cases:case-open", args=[principal.pk]),
        {"lead_attorney": attorney.pk, "process": "affirmative", "court": court.pk, "nta_served_on": tomorrow},
    )
    errors = page.context["form"].errors
    assert "court" in errors
    assert "cannot be in the future" in str(errors["nta_served_on"])
    assert not Case.objects.exists()


def test_the_case_list_filters_sorts_and_runs_fixed_queries(
    as_user, supervisor, attorney, principal, court, django_assert_num_queries
):
    for _ in range(12):
        services.case_open(
            actor=attorney, client=principal, data={"process": "defensive", "court": court}, lead_attorney=attorney
        )
    services.case_open(actor=supervisor, client=principal, data={"process": "affirmative"}, lead_attorney=supervisor)
    client = as_user(supervisor)
    client.get(reverse("cases:case-list"))
    # user with membership (the session comes from the cache), two-factor device, the attorneys and
    # courts of the filters, count, page, leads
    with django_assert_num_queries(7):
        page = client.get(reverse("cases:case-list")).context["page"]
    assert page.total == 13
    affirmative = client.get(reverse("cases:case-list"), {"process": "affirmative"}).context["page"]
    assert [case.process for case in affirmative.cases] == ["affirmative"]
    mine = client.get(reverse("cases:case-list"), {"attorney": attorney.pk}).context["page"]
    assert mine.total == 12
    by_number = client.get(reverse("cases:case-list"), {"sort": "number"}).context["page"]
    assert [case.sequence for case in by_number.cases] == list(range(1, 14))


def test_the_case_list_pages_by_keyset_in_each_order(as_user, supervisor, principal, monkeypatch):
    from cases import selectors

    monkeypatch.setattr(selectors, "CASES_PER_PAGE", 4)
    for day in range(10):
        case = services.case_open(
            actor=supervisor, client=principal, data={"process": "affirmative"}, lead_attorney=supervisor
        )
        # Several cases on one day: the order must still be total.
        Case.objects.filter(pk=case.pk).update(opened_on=date(2026, 1, 1) + timedelta(days=day // 3))
    client = as_user(supervisor)
    for sort in ("-opened", "opened", "number", "-number"):
        seen, after = [], ""
        while True:
            page = client.get(reverse("cases:case-list"), {"sort": sort, "after": after}).context["page"]
            seen += [case.pk for case in page.cases]
            if not page.next_after:
                break
            after = page.next_after
        assert len(seen) == len(set(seen)) == 10, sort
    newest = client.get(reverse("cases:case-list")).context["page"].cases
    assert newest[0].opened_on == date(2026, 1, 4)


def test_a_broken_cursor_shows_the_first_page(as_user, supervisor, case):
    page = as_user(supervisor).get(reverse("cases:case-list"), {"after": "yesterday,x"}).context["page"]
    assert [c.pk for c in page.cases] == [case.pk]


def test_closed_cases_leave_the_default_list(as_user, supervisor, case):
    services.case_close(
        actor=supervisor, case=case, closed_on=timezone.localdate(), closing_reason="A", confirm_open_deadlines=True
    )
    client = as_user(supervisor)
    assert client.get(reverse("cases:case-list")).context["page"].total == 0
    assert client.get(reverse("cases:case-list"), {"status": "all"}).context["page"].total == 1


def test_the_overview_runs_fixed_queries_whatever_the_size_of_the_case(
    as_user, attorney, case, django_assert_num_queries
):
    from cases.models import HarmIncident, Hearing

    client = as_user(attorney)
    url = reverse("cases:case-detail", args=[case.pk])
    client.get(url)
    for day in range(8):
        services.note_add(actor=attorney, case=case, text=f"Note {day}", privileged=day % 2 == 0)
        services.deadline_add(
            actor=attorney, case=case, title=f"File {day}", due_on=timezone.localdate() + timedelta(days=day)
        )
        HarmIncident.objects.create(claim=case.claim, description=f"Incident {day}")
        Hearing.objects.create(
            case=case, kind="master", court=case.court, time_zone="America/Chicago",
            starts_at=timezone.now() + timedelta(days=day + 1),
        )  # fmt: skip
    # user with membership (the session comes from the cache), case (+client, court, claim), its
    # incident and evidence counts (one query), family, team (also the header's lead and the right
    # to change), hearings, relief, notes; the deadline panel's deadlines with their rules, its
    # clock stops and events; the audit event
    with django_assert_num_queries(11):
        page = client.get(url)
    html = page.content.decode()
    assert "Note 7" in html
    assert "File 0" in html
    assert len(page.context["case"].upcoming) == 5


def test_intake_staff_see_no_confidential_part_of_the_overview(as_user, intake_user, attorney, case):
    services.note_add(actor=attorney, case=case, text="Client is afraid of the commander.", privileged=True)
    html = as_user(intake_user).get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "afraid of the commander" not in html
    assert "Relief applied for" not in html
    assert "Open deadlines" not in html


def test_closing_with_open_deadlines_asks_and_records_who_confirmed(as_user, attorney, case):
    clinic_today = timezone.localdate(timezone=case.clinic.time_zone)  # a closing date may not be in the future
    services.deadline_add(actor=attorney, case=case, title="Brief", due_on=clinic_today + timedelta(days=3))
    client = as_user(attorney)
    today = clinic_today.isoformat()
    page = client.post(reverse("cases:case-close", args=[case.pk]), {"closed_on": today, "closing_reason": "B"})
    # The brief and the one-year deadline computed from the arrival date.
    assert "still has 2 open deadline" in page.content.decode()
    case.refresh_from_db()
    assert case.status != Case.Status.CLOSED
    client.post(
        reverse("cases:case-close", args=[case.pk]),
        {"closed_on": today, "closing_reason": "B", "confirm_open_deadlines": "on"},
    )
    case.refresh_from_db()
    assert (case.status, case.closed_by, case.closed_with_open_deadlines) == (Case.Status.CLOSED, attorney, True)
    assert AuditEvent.objects.filter(object_label=case.number, summary__contains="open deadlines, confirmed").exists()


def test_a_case_cannot_close_before_it_opened(as_user, attorney, case):
    page = as_user(attorney).post(
        reverse("cases:case-close", args=[case.pk]), {"closed_on": "2000-01-01", "closing_reason": "A"}
    )
    assert "cannot be closed before it was opened" in str(page.context["form"].errors["closed_on"])


def test_relief_decisions_and_the_outcome(as_user, attorney, case):
    client = as_user(attorney)
    asylum = case.relief_applications.get(kind=ReliefApplication.Kind.ASYLUM)
    page = client.post(
        reverse("cases:relief-edit", args=[case.pk, asylum.pk]), {"filed_on": "2026-03-01", "decision": "granted"}
    )
    assert "decided_on" in page.context["form"].errors
    client.post(
        reverse("cases:relief-edit", args=[case.pk, asylum.pk]),
        {"filed_on": "2026-03-01", "decision": "granted", "decided_on": "2026-10-01"},
    )
    asylum.refresh_from_db()
    assert (asylum.decision, asylum.decided_on) == ("granted", date(2026, 10, 1))
    client.post(
        reverse("cases:case-outcome", args=[case.pk]),
        {"outcome": "granted_asylum", "outcome_on": "2026-10-01", "appeal": "waived"},
    )
    case.refresh_from_db()
    assert (case.outcome, case.status, case.appeal) == ("granted_asylum", Case.Status.DECIDED, "waived")


def test_reassigning_the_team_is_audited(as_user, supervisor, attorney, case, clinic):
    other = staff_member(clinic, Role.ATTORNEY, username="other-attorney")
    as_user(supervisor).post(
        reverse("cases:case-team", args=[case.pk]), {"lead_attorney": other.pk, "team": [attorney.pk]}
    )
    assert dict(case.assignments.values_list("user", "role")) == {other.pk: "lead", attorney.pk: "team"}
    assert AuditEvent.objects.filter(object_label=case.number, summary="Team changed").exists()
    page = as_user(supervisor).post(
        reverse("cases:case-team", args=[case.pk]),
        {"lead_attorney": staff_member(clinic, Role.INTAKE, username="desk").pk},
    )
    assert "lead_attorney" in page.context["form"].errors
    assert CaseAssignment.objects.filter(case=case, role="lead", user=other).exists()


def test_notes_and_deadlines(as_user, attorney, case):
    client = as_user(attorney)
    client.post(reverse("cases:notes", args=[case.pk]), {"text": "Called the client.", "privileged": "on"})
    note = CaseNote.objects.get()
    assert (note.author, note.privileged) == (attorney, True)
    client.post(reverse("cases:deadline-add", args=[case.pk]), {"title": "Declaration draft", "due_on": "2026-12-15"})
    deadline = Deadline.objects.get(title="Declaration draft")
    response = client.post(
        reverse("cases:deadline-finish", args=[case.pk, deadline.pk]), {"status": "waived"}, follow=True
    )
    assert "Say why the deadline is waived" in response.content.decode()
    client.post(reverse("cases:deadline-finish", args=[case.pk, deadline.pk]), {"status": "done"})
    deadline.refresh_from_db()
    assert (deadline.status, deadline.finished_by) == ("done", attorney)


def test_my_work_shows_the_week_of_my_cases(as_user, attorney, supervisor, case, principal):
    from cases.models import Hearing

    services.deadline_add(
        actor=attorney, case=case, title="Overdue filing", due_on=timezone.localdate() - timedelta(days=2)
    )
    services.deadline_add(
        actor=attorney, case=case, title="Later filing", due_on=timezone.localdate() + timedelta(days=30)
    )
    Hearing.objects.create(
        case=case,
        kind="master",
        court=case.court,
        time_zone="America/Chicago",
        starts_at=timezone.now() + timedelta(days=2),
    )
    others = services.case_open(
        actor=supervisor, client=principal, data={"process": "affirmative"}, lead_attorney=supervisor
    )
    services.deadline_add(actor=supervisor, case=others, title="Not mine", due_on=timezone.localdate())
    html = as_user(attorney).get(reverse("cases:my-work")).content.decode()
    assert "Overdue filing" in html
    assert "Overdue" in html
    assert "Later filing" not in html
    assert "Not mine" not in html
    assert "Master calendar hearing" in html


def test_the_client_page_lists_cases_and_offers_to_open_one(as_user, intake_user, case, principal):
    html = as_user(intake_user).get(reverse("clients:client-detail", args=[principal.pk])).content.decode()
    assert case.number in html
    assert reverse("cases:case-open", args=[principal.pk]) in html
