"""When a deadline's reminders go out. Pure: no database.

A deadline has stages: one per lead time (due date minus the lead), then an overdue stage the day
after the due date, which escalates to the supervisor. The deadline row keeps only the date of
its next stage (Deadline.next_reminder_on), so the sweep reads a partial index and nothing else.
"""

from dataclasses import dataclass
from datetime import date, timedelta

OVERDUE = -1


@dataclass(frozen=True)
class Stage:
    on: date
    lead_days: int


def stages(due_on: date, lead_days: tuple[int, ...] | list[int]) -> list[Stage]:
    """All stages in date order; the overdue stage last."""
    leads = sorted({int(lead) for lead in lead_days if int(lead) >= 0}, reverse=True)
    return [Stage(due_on - timedelta(days=lead), lead) for lead in leads] + [Stage(due_on + timedelta(days=1), OVERDUE)]


def first_reminder_on(due_on: date, lead_days, today: date) -> date:
    """The next_reminder_on of a new or moved deadline: its earliest stage, or today when
    stages already passed (a deadline entered late is reminded once, at once)."""
    return max(stages(due_on, lead_days)[0].on, today)


def current_stage(due_on: date, lead_days, cutoff: date) -> tuple[Stage | None, date | None]:
    """The stage to send when the sweep reaches the deadline on `cutoff` (the latest stage
    whose day has come; earlier missed stages are superseded, not sent one by one), and the
    day of the stage after it (None when nothing follows)."""
    plan = stages(due_on, lead_days)
    reached = [stage for stage in plan if stage.on <= cutoff]
    later = [stage for stage in plan if stage.on > cutoff]
    return (reached[-1] if reached else None), (later[0].on if later else None)
