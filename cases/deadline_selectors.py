"""Reads of a case's deadlines, events and EAD clock, and of the deadline rules (the views'
context). Scoped by the case the caller already looked up through cases/access.py."""

from dataclasses import dataclass
from datetime import date

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.deadline_rules import Counting, Direction, show
from cases.deadline_services import EadClock, clinic_today, ead_clock
from cases.models import Case, CaseEvent, ClinicLeadTime, ClockStop, Deadline, DeadlineRule, DeadlineRuleVersion
from clinic.models import Clinic

EAD_DAYS = 180
EAD_FILING, EAD_GRANT = "ead_earliest_filing", "ead_earliest_grant"
JUDGE_SET_CODES = {"filing_response", "master_hearing_filing", "merits_hearing_filing"}


@dataclass(frozen=True)
class DeadlineRow:
    deadline: Deadline
    today: date

    @property
    def due(self) -> str:
        return show(self.deadline.due_on)

    @property
    def days_left(self) -> int:
        return (self.deadline.due_on - self.today).days

    @property
    def overdue(self) -> bool:
        return self.deadline.is_overdue(self.today)

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def earliest(self) -> bool:
        return self.deadline.is_earliest_date

    @property
    def kind(self) -> str:
        if self.deadline.judge_ordered:
            return "judge"
        return "computed" if self.deadline.trigger_key else "manual"

    @property
    def judge_can_set(self) -> bool:
        """Court deadlines only: those before a hearing and a response to a filing. A statute
        (the one-year deadline, the EAD clock) is no judge's to move."""
        code = self.deadline.rule_version.rule.code if self.deadline.rule_version_id else ""
        return self.deadline.trigger_key.startswith("hearing:") or code in JUDGE_SET_CODES

    @property
    def rule_due(self) -> str:
        return show(self.deadline.computed_due_on) if self.deadline.computed_due_on else ""


@dataclass(frozen=True)
class Panel:
    today: date
    open_rows: list[DeadlineRow]
    finished: list[Deadline]
    events: list[CaseEvent]
    clock: EadClock | None
    stops: list[ClockStop]
    ead_filing_on: date | None
    ead_grant_on: date | None

    @property
    def open_stop(self) -> ClockStop | None:
        return next((stop for stop in self.stops if stop.resumed_on is None), None)

    @property
    def ead_total(self) -> int:
        return EAD_DAYS


def _ead_dates(deadlines: list[Deadline]) -> dict[str, date]:
    found = {}
    for deadline in deadlines:
        code = deadline.rule_version.rule.code if deadline.rule_version_id else ""
        if deadline.trigger_key == "case:i589" and code in (EAD_FILING, EAD_GRANT):
            found[code] = deadline.due_on
    return found


def deadline_panel(*, case: Case, today: date) -> Panel:
    """Everything the case page shows about deadlines: open ones (oldest due first), finished and
    withdrawn ones (latest first), the recorded events and, once the I-589 is in, the EAD clock.
    Two queries, three with the clock stops."""
    deadlines = list(case.deadlines.select_related("rule_version__rule", "finished_by"))
    open_rows = [DeadlineRow(d, today) for d in deadlines if d.status == Deadline.Status.OPEN]
    finished = sorted(
        (d for d in deadlines if d.status != Deadline.Status.OPEN),
        key=lambda d: (d.finished_at is not None, d.finished_at),
        reverse=True,
    )
    ead = _ead_dates([d for d in deadlines if d.status != Deadline.Status.WITHDRAWN])
    stops = list(case.clock_stops.all()) if case.i589_received_on else []
    return Panel(
        today=today,
        open_rows=open_rows,
        finished=finished,
        events=list(case.events.all()),
        # The stops were read once for the panel; the clock counts from them without asking again.
        clock=ead_clock(case, today, stops),
        stops=stops,
        ead_filing_on=ead.get(EAD_FILING),
        ead_grant_on=ead.get(EAD_GRANT),
    )


def deadline_get(*, case: Case, pk: int) -> Deadline:
    return get_object_or_404(case.deadlines.select_related("rule_version__rule"), pk=pk)


def version_summary(version: DeadlineRuleVersion) -> str:
    """'30 calendar days before the hearing', '1 year after the trigger', 'the date on the notice'."""
    if version.counting == Counting.DATE_ON_NOTICE:
        return _("The date on the notice")
    if version.counting == Counting.YEARS:
        period = ngettext("%(n)d year", "%(n)d years", version.offset) % {"n": version.offset}
    elif version.counting == Counting.BUSINESS_DAYS:
        period = ngettext("%(n)d business day", "%(n)d business days", version.offset) % {"n": version.offset}
    else:
        period = ngettext("%(n)d calendar day", "%(n)d calendar days", version.offset) % {"n": version.offset}
    if version.direction == Direction.BEFORE:
        return _("%(period)s before the hearing") % {"period": period}
    return _("%(period)s after the trigger") % {"period": period}


@dataclass(frozen=True)
class RuleRow:
    rule: DeadlineRule
    current: DeadlineRuleVersion
    history: list[DeadlineRuleVersion]
    lead_days: list[int]
    own_lead_days: bool

    @property
    def summary(self) -> str:
        return version_summary(self.current)

    @property
    def history_rows(self) -> list[tuple[DeadlineRuleVersion, str]]:
        return [(version, version_summary(version)) for version in self.history]


def rules_with_lead_times(*, clinic: Clinic, today: date | None = None) -> list[RuleRow]:
    """Every rule with the version in force today, its whole history (newest first) and the lead
    times this clinic uses (its own, or the current version's)."""
    today = today or clinic_today(clinic)
    own = {row.rule_id: list(row.lead_days) for row in ClinicLeadTime.objects.filter(clinic=clinic)}
    rules = DeadlineRule.objects.prefetch_related("versions")
    rows = []
    for rule in rules:
        # The original version has no effective date: it comes first.
        versions = sorted(rule.versions.all(), key=lambda v: v.effective_from or date.min)
        in_force = [v for v in versions if v.effective_from is None or v.effective_from <= today]
        current = (in_force or versions)[-1]
        history = versions[::-1]
        lead_days = own.get(rule.pk, list(current.lead_days))
        rows.append(RuleRow(rule, current, history, lead_days, rule.pk in own))
    return rows


def event_get(*, case: Case, pk: int) -> CaseEvent:
    return get_object_or_404(case.events.all(), pk=pk)


def event_open_deadlines(*, event: CaseEvent) -> list[Deadline]:
    """The open deadlines the event started: removing it withdraws them."""
    return list(event.case.deadlines.filter(trigger_key=f"event:{event.pk}", status=Deadline.Status.OPEN))


def clock_stop_get(*, case: Case, pk: int) -> ClockStop:
    return get_object_or_404(case.clock_stops.all(), pk=pk)


def rule_get(*, pk: int) -> DeadlineRule:
    return get_object_or_404(DeadlineRule, pk=pk)
