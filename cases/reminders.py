"""Deadline reminders and the morning digest: the sweep, delivery, and a supervisor's retry.

The database is the source of truth and Redis only carries ids (design.md, "Reminders"):
- the sweep takes due deadlines in batches with SELECT ... FOR UPDATE SKIP LOCKED, inserts one
  Reminder per recipient (ON CONFLICT DO NOTHING: the unique constraint stops a second beat),
  moves next_reminder_on to the next stage and queues the new ids after the batch commits;
- delivery claims the row with a conditional UPDATE, so a duplicate task sends nothing;
- a row left queued or sending past REMINDER_REQUEUE_AFTER (a flushed broker, a killed worker)
  is queued again by the next sweep.
Emails and notifications name the case by its number, never the client.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases import reminder_plan
from cases.deadline_rules import Trigger
from cases.deadline_services import MANUAL_LEAD_DAYS, clinic_today
from cases.models import Case, CaseAssignment, ClinicLeadTime, Deadline, DeadlineRuleVersion, Digest, Hearing, Reminder
from clinic.audit import audit_record
from clinic.languages import language_of
from clinic.models import AuditEvent, Clinic, Membership, Notification
from clinic.permissions import Role, require_role

Status = Reminder.Status
BATCH_SIZE = 1000
# Reminders of a day go out from 07:00 clinic time, so none arrives in the night.
REMIND_FROM = time(7)
DIGEST_AT = time(8)
DIGEST_ROLES = (Role.ATTORNEY, Role.SUPERVISOR)
# A supervisor's digest covers the whole clinic: a long week is cut here, with a count of the rest.
DIGEST_LIMIT = 50
# Up to this many deliveries are queued by the sweep itself; more go through a fan-out task.
FANOUT_ABOVE = 100


def local_now(clinic: Clinic, now: datetime) -> datetime:
    return timezone.localtime(now, clinic.time_zone)


def reminder_cutoff(clinic: Clinic, now: datetime) -> date:
    """The last stage day the sweep sends: today from 07:00 local time, yesterday before."""
    local = local_now(clinic, now)
    return local.date() if local.time() >= REMIND_FROM else local.date() - timedelta(days=1)


def queue_deliveries(task_name: str, ids: list[int]) -> None:
    """Queues one delivery task per id, on one broker connection."""
    from cases import tasks

    task = getattr(tasks, task_name)
    if task.app.conf.task_always_eager:
        for pk in ids:
            task.delay(pk)
        return
    with task.app.producer_or_acquire() as producer:
        for pk in ids:
            task.apply_async((pk,), producer=producer)


def _queue_on_commit(task_name: str, ids: list[int]) -> None:
    """After commit, queues the deliveries of `ids`. A large batch goes out as one fan-out task
    that a worker splits: publishing a task costs about a millisecond, and a sweep that queued
    20,000 one by one would take 20 s instead of finishing its batches."""
    from cases import tasks

    if not ids:
        return
    if len(ids) > FANOUT_ABOVE:
        transaction.on_commit(lambda: tasks.queue_deliveries.delay(task_name, ids))
    else:
        transaction.on_commit(lambda: queue_deliveries(task_name, ids))


# ---- the sweep ---------------------------------------------------------------------------------


class LeadTimes:
    """Every rule version's lead times and the clinics' own, read once per sweep."""

    def __init__(self) -> None:
        versions = DeadlineRuleVersion.objects.values_list("id", "rule_id", "lead_days", "rule__trigger")
        self.rule_of = {pk: rule_id for pk, rule_id, _leads, _trigger in versions}
        self.of_version = {pk: tuple(leads) for pk, _rule, leads, _trigger in versions}
        # The EAD dates are a first day, not a last one: passing them escalates nothing.
        self.earliest = {pk for pk, _rule, _leads, trigger in versions if trigger == Trigger.I589_RECEIVED}
        own = ClinicLeadTime.objects.values_list("clinic_id", "rule_id", "lead_days")
        self.own = {(clinic_id, rule_id): tuple(leads) for clinic_id, rule_id, leads in own}

    def of(self, clinic_id: int, version_id: int | None) -> tuple[int, ...]:
        if version_id is None:
            return MANUAL_LEAD_DAYS
        return self.own.get((clinic_id, self.rule_of[version_id]), self.of_version[version_id])


@dataclass
class SweepContext:
    now: datetime
    leads: LeadTimes
    supervisors: dict[int, list[int]]
    zones: dict[int, object]


def _supervisors() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = Membership.objects.filter(role=Role.SUPERVISOR, user__is_active=True).values_list("clinic_id", "user_id")
    for clinic_id, user_id in rows:
        found.setdefault(clinic_id, []).append(user_id)
    return found


def _clinic_groups(clinics: list[Clinic], now: datetime) -> dict[tuple[date, date], list[int]]:
    """Clinics by (cutoff, local today): one query per group instead of one per clinic."""
    groups: dict[tuple[date, date], list[int]] = {}
    for clinic in clinics:
        key = (reminder_cutoff(clinic, now), clinic_today(clinic, now))
        groups.setdefault(key, []).append(clinic.pk)
    return groups


def sweep_reminders(now: datetime | None = None) -> int:
    """Creates and queues the reminders due by now; returns how many were queued (new ones and
    ones queued again). Safe to run twice at once, and after a missed day (sent late, once)."""
    now = now or timezone.now()
    clinics = list(Clinic.objects.only("id", "time_zone"))
    ctx = SweepContext(now, LeadTimes(), _supervisors(), {c.pk: c.time_zone for c in clinics})
    queued = 0
    for (cutoff, today), clinic_ids in _clinic_groups(clinics, now).items():
        while True:
            taken, created = _sweep_batch(ctx, cutoff, today, clinic_ids)
            queued += created
            if taken == 0:
                break
    return queued + requeue_stuck(Reminder, "deliver_reminder", now)


def _team(case_ids: set[int]) -> dict[int, list[int]]:
    team: dict[int, list[int]] = {}
    rows = CaseAssignment.objects.filter(case_id__in=case_ids, user__is_active=True).values_list("case_id", "user_id")
    for case_id, user_id in rows:
        team.setdefault(case_id, []).append(user_id)
    return team


@transaction.atomic
def _sweep_batch(ctx: SweepContext, cutoff: date, today: date, clinic_ids: list[int]) -> tuple[int, int]:
    """One batch of due deadlines: (deadlines taken, reminders created). Each deadline taken
    moves past `cutoff` (or to no date), so the loop over batches ends."""
    rows = list(
        Deadline.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(status=Deadline.Status.OPEN, next_reminder_on__lte=cutoff, case__clinic_id__in=clinic_ids)
        .order_by()
        .values_list("id", "case_id", "case__clinic_id", "due_on", "rule_version_id", "created_at")[:BATCH_SIZE]
    )
    if not rows:
        return 0, 0
    team = _team({row[1] for row in rows})
    new, moves = [], []
    for pk, case_id, clinic_id, due_on, version_id, created_at in rows:
        stage, following = reminder_plan.current_stage(due_on, ctx.leads.of(clinic_id, version_id), cutoff)
        moves.append((pk, following))
        if stage is None:
            continue
        if stage.lead_days == reminder_plan.OVERDUE:
            recipients = [] if version_id in ctx.leads.earliest else ctx.supervisors.get(clinic_id, [])
        else:
            recipients = team.get(case_id, [])
        # Not before the deadline existed: one entered after a stage passed is not "late".
        remind_on = max(stage.on, timezone.localtime(created_at, ctx.zones[clinic_id]).date())
        new += [(pk, user_id, due_on, stage.lead_days, remind_on, remind_on < today) for user_id in recipients]
    ids = _insert_reminders(new, ctx.now)
    _move_next_reminders(moves)
    _queue_on_commit("deliver_reminder", ids)
    return len(rows), len(ids)


def _insert_reminders(rows: list[tuple], now: datetime) -> list[int]:
    """Inserts the rows, skipping any another sweep already made; the ids of the new ones."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        fields = ("deadline_id", "recipient_id", "due_on", "lead_days", "remind_on", "late")
        return _insert_portable(Reminder, [dict(zip(fields, row, strict=True)) for row in rows], now)
    columns = [list(column) for column in zip(*rows, strict=True)]
    sql = f"""
        INSERT INTO {Reminder._meta.db_table}
            (deadline_id, recipient_id, due_on, lead_days, remind_on, late,
             status, attempts, queued_at, last_error)
        SELECT v.*, %s, 0, %s, ''
        FROM unnest(%s::bigint[], %s::bigint[], %s::date[], %s::smallint[], %s::date[], %s::boolean[]) AS v
        ON CONFLICT DO NOTHING
        RETURNING id
    """  # noqa: S608 (the table name is the model's own)
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.QUEUED, now, *columns])
        return [row[0] for row in cursor.fetchall()]


