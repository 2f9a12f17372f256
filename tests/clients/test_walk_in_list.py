"""The walk-in list: the walk-ins behind one figure of the dashboard's walk-in chart."""

from datetime import date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from clients import selectors
from clients.access import CLIENT_ROLES
from clients.links import walk_in_list_url
from clients.models import WalkIn
from clinic.models import AuditEvent, Membership
from tests.factories import ClientFactory, WalkInFactory

Role = Membership.Role
Status = WalkIn.Status
DENVER = ZoneInfo("America/Denver")  # the `clinic` fixture's time zone
URL = reverse("clients:walk-in-list")
# Monday 2 Nov to Sunday 8 Nov 2026 (the day after US daylight saving time ends).
MONDAY, SUNDAY = date(2026, 11, 2), date(2026, 11, 8)


def at(day: date, hour: int, minute: int = 0, tz=DENVER) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def walk_in(clinic, arrived_at: datetime, status: str = Status.WAITING, **fields) -> WalkIn:
    if status == Status.ACCEPTED:
        fields["client"] = ClientFactory(clinic=clinic)
    return WalkInFactory(clinic=clinic, arrived_at=arrived_at, status=status, **fields)


def listed(response) -> list[WalkIn]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def this_week() -> tuple[date, date]:
    today = timezone.localtime(timezone.now(), DENVER).date()
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


@pytest.fixture
def week_of_walk_ins(clinic):
    """The week's edges in clinic time, with one walk-in just outside each."""
    return {
        "before": walk_in(clinic, at(MONDAY - timedelta(days=1), 23, 30)),
        "monday": walk_in(clinic, at(MONDAY, 0, 10)),
        "wednesday": walk_in(clinic, at(MONDAY + timedelta(days=2), 12)),
        "sunday_night": walk_in(clinic, at(SUNDAY, 23, 30)),
        "after": walk_in(clinic, at(SUNDAY + timedelta(days=1), 0, 10)),
    }


def test_it_lists_the_week_of_any_day_in_clinic_time_earliest_first(as_user, intake_user, week_of_walk_ins):
    page = as_user(intake_user).get(URL, {"week": "2026-11-04"})
    expected = [week_of_walk_ins[key] for key in ("monday", "wednesday", "sunday_night")]
    assert listed(page) == expected
    assert (page.context["first"], page.context["last"]) == (MONDAY, SUNDAY)
    content = page.content.decode()
    assert "Walk-ins, week of 2 Nov 2026" in content
    assert "Sun 8 Nov 2026, 23:30" in content
    assert reverse("clients:walk-in-detail", args=[week_of_walk_ins["monday"].pk]) in content


def test_the_next_week_starts_at_midnight_on_monday_clinic_time(as_user, intake_user, week_of_walk_ins):
    page = as_user(intake_user).get(URL, {"week": (SUNDAY + timedelta(days=1)).isoformat()})
    assert listed(page) == [week_of_walk_ins["after"]]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("accepted", {Status.ACCEPTED}),
        ("referred", {Status.REFERRED_OUT}),
        ("declined", {Status.DECLINED}),
        ("no_show", {Status.NO_SHOW}),
        ("open", {Status.WAITING, Status.SCREENED, Status.CONSULTATION_BOOKED}),
        ("", set(Status.values)),
    ],
)
def test_it_lists_one_status_or_the_open_ones_or_all(as_user, supervisor, clinic, status, expected):
    for hour, value in enumerate(Status.values, start=8):
        walk_in(clinic, at(MONDAY + timedelta(days=1), hour), value)
    walk_in(clinic, at(SUNDAY + timedelta(days=1), 9), Status.ACCEPTED)  # next week
    page = as_user(supervisor).get(URL, {"week": MONDAY.isoformat(), "status": status})
    rows = listed(page)
    assert sorted(row.status for row in rows) == sorted(expected)
    assert page.context["status"] == status


