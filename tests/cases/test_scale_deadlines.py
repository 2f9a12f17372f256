"""The deadlines of the scale data set (cases.scale_deadlines, loaded by `manage.py seed_scale`):
realistic, deterministic for a seed, and never loaded twice."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from cases.models import Case, Deadline, Hearing
from cases.scale import seed_cases
from cases.scale_deadlines import next_reminder_on, seed_deadlines
from clients.models import Client
from clients.scale import seed_scale

TODAY = date(2026, 11, 28)


def load(seed: int, clients: int = 60):
    main = seed_scale(clients=clients, seed=seed)["main"]
    seed_cases(clinic=main, seed=seed, today=TODAY)
    return main


def deadlines_of(clinic) -> list[tuple]:
    return list(
        Deadline.objects.filter(case__clinic=clinic)
        .order_by("case__number", "due_on", "title", "trigger_key")
        .values_list(
            "case__number", "title", "due_on", "status", "trigger_key", "rule_version_id", "explanation",
            "next_reminder_on", "finished_at", "judge_ordered", "case__i589_received_on",
        )
    )  # fmt: skip


def test_the_same_seed_gives_the_same_deadlines_and_another_seed_others(db):
    main = load(seed=4)
    count = seed_deadlines(clinic=main, seed=4, today=TODAY)
    first = deadlines_of(main)
    assert count == len(first) > 0
    Deadline.objects.all().delete()
    seed_deadlines(clinic=main, seed=4, today=TODAY)
    assert deadlines_of(main) == first
    Deadline.objects.all().delete()
    seed_deadlines(clinic=main, seed=5, today=TODAY)
    assert deadlines_of(main) != first


def test_they_are_what_the_engine_and_the_staff_would_have_made(db):
    main = load(seed=6, clients=120)
    seed_deadlines(clinic=main, seed=6, today=TODAY)
    cases = Case.objects.filter(clinic=main)
    deadlines = Deadline.objects.filter(case__clinic=main)
    assert 8 <= deadlines.count() / cases.count() <= 11.5
    # One filing deadline per master hearing off a detained docket, explained and cited.
    masters = Hearing.objects.filter(case__clinic=main, kind="master", case__court__detained=False)
    filings = deadlines.filter(rule_version__rule__code="master_hearing_filing")
    assert filings.count() == masters.count() > 0
    assert set(filings.values_list("trigger_key", flat=True)) == {
        f"hearing:{pk}" for pk in masters.values_list("pk", flat=True)
    }
    assert all(
        d.citation == "ICPM 3.1(b)(1)" and "before the master calendar hearing" in d.explanation for d in filings
    )
    assert deadlines.filter(rule_version__rule__code="merits_hearing_filing").exists()
    assert deadlines.filter(rule_version__rule__code="one_year_filing", trigger_key="case:arrival").exists()
    assert deadlines.filter(rule_version=None, trigger_key="").count() > deadlines.count() / 3  # by hand
    # Most I-589s are filed: the one-year deadline is met and the EAD dates start from the receipt.
    filed = cases.exclude(i589_received_on=None)
    assert 0.6 <= filed.count() / cases.count() <= 0.95
    assert not deadlines.filter(case__in=filed, trigger_key="case:arrival").exclude(status="done").exists()
    missed = deadlines.filter(trigger_key="case:arrival", due_on__lt=TODAY, case__i589_received_on=None)
    assert not missed.exclude(case__status="closed").exclude(status__in=("open", "waived")).exists()
    assert deadlines.filter(rule_version__rule__code="ead_earliest_filing", trigger_key="case:i589").count() == (
        filed.count()
    )
    # Past: mostly done, some still open (overdue); future: mostly open. Closed cases: none open.
    running = deadlines.exclude(case__status="closed")
    past, future = running.filter(due_on__lt=TODAY), running.filter(due_on__gte=TODAY)
    assert past.filter(status="done").count() / past.count() > 0.7
    assert past.filter(status="open").exists()
    assert future.filter(status="open").count() / future.count() > 0.8
    assert not deadlines.filter(status="open", case__status="closed").exists()
    assert not deadlines.exclude(status="open").exclude(next_reminder_on=None).exists()
    assert not deadlines.filter(status="open", due_on__gte=TODAY, next_reminder_on=None).exists()
    assert not deadlines.filter(status="open", next_reminder_on__lt=TODAY).exists()
    # The unique constraint holds: one open computed deadline per rule and trigger.
    repeated = (
        deadlines.filter(status="open")
        .exclude(trigger_key="")
        .values("case", "rule_version", "trigger_key")
        .annotate(n=Count("id"))
    )
    assert not repeated.filter(n__gt=1).exists()


def test_reminders_of_open_deadlines_follow_the_plan():
    # First stage still ahead: what the services set when the deadline is made.
    assert next_reminder_on(TODAY + timedelta(days=30), (21, 15, 7, 1), TODAY) == TODAY + timedelta(days=9)
    # Stages passed: the next one from today on.
    assert next_reminder_on(TODAY + timedelta(days=10), (21, 15, 7, 1), TODAY) == TODAY + timedelta(days=3)
    # Overdue since yesterday: escalated today; long overdue: nothing left.
    assert next_reminder_on(TODAY - timedelta(days=1), (7, 1), TODAY) == TODAY
    assert next_reminder_on(TODAY - timedelta(days=20), (7, 1), TODAY) is None


def test_the_command_loads_only_missing_deadlines_and_never_twice(db):
    call_command("seed_scale", "--clients", "30", "--seed", "2", stdout=StringIO())
    cases, clients, deadlines = Case.objects.count(), Client.objects.count(), deadlines_of_all()
    assert len(deadlines) > cases * 5 > 0
    # A data set loaded before deadlines existed: the next run adds them, nothing else.
    Deadline.objects.all().delete()
    out = StringIO()
    call_command("seed_scale", "--clients", "30", "--seed", "2", stdout=out)
    assert (Case.objects.count(), Client.objects.count()) == (cases, clients)
    assert deadlines_of_all() == deadlines
    assert "deadlines" in out.getvalue()
    with pytest.raises(CommandError, match="already loaded"):
        call_command("seed_scale", "--clients", "30", "--seed", "2", stdout=StringIO())
    assert deadlines_of_all() == deadlines


def deadlines_of_all() -> list[tuple]:
    return list(
        Deadline.objects.order_by("case__number", "case__clinic__slug", "due_on", "title", "trigger_key").values_list(
            "case__clinic__slug", "case__number", "title", "due_on", "status", "trigger_key", "next_reminder_on"
        )
    )


def test_decided_cases_carry_decisions_mostly_denials(db):
    from cases.models import ReliefApplication

    main = load(seed=7, clients=200)
    relief = ReliefApplication.objects.filter(case__clinic=main)
    decided = relief.filter(case__status__in=["decided", "on_appeal", "closed"])
    assert decided.exists()
    assert not decided.filter(decision="").exists()
    assert not decided.filter(decided_on=None).exists()
    assert not decided.filter(decided_on__gt=TODAY).exists()
    assert not relief.exclude(case__status__in=["decided", "on_appeal", "closed"]).exclude(decision="").exists()
    asylum = decided.filter(kind="asylum")
    assert asylum.filter(decision="denied").count() > asylum.filter(decision="granted").count() > 0
