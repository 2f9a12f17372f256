"""Deadline reminders and the morning digest, in-process (eager Celery, Django's mail outbox).
The same code against a real worker and Redis: tests/reliability/test_worker.py."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases import reminders, services, tasks
from cases.deadline_services import clinic_today, sync_case_deadlines
from cases.models import Case, Digest, Reminder
from clients import services as client_services
from clinic.celery import app as celery_app
from clinic.models import AuditEvent, Membership, Notification
from tests.factories import staff_member

Role = Membership.Role
CLIENT_NAMES = ("Javier", "Armando", "Castañeda", "Ruelas")


def at(clinic, day: date, hour: int, minute: int = 0) -> datetime:
    """`hour:minute` on `day` in the clinic's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)), clinic.time_zone)


@pytest.fixture
def today(clinic):
    return clinic_today(clinic)


@pytest.fixture
def teammate(clinic):
    return staff_member(clinic, Role.ATTORNEY, username="la-attorney2", first_name="Ana", last_name="Ibarra")


@pytest.fixture
def team_case(intake_user, attorney, teammate):
    """A case of Javier Armando Castañeda Ruelas with two attorneys and no computed deadline
    (no arrival date given), so only the deadlines a test adds are reminded."""
    client = client_services.client_create(
        actor=intake_user,
        data={"given_names": "Javier Armando", "paternal_surname": "Castañeda", "maternal_surname": "Ruelas"},
    )
    return services.case_open(
        actor=attorney,
        client=client,
        data={"process": Case.Process.AFFIRMATIVE},
        lead_attorney=attorney,
        team=[teammate],
    )


@pytest.fixture
def add_deadline(team_case, attorney, today):
    def add(days: int, title: str = "File the brief to the BIA"):
        return services.deadline_add(actor=attorney, case=team_case, title=title, due_on=today + timedelta(days=days))

    return add


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """sweep(now) -> reminders queued; their deliveries run (eagerly) as the sweep commits."""

    def run(now, deliver: bool = True):
        with django_capture_on_commit_callbacks(execute=deliver):
            return reminders.sweep_reminders(now)

    return run


def assert_no_client_name(*texts: str) -> None:
    for text in texts:
        for name in CLIENT_NAMES:
            assert name not in text


def test_it_emails_each_assigned_attorney_once_without_the_client_name(
    sweep, add_deadline, today, clinic, attorney, teammate
):
    deadline = add_deadline(7)
    assert sweep(at(clinic, today, 9)) == 2
    number = deadline.case.number
    assert sorted(message.to[0] for message in mail.outbox) == sorted([attorney.email, teammate.email])
    message = mail.outbox[0]
    assert message.subject == f"[Amparo] Deadline in 7 days: {number}"
    assert "File the brief to the BIA" in message.body
    assert f"http://127.0.0.1:8000/cases/{deadline.case.pk}/" in message.body
    notes = Notification.objects.filter(user__in=[attorney, teammate])
    assert [n.message for n in notes] == [f"Deadline in 7 days: {number}"] * 2
    assert notes[0].url == reverse("cases:case-detail", args=[deadline.case.pk])
    assert_no_client_name(*(m.subject for m in mail.outbox), *(m.body for m in mail.outbox), notes[0].message)
    assert set(Reminder.objects.values_list("status", "late", "lead_days")) == {("sent", False, 7)}


def test_it_sends_only_the_stages_that_are_due(sweep, add_deadline, today, clinic):
    add_deadline(30)  # first reminder 14 days before: in 16 days
    add_deadline(3)
    assert sweep(at(clinic, today, 6, 59)) == 0, "nothing goes out in the night, before 07:00"
    assert sweep(at(clinic, today, 7)) == 2
    assert {m.subject.split(":")[0] for m in mail.outbox} == {"[Amparo] Deadline in 3 days"}


def test_running_the_sweep_again_sends_nothing_more(sweep, add_deadline, today, clinic):
    add_deadline(1)
    assert sweep(at(clinic, today, 9)) == 2
    assert sweep(at(clinic, today, 9, 5)) == 0
    assert sweep(at(clinic, today, 15)) == 0
    assert len(mail.outbox) == 2