def _insert_portable(model, rows: list[dict], now: datetime) -> list[int]:
    """SQLite (`make run` without DATABASE_URL): the same insert through the ORM. This sweep's
    rows are the ones queued at `now`; one writer at a time, so none is another sweep's."""
    model.objects.bulk_create(
        [model(status=Status.QUEUED, queued_at=now, **row) for row in rows], ignore_conflicts=True
    )
    return list(model.objects.filter(status=Status.QUEUED, queued_at=now).values_list("id", flat=True))


def _move_next_reminders(moves: list[tuple[int, date | None]]) -> None:
    if connection.vendor != "postgresql":
        for pk, next_on in moves:
            Deadline.objects.filter(pk=pk).update(next_reminder_on=next_on)
        return
    ids, dates = (list(column) for column in zip(*moves, strict=True))
    sql = f"""
        UPDATE {Deadline._meta.db_table} AS d SET next_reminder_on = v.next_on
        FROM unnest(%s::bigint[], %s::date[]) AS v(id, next_on) WHERE d.id = v.id
    """  # noqa: S608 (the table name is the model's own)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, dates])


def requeue_stuck(model, task_name: str, now: datetime) -> int:
    """Queues again the rows left queued or sending past the lease: their task was lost with a
    flushed broker or a killed worker. Returns how many."""
    stale = now - settings.REMINDER_REQUEUE_AFTER
    stuck = Q(status=Status.QUEUED, queued_at__lt=stale) | Q(
        status=Status.SENDING, claimed_at__lt=stale, queued_at__lt=stale
    )
    total = 0
    while True:
        with transaction.atomic():
            ids = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(stuck)
                .order_by()
                .values_list("id", flat=True)[:BATCH_SIZE]
            )
            model.objects.filter(id__in=ids).update(queued_at=now)
            _queue_on_commit(task_name, ids)
        total += len(ids)
        if len(ids) < BATCH_SIZE:
            return total


