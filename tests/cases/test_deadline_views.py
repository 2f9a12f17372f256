"""The deadline pages of a case (judge's order, events, EAD clock) and the deadline rules page, for
every role: who may see, who may change, what bad input says, and that it writes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cases import deadline_services, services
from cases.models import CaseEvent, ClinicLeadTime, ClockStop, Deadline, DeadlineRule
from clinic.models import AuditEvent, Membership
from tests.cases.hearing_data import schedule
from tests.factories import staff_member

Role = Membership.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(clinic):
    """An attorney of the clinic who is not on the case."""
    return staff_member(clinic, Role.ATTORNEY, username="la-attorney-colleague")


@pytest.fixture
def today(clinic):
    """The clinic's date, which the pages use: not UTC's, a day ahead each evening in El Paso."""
    return deadline_services.clinic_today(clinic)


@pytest.fixture
def filed(attorney, case, today):
    """The case with its I-589 received 40 days ago, a hearing, an event and a clock stop."""
    services.case_update(actor=attorney, case=case, data={"i589_received_on": today - timedelta(days=40)})
    schedule(attorney, case, today + timedelta(days=40))
    case.events.create(kind=CaseEvent.Kind.FOIA_RECEIVED, occurred_on=today - timedelta(days=2))
    stop = ClockStop.objects.create(case=case, stopped_on=today - timedelta(days=10), reason="Continuance asked")
    return case, stop


def case_urls(case, stop) -> dict[str, str]:
    deadline = case.deadlines.filter(status="open", rule_version__rule__code="master_hearing_filing").get()
    event = case.events.get()
    return {
        "judge": reverse("cases:deadline-judge-order", args=[case.pk, deadline.pk]),
        "event-add": reverse("cases:deadline-event-add", args=[case.pk]),
        "event-remove": reverse("cases:deadline-event-remove", args=[case.pk, event.pk]),
        "clock-stop": reverse("cases:deadline-clock-stop", args=[case.pk]),
        "clock-resume": reverse("cases:deadline-clock-resume", args=[case.pk, stop.pk]),
    }


# ---- access --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("intake", 403),
        ("attorney", 200),
        ("colleague", 404),
        ("supervisor", 200),
        ("clinic_admin", 403),
    ],
)
def test_the_case_pages_by_role(as_user, staff, colleague, filed, who, expected):
    case, stop = filed
    user = colleague if who == "colleague" else staff[who]
    client = as_user(user)
    for name, url in case_urls(case, stop).items():
        assert client.get(url).status_code == expected, name
        if expected != 200:
            assert client.post(url, {}).status_code == expected, name
    assert case.events.count() == 1


def test_a_colleague_reads_the_case_when_the_clinic_allows_but_changes_nothing(as_user, colleague, filed, clinic):
    clinic.attorneys_read_all_cases = True
    clinic.save(update_fields=["attorneys_read_all_cases"])
    case, stop = filed
    client = as_user(colleague)
    assert "Open deadlines" in client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    for name, url in case_urls(case, stop).items():
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"kind": "ij_decision", "occurred_on": "2026-01-02"}).status_code == 403, name
    assert case.events.count() == 1


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR])
def test_another_clinics_staff_find_nothing(as_user, outsiders, filed, role):
    case, stop = filed
    client = as_user(outsiders[role])
    for name, url in case_urls(case, stop).items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"clear": "on", "resumed_on": "2026-01-01"}).status_code == 404, name
    assert case.events.count() == 1
    assert ClockStop.objects.get().resumed_on is None


def test_intake_staff_see_no_deadline_on_the_overview_and_cannot_change_one(as_user, intake_user, attorney, filed):
    case, _stop = filed
    client = as_user(intake_user)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Open deadlines" not in html
    assert "EAD clock" not in html
    deadline = case.deadlines.filter(status="open").first()
    url = reverse("cases:deadline-finish", args=[case.pk, deadline.pk])
    assert client.post(url, {"status": "done"}).status_code == 403


@pytest.mark.parametrize(
    ("who", "expected"),
    [("intake", 403), ("attorney", 200), ("supervisor", 200), ("clinic_admin", 403)],
)
def test_the_rules_page_by_role(as_user, staff, who, expected):
    response = as_user(staff[who]).get(reverse("cases:rules"))
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert "ICPM 3.1(b)(2) (DM 22-04 rescinded, Feb 2025)" in html
        assert ("Save lead times" in html) == (who == "supervisor")


def test_the_rules_page_is_in_the_navigation_of_attorneys_and_supervisors(as_user, staff):
    url = reverse("cases:rules")
    for role in Role:
        html = as_user(staff[role]).get(reverse("cases:case-list") if role != Role.CLINIC_ADMIN else "/").content
        assert (f'href="{url}"' in html.decode()) == (role in (Role.ATTORNEY, Role.SUPERVISOR)), role


def test_the_merits_rule_shows_its_four_versions(as_user, attorney):
    html = as_user(attorney).get(reverse("cases:rules")).content.decode()
    section = html[html.index('<code class="small">merits_hearing_filing</code>') :]
    section = section[: section.index("</section>")]
    assert section.count("<tr") == 5  # the head and four versions
    for citation in ("2008 manual", "manual of 23 Dec 2020", "DM 22-04, manual of 26 Aug 2022", "DM 22-04 rescinded"):
        assert citation in section
    assert "in force today" in section


# ---- lead times ------------------------------------------------------------------------------------


def test_a_supervisor_sets_the_clinics_lead_times(as_user, supervisor, clinic):
    rule = DeadlineRule.objects.get(code="bia_appeal")
    url = reverse("cases:rules-lead-times", args=[rule.pk])
    response = as_user(supervisor).post(url, {"lead_days": "7, 28 ,14"})
    assert response.status_code == 302
    assert ClinicLeadTime.objects.get(clinic=clinic, rule=rule).lead_days == [28, 14, 7]
    html = as_user(supervisor).get(reverse("cases:rules")).content.decode()
    assert 'value="28, 14, 7"' in html


def test_new_lead_times_reschedule_the_clinics_open_deadlines_of_the_rule(
    as_user, supervisor, attorney, case, other_case, outsiders
):
    from cases import deadline_services

    today = deadline_services.clinic_today(case.clinic)
    decided = {"kind": CaseEvent.Kind.IJ_DECISION, "occurred_on": today}
    deadline_services.event_record(actor=attorney, case=case, data=decided)
    outsider = outsiders[Membership.Role.ATTORNEY]
    deadline_services.event_record(actor=outsider, case=other_case, data=decided)
    appeal = Deadline.objects.get(case=case, rule_version__rule__code="bia_appeal")
    theirs = Deadline.objects.get(case=other_case, rule_version__rule__code="bia_appeal")
    before = theirs.next_reminder_on
    rule = DeadlineRule.objects.get(code="bia_appeal")
    as_user(supervisor).post(reverse("cases:rules-lead-times", args=[rule.pk]), {"lead_days": "3"})
    appeal.refresh_from_db()
    theirs.refresh_from_db()
    assert appeal.next_reminder_on == appeal.due_on - timedelta(days=3)
    assert theirs.next_reminder_on == before


@pytest.mark.parametrize("bad", ["", "soon", "7, -1", "400", "7,,x"])
def test_bad_lead_times_give_an_error_and_write_nothing(as_user, supervisor, bad):
    rule = DeadlineRule.objects.get(code="bia_appeal")
    response = as_user(supervisor).post(reverse("cases:rules-lead-times", args=[rule.pk]), {"lead_days": bad})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not ClinicLeadTime.objects.exists()


@pytest.mark.parametrize("who", ["intake", "attorney", "clinic_admin"])
def test_only_a_supervisor_changes_lead_times(as_user, staff, who):
    rule = DeadlineRule.objects.get(code="bia_appeal")
    response = as_user(staff[who]).post(reverse("cases:rules-lead-times", args=[rule.pk]), {"lead_days": "5"})
    assert response.status_code == 403
    assert not ClinicLeadTime.objects.exists()


# ---- the case page and its forms -------------------------------------------------------------------


def test_the_case_page_explains_each_deadline(as_user, attorney, case, today):
    schedule(attorney, case, today + timedelta(days=40))
    services.deadline_add(actor=attorney, case=case, title="Declaration draft", due_on=today - timedelta(days=2))
    html = as_user(attorney).get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "15 days before the master calendar hearing" in html
    assert "ICPM 3.1(b)(1)" in html
    assert "Entered by hand." in html
    assert "2 days overdue" in html
    assert "Judge's order" in html


def test_setting_and_clearing_the_judges_order(as_user, attorney, case, today):
    schedule(attorney, case, today + timedelta(days=40))
    deadline = case.deadlines.get(rule_version__rule__code="master_hearing_filing")
    client = as_user(attorney)
    url = reverse("cases:deadline-judge-order", args=[case.pk, deadline.pk])
    ordered = today + timedelta(days=30)
    assert client.post(url, {"due_on": ordered.isoformat()}).status_code == 302
    deadline.refresh_from_db()
    assert (deadline.judge_ordered, deadline.due_on) == (True, ordered)
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Set by the judge's order" in html
    assert "The rule's date would be" in html
    client.post(url, {"clear": "on"})
    deadline.refresh_from_db()
    assert (deadline.judge_ordered, deadline.due_on) == (False, deadline.computed_due_on)


@pytest.mark.parametrize("bad", [{}, {"due_on": "someday"}, {"due_on": "1990-01-01"}])
def test_a_bad_judges_date_gives_an_error_and_writes_nothing(as_user, attorney, case, today, bad):
    schedule(attorney, case, today + timedelta(days=40))
    deadline = case.deadlines.get(rule_version__rule__code="master_hearing_filing")
    response = as_user(attorney).post(reverse("cases:deadline-judge-order", args=[case.pk, deadline.pk]), bad)
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"]
    deadline.refresh_from_db()
    assert not deadline.judge_ordered


def test_completing_with_a_note_and_waiving_needs_one(as_user, attorney, case, today):
    schedule(attorney, case, today + timedelta(days=40))
    deadline = case.deadlines.get(rule_version__rule__code="master_hearing_filing")
    client = as_user(attorney)
    url = reverse("cases:deadline-finish", args=[case.pk, deadline.pk])
    page = client.post(url, {"status": "waived", "note": " "}, follow=True).content.decode()
    assert "Say why the deadline is waived" in page
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.OPEN
    client.post(url, {"status": "done", "note": "Filed by ECAS."})
    deadline.refresh_from_db()
    assert (deadline.status, deadline.note) == (Deadline.Status.DONE, "Filed by ECAS.")
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "finished or withdrawn deadline" in html
    assert "Filed by ECAS." in html


def test_recording_and_removing_an_event(as_user, attorney, case, today):
    client = as_user(attorney)
    decided = today - timedelta(days=3)
    response = client.post(
        reverse("cases:deadline-event-add", args=[case.pk]), {"kind": "ij_decision", "occurred_on": decided}
    )
    assert response.status_code == 302
    event = case.events.get()
    appeal = case.deadlines.get(rule_version__rule__code="bia_appeal", status="open")
    assert appeal.trigger_key == f"event:{event.pk}"
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Immigration judge&#x27;s decision" in html
    assert "30 days after the immigration judge&#x27;s decision" in html
    remove = reverse("cases:deadline-event-remove", args=[case.pk, event.pk])
    confirm = client.get(remove).content.decode()
    assert "Appeal to the BIA" in confirm
    assert client.post(remove).status_code == 302
    assert not case.events.exists()
    appeal.refresh_from_db()
    assert appeal.status == Deadline.Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="delete", object_type="cases.caseevent").exists()


def test_an_rfe_takes_the_response_date_from_the_notice(as_user, attorney, case, today):
    data = {"kind": "rfe_received", "occurred_on": today, "response_due_on": today + timedelta(days=84)}
    as_user(attorney).post(reverse("cases:deadline-event-add", args=[case.pk]), data)
    deadline = case.deadlines.get(rule_version__rule__code="rfe_response")
    assert deadline.due_on >= today + timedelta(days=84)
    assert deadline.explanation.startswith("The notice sets")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "rfe_received", "occurred_on": 0, "response_due_on": -5}, "response_due_on", "before the date"),
        ({"kind": "rfe_received", "occurred_on": 0}, "response_due_on", "response date printed"),
        ({"kind": "ij_decision", "occurred_on": 0, "response_due_on": 10}, "response_due_on", "leave this empty"),
        ({"kind": "ij_decision", "occurred_on": 3}, "occurred_on", "has not happened yet"),
        ({"kind": "ij_decision", "occurred_on": -9000}, "occurred_on", "check the year"),
        ({"kind": "ij_decision"}, "occurred_on", "required"),
        ({"kind": "birthday", "occurred_on": 0}, "kind", "valid choice"),
    ],
)
def test_bad_events_give_a_plain_error_and_write_nothing(as_user, attorney, case, today, data, field, message):
    post = {key: (today + timedelta(days=value)).isoformat() if key != "kind" else value for key, value in data.items()}
    before = (Deadline.objects.count(), AuditEvent.objects.filter(object_label=case.number).count())
    response = as_user(attorney).post(reverse("cases:deadline-event-add", args=[case.pk]), post)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not case.events.exists()
    assert (Deadline.objects.count(), AuditEvent.objects.filter(object_label=case.number).count()) == before


def test_the_ead_clock_counts_days_less_the_stops(as_user, attorney, case, today):
    received = today - timedelta(days=60)
    services.case_update(actor=attorney, case=case, data={"i589_received_on": received})
    client = as_user(attorney)
    stop_url = reverse("cases:deadline-clock-stop", args=[case.pk])
    response = client.post(stop_url, {"stopped_on": today - timedelta(days=20), "reason": "Continuance asked"})
    assert response.status_code == 302
    stop = ClockStop.objects.get()
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Day 40 of 180" in html
    assert "20 days stopped" in html
    assert "Stopped" in html
    grant = case.deadlines.get(rule_version__rule__code="ead_earliest_grant", status="open")
    assert grant.due_on == received + timedelta(days=180 + 20)
    resume = reverse("cases:deadline-clock-resume", args=[case.pk, stop.pk])
    assert client.post(resume, {"resumed_on": today - timedelta(days=5)}).status_code == 302
    html = client.get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert "Day 45 of 180" in html
    assert "15 days stopped" in html
    assert "Running" in html


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"stopped_on": -100, "reason": "x"}, "stopped_on"),  # before the I-589
        ({"stopped_on": 2, "reason": "x"}, "stopped_on"),  # in the future
        ({"stopped_on": -3, "reason": "  "}, "reason"),
    ],
)
def test_a_bad_clock_stop_writes_nothing(as_user, attorney, case, today, data, field):
    services.case_update(actor=attorney, case=case, data={"i589_received_on": today - timedelta(days=60)})
    post = {
        key: (today + timedelta(days=value)).isoformat() if key == "stopped_on" else value
        for key, value in data.items()
    }
    response = as_user(attorney).post(reverse("cases:deadline-clock-stop", args=[case.pk]), post)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not ClockStop.objects.exists()


def test_a_clock_cannot_resume_before_it_stopped(as_user, attorney, case, today):
    services.case_update(actor=attorney, case=case, data={"i589_received_on": today - timedelta(days=60)})
    stop = ClockStop.objects.create(case=case, stopped_on=today - timedelta(days=10), reason="Continuance")
    url = reverse("cases:deadline-clock-resume", args=[case.pk, stop.pk])
    response = as_user(attorney).post(url, {"resumed_on": today - timedelta(days=11)})
    assert "cannot resume before it stopped" in " ".join(response.context["form"].errors["resumed_on"])
    stop.refresh_from_db()
    assert stop.resumed_on is None


def test_the_clock_needs_the_i589_date_first(as_user, attorney, case):
    response = as_user(attorney).get(reverse("cases:deadline-clock-stop", args=[case.pk]))
    assert response.status_code == 302


def test_a_statutory_deadline_cannot_be_set_by_a_judges_order(as_user, attorney, case):
    one_year = case.deadlines.get(rule_version__rule__code="one_year_filing")
    url = reverse("cases:deadline-judge-order", args=[case.pk, one_year.pk])
    html = as_user(attorney).get(reverse("cases:case-detail", args=[case.pk])).content.decode()
    assert url not in html
    assert as_user(attorney).post(url, {"due_on": "2027-01-04"}).status_code == 302
    one_year.refresh_from_db()
    assert not one_year.judge_ordered