def test_a_large_batch_goes_out_through_a_fan_out_task(sweep, add_deadline, today, clinic, monkeypatch):
    monkeypatch.setattr(reminders, "FANOUT_ABOVE", 1)
    add_deadline(7)
    add_deadline(3)
    assert sweep(at(clinic, today, 9)) == 4
    assert len(mail.outbox) == 4
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_the_same_delivery_twice_sends_one_email(sweep, add_deadline, today, clinic, attorney):
    add_deadline(7)
    sweep(at(clinic, today, 9))
    reminder = Reminder.objects.get(recipient=attorney)
    tasks.deliver_reminder.delay(reminder.pk)
    tasks.deliver_reminder.delay(reminder.pk)
    assert [m.to for m in mail.outbox].count([attorney.email]) == 1


def test_an_overdue_deadline_escalates_to_the_supervisors(
    sweep, add_deadline, today, clinic, supervisor, attorney, outsiders
):
    deadline = add_deadline(-1)
    assert sweep(at(clinic, today, 9)) == 1
    (message,) = mail.outbox
    assert message.to == [supervisor.email]
    assert message.subject == f"[Amparo] Overdue: {deadline.case.number} — escalated to you as supervisor"
    assert "escalated to you as supervisor" in message.body
    assert not Notification.objects.filter(user=attorney).exists()
    assert Notification.objects.get(user=supervisor).message.startswith("Overdue:")
    assert_no_client_name(message.subject, message.body)


def test_an_ead_date_that_passed_is_not_escalated_as_overdue(sweep, team_case, today, clinic, supervisor, attorney):
    # Day 151 since the I-589: the EAD may be filed since yesterday; nothing is "overdue".
    Case.objects.filter(pk=team_case.pk).update(i589_received_on=today - timedelta(days=151))
    sync_case_deadlines(case=team_case, actor=attorney)
    assert sweep(at(clinic, today, 9)) == 0
    assert mail.outbox == []
    html = as_attorney_case_page(attorney, team_case)
    assert "Not before" in html
    assert "Can be done now" in html
    assert "overdue" not in html
    week = as_attorney_page(attorney, reverse("cases:my-work"))
    assert "Earliest day to file the asylum EAD" in week
    assert "Overdue</span>" not in week


def as_attorney_case_page(attorney, case) -> str:
    return as_attorney_page(attorney, reverse("cases:case-detail", args=[case.pk]))


def as_attorney_page(attorney, url: str) -> str:
    from django.test import Client

    browser = Client()
    browser.force_login(attorney)
    return browser.get(url).content.decode()


def test_a_missed_beat_sends_the_latest_stage_once_marked_late(sweep, add_deadline, today, clinic, attorney):
    add_deadline(7)  # stages: 7 days before (today), 3 days before (in 4 days), 1 day before
    assert sweep(at(clinic, today + timedelta(days=5), 9)) == 2
    reminder = Reminder.objects.get(recipient=attorney)
    assert (reminder.lead_days, reminder.late, reminder.remind_on) == (3, True, today + timedelta(days=4))
    message = next(m for m in mail.outbox if m.to == [attorney.email])
    assert message.subject.endswith("(late reminder)")
    assert "This reminder is late" in message.body
    assert sweep(at(clinic, today + timedelta(days=5), 10)) == 0
    assert Reminder.objects.count() == 2


def test_a_reminder_of_a_deadline_finished_before_it_went_out_is_cancelled(
    django_capture_on_commit_callbacks, add_deadline, today, clinic, attorney
):
    deadline = add_deadline(7)
    with django_capture_on_commit_callbacks() as deliveries:
        reminders.sweep_reminders(at(clinic, today, 9))
    services.deadline_finish(actor=attorney, deadline=deadline, status="done")
    for deliver in deliveries:
        deliver()
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {"cancelled"}


def test_a_reminder_whose_deadline_moved_is_cancelled(sweep, add_deadline, today, clinic, attorney):
    deadline = add_deadline(7)
    sweep(at(clinic, today, 9), deliver=False)
    type(deadline).objects.filter(pk=deadline.pk).update(due_on=today + timedelta(days=20))
    reminder = Reminder.objects.get(recipient=attorney)
    tasks.deliver_reminder.delay(reminder.pk)
    reminder.refresh_from_db()
    assert (reminder.status, mail.outbox) == ("cancelled", [])


