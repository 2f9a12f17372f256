"""The dashboard's counts (clinic/dashboard_counts.py): the page reads them, not the live records,
so they are as old as the last recount, which the page says; beat, a reassignment and the
"Count again now" button recount; a day later, deadlines that fell due since count as overdue."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseAssignment, Deadline, Hearing
from cases.reassign import cases_reassign
from clients.models import WalkIn
from clients.triage import latest_arrival_due_by, one_year_deadline
from clinic import dashboard as dashboard_selectors
from clinic.dashboard_counts import recount_dashboard
from clinic.models import DashboardCount, DashboardCounted, Membership
from clinic.tasks import recount_dashboards
from tests.clinic.test_dashboard import at_noon, board_of, make_case

Role = Membership.Role


def add_hearing(world, days_from_today: int) -> None:
    Hearing.objects.create(
        case=world.c1,
        kind=Hearing.Kind.MASTER,
        starts_at=at_noon(world.clinic, world.today + timedelta(days_from_today)),
    )


def test_figures_stay_as_counted_until_counted_again(as_user, world):
    _response, board = board_of(as_user, world.supervisor)
    assert board.hearings["next_7"] == 3
    add_hearing(world, 2)
    response, board = board_of(as_user, world.supervisor)
    assert board.hearings["next_7"] == 3  # as counted
    # The page says when it counted, and how to count again.
    html = response.content.decode()
    counted = DashboardCounted.objects.get(clinic=world.clinic)
    assert "data-counted-at=" in html
    assert f"as counted at {timezone.localtime(counted.counted_at, world.clinic.time_zone):%H:%M}" in html
    assert "Count again now" in html
    assert "just now" in html
    DashboardCounted.objects.filter(clinic=world.clinic).update(counted_at=counted.counted_at - timedelta(minutes=10))
    html = board_of(as_user, world.supervisor)[0].content.decode()
    assert "10\xa0minutes ago" in html

    response = as_user(world.supervisor).post(
        reverse("clinic:dashboard-recount"), {"query": "court=" + str(world.dallas.pk)}
    )
    assert response.status_code == 302
    assert response.url == reverse("clinic:dashboard") + f"?court={world.dallas.pk}"
    _response, board = board_of(as_user, world.supervisor)
    assert board.hearings["next_7"] == 4
    assert DashboardCounted.objects.get(clinic=world.clinic).counted_at > counted.counted_at


def test_counting_again_with_an_overlong_query_goes_back_to_the_dashboard_not_a_400(as_user, world):
    """Found by tests/property: a query longer than Django's 2,048 characters for a redirect answered 400."""
    response = as_user(world.supervisor).post(reverse("clinic:dashboard-recount"), {"query": "👨‍👩‍👧" * 300})
    assert response.status_code == 302
    assert response.url == reverse("clinic:dashboard")


def test_a_clinic_never_counted_is_counted_on_its_first_look(as_user, world):
    assert not DashboardCounted.objects.filter(clinic=world.clinic).exists()
    _response, board = board_of(as_user, world.supervisor)
    assert board.counted.clinic_id == world.clinic.pk
    assert DashboardCount.objects.filter(clinic=world.clinic).exists()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.CLINIC_ADMIN])
def test_only_supervisors_may_count_again(as_user, staff, role):
    response = as_user(staff[role]).post(reverse("clinic:dashboard-recount"))
    assert response.status_code == 403
    assert not DashboardCounted.objects.exists()


def test_counting_again_needs_a_post_and_a_signed_in_supervisor(client, as_user, staff):
    response = client.post(reverse("clinic:dashboard-recount"))
    assert response.status_code == 302
    assert reverse("login") in response.url
    assert as_user(staff[Role.SUPERVISOR]).get(reverse("clinic:dashboard-recount")).status_code == 405
    assert not DashboardCounted.objects.exists()


def test_a_supervisor_counts_only_their_own_clinic(as_user, world, outsiders, other_clinic):
    as_user(outsiders[Role.SUPERVISOR]).post(reverse("clinic:dashboard-recount"))
    assert DashboardCounted.objects.filter(clinic=other_clinic).exists()
    assert not DashboardCounted.objects.filter(clinic=world.clinic).exists()
    # And the other clinic's counts hold none of this clinic's records.
    assert not DashboardCount.objects.filter(clinic=world.clinic).exists()


