"""When a deadline's reminders go out (cases/reminder_plan.py). Pure: no database."""

from datetime import date

import pytest

from cases.reminder_plan import OVERDUE, Stage, current_stage, first_reminder_on, stages

DUE = date(2026, 7, 6)  # Mon 6 Jul 2026
LEADS = (14, 7, 1)
PLAN = [
    Stage(date(2026, 6, 22), 14),
    Stage(date(2026, 6, 29), 7),
    Stage(date(2026, 7, 5), 1),
    Stage(date(2026, 7, 7), OVERDUE),
]


def test_stages_in_date_order_with_the_overdue_stage_last():
    assert stages(DUE, LEADS) == PLAN


def test_stages_ignore_order_duplicates_and_negative_leads():
    assert stages(DUE, [1, 7, 7, -3, 14]) == PLAN
    assert stages(DUE, ["7", "14", "1"]) == PLAN  # lead days stored as JSON


def test_a_lead_of_zero_is_the_due_day_and_no_leads_leave_only_the_overdue_stage():
    assert stages(DUE, (0,)) == [Stage(DUE, 0), Stage(date(2026, 7, 7), OVERDUE)]
    assert stages(DUE, ()) == [Stage(date(2026, 7, 7), OVERDUE)]


def test_stages_cross_the_year_end():
    assert stages(date(2027, 1, 4), (7,)) == [Stage(date(2026, 12, 28), 7), Stage(date(2027, 1, 5), OVERDUE)]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 6, 1), date(2026, 6, 22)),  # in good time: the first stage
        (date(2026, 6, 22), date(2026, 6, 22)),
        (date(2026, 6, 25), date(2026, 6, 25)),  # entered late: at once
        (date(2026, 7, 10), date(2026, 7, 10)),  # already overdue: at once
    ],
)
def test_first_reminder_on(today, expected):
    assert first_reminder_on(DUE, LEADS, today) == expected


def test_first_reminder_on_without_leads_is_the_overdue_day():
    assert first_reminder_on(DUE, (), date(2026, 6, 1)) == date(2026, 7, 7)


@pytest.mark.parametrize(
    ("cutoff", "stage", "next_on"),
    [
        (date(2026, 6, 21), None, date(2026, 6, 22)),  # nothing due yet
        (date(2026, 6, 22), PLAN[0], date(2026, 6, 29)),
        (date(2026, 6, 28), PLAN[0], date(2026, 6, 29)),
        (date(2026, 6, 29), PLAN[1], date(2026, 7, 5)),
        (date(2026, 7, 5), PLAN[2], date(2026, 7, 7)),
        (date(2026, 7, 6), PLAN[2], date(2026, 7, 7)),  # the due day itself: no new stage
        (date(2026, 7, 7), PLAN[3], None),  # overdue: escalates, nothing after
        (date(2026, 8, 1), PLAN[3], None),
    ],
)
def test_current_stage(cutoff, stage, next_on):
    assert current_stage(DUE, LEADS, cutoff) == (stage, next_on)


def test_missed_days_send_only_the_latest_stage():
    # The sweep did not run from 23 Jun to 5 Jul: the 7-day stage is superseded by the 1-day one.
    stage, next_on = current_stage(DUE, LEADS, date(2026, 7, 5))
    assert stage.lead_days == 1
    assert next_on == date(2026, 7, 7)
    # And missing the due day as well goes straight to the overdue escalation.
    assert current_stage(DUE, LEADS, date(2026, 7, 9))[0].lead_days == OVERDUE