# ---- delivery ----------------------------------------------------------------------------------


def claim(model, pk: int, token: datetime) -> bool:
    """Takes the row for this task. `token` is the time of the task's first claim, kept across
    its retries: a retry takes the row back, a duplicate task (another token) finds it taken.
    A row sending for longer than the lease was left by a killed worker and is taken over."""
    stale = timezone.now() - settings.REMINDER_REQUEUE_AFTER
    taken = (
        model.objects.filter(pk=pk)
        .filter(
            Q(status=Status.QUEUED)
            | Q(status=Status.SENDING, claimed_at__lt=stale)
            | Q(status=Status.SENDING, claimed_at=token)
        )
        .update(status=Status.SENDING, claimed_at=token, attempts=F("attempts") + 1)
    )
    return taken == 1


def _mark(model, pk: int, token: datetime, status: str, error: str = "") -> int:
    """Ends this task's claim; nothing if another task took the row over meanwhile."""
    sent_at = timezone.now() if status == Status.SENT else None
    return model.objects.filter(pk=pk, status=Status.SENDING, claimed_at=token).update(
        status=status, sent_at=sent_at, last_error=error[:500]
    )


def mark_failed(model, pk: int, token: datetime, error: BaseException) -> None:
    if _mark(model, pk, token, Status.FAILED, f"{type(error).__name__}: {error}") and model is Reminder:
        _tell_supervisors_of_failure(pk)


def _tell_supervisors_of_failure(reminder_id: int) -> None:
    """A reminder that failed for good must not fail silently: the supervisors' bell says so."""
    case = Case.objects.select_related("clinic").get(deadlines__reminders__pk=reminder_id)
    supervisors = Membership.objects.filter(clinic=case.clinic, role=Role.SUPERVISOR, user__is_active=True)
    url = reverse("cases:reminder-failures")
    notices = []
    for user_id, language in supervisors.values_list("user_id", "user__language"):
        with translation.override(language or settings.LANGUAGE_CODE):  # each in their own language
            message = _("A reminder for %(number)s could not be sent.") % {"number": case.number}
        notices.append(Notification(user_id=user_id, clinic=case.clinic, message=message, url=url))
    Notification.objects.bulk_create(notices)


def reverse_case(case: Case) -> str:
    return reverse("cases:case-detail", args=[case.pk])


def case_link(case: Case) -> str:
    return settings.SITE_URL + reverse_case(case)