def test_a_delivery_that_keeps_failing_is_marked_failed(
    sweep, add_deadline, today, clinic, attorney, supervisor, settings
):
    # A mail server that refuses connections: each try fails, then the row fails for good.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    add_deadline(7)
    sweep(at(clinic, today, 9), deliver=False)
    reminder = Reminder.objects.get(recipient=attorney)
    # Eager retries run at once, one inside the other; the last one's error is the result.
    celery_app.conf.task_eager_propagates = False
    try:
        result = tasks.deliver_reminder.apply(args=(reminder.pk,))
    finally:
        celery_app.conf.task_eager_propagates = True
    assert isinstance(result.result, ConnectionRefusedError)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("failed", tasks.MAX_RETRIES + 1)
    assert "ConnectionRefusedError" in reminder.last_error
    # The supervisors' bell says so, by case number.
    (note,) = Notification.objects.filter(user=supervisor)
    assert note.message == f"A reminder for {reminder.deadline.case.number} could not be sent."
    assert note.url == reverse("cases:reminder-failures")
    assert not Notification.objects.filter(user=attorney).exists()


# ---- the supervisor's page of failed reminders ------------------------------------------------


@pytest.fixture
def failed(sweep, add_deadline, today, clinic, attorney):
    add_deadline(7)
    sweep(at(clinic, today, 9), deliver=False)
    reminder = Reminder.objects.get(recipient=attorney)
    Reminder.objects.filter(pk=reminder.pk).update(status="failed", attempts=7, last_error="SMTPServerDisconnected")
    return reminder


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.CLINIC_ADMIN])
def test_only_a_supervisor_sees_the_failed_reminders(as_user, staff, failed, role):
    assert as_user(staff[role]).get(reverse("cases:reminder-failures")).status_code == 403
    retry = as_user(staff[role]).post(reverse("cases:reminder-retry", args=[failed.pk]))
    assert retry.status_code == 403


def test_the_supervisor_sees_failed_reminders_by_case_number(as_user, supervisor, failed):
    page = as_user(supervisor).get(reverse("cases:reminder-failures"))
    assert page.status_code == 200
    html = page.content.decode()
    assert failed.deadline.case.number in html
    assert "SMTPServerDisconnected" in html
    assert_no_client_name(html.split("<main", 1)[-1])


