"""Computed deadlines: from a case's triggers to its open deadlines, and back when a trigger changes.

The arithmetic is cases/deadline_rules.py (pure); the rules and their versions are rows, so an
admin's new version applies to triggers from its effective date. `sync_case_deadlines` is the
one place that creates, moves and withdraws computed deadlines; every service that changes a
trigger (arrival date, I-589 receipt, a hearing, an event, a move, a clock stop) calls it.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import reminder_plan
from cases.access import require_change
from cases.deadline_rules import Computation, RuleError, Trigger, compute, show, version_in_force
from cases.models import (
    Case,
    CaseEvent,
    ClinicLeadTime,
    ClockStop,
    Deadline,
    DeadlineRule,
    DeadlineRuleVersion,
    Hearing,
    Reminder,
)
from clinic.audit import audit_record
from clinic.models import AuditEvent, Clinic
from clinic.permissions import Role, require_role

Action = AuditEvent.Action

# A recorded event can start more than one clock: a BIA order is also the final administrative
# order that motions to reopen and to reconsider count from.
EVENT_TRIGGERS = {
    CaseEvent.Kind.BIA_ORDER: (Trigger.BIA_ORDER, Trigger.FINAL_ORDER),
}
# INA 208(a)(2)(B) took effect on 1 April 1997 (domain-rules.md rule 1).
ONE_YEAR_RULE_START = date(1997, 4, 1)
HEARING_TRIGGERS = {
    Hearing.Kind.MASTER: Trigger.MASTER_HEARING,
    Hearing.Kind.INDIVIDUAL: Trigger.INDIVIDUAL_HEARING,
}


@dataclass(frozen=True)
class Fact:
    """A trigger as recorded on the case: which clock, from which day, and a stable key."""

    key: str
    trigger: str
    on: date
    label: str


@dataclass(frozen=True)
class Planned:
    fact: Fact
    version: DeadlineRuleVersion
    computation: Computation


def clinic_today(clinic: Clinic, now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), clinic.time_zone).date()


# ---- rules from the database -------------------------------------------------------------------


def versions_by_trigger() -> dict[str, list[DeadlineRuleVersion]]:
    found: dict[str, list[DeadlineRuleVersion]] = {}
    for version in DeadlineRuleVersion.objects.select_related("rule"):
        found.setdefault(version.rule.trigger, []).append(version)
    return found


def _in_force(versions: list[DeadlineRuleVersion], on: date) -> DeadlineRuleVersion:
    spec = version_in_force([v.spec() for v in versions], on)
    return next(v for v in versions if v.effective_from == spec.effective_from)


def calculate(code: str, trigger_on: date, *, stopped_days: int = 0) -> tuple[DeadlineRuleVersion, Computation]:
    """The engine on the stored rules: what `deadline_calc` prints and the case page shows."""
    versions = list(DeadlineRuleVersion.objects.select_related("rule").filter(rule__code=code))
    if not versions:
        raise RuleError(_("Unknown rule code %(code)s.") % {"code": code})
    version = _in_force(versions, trigger_on)
    return version, compute(version.spec(), trigger_on, stopped_days=stopped_days)


def lead_days_for(clinic_id: int, version: DeadlineRuleVersion) -> list[int]:
    own = ClinicLeadTime.objects.filter(clinic_id=clinic_id, rule_id=version.rule_id).first()
    return list(own.lead_days) if own else list(version.lead_days)


RESCHEDULE_BATCH = 2000

# Manual and judge-ordered deadlines without a rule: two weeks, a week, three days, the day before.
MANUAL_LEAD_DAYS = (14, 7, 3, 1)


# ---- the case's triggers -----------------------------------------------------------------------


def _stopped_between(stops, start: date | None, until: date, open_until: date | None = None) -> int:
    """Days in [start, until) the clock did not run. A stop runs from the day it stopped to the
    day it resumed; an open stop runs to `open_until` (default: `until`)."""
    total = 0
    for stop in stops:
        begin = max(stop.stopped_on, start) if start else stop.stopped_on
        end = min(stop.resumed_on or open_until or until, until)
        total += max((end - begin).days, 0)
    return total


def stopped_days(case: Case, until: date) -> int:
    """Days the EAD clock did not run up to `until` (an open stop counts up to that day). Days
    before the I-589 was received are not counted: the clock had not started."""
    return _stopped_between(case.clock_stops.all(), case.i589_received_on, until)


def _clock_date(case: Case, start: date, offset: int, today: date) -> tuple[date, int]:
    """The day the clock, started on `start`, has run `offset` days, and the days it was stopped
    before then. A stop that ends after the plain date pushes it further, and a stop in the
    pushed days pushes it again, so this repeats until the date holds. An open stop counts up to
    today (the earliest it can resume); resuming it recomputes the date."""
    stops = list(case.clock_stops.all())
    stopped = 0
    while True:
        day = start + timedelta(days=offset + stopped)
        again = _stopped_between(stops, start, day, open_until=max(today, start))
        if again == stopped:
            return day, stopped
        stopped = again


def hearing_day(hearing: Hearing) -> date:
    return timezone.localtime(hearing.starts_at, hearing.time_zone).date()


def _hearing_facts(case: Case, today: date, keys_with_deadlines: set[str]) -> list[Fact]:
    facts = []
    for hearing in case.hearings.select_related("court"):
        trigger = HEARING_TRIGGERS.get(hearing.kind)
        court = hearing.court or case.court
        # Detained dockets: the court or judge sets the deadlines (domain-rules.md rule 4).
        if trigger is None or hearing.result or (court is not None and court.detained):
            continue
        key, day = f"hearing:{hearing.pk}", hearing_day(hearing)
        # A past hearing entered for the record starts no deadline; one already computed stays.
        if day >= today or key in keys_with_deadlines:
            facts.append(Fact(key, trigger, day, str(hearing.get_kind_display())))
    return facts


def _event_facts(case: Case) -> list[Fact]:
    facts = []
    for event in case.events.all():
        on = event.response_due_on if event.kind == CaseEvent.Kind.RFE_RECEIVED else event.occurred_on
        for trigger in EVENT_TRIGGERS.get(event.kind, (event.kind,)):
            facts.append(Fact(f"event:{event.pk}", trigger, on, str(event.get_kind_display())))
    return facts


def _address_facts(case: Case) -> list[Fact]:
    # The EOIR-33 goes to the court: moves during a defensive case only.
    if case.process != Case.Process.DEFENSIVE:
        return []
    moves = case.client.addresses.filter(moved_in_on__isnull=False, moved_in_on__gte=case.opened_on)
    return [Fact(f"address:{move.pk}", Trigger.ADDRESS_CHANGED, move.moved_in_on, _("Move")) for move in moves]


def case_facts(case: Case, today: date, keys_with_deadlines: set[str] = frozenset()) -> list[Fact]:
    facts = []
    # Once the I-589 is received the one-year deadline is met (or its exception argued).
    if case.last_arrival_date and not case.i589_received_on:
        # The one-year clock counts from the last arrival or 1 April 1997, whichever is later.
        arrival = max(case.last_arrival_date, ONE_YEAR_RULE_START)
        facts.append(Fact("case:arrival", Trigger.ARRIVAL, arrival, _("Last arrival")))
    if case.i589_received_on:
        facts.append(Fact("case:i589", Trigger.I589_RECEIVED, case.i589_received_on, _("I-589 received")))
    return facts + _hearing_facts(case, today, keys_with_deadlines) + _event_facts(case) + _address_facts(case)


def plan_deadlines(case: Case, today: date, keys_with_deadlines: set[str] = frozenset()) -> dict[tuple, Planned]:
    """What the open computed deadlines of the case should be, by (rule code, trigger key)."""
    by_trigger = versions_by_trigger()
    planned = {}
    for fact in case_facts(case, today, keys_with_deadlines):
        codes = {v.rule.code for v in by_trigger.get(fact.trigger, [])}
        for code in sorted(codes):
            versions = [v for v in by_trigger[fact.trigger] if v.rule.code == code]
            try:
                version = _in_force(versions, fact.on)
            except RuleError:
                continue
            stops = _clock_date(case, fact.on, version.offset, today)[1] if version.adds_clock_stops else 0
            planned[(code, fact.key)] = Planned(fact, version, compute(version.spec(), fact.on, stopped_days=stops))
    return planned


# ---- keeping the deadlines in step -------------------------------------------------------------


@dataclass
class SyncResult:
    created: list[Deadline]
    moved: list[Deadline]
    withdrawn: list[Deadline]


def _audit(actor, case: Case, action: str, summary: str, deadline: Deadline, request=None) -> None:
    from cases.services import audit_case

    audit_case(actor, action, case, summary, request=request, obj=deadline)


def schedule_reminders(deadline: Deadline, clinic: Clinic, today: date | None = None) -> None:
    """Sets the first reminder day of a new or moved deadline (not saved)."""
    if deadline.status != Deadline.Status.OPEN:
        deadline.next_reminder_on = None
        return
    leads = lead_days_for(clinic.pk, deadline.rule_version) if deadline.rule_version_id else MANUAL_LEAD_DAYS
    deadline.next_reminder_on = reminder_plan.first_reminder_on(deadline.due_on, leads, today or clinic_today(clinic))


def _apply_plan(deadline: Deadline, plan: Planned) -> None:
    deadline.rule_version = plan.version
    deadline.trigger_on = plan.fact.on
    deadline.computed_due_on = plan.computation.due_on
    deadline.explanation = plan.computation.explanation
    deadline.citation = plan.computation.citation
    if not deadline.judge_ordered:
        deadline.due_on = plan.computation.due_on


def _hearing_withdrawal_reason(case: Case, pk: int) -> str:
    hearing = case.hearings.select_related("court").filter(pk=pk).first()
    if hearing is None:
        return _("The hearing was deleted.")
    if hearing.result:
        return _("The hearing was recorded as %(result)s.") % {"result": hearing.get_result_display().lower()}
    court = hearing.court or case.court
    if court is not None and court.detained:
        return _("The hearing is on a detained docket: the court sets the deadlines.")
    return _("The hearing no longer starts this deadline.")


def withdrawal_reason(case: Case, trigger_key: str) -> str:
    """Why an open deadline was withdrawn, in words, for its note and the finished list."""
    kind, _sep, pk = trigger_key.partition(":")
    if kind == "hearing":
        return _hearing_withdrawal_reason(case, int(pk))
    if trigger_key == "case:arrival":
        if case.i589_received_on:
            return _("The I-589 was received on %(day)s.") % {"day": show(case.i589_received_on)}
        return _("The arrival date was removed.")
    reasons = {
        "case": _("The I-589 receipt date was removed."),
        "event": _("The event was removed."),
        "address": _("The move was removed, or the case is not before a court."),
    }
    return reasons.get(kind, _("Its trigger was removed."))


def finish(deadline: Deadline, status: str, actor, note: str = "") -> None:
    """Ends a deadline (done, waived or withdrawn) and its reminders: no further stage, and the
    queued ones are cancelled (their delivery would cancel them too, one by one)."""
    deadline.status, deadline.finished_at, deadline.finished_by = status, timezone.now(), actor
    deadline.next_reminder_on = None
    if note:
        deadline.note = note[:500]
    deadline.save(update_fields=["status", "finished_at", "finished_by", "note", "next_reminder_on"])
    deadline.reminders.filter(status=Reminder.Status.QUEUED).update(status=Reminder.Status.CANCELLED)


def _withdraw(deadline: Deadline, reason: str, actor, request) -> None:
    finish(deadline, Deadline.Status.WITHDRAWN, actor, reason)
    _audit(actor, deadline.case, Action.UPDATE, f"Deadline withdrawn: {reason}", deadline, request)


def _move(deadline: Deadline, plan: Planned, actor, request, today: date) -> bool:
    before = (deadline.due_on, deadline.computed_due_on, deadline.rule_version_id, deadline.trigger_on)
    _apply_plan(deadline, plan)
    if before == (deadline.due_on, deadline.computed_due_on, deadline.rule_version_id, deadline.trigger_on):
        return False
    schedule_reminders(deadline, deadline.case.clinic, today)
    deadline.save()
    _audit(
        actor,
        deadline.case,
        Action.UPDATE,
        f"Deadline recomputed: due {before[0]} -> {deadline.due_on}",
        deadline,
        request,
    )
    return before[0] != deadline.due_on


def _create(case: Case, plan: Planned, actor, request, today: date) -> Deadline:
    deadline = Deadline(case=case, title=plan.version.rule.title, trigger_key=plan.fact.key, created_by=actor)
    _apply_plan(deadline, plan)
    schedule_reminders(deadline, case.clinic, today)
    deadline.save()
    _audit(actor, case, Action.CREATE, f"Deadline computed, due {deadline.due_on}", deadline, request)
    return deadline


@transaction.atomic
def sync_case_deadlines(*, case: Case, actor=None, request=None, now: datetime | None = None) -> SyncResult:
    """Creates, moves and withdraws the case's computed deadlines so they match its triggers.
    Finished deadlines stay as they are: a filing done before a hearing moved is still done."""
    # Lock the case row only: the court is a nullable join, and PostgreSQL refuses FOR UPDATE on
    # the nullable side of an outer join.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("clinic", "client", "court")
        .get(clinic=case.clinic_id, pk=case.pk)
    )
    today = clinic_today(case.clinic, now)
    computed = list(case.deadlines.exclude(trigger_key="").select_related("rule_version__rule"))
    planned = plan_deadlines(case, today, {d.trigger_key for d in computed})
    result = SyncResult([], [], [])
    finished = {(d.rule_version.rule.code, d.trigger_key) for d in computed if d.status in ("done", "waived")}
    for deadline in (d for d in computed if d.status == Deadline.Status.OPEN):
        plan = planned.pop((deadline.rule_version.rule.code, deadline.trigger_key), None)
        if plan is None:
            _withdraw(deadline, withdrawal_reason(case, deadline.trigger_key), actor, request)
            result.withdrawn.append(deadline)
        elif _move(deadline, plan, actor, request, today):
            result.moved.append(deadline)
    for key, plan in planned.items():
        if key not in finished:
            result.created.append(_create(case, plan, actor, request, today))
    return result


# ---- what people do to a deadline --------------------------------------------------------------


@transaction.atomic
def deadline_set_judge_order(*, actor, deadline: Deadline, due_on: date | None, request=None) -> Deadline:
    """The judge's own scheduling order sets the date (ICPM 3.1(b)); None goes back to the rule."""
    require_change(actor, deadline.case)
    if deadline.status != Deadline.Status.OPEN:
        raise ValidationError(_("This deadline is not open any more."))
    if due_on is None and deadline.computed_due_on is None:
        raise ValidationError({"due_on": _("Enter the date the judge set.")})
    old = deadline.due_on
    deadline.judge_ordered = due_on is not None
    deadline.due_on = due_on or deadline.computed_due_on
    schedule_reminders(deadline, deadline.case.clinic)
    deadline.save(update_fields=["judge_ordered", "due_on", "next_reminder_on"])
    what = "set by the judge's order" if due_on else "back to the rule's date"
    _audit(actor, deadline.case, Action.UPDATE, f"Deadline {what}: {old} -> {deadline.due_on}", deadline, request)
    return deadline


