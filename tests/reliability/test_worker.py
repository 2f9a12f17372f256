"""Reminders through a real worker and the real Redis: each failure of the issue's list, and
still one email per reminder. Rows are committed (transactional tests) so the worker sees them."""

import threading
import time
from datetime import date, timedelta

import pytest

from cases import reminders, services, tasks
from cases.deadline_services import clinic_today
from cases.models import Case, CaseAssignment, Deadline, Reminder
from clinic.models import Membership
from tests.factories import ClientFactory, ClinicFactory, staff_member
from tests.reliability.conftest import LEASE_SECONDS, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def attorney():
    clinic = ClinicFactory(slug="reliability", time_zone="America/Denver")
    return staff_member(clinic, Membership.Role.ATTORNEY, username="rel-attorney")


def due_deadlines(attorney, count: int = 1) -> list[Deadline]:
    """Open deadlines of `count` cases led by `attorney`, each with a reminder due now whatever
    the hour (their next reminder day was yesterday: a beat that missed a run)."""
    clinic = attorney.membership.clinic
    today = clinic_today(clinic)
    made = []
    for n in range(1, count + 1):
        case = Case.objects.create(
            clinic=clinic,
            number=f"RL-2026-{n:04d}",
            year=2026,
            sequence=n,
            client=ClientFactory(clinic=clinic),
            process=Case.Process.AFFIRMATIVE,
            opened_on=date(2026, 1, 5),
        )
        CaseAssignment.objects.create(case=case, user=attorney, role=CaseAssignment.Role.LEAD)
        deadline = services.deadline_add(
            actor=attorney, case=case, title="Respond to the RFE", due_on=today + timedelta(days=3)
        )
        made.append(deadline)
    Deadline.objects.update(next_reminder_on=today - timedelta(days=1))
    return made


def status_of(reminder: Reminder) -> str:
    reminder.refresh_from_db()
    return reminder.status


def sent_and_drained(broker, mailbox, expected: int) -> None:
    """Waits until `expected` emails are out and the queue is empty, then a moment more, so a
    duplicate still on its way would be counted."""
    wait_until(lambda: mailbox.count() >= expected, 30, f"{expected} emails")
    # Both queues (clinic/settings/base.py routes reminders to their own).
    wait_until(lambda: broker.llen("celery") + broker.llen("reminders") == 0, 30, "empty queues")
    time.sleep(1.5)


def test_a_flushed_broker_loses_no_reminder(worker, broker, mailbox, attorney):
    worker.stop()
    due_deadlines(attorney)
    assert reminders.sweep_reminders() == 1
    broker.flushdb()  # the queued delivery is gone
    worker.start()
    reminder = Reminder.objects.get()
    time.sleep(1)
    assert (status_of(reminder), mailbox.count()) == ("queued", 0)
    time.sleep(LEASE_SECONDS)
    assert reminders.sweep_reminders() == 1, "the next sweep finds it again"
    sent_and_drained(broker, mailbox, 1)
    assert (status_of(reminder), mailbox.count()) == ("sent", 1)


def test_the_same_delivery_task_twice_sends_one_email(worker, broker, mailbox, attorney):
    worker.start()
    due_deadlines(attorney)
    assert reminders.sweep_reminders() == 1
    reminder = Reminder.objects.get()
    tasks.deliver_reminder.delay(reminder.pk)
    tasks.deliver_reminder.delay(reminder.pk)
    sent_and_drained(broker, mailbox, 1)
    assert mailbox.count() == 1
    assert "RL-2026-0001" in mailbox.messages()[0]
    assert status_of(reminder) == "sent"


def test_two_sweeps_at_once_send_one_email_per_reminder(worker, broker, mailbox, attorney, monkeypatch):
    from django.db import connection

    worker.start()
    due_deadlines(attorney, count=30)
    monkeypatch.setattr(reminders, "BATCH_SIZE", 4)  # many small batches, so the two interleave
    monkeypatch.setattr(reminders, "FANOUT_ABOVE", 0)  # each batch through a fan-out task, as at scale
    start, counts = threading.Barrier(2), []

    def beat():
        start.wait()
        try:
            counts.append(reminders.sweep_reminders())
        finally:
            connection.close()

    beats = [threading.Thread(target=beat) for _ in range(2)]
    for thread in beats:
        thread.start()
    for thread in beats:
        thread.join(60)
    assert sum(counts) == 30
    sent_and_drained(broker, mailbox, 30)
    assert mailbox.count() == 30
    assert Reminder.objects.filter(status="sent").count() == 30


def test_the_database_down_during_a_send_retries_and_succeeds(worker, broker, mailbox, attorney, proxy):
    worker.start()
    due_deadlines(attorney)
    log_start = len(worker.output())
    proxy.down()
    # The sweep runs in this process, on its own connection; the worker's goes through the proxy.
    assert reminders.sweep_reminders() == 1
    wait_until(lambda: "OperationalError" in worker.output()[log_start:], 15, "a failed try")
    assert "retry" in worker.output()[log_start:].lower()
    assert mailbox.count() == 0
    proxy.up()
    sent_and_drained(broker, mailbox, 1)
    assert (status_of(Reminder.objects.get()), mailbox.count()) == ("sent", 1)


def test_a_worker_killed_mid_send_sends_once_after_restart(worker, broker, mailbox, attorney, slow_mail_flag):
    worker.start()
    due_deadlines(attorney)
    slow_mail_flag.touch()  # the next send hangs in the mail backend
    assert reminders.sweep_reminders() == 1
    reminder = Reminder.objects.get()
    wait_until(lambda: status_of(reminder) == "sending", 15, "the send to start")
    time.sleep(0.5)
    worker.kill()
    slow_mail_flag.unlink()
    assert mailbox.count() == 0
    worker.start()
    time.sleep(LEASE_SECONDS)
    assert reminders.sweep_reminders() == 1, "the sweep queues the abandoned send again"
    sent_and_drained(broker, mailbox, 1)
    assert (status_of(reminder), mailbox.count()) == ("sent", 1)
    assert reminder.attempts == 2


def test_reminders_missed_while_beat_was_down_go_out_late_once(worker, broker, mailbox, attorney):
    worker.start()
    (deadline,) = due_deadlines(attorney)
    # Made three weeks ago, due in two days: its 3-day reminder was due yesterday, and beat
    # has not run for ten days (a stopped beat, or the clock jumped ahead).
    today = clinic_today(attorney.membership.clinic)
    Deadline.objects.filter(pk=deadline.pk).update(
        due_on=today + timedelta(days=2),
        created_at=deadline.created_at - timedelta(days=21),
        next_reminder_on=today - timedelta(days=10),
    )
    assert reminders.sweep_reminders() == 1, "only the latest stage missed, not every one"
    assert reminders.sweep_reminders() == 0
    sent_and_drained(broker, mailbox, 1)
    reminder = Reminder.objects.get()
    assert (reminder.lead_days, reminder.late, status_of(reminder)) == (3, True, "sent")
    (message,) = mailbox.messages()
    assert "(late reminder)" in message
