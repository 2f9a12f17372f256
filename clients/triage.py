"""Urgency triage of a walk-in. Pure functions, no database: they read the facts a walk-in gave.

Each flag says in plain words what is urgent; the score sorts the queue, most urgent first.
"""

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.dates import add_years, roll_forward

# INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii): the one-year filing deadline runs from the last
# arrival, or from 1 April 1997 if that is later (domain-rules.md, rule 1).
ONE_YEAR_RULE_START = date(1997, 4, 1)
ONE_YEAR_CITATION = "INA 208(a)(2)(B); 8 CFR 208.4(a)(2)(ii)"

DANGER, WARNING, INFO = "danger", "warning", "info"
_WEIGHT = {DANGER: 100, WARNING: 30, INFO: 5}


@dataclass(frozen=True)
class Flag:
    code: str
    level: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class Triage:
    flags: tuple[Flag, ...]
    one_year_deadline: date | None

    @property
    def score(self) -> int:
        return sum(_WEIGHT[flag.level] for flag in self.flags)

    @property
    def level(self) -> str | None:
        for level in (DANGER, WARNING, INFO):
            if any(flag.level == level for flag in self.flags):
                return level
        return None


@functools.lru_cache(maxsize=8192)  # the dashboard orders thousands of arrivals, most on shared days
def one_year_deadline(last_arrival: date) -> date:
    """The arrival day is day 0; the deadline is the anniversary, rolled past weekends and holidays."""
    start = max(last_arrival, ONE_YEAR_RULE_START)
    return roll_forward(add_years(start, 1))


def latest_arrival_due_by(day: date) -> date:
    """The latest last arrival whose one-year deadline falls on or before `day`. The deadline
    never moves earlier as the arrival moves later, so "deadline on or before `day`" is "arrival on
    or before this": a comparison SQL can make, where it cannot roll past holidays."""
    arrival = add_years(day, -1)  # a later arrival's anniversary is already after `day`
    while arrival >= ONE_YEAR_RULE_START and one_year_deadline(arrival) > day:
        arrival -= timedelta(days=1)
    return arrival


def triage(
    *,
    today: date,
    last_arrival: date | None,
    next_hearing: date | None,
    detained: bool,
    in_absentia_order: bool,
    prior_removal_order: bool,
) -> Triage:
    flags = []
    deadline = one_year_deadline(last_arrival) if last_arrival else None
    if deadline:
        flags += _one_year_flags(today, deadline)
    if next_hearing:
        flags += _hearing_flags(today, next_hearing)
    if detained:
        flags.append(Flag("detained", DANGER, _("Detained")))
    if in_absentia_order:
        flags.append(Flag("in_absentia", DANGER, _("In-absentia order"), _("Motion to reopen may be needed")))
    elif prior_removal_order:
        flags.append(Flag("removal_order", WARNING, _("Prior removal order")))
    return Triage(flags=tuple(flags), one_year_deadline=deadline)


def _one_year_flags(today: date, deadline: date) -> list[Flag]:
    days_left = (deadline - today).days
    shown = date_format(deadline, "j M Y")
    if days_left < 0:
        return [
            Flag(
                "one_year_past",
                DANGER,
                _("One-year deadline passed"),
                _("on %(date)s: an exception is needed") % {"date": shown},
            )
        ]
    if days_left <= 30:
        return [Flag("one_year_30", DANGER, _("One-year deadline in %(days)d days") % {"days": days_left}, shown)]
    if days_left <= 90:
        return [Flag("one_year_90", WARNING, _("One-year deadline in %(days)d days") % {"days": days_left}, shown)]
    return []


def _hearing_flags(today: date, hearing: date) -> list[Flag]:
    days_left = (hearing - today).days
    shown = date_format(hearing, "j M Y")
    if days_left < 0:
        return [
            Flag(
                "hearing_passed",
                DANGER,
                _("Hearing date has passed"),
                _("%(date)s: check for an in-absentia order") % {"date": shown},
            )
        ]
    if days_left <= 7:
        return [Flag("hearing_7", DANGER, _("Hearing in %(days)d days") % {"days": days_left}, shown)]
    if days_left <= 30:
        return [Flag("hearing_30", WARNING, _("Hearing in %(days)d days") % {"days": days_left}, shown)]
    return []
