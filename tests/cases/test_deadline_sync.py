"""sync_case_deadlines: from a case's triggers to its open computed deadlines, and back.

Expected dates are counted by hand (the trigger or hearing day is day 0; weekends and federal
holidays roll forward). `now` is fixed so "today" does not depend on the clock.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from cases import deadline_services as ds
from cases.models import Case, CaseEvent, ClockStop, Court, Deadline, Hearing
from clinic.models import AuditEvent

pytestmark = pytest.mark.django_db

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 3, 2, 18, 0, tzinfo=ZoneInfo("UTC"))  # Mon 2 Mar 2026 in the clinic (Denver)


def sync(case, **kwargs):
    return ds.sync_case_deadlines(case=case, now=kwargs.pop("now", NOW), **kwargs)


def open_deadlines(case, code=None):
    found = Deadline.objects.filter(case=case, status=Deadline.Status.OPEN)
    if code:
        found = found.filter(rule_version__rule__code=code)
    return found


def hearing(case, day: date, kind=Hearing.Kind.MASTER, court=None) -> Hearing:
    return Hearing.objects.create(
        case=case,
        kind=kind,
        court=court or case.court,
        time_zone=CHICAGO,
        starts_at=datetime.combine(day, time(9, 0), tzinfo=CHICAGO),
    )


@pytest.fixture
def bare_case(case):
    """The case with no dates that start a clock, and nothing computed yet."""
    Case.objects.filter(pk=case.pk).update(last_arrival_date=None, i589_received_on=None)
    Deadline.objects.filter(case=case).delete()
    case.refresh_from_db()
    return case


def test_master_hearing_creates_its_filing_deadline(bare_case, attorney):
    h = hearing(bare_case, date(2026, 6, 4))
    result = sync(bare_case, actor=attorney)
    [deadline] = result.created
    assert deadline.rule_version.rule.code == "master_hearing_filing"
    assert deadline.trigger_key == f"hearing:{h.pk}"
    assert (deadline.trigger_on, deadline.due_on, deadline.computed_due_on) == (
        date(2026, 6, 4),
        date(2026, 5, 20),
        date(2026, 5, 20),
    )
    assert "15 days before the master calendar hearing on Thu 4 Jun 2026 is Wed 20 May 2026" in deadline.explanation
    assert deadline.citation == "ICPM 3.1(b)(1)"
    assert deadline.next_reminder_on == date(2026, 4, 29)  # 21 days before, the first lead time
    assert AuditEvent.objects.filter(summary="Deadline computed, due 2026-05-20").count() == 1


def test_merits_hearing_uses_the_version_in_force_on_the_hearing_day(bare_case):
    hearing(bare_case, date(2026, 6, 4), kind=Hearing.Kind.INDIVIDUAL)
    sync(bare_case)
    deadline = open_deadlines(bare_case, "merits_hearing_filing").get()
    assert deadline.due_on == date(2026, 5, 5)  # 30 days before Thu 4 Jun 2026
    assert deadline.rule_version.effective_from == date(2025, 2, 1)


def test_no_computed_deadline_for_detained_custody_or_past_hearings(bare_case):
    detained = Court.objects.create(code="ZZD", name="Test detained", time_zone="America/Chicago", detained=True)
    hearing(bare_case, date(2026, 6, 4), court=detained)
    hearing(bare_case, date(2026, 6, 5), kind=Hearing.Kind.CUSTODY)
    hearing(bare_case, date(2026, 2, 20))  # before today: entered for the record
    assert sync(bare_case).created == []
    assert not open_deadlines(bare_case).exists()


def test_moved_hearing_recomputes_with_an_audit_event(bare_case, attorney):
    h = hearing(bare_case, date(2026, 6, 4))
    sync(bare_case)
    h.starts_at = datetime.combine(date(2026, 7, 20), time(9, 0), tzinfo=CHICAGO)
    h.save()
    result = sync(bare_case, actor=attorney)
    [deadline] = result.moved
    assert (result.created, result.withdrawn) == ([], [])
    # Day 15 before Mon 20 Jul 2026 is Sun 5 Jul: due Mon 6 Jul 2026.
    assert (deadline.due_on, deadline.trigger_on) == (date(2026, 7, 6), date(2026, 7, 20))
    assert "File by Thu 2 Jul 2026 to be safe." in deadline.explanation
    assert deadline.next_reminder_on == date(2026, 6, 15)
    assert open_deadlines(bare_case).count() == 1
    event = AuditEvent.objects.get(summary="Deadline recomputed: due 2026-05-20 -> 2026-07-06")
    assert event.actor == attorney
    assert event.object_id == str(deadline.pk)


def test_deleted_hearing_withdraws_its_deadline(bare_case):
    h = hearing(bare_case, date(2026, 6, 4))
    sync(bare_case)
    h.delete()
    [deadline] = sync(bare_case).withdrawn
    deadline.refresh_from_db()
    assert deadline.status == Deadline.Status.WITHDRAWN
    assert deadline.next_reminder_on is None
    assert AuditEvent.objects.filter(summary__startswith="Deadline withdrawn").count() == 1


def test_cancelled_hearing_withdraws_its_deadline(bare_case):
    h = hearing(bare_case, date(2026, 6, 4))
    sync(bare_case)
    Hearing.objects.filter(pk=h.pk).update(result=Hearing.Result.CANCELLED)
    assert len(sync(bare_case).withdrawn) == 1


def test_judge_ordered_date_survives_a_recompute(bare_case, attorney):
    h = hearing(bare_case, date(2026, 6, 4))
    sync(bare_case)
    deadline = open_deadlines(bare_case).get()
    ds.deadline_set_judge_order(actor=attorney, deadline=deadline, due_on=date(2026, 5, 25))
    h.starts_at = datetime.combine(date(2026, 7, 20), time(9, 0), tzinfo=CHICAGO)
    h.save()
    sync(bare_case)
    deadline.refresh_from_db()
    assert deadline.judge_ordered
    assert deadline.due_on == date(2026, 5, 25)
    assert deadline.computed_due_on == date(2026, 7, 6)
    # Back to the rule: the recomputed date.
    ds.deadline_set_judge_order(actor=attorney, deadline=deadline, due_on=None)
    deadline.refresh_from_db()
    assert (deadline.judge_ordered, deadline.due_on) == (False, date(2026, 7, 6))


@pytest.mark.parametrize("status", [Deadline.Status.DONE, Deadline.Status.WAIVED])
def test_finished_deadlines_are_not_recreated_or_moved(bare_case, status):
    h = hearing(bare_case, date(2026, 6, 4))
    sync(bare_case)
    open_deadlines(bare_case).update(status=status)
    h.starts_at = datetime.combine(date(2026, 7, 20), time(9, 0), tzinfo=CHICAGO)
    h.save()
    result = sync(bare_case)
    assert (result.created, result.moved, result.withdrawn) == ([], [], [])
    finished = Deadline.objects.get(case=bare_case)
    assert (finished.status, finished.due_on) == (status, date(2026, 5, 20))


def test_arrival_then_i589_receipt(bare_case):
    Case.objects.filter(pk=bare_case.pk).update(last_arrival_date=date(2025, 7, 4))
    sync(bare_case)
    one_year = open_deadlines(bare_case, "one_year_filing").get()
    # Sat 4 Jul 2026 (Independence Day): due Mon 6 Jul 2026.
    assert one_year.due_on == date(2026, 7, 6)
    assert one_year.trigger_key == "case:arrival"

    Case.objects.filter(pk=bare_case.pk).update(i589_received_on=date(2026, 3, 2))
    result = sync(bare_case)
    assert [d.pk for d in result.withdrawn] == [one_year.pk]
    one_year.refresh_from_db()
    assert one_year.status == Deadline.Status.WITHDRAWN
    # 150 and 180 days after Mon 2 Mar 2026: Thu 30 Jul and Sat 29 Aug 2026 (earliest days, not moved).
    assert open_deadlines(bare_case, "ead_earliest_filing").get().due_on == date(2026, 7, 30)
    assert open_deadlines(bare_case, "ead_earliest_grant").get().due_on == date(2026, 8, 29)
    assert {d.rule_version.rule.code for d in result.created} == {"ead_earliest_filing", "ead_earliest_grant"}


def test_arrival_before_april_1997_counts_from_april_1997(bare_case):
    Case.objects.filter(pk=bare_case.pk).update(last_arrival_date=date(1995, 5, 1))
    sync(bare_case)
    # 1 Apr 1998 was a Wednesday.
    assert open_deadlines(bare_case, "one_year_filing").get().due_on == date(1998, 4, 1)


@pytest.fixture
def i589_case(bare_case):
    Case.objects.filter(pk=bare_case.pk).update(i589_received_on=date(2026, 3, 2))
    bare_case.refresh_from_db()
    sync(bare_case)
    return bare_case


def ead_dates(case):
    return (
        open_deadlines(case, "ead_earliest_filing").get().due_on,
        open_deadlines(case, "ead_earliest_grant").get().due_on,
    )


def test_clock_stops_push_the_ead_dates(i589_case, attorney):
    assert ead_dates(i589_case) == (date(2026, 7, 30), date(2026, 8, 29))
    ClockStop.objects.create(case=i589_case, stopped_on=date(2026, 4, 1), resumed_on=date(2026, 4, 11), reason="r")
    result = sync(i589_case)
    assert len(result.moved) == 2
    assert ead_dates(i589_case) == (date(2026, 8, 9), date(2026, 9, 8))  # 10 days later
    filing = open_deadlines(i589_case, "ead_earliest_filing").get()
    assert "150 days plus 10 days the clock was stopped" in filing.explanation


def test_a_stop_that_runs_past_the_plain_date_counts_in_full(i589_case):
    # 140 days run from 2 Mar to 20 Jul; stopped 20 Jul to 19 Aug (30 days); the remaining 10 (filing)
    # and 40 (grant) days run from 19 Aug: Sat 29 Aug and Mon 28 Sep 2026.
    ClockStop.objects.create(case=i589_case, stopped_on=date(2026, 7, 20), resumed_on=date(2026, 8, 19), reason="r")
    sync(i589_case)
    assert ead_dates(i589_case) == (date(2026, 8, 29), date(2026, 9, 28))


def test_a_stop_before_the_i589_was_received_does_not_count(i589_case):
    ClockStop.objects.create(case=i589_case, stopped_on=date(2026, 2, 1), resumed_on=date(2026, 3, 12), reason="r")
    sync(i589_case)
    # Only 2 Mar to 12 Mar (10 days) counts.
    assert ead_dates(i589_case) == (date(2026, 8, 9), date(2026, 9, 8))
    assert ds.stopped_days(i589_case, date(2026, 4, 1)) == 10


def test_an_open_stop_counts_up_to_today(i589_case):
    ClockStop.objects.create(case=i589_case, stopped_on=date(2026, 4, 1), reason="r")
    sync(i589_case, now=datetime(2026, 4, 11, 18, 0, tzinfo=ZoneInfo("UTC")))
    assert ead_dates(i589_case) == (date(2026, 8, 9), date(2026, 9, 8))
    clock = ds.ead_clock(i589_case, date(2026, 4, 11))
    assert (clock.elapsed, clock.stopped, clock.days, clock.running) == (40, 10, 30, False)


def test_clock_stop_services_recompute(i589_case, attorney):
    stop = ds.clock_stop_add(actor=attorney, case=i589_case, stopped_on=date(2026, 4, 1), reason="Rescheduled")
    ds.clock_stop_resume(actor=attorney, stop=stop, resumed_on=date(2026, 4, 11))
    assert ead_dates(i589_case) == (date(2026, 8, 9), date(2026, 9, 8))


EVENT_CODES = [
    ({"kind": CaseEvent.Kind.FILING_RECEIVED, "occurred_on": date(2026, 6, 4)}, {"filing_response": date(2026, 6, 15)}),
    ({"kind": CaseEvent.Kind.IJ_DECISION, "occurred_on": date(2026, 6, 4)}, {"bia_appeal": date(2026, 7, 6)}),
    (
        {"kind": CaseEvent.Kind.FINAL_ORDER, "occurred_on": date(2026, 6, 4)},
        {"motion_to_reopen": date(2026, 9, 2), "motion_to_reconsider": date(2026, 7, 6)},
    ),
    ({"kind": CaseEvent.Kind.BRIEFING_SCHEDULE, "occurred_on": date(2026, 12, 4)}, {"bia_brief": date(2026, 12, 28)}),
    (
        {"kind": CaseEvent.Kind.BIA_ORDER, "occurred_on": date(2026, 6, 4)},
        {
            "petition_for_review": date(2026, 7, 6),
            "motion_to_reopen": date(2026, 9, 2),
            "motion_to_reconsider": date(2026, 7, 6),
        },
    ),
    ({"kind": CaseEvent.Kind.FOIA_RECEIVED, "occurred_on": date(2026, 6, 4)}, {"foia_response": date(2026, 7, 6)}),
    (
        {"kind": CaseEvent.Kind.RFE_RECEIVED, "occurred_on": date(2026, 5, 1), "response_due_on": date(2026, 6, 13)},
        {"rfe_response": date(2026, 6, 15)},
    ),
]


@pytest.mark.parametrize(("data", "expected"), EVENT_CODES, ids=[row[0]["kind"] for row in EVENT_CODES])
def test_event_record_creates_the_rules_deadlines(bare_case, attorney, data, expected):
    event = ds.event_record(actor=attorney, case=bare_case, data=dict(data))
    found = {
        d.rule_version.rule.code: d.due_on for d in open_deadlines(bare_case).filter(trigger_key=f"event:{event.pk}")
    }
    assert found == expected
    assert set(CaseEvent.Kind.values) >= {row[0]["kind"] for row in EVENT_CODES}
    ds.event_remove(actor=attorney, event=event)
    assert not open_deadlines(bare_case).exists()
    assert Deadline.objects.filter(case=bare_case, status=Deadline.Status.WITHDRAWN).count() == len(expected)


def test_every_event_kind_is_covered():
    assert {row[0]["kind"] for row in EVENT_CODES} == set(CaseEvent.Kind.values)


def test_rfe_without_the_date_on_the_notice_is_refused(bare_case, attorney):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ds.event_record(
            actor=attorney, case=bare_case, data={"kind": CaseEvent.Kind.RFE_RECEIVED, "occurred_on": date(2026, 5, 1)}
        )


def test_sync_is_idempotent(bare_case, attorney):
    Case.objects.filter(pk=bare_case.pk).update(last_arrival_date=date(2025, 7, 4), i589_received_on=None)
    hearing(bare_case, date(2026, 6, 4))
    hearing(bare_case, date(2026, 8, 3), kind=Hearing.Kind.INDIVIDUAL)
    CaseEvent.objects.create(case=bare_case, kind=CaseEvent.Kind.BIA_ORDER, occurred_on=date(2026, 6, 4))
    first = sync(bare_case, actor=attorney)
    assert len(first.created) == 6  # one-year, master, merits, and the BIA order's three
    before = list(Deadline.objects.filter(case=bare_case).order_by("pk").values())
    audits = AuditEvent.objects.count()
    second = sync(bare_case, actor=attorney)
    assert (second.created, second.moved, second.withdrawn) == ([], [], [])
    assert list(Deadline.objects.filter(case=bare_case).order_by("pk").values()) == before
    assert AuditEvent.objects.count() == audits