def reminder_subject(reminder: Reminder, today: date) -> str:
    number = reminder.deadline.case.number
    days = (reminder.due_on - today).days
    if reminder.is_escalation or days < 0:
        if reminder.is_escalation:
            subject = _("Overdue: %(number)s — escalated to you as supervisor") % {"number": number}
        else:
            subject = _("Overdue: %(number)s") % {"number": number}
    elif days == 0:
        subject = _("Deadline today: %(number)s") % {"number": number}
    else:
        template = ngettext("Deadline in %(days)d day: %(number)s", "Deadline in %(days)d days: %(number)s", days)
        subject = template % {"days": days, "number": number}
    return _("%(subject)s (late reminder)") % {"subject": subject} if reminder.late else subject


def _still_due(reminder: Reminder) -> bool:
    deadline = reminder.deadline
    return (
        deadline.status == Deadline.Status.OPEN and deadline.due_on == reminder.due_on and reminder.recipient.is_active
    )


def _send(subject: str, body: str, to: str) -> None:
    if to:
        EmailMessage(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, [to]).send()


def deliver_reminder(reminder_id: int, *, token: datetime) -> str:
    """Sends one reminder by email and in the app; returns what happened (for the task log)."""
    if not claim(Reminder, reminder_id, token):
        return "taken"
    reminder = Reminder.objects.select_related("recipient", "deadline__case__clinic").get(pk=reminder_id)
    if not _still_due(reminder):
        _mark(Reminder, reminder_id, token, Status.CANCELLED)
        return "cancelled"
    case = reminder.deadline.case
    # In the recipient's language, the in-app notice too (it keeps the subject).
    with translation.override(language_of(reminder.recipient)):
        today = clinic_today(case.clinic)
        subject = reminder_subject(reminder, today)
        context = {"reminder": reminder, "deadline": reminder.deadline, "case": case, "link": case_link(case)}
        _send(subject, render_to_string("emails/deadline_reminder.txt", context), reminder.recipient.email)
    with transaction.atomic():
        if _mark(Reminder, reminder_id, token, Status.SENT):
            Notification.objects.create(
                user=reminder.recipient, clinic=case.clinic, message=subject[:300], url=reverse_case(case)
            )
    return "sent"


# ---- the morning digest ------------------------------------------------------------------------


def queue_digests(now: datetime | None = None) -> int:
    """Creates and queues today's digest for each attorney and supervisor of every clinic where
    it is 08:00 or later. Only today's: a digest missed yesterday is not sent today."""
    now = now or timezone.now()
    queued = 0
    for clinic in Clinic.objects.all():
        local = local_now(clinic, now)
        if local.time() >= DIGEST_AT:
            queued += _create_digests(clinic, local.date(), now)
    return queued + requeue_stuck(Digest, "deliver_digest", now)


@transaction.atomic
def _create_digests(clinic: Clinic, local_date: date, now: datetime) -> int:
    people = list(
        Membership.objects.filter(clinic=clinic, role__in=DIGEST_ROLES, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    if not people:
        return 0
    ids = _insert_digests(people, clinic, local_date, now)
    _queue_on_commit("deliver_digest", ids)
    return len(ids)


def _insert_digests(people: list[int], clinic: Clinic, local_date: date, now: datetime) -> list[int]:
    """Inserts a digest per person, skipping any already made; the ids of the new ones."""
    if connection.vendor != "postgresql":
        rows = [{"recipient_id": pk, "clinic_id": clinic.pk, "local_date": local_date} for pk in people]
        return _insert_portable(Digest, rows, now)
    sql = f"""
        INSERT INTO {Digest._meta.db_table}
            (recipient_id, clinic_id, local_date, late, status, attempts, queued_at, last_error)
        SELECT v.id, %s, %s, false, %s, 0, %s, '' FROM unnest(%s::bigint[]) AS v(id)
        ON CONFLICT DO NOTHING
        RETURNING id
    """  # noqa: S608 (the table name is the model's own)
    with connection.cursor() as cursor:
        cursor.execute(sql, [clinic.pk, local_date, Status.QUEUED, now, people])
        return [row[0] for row in cursor.fetchall()]


@dataclass(frozen=True)
class DigestWeek:
    today: date
    end: date
    deadlines: list[dict]
    more_deadlines: int
    hearings: list[dict]
    more_hearings: int


def digest_week(*, recipient, clinic: Clinic, today: date) -> DigestWeek:
    """The recipient's next seven days: deadlines (overdue first) and hearings. An attorney's
    cases are the ones they are on; a supervisor's, the clinic's."""
    cases = Case.objects.filter(clinic=clinic)
    if recipient.membership.role != Role.SUPERVISOR:
        cases = cases.filter(assignments__user=recipient)
    end = today + timedelta(days=6)
    deadlines = Deadline.objects.filter(case__in=cases, status=Deadline.Status.OPEN, due_on__lte=end)
    start = timezone.make_aware(datetime.combine(today, time.min), clinic.time_zone)
    stop = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), clinic.time_zone)
    hearings = Hearing.objects.filter(case__in=cases, starts_at__gte=start, starts_at__lt=stop, result="")
    shown_deadlines = list(deadlines.select_related("case").order_by("due_on", "id")[:DIGEST_LIMIT])
    shown_hearings = list(hearings.select_related("case", "court").order_by("starts_at")[:DIGEST_LIMIT])
    return DigestWeek(
        today,
        end,
        [{"deadline": d, "overdue": d.due_on < today, "link": case_link(d.case)} for d in shown_deadlines],
        _more(deadlines, shown_deadlines),
        [
            {"hearing": h, "local": timezone.localtime(h.starts_at, h.time_zone), "link": case_link(h.case)}
            for h in shown_hearings
        ],
        _more(hearings, shown_hearings),
    )


