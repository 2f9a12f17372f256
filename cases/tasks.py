"""Thin reminder tasks: they take ids and call cases/reminders.py, and are safe to run twice."""

import random
import smtplib
from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

# Worth trying again later: the database or the mail server was unreachable. (SMTPException
# is an OSError; listed for the reader.)
RETRYABLE = (OperationalError, InterfaceError, smtplib.SMTPException, OSError)
MAX_RETRIES = 6


@shared_task(ignore_result=True)
def sweep_reminders() -> int:
    from cases import reminders

    return reminders.sweep_reminders()


@shared_task(ignore_result=True)
def queue_digests() -> int:
    from cases import reminders

    return reminders.queue_digests()


@shared_task(ignore_result=True)
def queue_deliveries(task_name: str, ids: list[int]) -> None:
    """Fan-out of a sweep's batch: one delivery task per id. Lost with the broker, the rows stay
    queued and the next sweep queues them again."""
    from cases import reminders

    if task_name in ("deliver_reminder", "deliver_digest"):
        reminders.queue_deliveries(task_name, ids)


def backoff(retries: int) -> float:
    """Doubling waits with "equal jitter": half fixed, half random, so retries of many tasks
    spread out but the six together still cover a long outage (about an hour by default)."""
    wait = settings.REMINDER_RETRY_BASE_SECONDS * 2**retries
    return wait / 2 + random.uniform(0, wait / 2)  # noqa: S311 (jitter, not security)


def _deliver(task, service_name: str, model_name: str, pk: int, token: str | None) -> str:
    """Runs the delivery service; on a passing failure retries with the same claim token (so
    the retry may take the row back), and marks the row failed when the retries run out."""
    from cases import models, reminders

    claimed_at = datetime.fromisoformat(token) if token else timezone.now()
    model = getattr(models, model_name)
    try:
        return getattr(reminders, service_name)(pk, token=claimed_at)
    except RETRYABLE as exc:
        if task.request.retries >= task.max_retries:
            reminders.mark_failed(model, pk, claimed_at, exc)
            raise
        raise task.retry(
            exc=exc, countdown=backoff(task.request.retries), args=(pk,), kwargs={"token": claimed_at.isoformat()}
        ) from exc
    except Exception as exc:
        # A fault that another try will not mend (a missing template, bad data): fail for good.
        reminders.mark_failed(model, pk, claimed_at, exc)
        raise


@shared_task(bind=True, max_retries=MAX_RETRIES, ignore_result=True)
def deliver_reminder(self, reminder_id: int, token: str | None = None) -> str:
    return _deliver(self, "deliver_reminder", "Reminder", reminder_id, token)


@shared_task(bind=True, max_retries=MAX_RETRIES, ignore_result=True)
def deliver_digest(self, digest_id: int, token: str | None = None) -> str:
    return _deliver(self, "deliver_digest", "Digest", digest_id, token)