def test_the_accepted_show_a_link_to_their_client(as_user, attorney, clinic):
    accepted = walk_in(clinic, at(MONDAY, 10), Status.ACCEPTED)
    page = as_user(attorney).get(URL, {"week": MONDAY.isoformat(), "status": "accepted"})
    assert reverse("clients:client-detail", args=[accepted.client_id]) in page.content.decode()


def test_it_lists_a_range_of_days_both_included(as_user, intake_user, week_of_walk_ins):
    page = as_user(intake_user).get(URL, {"date_from": "2026-11-01", "date_to": "2026-11-04"})
    assert listed(page) == [week_of_walk_ins[key] for key in ("before", "monday", "wednesday")]
    assert "Walk-ins from 1 Nov 2026 to 4 Nov 2026" in page.content.decode()


def test_without_dates_it_lists_this_week(as_user, intake_user, clinic):
    first, last = this_week()
    now = timezone.now()
    recent = walk_in(clinic, now)
    walk_in(clinic, now - timedelta(days=8))
    page = as_user(intake_user).get(URL)
    assert (page.context["first"], page.context["last"]) == (first, last)
    assert listed(page) == [recent]


@pytest.mark.parametrize("role", list(Role))
def test_the_walk_in_roles_may_see_it_and_no_one_else(as_user, staff, role):
    status = as_user(staff[role]).get(URL).status_code
    assert status == (200 if role in CLIENT_ROLES else 403)


def test_a_clinic_admin_gets_nothing_from_the_selector(clinic_admin):
    with pytest.raises(PermissionDenied):
        selectors.walk_ins_in_period(actor=clinic_admin, first=MONDAY, last=SUNDAY, status="")


@pytest.mark.parametrize("role", sorted(CLIENT_ROLES))
def test_another_clinic_sees_only_its_own_walk_ins(as_user, outsiders, other_clinic, week_of_walk_ins, role):
    theirs = walk_in(other_clinic, at(MONDAY, 12, tz=ZoneInfo("America/Chicago")))
    for status in ("", "open"):
        page = as_user(outsiders[role]).get(URL, {"week": MONDAY.isoformat(), "status": status})
        assert listed(page) == [theirs]


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(URL, {"week": MONDAY.isoformat()})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"week": "not a date"}, "week"),
        ({"week": "2026-02-30"}, "week"),
        ({"week": "0202-11-02"}, "week"),
        ({"week": "2101-01-03"}, "week"),
        ({"date_from": "1989-12-31", "date_to": "1990-01-02"}, "date_from"),
        ({"date_from": "2026-11-08", "date_to": "2026-11-02"}, "date_to"),
        ({"date_from": "2025-01-01", "date_to": "2026-01-02"}, "date_to"),
        ({"date_from": "2026-11-02"}, "date_to"),
        ({"date_to": "2026-11-02"}, "date_from"),
        ({"week": MONDAY.isoformat(), "status": "lost"}, "status"),
        ({"week": MONDAY.isoformat(), "status": "waiting"}, "status"),
    ],
)
def test_bad_input_shows_this_week_of_every_status_and_says_why(as_user, intake_user, clinic, params, field):
    recent = walk_in(clinic, timezone.now(), Status.DECLINED)
    walk_in(clinic, at(MONDAY, 12))
    page = as_user(intake_user).get(URL, params)
    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert (page.context["first"], page.context["last"], page.context["status"]) == (*this_week(), "")
    assert listed(page) == [recent]
    assert 'role="alert"' in page.content.decode()


def test_a_full_year_of_366_days_is_allowed(as_user, intake_user):
    page = as_user(intake_user).get(URL, {"date_from": "2028-01-01", "date_to": "2028-12-31"})
    assert not page.context["form"].errors
    assert (page.context["first"], page.context["last"]) == (date(2028, 1, 1), date(2028, 12, 31))