def _more(queryset, shown: list) -> int:
    """How many were left out (counted only when the list was cut)."""
    return queryset.count() - len(shown) if len(shown) == DIGEST_LIMIT else 0


def deliver_digest(digest_id: int, *, token: datetime) -> str:
    if not claim(Digest, digest_id, token):
        return "taken"
    digest = Digest.objects.select_related("recipient__membership", "clinic").get(pk=digest_id)
    today = clinic_today(digest.clinic)
    # Yesterday's digest that never went out is stale: today's replaces it.
    if digest.local_date != today or not digest.recipient.is_active:
        _mark(Digest, digest_id, token, Status.CANCELLED)
        return "cancelled"
    week = digest_week(recipient=digest.recipient, clinic=digest.clinic, today=today)
    with translation.override(language_of(digest.recipient)):
        subject = _("Your week from %(day)s") % {"day": date_format(today, "l j F")}
        context = {"week": week}
        _send(subject, render_to_string("emails/weekly_digest.txt", context), digest.recipient.email)
    _mark(Digest, digest_id, token, Status.SENT)
    return "sent"


# ---- what a supervisor sees and does -----------------------------------------------------------


def failed_reminders(*, actor):
    """The clinic's reminders that failed for good, newest first."""
    membership = require_role(actor, Role.SUPERVISOR)
    return (
        Reminder.objects.filter(status=Status.FAILED, deadline__case__clinic_id=membership.clinic_id)
        .select_related("deadline__case", "recipient")
        .order_by("-queued_at", "-id")
    )


def failed_digests(*, actor, days: int = 7):
    """The clinic's morning digests of the last `days` days that failed for good. No retry: a
    digest is of its day, and the next morning's replaces it."""
    membership = require_role(actor, Role.SUPERVISOR)
    since = clinic_today(membership.clinic) - timedelta(days=days)
    return (
        Digest.objects.filter(status=Status.FAILED, clinic_id=membership.clinic_id, local_date__gt=since)
        .select_related("recipient")
        .order_by("-local_date", "-id")
    )


@transaction.atomic
def reminder_retry(*, actor, reminder: Reminder, request=None) -> Reminder:
    """Sends a failed reminder again (a supervisor, of their own clinic)."""
    membership = require_role(actor, Role.SUPERVISOR)
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("deadline__case")
        .filter(deadline__case__clinic=membership.clinic, pk=reminder.pk)
        .first()
    )
    if reminder is None:
        raise PermissionDenied
    if reminder.status != Status.FAILED:
        raise ValidationError(_("Only a failed reminder can be sent again."))
    reminder.status, reminder.queued_at, reminder.claimed_at = Status.QUEUED, timezone.now(), None
    reminder.attempts, reminder.last_error = 0, ""
    reminder.save(update_fields=["status", "queued_at", "claimed_at", "attempts", "last_error"])
    audit_record(
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        clinic=membership.clinic,
        obj=reminder,
        object_label=reminder.deadline.case.number,
        summary="Failed reminder sent again",
        request=request,
    )
    _queue_on_commit("deliver_reminder", [reminder.pk])
    return reminder