@transaction.atomic
def lead_times_set(*, actor, clinic: Clinic, rule: DeadlineRule, lead_days: list[int], request=None) -> None:
    """A supervisor's own lead times for a rule; open deadlines of the rule are rescheduled."""
    membership = require_role(actor, Role.SUPERVISOR)
    if membership.clinic_id != clinic.pk:
        raise ValidationError(_("You can only change your own clinic's reminders."))
    if not lead_days or any(lead < 0 or lead > 365 for lead in lead_days):
        raise ValidationError({"lead_days": _("Give one or more numbers of days between 0 and 365.")})
    leads = sorted(set(lead_days), reverse=True)
    ClinicLeadTime.objects.update_or_create(
        clinic=clinic, rule=rule, defaults={"lead_days": leads, "updated_by": actor}
    )
    today = clinic_today(clinic)
    open_deadlines = Deadline.objects.filter(
        case__clinic=clinic, rule_version__rule=rule, status=Deadline.Status.OPEN
    ).only("id", "due_on", "next_reminder_on")
    # The next stage from today on, written back a batch at a time (not one UPDATE per deadline).
    batch = []
    for deadline in open_deadlines.iterator(chunk_size=RESCHEDULE_BATCH):
        deadline.next_reminder_on = reminder_plan.current_stage(deadline.due_on, leads, today - timedelta(days=1))[1]
        batch.append(deadline)
        if len(batch) == RESCHEDULE_BATCH:
            Deadline.objects.bulk_update(batch, ["next_reminder_on"])
            batch = []
    Deadline.objects.bulk_update(batch, ["next_reminder_on"])
    audit_record(
        action=Action.UPDATE,
        actor=actor,
        clinic=clinic,
        obj=rule,
        object_label=rule.code,
        summary=f"Reminder lead times set to {leads}",
        request=request,
    )