def test_a_tampered_query_goes_back_to_the_dashboard_not_to_a_500(as_user, staff):
    response = as_user(staff[Role.SUPERVISOR]).post(
        reverse("clinic:dashboard-recount"), {"query": "court=1\r\nSet-Cookie: x=1&next=//evil.example"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("clinic:dashboard") + "?")
    assert "\n" not in response.url


def test_beat_recounts_every_clinic(world, outsiders):
    schedule = settings.CELERY_BEAT_SCHEDULE["dashboard-recount"]
    assert schedule["task"] == "clinic.tasks.recount_dashboards"
    assert schedule["schedule"] == timedelta(seconds=settings.DASHBOARD_RECOUNT_SECONDS)
    recount_dashboards.delay()
    assert DashboardCounted.objects.count() == 2


def test_a_reassignment_shows_on_the_caseload_at_once(as_user, world, django_capture_on_commit_callbacks):
    _response, board = board_of(as_user, world.supervisor)
    before = {row.user_id: row.open_cases for row in board.caseload}
    with django_capture_on_commit_callbacks(execute=True):
        cases_reassign(actor=world.supervisor, cases=[world.c1], to_attorney=world.attorney_b)
    _response, board = board_of(as_user, world.supervisor)
    after = {row.user_id: row.open_cases for row in board.caseload}
    assert after[world.attorney.pk] == before[world.attorney.pk] - 1
    assert after[world.attorney_b.pk] == before[world.attorney_b.pk] + 1


def test_deadlines_that_fall_due_after_the_count_are_overdue_the_next_days(world):
    recount_dashboard(world.clinic)
    counted_today = dashboard_selectors.dashboard(actor=world.supervisor, filters={}, today=world.today)
    three_days_on = dashboard_selectors.dashboard(
        actor=world.supervisor, filters={}, today=world.today + timedelta(days=3)
    )
    # Open deadlines due today, tomorrow or the day after, never an EAD date: overdue three days on.
    fell_due = sum(
        1
        for _case, offset, status, earliest in world.deadline_specs
        if status == "open" and 0 <= offset <= 2 and not earliest
    )
    assert fell_due > 0
    assert three_days_on.deadlines["overdue"] == counted_today.deadlines["overdue"] + fell_due
    attorney = {"attorney": world.attorney}
    mine_today = dashboard_selectors.dashboard(actor=world.supervisor, filters=attorney, today=world.today)
    mine_later = dashboard_selectors.dashboard(
        actor=world.supervisor, filters=attorney, today=world.today + timedelta(days=3)
    )
    mine_fell_due = sum(
        1
        for case, offset, status, earliest in world.deadline_specs
        if status == "open" and 0 <= offset <= 2 and not earliest and case in world.cases_of(world.attorney)
    )
    assert mine_later.deadlines["overdue"] == mine_today.deadlines["overdue"] + mine_fell_due
    row = {row.user_id: row for row in mine_later.caseload}[world.attorney.pk]
    assert row.overdue == mine_later.deadlines["overdue"]
    assert Deadline.objects.filter(case__clinic=world.clinic, status="open").exists()


def test_the_latest_arrival_due_by_a_day_matches_the_deadline_of_each_arrival():
    """latest_arrival_due_by turns "deadline within 90 days" into a comparison of arrivals: for
    every day of three years (weekends, holidays, leap days) it is the last arrival that fits."""
    day = date(2026, 1, 1)
    while day < date(2029, 1, 1):
        latest = latest_arrival_due_by(day)
        assert one_year_deadline(latest) <= day
        assert one_year_deadline(latest + timedelta(days=1)) > day
        day += timedelta(days=1)


def test_every_walk_in_status_is_either_open_or_closed():
    assert set(WalkIn.OPEN_STATUSES) | set(WalkIn.CLOSED_STATUSES) == set(WalkIn.Status)
    assert not set(WalkIn.OPEN_STATUSES) & set(WalkIn.CLOSED_STATUSES)


def test_counts_have_one_row_per_group_not_per_record(world):
    """What makes the page fast: many records of one day, person, court and status are one row."""
    for _ in range(5):
        make_case(world.clinic, court=world.dallas, team=[(world.attorney, CaseAssignment.Role.LEAD)])
    recount_dashboard(world.clinic)
    rows = DashboardCount.objects.filter(
        clinic=world.clinic,
        measure="cases",
        per_person=True,
        user=world.attorney,
        court=world.dallas,
        status="preparing",
    )
    assert rows.count() == 1
    assert rows.get().count >= 5


def test_a_recount_stands_when_the_cache_is_out_of_reach(world, settings):
    """`make run` seeds its demo (and counts) before its embedded Redis is up: the sums' head start
    is skipped, not the recount."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    counted = recount_dashboard(world.clinic)
    assert DashboardCounted.objects.get(clinic=world.clinic).counted_at == counted.counted_at
    assert DashboardCount.objects.filter(clinic=world.clinic).exists()
