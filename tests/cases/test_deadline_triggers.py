"""Recording a trigger through the ordinary services computes its deadlines; changing or removing
it recomputes or withdraws them, audited; a judge's order survives a recompute."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from cases import dates, deadline_services, hearing_services, services
from cases.models import Case, Deadline, Hearing
from clients import services as client_services
from clinic.models import AuditEvent
from tests.cases.hearing_data import court, hearing_data, schedule

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def open_deadlines(case: Case, code: str | None = None):
    found = case.deadlines.filter(status=Deadline.Status.OPEN)
    return found.filter(rule_version__rule__code=code) if code else found


def test_it_computes_the_master_hearing_filing_deadline_when_the_hearing_is_scheduled(attorney, case):
    day = today() + timedelta(days=40)
    hearing = schedule(attorney, case, day, time(8, 30), time_zone="America/Chicago")
    deadline = open_deadlines(case, "master_hearing_filing").get()
    expected = dates.roll_forward(day - timedelta(days=15))
    assert (deadline.due_on, deadline.computed_due_on, deadline.trigger_on) == (expected, expected, day)
    assert deadline.trigger_key == f"hearing:{hearing.pk}"
    assert deadline.citation == "ICPM 3.1(b)(1)"
    assert "15 days before the master calendar hearing" in deadline.explanation
    assert deadline.explanation.endswith(".") or "File by" in deadline.explanation
    assert "ICPM 3.1(b)(1)" in deadline.explanation
    assert AuditEvent.objects.filter(object_type="cases.deadline", summary__startswith="Deadline computed").exists()


def test_the_merits_hearing_uses_the_version_in_force(attorney, case):
    day = today() + timedelta(days=90)
    schedule(attorney, case, day, time(9, 0), kind=Hearing.Kind.INDIVIDUAL)
    deadline = open_deadlines(case, "merits_hearing_filing").get()
    assert deadline.computed_due_on == dates.roll_forward(day - timedelta(days=30))
    assert "30 days before" in deadline.explanation


def test_moving_the_hearing_recomputes_the_same_deadline_with_an_audit_entry(attorney, case):
    day = today() + timedelta(days=40)
    hearing = schedule(attorney, case, day)
    before = open_deadlines(case, "master_hearing_filing").get()
    later = day + timedelta(days=21)
    hearing_services.hearing_update(actor=attorney, hearing=hearing, data=hearing_data(case, later))
    after = open_deadlines(case, "master_hearing_filing").get()
    assert after.pk == before.pk
    assert after.due_on == dates.roll_forward(later - timedelta(days=15))
    assert after.trigger_on == later
    assert AuditEvent.objects.filter(
        object_type="cases.deadline", object_id=str(after.pk), summary__startswith="Deadline recomputed"
    ).exists()


@pytest.mark.parametrize("how", ["cancel", "delete"])
def test_cancelling_or_deleting_the_hearing_withdraws_its_deadline(attorney, case, how):
    hearing = schedule(attorney, case, today() + timedelta(days=40))
    deadline = open_deadlines(case, "master_hearing_filing").get()
    if how == "cancel":
        hearing_services.hearing_record_result(actor=attorney, hearing=hearing, result=Hearing.Result.CANCELLED)
    else:
        hearing_services.hearing_delete(actor=attorney, hearing=hearing)
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.WITHDRAWN
    assert deadline.next_reminder_on is None
    assert (
        deadline.note == {"cancel": "The hearing was recorded as cancelled.", "delete": "The hearing was deleted."}[how]
    )
    assert AuditEvent.objects.filter(object_id=str(deadline.pk), summary__startswith="Deadline withdrawn").exists()


def test_a_detained_court_gets_no_computed_filing_deadline(attorney, case):
    schedule(attorney, case, today() + timedelta(days=40), court=court("EPD"))
    schedule(attorney, case, today() + timedelta(days=90), court=court("EPD"), kind=Hearing.Kind.INDIVIDUAL)
    assert not open_deadlines(case, "master_hearing_filing").exists()
    assert not open_deadlines(case, "merits_hearing_filing").exists()


def test_the_arrival_date_computes_the_one_year_deadline_and_the_i589_replaces_it_with_the_ead_dates(
    attorney, principal, court
):
    arrival = today() - timedelta(days=100)
    case = services.case_open(
        actor=attorney,
        client=principal,
        data={"process": Case.Process.DEFENSIVE, "court": court, "last_arrival_date": arrival},
        lead_attorney=attorney,
    )
    one_year = open_deadlines(case, "one_year_filing").get()
    assert one_year.due_on == dates.roll_forward(dates.add_years(arrival, 1))
    assert "One year after the last arrival in the US" in one_year.explanation
    received = today() - timedelta(days=3)
    services.case_update(actor=attorney, case=case, data={"i589_received_on": received})
    one_year.refresh_from_db()
    assert one_year.status == Deadline.Status.WITHDRAWN
    assert one_year.note == f"The I-589 was received on {received:%a} {received.day} {received:%b %Y}."
    assert open_deadlines(case, "ead_earliest_filing").get().due_on == received + timedelta(days=150)
    assert open_deadlines(case, "ead_earliest_grant").get().due_on == received + timedelta(days=180)


def test_changing_and_clearing_the_arrival_date(attorney, case):
    deadline = open_deadlines(case, "one_year_filing").get()
    arrival = date(2026, 1, 15)
    services.case_update(actor=attorney, case=case, data={"last_arrival_date": arrival})
    deadline.refresh_from_db()
    assert deadline.due_on == dates.roll_forward(date(2027, 1, 15))
    services.case_update(actor=attorney, case=case, data={"last_arrival_date": None})
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.WITHDRAWN
    assert deadline.note == "The arrival date was removed."


def test_a_case_opened_without_an_arrival_date_has_no_deadline(attorney, intake_user):
    client = client_services.client_create(actor=intake_user, data={"given_names": "Ana", "paternal_surname": "Ruiz"})
    case = services.case_open(
        actor=attorney, client=client, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )
    assert not case.deadlines.exists()


ADDRESS = {"line1": "100 Main St", "city": "El Paso", "state": "TX", "zip_code": "79901"}


def test_a_move_during_a_defensive_case_computes_the_change_of_address_deadline(intake_user, attorney, case, principal):
    other = services.case_open(
        actor=attorney, client=principal, data={"process": Case.Process.AFFIRMATIVE}, lead_attorney=attorney
    )
    moved = today()
    client_services.client_move(actor=intake_user, client=principal, address=ADDRESS, moved_on=moved)
    deadline = open_deadlines(case, "change_of_address").get()
    assert deadline.due_on == dates.roll_forward(moved + timedelta(days=5))
    assert "8 CFR 1003.15(d)(2)" in deadline.explanation
    assert not open_deadlines(other, "change_of_address").exists()


def test_the_judges_order_survives_a_recompute_and_can_be_cleared(attorney, case):
    day = today() + timedelta(days=40)
    hearing = schedule(attorney, case, day)
    deadline = open_deadlines(case, "master_hearing_filing").get()
    ordered = day - timedelta(days=20)
    deadline_services.deadline_set_judge_order(actor=attorney, deadline=deadline, due_on=ordered)
    later = day + timedelta(days=14)
    hearing_services.hearing_update(actor=attorney, hearing=hearing, data=hearing_data(case, later))
    deadline.refresh_from_db()
    assert (deadline.judge_ordered, deadline.due_on) == (True, ordered)
    assert deadline.computed_due_on == dates.roll_forward(later - timedelta(days=15))
    deadline_services.deadline_set_judge_order(actor=attorney, deadline=deadline, due_on=None)
    deadline.refresh_from_db()
    assert (deadline.judge_ordered, deadline.due_on) == (False, deadline.computed_due_on)


def test_a_finished_deadline_stays_finished_when_the_hearing_moves(attorney, case):
    day = today() + timedelta(days=40)
    hearing = schedule(attorney, case, day)
    deadline = open_deadlines(case, "master_hearing_filing").get()
    services.deadline_finish(actor=attorney, deadline=deadline, status=Deadline.Status.DONE, note="Filed.")
    hearing_services.hearing_update(actor=attorney, hearing=hearing, data=hearing_data(case, day + timedelta(days=7)))
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.DONE
    assert not open_deadlines(case, "master_hearing_filing").exists()


def test_the_demo_shows_every_kind_of_deadline_and_seeding_twice_changes_nothing():
    from clinic.demo import seed_demo

    seed_demo()
    deadlines = Deadline.objects.filter(case__clinic__slug="las-americas-demo", status=Deadline.Status.OPEN)
    codes = set(deadlines.exclude(trigger_key="").values_list("rule_version__rule__code", flat=True))
    assert {"one_year_filing", "master_hearing_filing", "merits_hearing_filing", "filing_response"} <= codes
    assert {"rfe_response", "foia_response", "ead_earliest_filing", "ead_earliest_grant"} <= codes
    assert deadlines.filter(judge_ordered=True).count() == 1
    assert deadlines.filter(due_on__lt=today()).exists()
    assert deadlines.filter(trigger_key="").exists()
    filed = Case.objects.get(client__paternal_surname="Aguilar")
    assert filed.clock_stops.filter(resumed_on__isnull=False).count() == 1
    assert deadline_services.ead_clock(filed, today()).stopped == 14
    before = (list(Deadline.objects.values_list("pk", "due_on", "status")), AuditEvent.objects.count())
    seed_demo()
    assert (list(Deadline.objects.values_list("pk", "due_on", "status")), AuditEvent.objects.count()) == before