@transaction.atomic
def event_record(*, actor, case: Case, data: dict, request=None) -> CaseEvent:
    require_change(actor, case)
    event = CaseEvent(case=case, created_by=actor, **data)
    if event.kind == CaseEvent.Kind.RFE_RECEIVED and not event.response_due_on:
        raise ValidationError({"response_due_on": _("Enter the response date printed on the notice.")})
    event.full_clean()
    event.save()
    _audit(actor, case, Action.CREATE, f"Event recorded: {event.kind} on {event.occurred_on}", event, request)
    sync_case_deadlines(case=case, actor=actor, request=request)
    return event


@transaction.atomic
def event_remove(*, actor, event: CaseEvent, request=None) -> None:
    case = event.case
    require_change(actor, case)
    _audit(actor, case, Action.DELETE, f"Event removed: {event.kind} on {event.occurred_on}", event, request)
    event.delete()
    sync_case_deadlines(case=case, actor=actor, request=request)


@transaction.atomic
def clock_stop_add(*, actor, case: Case, stopped_on: date, reason: str, request=None) -> ClockStop:
    require_change(actor, case)
    if case.clock_stops.filter(resumed_on__isnull=True).exists():
        raise ValidationError(_("The clock is already stopped; record when it resumed first."))
    stop = ClockStop(case=case, stopped_on=stopped_on, reason=reason.strip(), created_by=actor)
    stop.full_clean()
    stop.save()
    _audit(actor, case, Action.CREATE, f"EAD clock stopped on {stopped_on}", stop, request)
    sync_case_deadlines(case=case, actor=actor, request=request)
    return stop