@pytest.mark.parametrize("count", [5, 30])
def test_the_page_runs_a_fixed_number_of_queries(as_user, intake_user, clinic, count, django_assert_num_queries):
    for n in range(count):
        walk_in(clinic, at(MONDAY, 8) + timedelta(minutes=n), Status.ACCEPTED if n % 3 == 0 else Status.WAITING)
    client = as_user(intake_user)
    # User with membership and clinic (the session comes from the cache), count of the rows, the
    # page of rows; then the session's new expiry (a savepoint, the update, its release).
    with django_assert_num_queries(6):
        page = client.get(URL, {"week": MONDAY.isoformat()})
    assert len(listed(page)) == count


def test_pages_of_fifty_keep_the_filters(as_user, intake_user, clinic):
    for n in range(53):
        walk_in(clinic, at(MONDAY, 8) + timedelta(minutes=n), Status.SCREENED)
    walk_in(clinic, at(MONDAY, 7), Status.DECLINED)
    client = as_user(intake_user)
    first_page = client.get(URL, {"week": "2026-11-05", "status": "open"})
    assert len(listed(first_page)) == 50
    next_link = f"{walk_in_list_url(first=MONDAY, last=SUNDAY, status='open')}&page=2"
    assert next_link.replace("&", "&amp;") in first_page.content.decode()
    second_page = client.get(next_link)
    assert [row.arrived_at for row in listed(second_page)] == [
        at(MONDAY, 8) + timedelta(minutes=n) for n in range(50, 53)
    ]


def test_a_range_keeps_its_dates_in_the_page_links(as_user, intake_user, clinic):
    for n in range(51):
        walk_in(clinic, at(MONDAY + timedelta(days=2), 8) + timedelta(minutes=n))
    page = as_user(intake_user).get(URL, {"date_from": "2026-11-04", "date_to": "2026-11-06"})
    assert "?date_from=2026-11-04&amp;date_to=2026-11-06&amp;page=2" in page.content.decode()


def test_reading_the_list_writes_no_audit_event(as_user, intake_user, week_of_walk_ins):
    # As the client list and the intake desk: only a record's own page is audited.
    client = as_user(intake_user)
    before = AuditEvent.objects.count()
    client.get(URL, {"week": MONDAY.isoformat()})
    assert AuditEvent.objects.count() == before


def test_the_link_is_a_week_for_a_whole_monday_to_sunday_week():
    assert walk_in_list_url(first=MONDAY, last=SUNDAY) == f"{URL}?week=2026-11-02"
    assert walk_in_list_url(first=MONDAY, last=SUNDAY, status="open") == f"{URL}?week=2026-11-02&status=open"


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 11, 4), SUNDAY),  # the chart starts mid-week
        (MONDAY, date(2026, 11, 5)),  # the chart ends today
        (date(2026, 11, 3), date(2026, 11, 9)),  # seven days, not Monday to Sunday
    ],
)
def test_the_link_is_a_range_for_anything_else(first, last):
    query = parse_qs(urlsplit(walk_in_list_url(first=first, last=last, status="no_show")).query)
    assert query == {"date_from": [first.isoformat()], "date_to": [last.isoformat()], "status": ["no_show"]}


@pytest.mark.parametrize(
    ("first", "last", "status"),
    [(MONDAY, SUNDAY, "referred"), (date(2026, 11, 4), SUNDAY, "open"), (MONDAY, date(2026, 11, 3), "")],
)
def test_the_link_opens_exactly_those_days(as_user, supervisor, first, last, status):
    page = as_user(supervisor).get(walk_in_list_url(first=first, last=last, status=status))
    assert not page.context["form"].errors
    assert (page.context["first"], page.context["last"], page.context["status"]) == (first, last, status)


def test_the_selector_refuses_an_unknown_status(intake_user):
    with pytest.raises(ValueError, match="Unknown walk-in status"):
        selectors.walk_ins_in_period(actor=intake_user, first=MONDAY, last=SUNDAY, status="waiting")