def test_the_supervisor_retries_a_failed_reminder(
    as_user, supervisor, attorney, failed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(supervisor).post(reverse("cases:reminder-retry", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert [m.to for m in mail.outbox] == [[attorney.email]]
    event = AuditEvent.objects.get(object_type="cases.reminder", object_id=str(failed.pk))
    assert event.actor == supervisor
    assert event.object_label == failed.deadline.case.number


def test_another_clinics_supervisor_cannot_see_or_retry(as_user, outsiders, failed):
    outsider = outsiders[Role.SUPERVISOR]
    page = as_user(outsider).get(reverse("cases:reminder-failures"))
    assert failed.deadline.case.number not in page.content.decode()
    assert as_user(outsider).post(reverse("cases:reminder-retry", args=[failed.pk])).status_code == 404
    failed.refresh_from_db()
    assert failed.status == "failed"


def test_failed_digests_of_the_week_are_listed_for_the_clinics_supervisor_only(
    as_user, supervisor, attorney, outsiders, clinic, today
):
    def failed_digest(day):
        return Digest.objects.create(
            recipient=attorney,
            clinic=clinic,
            local_date=day,
            status="failed",
            attempts=7,
            queued_at=timezone.now(),
            last_error="SMTPRecipientsRefused",
        )

    failed_digest(today - timedelta(days=1))
    failed_digest(today - timedelta(days=30))  # too old to matter
    html = as_user(supervisor).get(reverse("cases:reminder-failures")).content.decode()
    assert "Morning digests that could not be sent" in html
    assert html.count("SMTPRecipientsRefused") == 1
    other = as_user(outsiders[Role.SUPERVISOR]).get(reverse("cases:reminder-failures")).content.decode()
    assert "SMTPRecipientsRefused" not in other


# ---- the morning digest -----------------------------------------------------------------------


def digests_at(clinic, utc: datetime) -> int:
    reminders.queue_digests(utc)
    return Digest.objects.filter(clinic=clinic).count()


@pytest.mark.usefixtures("staff")
@pytest.mark.parametrize(
    ("day", "before", "on_time"),
    [
        # The day the clocks go forward: 08:00 MDT is 14:00 UTC.
        (date(2026, 3, 8), datetime(2026, 3, 8, 13, 59, tzinfo=UTC), datetime(2026, 3, 8, 14, 0, tzinfo=UTC)),
        # The day they go back: 08:00 MST is 15:00 UTC (14:00 UTC is 07:00 there now).
        (date(2026, 11, 1), datetime(2026, 11, 1, 14, 59, tzinfo=UTC), datetime(2026, 11, 1, 15, 0, tzinfo=UTC)),
    ],
)
def test_the_digest_goes_out_at_eight_local_time_across_daylight_saving(clinic, day, before, on_time):
    assert digests_at(clinic, before - timedelta(hours=1)) == 0
    assert digests_at(clinic, before) == 0, "07:59 local: not yet"
    assert digests_at(clinic, on_time) == 2, "08:00 local: one for the attorney and one for the supervisor"
    assert digests_at(clinic, on_time + timedelta(minutes=30)) == 2, "08:30: still one each"
    assert set(Digest.objects.values_list("local_date", flat=True)) == {day}


@pytest.mark.usefixtures("staff")
def test_the_week_after_the_change_keeps_eight_local(clinic):
    # The Monday after each change: 08:00 MDT = 14:00 UTC, 08:00 MST = 15:00 UTC.
    assert digests_at(clinic, datetime(2026, 3, 9, 13, 59, tzinfo=UTC)) == 0
    assert digests_at(clinic, datetime(2026, 3, 9, 14, 0, tzinfo=UTC)) == 2
    assert digests_at(clinic, datetime(2026, 11, 2, 14, 0, tzinfo=UTC)) == 2, "07:00 MST: no new digest"
    assert digests_at(clinic, datetime(2026, 11, 2, 15, 0, tzinfo=UTC)) == 4


def test_the_digest_lists_the_week_by_case_number(
    django_capture_on_commit_callbacks, add_deadline, today, clinic, attorney, supervisor
):
    overdue, soon = add_deadline(-2, "Respond to the RFE"), add_deadline(3)
    add_deadline(20, "Too far ahead")
    with django_capture_on_commit_callbacks(execute=True):
        reminders.queue_digests(at(clinic, today, 8, 30))
    mine = next(m for m in mail.outbox if m.to == [attorney.email])
    assert mine.subject.startswith("[Amparo] Your week from")
    body = mine.body
    assert body.index("Respond to the RFE") < body.index("File the brief to the BIA"), "overdue first"
    assert "OVERDUE" in body
    assert "Too far ahead" not in body
    assert f"/cases/{soon.case.pk}/" in body
    assert overdue.case.number in body
    assert_no_client_name(mine.subject, body)
    assert {m.to[0] for m in mail.outbox} >= {attorney.email, supervisor.email}


def test_each_person_gets_the_reminder_in_their_own_language(sweep, add_deadline, today, clinic, attorney, teammate):
    teammate.language = "es"
    teammate.save()
    deadline = add_deadline(7)
    sweep(at(clinic, today, 9))
    number = deadline.case.number
    by_person = {message.to[0]: message for message in mail.outbox}
    assert by_person[attorney.email].subject == f"[Amparo] Deadline in 7 days: {number}"
    spanish = by_person[teammate.email]
    assert spanish.subject == f"[Amparo] Vence en 7 días: {number}"
    assert "Abrir el caso" in spanish.body or "Abra el caso" in spanish.body
    assert Notification.objects.get(user=teammate).message == f"Vence en 7 días: {number}"
    assert Notification.objects.get(user=attorney).message == f"Deadline in 7 days: {number}"


def test_the_digest_is_in_each_persons_language(
    django_capture_on_commit_callbacks, add_deadline, today, clinic, attorney, supervisor
):
    supervisor.language = "es"
    supervisor.save()
    add_deadline(3)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.queue_digests(at(clinic, today, 8, 30))
    by_person = {message.to[0]: message for message in mail.outbox}
    assert by_person[attorney.email].subject.startswith("[Amparo] Your week from")
    assert by_person[supervisor.email].subject.startswith("[Amparo] Su semana a partir del")