@transaction.atomic
def clock_stop_resume(*, actor, stop: ClockStop, resumed_on: date, request=None) -> ClockStop:
    require_change(actor, stop.case)
    if resumed_on < stop.stopped_on:
        raise ValidationError({"resumed_on": _("The clock cannot resume before it stopped.")})
    stop.resumed_on = resumed_on
    stop.save(update_fields=["resumed_on"])
    _audit(actor, stop.case, Action.UPDATE, f"EAD clock resumed on {resumed_on}", stop, request)
    sync_case_deadlines(case=stop.case, actor=actor, request=request)
    return stop


@dataclass(frozen=True)
class EadClock:
    received_on: date
    elapsed: int
    stopped: int
    running: bool

    @property
    def days(self) -> int:
        return self.elapsed - self.stopped


def ead_clock(case: Case, today: date, stops: list[ClockStop] | None = None) -> EadClock | None:
    """Days since the I-589 was received, less the days the clock was stopped (8 CFR 208.7), counted
    as the EAD dates count them. `stops`: the case's clock stops if already read."""
    if not case.i589_received_on:
        return None
    stops = list(case.clock_stops.all()) if stops is None else stops
    running = all(stop.resumed_on for stop in stops)
    stopped = _stopped_between(stops, case.i589_received_on, today)
    return EadClock(case.i589_received_on, (today - case.i589_received_on).days, stopped, running)
