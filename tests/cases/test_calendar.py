"""The calendar: month and week views of hearings and interviews, by their day in the court's zone,
"my hearings" or the clinic's, in a fixed number of queries."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import hearing_services, hearing_times, services
from cases.models import Case, Hearing, hearing_local_day
from clients import services as client_services
from clinic.models import Membership
from tests.cases.hearing_data import court, fall_back, schedule, spring_forward, summer_day, winter_day
from tests.factories import staff_member

Role = Membership.Role
URL = reverse("cases:calendar")


@pytest.fixture
def colleague(clinic):
    return staff_member(clinic, Role.ATTORNEY, username="la-attorney-colleague")


def open_case(lead, intake, given_names: str, court_code: str = "DAL") -> Case:
    client = client_services.client_create(actor=intake, data={"given_names": given_names, "paternal_surname": "Ochoa"})
    return services.case_open(
        actor=lead,
        client=client,
        data={"process": Case.Process.DEFENSIVE, "court": court(court_code)},
        lead_attorney=lead,
    )


@pytest.fixture
def colleague_case(colleague, intake_user):
    return open_case(colleague, intake_user, "Lucía")


def calendar(client, view="month", day=None, scope=None):
    params = {"view": view, "date": (day or winter_day()).isoformat()}
    if scope:
        params["scope"] = scope
    return client.get(URL, params)


def day_rows(response, day: date) -> list:
    """The hearings the page puts on `day`."""
    for week in response.context["page"].weeks:
        for cell in week:
            if cell.day == day:
                return [row.hearing for row in cell.rows]
    raise AssertionError(f"{day} is not on the page")


def all_hearings(response) -> set:
    return {row.hearing.pk for week in response.context["page"].weeks for cell in week for row in cell.rows}


# What a month and a week show


def test_the_month_shows_each_hearing_in_its_court_zone(as_user, attorney, case, principal):
    hearing = schedule(attorney, case, winter_day(), time(8, 30))
    response = calendar(as_user(attorney))
    assert response.status_code == 200
    assert day_rows(response, winter_day()) == [hearing]
    page = response.content.decode()
    assert "08:30 CST" in page
    assert f'href="{reverse("cases:hearings", args=[case.pk])}#hearing-{hearing.pk}">{case.number}</a>' in page
    assert principal.full_name in page
    assert len(response.context["page"].weeks) in (4, 5, 6)


def test_the_client_name_is_in_no_title_or_address(as_user, attorney, case, principal):
    schedule(attorney, case, winter_day())
    page = calendar(as_user(attorney)).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "Calendar" in title
    assert principal.given_names not in title
    for attribute in re.findall(r'(?:href|title|aria-label)="([^"]*)"', page):
        assert "Castañeda" not in attribute
        assert "Javier" not in attribute


def test_the_week_has_seven_days_starting_on_sunday_in_english(as_user, attorney, case):
    schedule(attorney, case, winter_day(), time(9, 0), judge="Hon. R. Alvarado")
    response = calendar(as_user(attorney), view="week")
    days = [cell.day for cell in response.context["page"].weeks[0]]
    assert len(days) == 7
    assert days[0].weekday() == 6
    assert winter_day() in days
    page = response.content.decode()
    assert page.count('<td class="') == 7
    assert "Dallas" in page
    assert "Hon. R. Alvarado" in page


def test_a_hearing_is_on_its_day_at_the_court_not_in_utc_or_at_the_clinic(as_user, attorney, intake_user, case):
    day = winter_day()
    saipan = open_case(attorney, intake_user, "Mateo", "SAI")
    late_in_dallas = schedule(attorney, case, day, time(23, 30))  # 05:30 UTC the next day
    early_in_saipan = schedule(attorney, saipan, day, time(8, 0))  # 15:00 the day before in El Paso
    response = calendar(as_user(attorney))
    assert day_rows(response, day) == [early_in_saipan, late_in_dallas]
    assert day_rows(response, day + timedelta(days=1)) == []
    assert day_rows(response, day - timedelta(days=1)) == []
    assert "08:00 ChST" in response.content.decode()


def test_the_database_puts_each_hearing_on_the_day_python_does(case):
    """The month counts and ranks hearings by their day worked out in SQL; each entry goes on the
    day worked out in Python. Every half hour of two days around midnight, in winter, in summer and
    across both changes of the clocks, in zones on either side of the date line."""
    zones = ["America/Chicago", "America/Los_Angeles", "America/Phoenix", "Pacific/Honolulu", "Pacific/Guam"]
    starts = [
        datetime.combine(day, time(0), tzinfo=UTC) + timedelta(minutes=30 * step)
        for day in (winter_day(), summer_day(), spring_forward(), fall_back())
        for step in range(-48, 48)
    ]
    Hearing.objects.bulk_create(
        Hearing(case=case, kind=Hearing.Kind.INTERVIEW, time_zone=zone, starts_at=start)
        for zone in zones
        for start in starts
    )
    days = Hearing.objects.filter(case=case).annotate(day=hearing_local_day())
    assert days.count() == len(zones) * len(starts)
    for hearing in days:
        assert hearing.day == hearing_times.local_day(hearing.starts_at, hearing.time_zone), hearing.starts_at


def test_late_hearings_in_chicago_and_los_angeles_are_on_their_own_days(as_user, attorney, intake_user):
    """Chicago at 23:30 and Los Angeles at 23:30 are both past midnight in UTC, in an order that is
    not the order of their days; the month puts each on its day, the night the clocks go back too."""
    chicago = open_case(attorney, intake_user, "Mateo", "CHI")
    los_angeles = open_case(attorney, intake_user, "Iris", "NLA")
    for day in (winter_day(), fall_back()):
        late = [schedule(attorney, chicago, day, time(23, 30)), schedule(attorney, los_angeles, day, time(23, 30))]
        next_day = day + timedelta(days=1)
        early = [
            schedule(attorney, chicago, next_day, time(0, 30)),
            schedule(attorney, los_angeles, next_day, time(0, 30)),
        ]
        response = calendar(as_user(attorney), day=day)
        assert day_rows(response, day) == late
        assert day_rows(response, next_day) == early
        assert (day_cell(response, day).total, day_cell(response, next_day).total) == (2, 2)


def test_the_week_holds_the_edges_of_its_days_in_every_zone(as_user, attorney, intake_user):
    sunday = winter_day() - timedelta(days=(winter_day().weekday() + 1) % 7)
    saipan = open_case(attorney, intake_user, "Mateo", "SAI")
    honolulu = open_case(attorney, intake_user, "Iris", "HON")
    first = schedule(attorney, saipan, sunday, time(0, 30))
    last = schedule(attorney, honolulu, sunday + timedelta(days=6), time(23, 0))
    outside = schedule(attorney, honolulu, sunday + timedelta(days=7), time(0, 30))
    response = calendar(as_user(attorney), view="week", day=sunday)
    assert all_hearings(response) == {first.pk, last.pk}
    assert outside.pk not in all_hearings(response)


def day_cell(response, day: date):
    return next(cell for week in response.context["page"].weeks for cell in week if cell.day == day)


def test_a_busy_day_shows_three_and_how_many_more(as_user, attorney, case):
    for hour in range(8, 13):
        schedule(attorney, case, winter_day(), time(hour, 0))
    month = calendar(as_user(attorney))
    page = month.content.decode()
    assert "+2 more" in page
    assert f"?view=week&amp;date={winter_day().isoformat()}" in page
    cell = day_cell(month, winter_day())
    assert ([row.clock for row in cell.rows], cell.more) == (["08:00 CST", "09:00 CST", "10:00 CST"], 2)
    assert page.count('class="cal-entry') == 3
    assert "5 hearings and interviews" in page
    week = calendar(as_user(attorney), view="week")
    assert "more" not in re.sub(r"<[^>]+>", "", week.content.decode()).split("Calendar", 1)[1].split("Each hearing")[0]
    assert len(day_rows(week, winter_day())) == 5


def test_a_busy_day_lists_first_the_earliest_whatever_their_zone(as_user, attorney, intake_user, case):
    """A month lists the first three of a day as the week lists them: by the moment they start, so
    08:30 in Los Angeles (10:30 in Dallas) comes after 10:00 in Dallas."""
    day = winter_day()
    chicago = open_case(attorney, intake_user, "Mateo", "CHI")
    schedule(attorney, case, day, time(11, 0))
    schedule(attorney, chicago, day, time(8, 30), kind="interview", court=None, time_zone="America/Los_Angeles")
    schedule(attorney, case, day, time(9, 0))
    schedule(attorney, chicago, day, time(7, 45))
    schedule(attorney, case, day, time(10, 0))
    month = day_cell(calendar(as_user(attorney)), day)
    week = day_rows(calendar(as_user(attorney), view="week"), day)
    assert [row.clock for row in month.rows] == ["07:45 CST", "09:00 CST", "10:00 CST"]
    assert [row.hearing for row in month.rows] == week[:3]
    assert (month.total, month.more) == (5, 2)


def test_the_count_is_of_the_month_not_of_the_days_around_it(as_user, attorney, case):
    """July never fills whole weeks: the page shows days of June or August, and their hearings, but
    counts only July's."""
    response = calendar(as_user(attorney), day=summer_day())
    page = response.context["page"]
    spill = page.last_day if page.last_day.month != summer_day().month else page.first_day
    for clock in (time(8, 0), time(9, 0), time(10, 0), time(11, 0)):
        schedule(attorney, case, spill, clock)
    schedule(attorney, case, summer_day())
    response = calendar(as_user(attorney), day=summer_day())
    assert (len(day_cell(response, spill).rows), day_cell(response, spill).more) == (3, 1)
    assert response.context["page"].count == 1
    assert "1 hearing or interview" in response.content.decode()


def test_a_cancelled_hearing_is_struck_through(as_user, attorney, case):
    hearing = schedule(attorney, case, winter_day())
    hearing_services.hearing_record_result(actor=attorney, hearing=hearing, result="cancelled")
    assert "cal-entry kind-master cal-cancelled" in calendar(as_user(attorney)).content.decode()


# Moving around


def test_it_moves_by_month_and_by_week(as_user, attorney):
    client = as_user(attorney)
    month = calendar(client, day=date(2027, 2, 17)).context["page"]
    assert (month.previous, month.next) == (date(2027, 1, 1), date(2027, 3, 1))
    week = calendar(client, view="week", day=date(2027, 2, 17)).context["page"]
    assert (week.first_day, week.previous, week.next) == (date(2027, 2, 14), date(2027, 2, 7), date(2027, 2, 21))
    page = calendar(client, view="week", day=date(2027, 2, 17)).content.decode()
    assert 'href="?view=week&amp;date=2027-02-07&amp;scope=mine" rel="prev"' in page


def test_today_is_highlighted(as_user, attorney, clinic):
    response = as_user(attorney).get(URL)
    today = timezone.localdate(timezone=clinic.time_zone)  # the clinic's today, not UTC's
    assert response.context["page"].anchor == today
    assert f'aria-current="date" data-day="{today.isoformat()}"' in response.content.decode()
    assert [cell.day for week in response.context["page"].weeks for cell in week if cell.is_today] == [today]


@pytest.mark.parametrize(
    "params",
    [{"date": "tomorrow"}, {"date": "2027-02-30"}, {"date": "0001-01-01"}, {"date": "9999-12-31"}, {"date": "1-2-3"}],
)
def test_a_bad_date_shows_today_with_a_message(as_user, attorney, clinic, params):
    response = as_user(attorney).get(URL, params)
    assert response.status_code == 200
    assert response.context["page"].anchor == timezone.localdate(timezone=clinic.time_zone)
    assert "That date could not be read" in response.content.decode()


def test_an_unknown_view_or_scope_falls_back(as_user, attorney):
    response = as_user(attorney).get(URL, {"view": "year", "scope": "everyone"})
    assert (response.status_code, response.context["view"], response.context["scope"]) == (200, "month", "mine")


# Whose hearings


@pytest.fixture
def three_hearings(attorney, colleague, case, colleague_case, other_case, outsiders):
    """One hearing on the attorney's case, one on a colleague's, one in the other clinic."""
    mine = schedule(attorney, case, winter_day(), time(8, 30))
    theirs = schedule(colleague, colleague_case, winter_day(), time(10, 0))
    foreign_attorney = outsiders[Role.ATTORNEY]
    foreign = schedule(
        foreign_attorney,
        other_case,
        winter_day(),
        time(9, 0),
        kind="interview",
        court=None,
        time_zone="America/Chicago",
    )
    return mine, theirs, foreign


def test_an_attorney_sees_their_own_hearings_first(as_user, attorney, three_hearings):
    mine, _theirs, _foreign = three_hearings
    response = calendar(as_user(attorney))
    assert response.context["scope"] == "mine"
    assert all_hearings(response) == {mine.pk}
    # Without the clinic's leave to read colleagues' cases, "the clinic's" is still only theirs.
    assert all_hearings(calendar(as_user(attorney), scope="clinic")) == {mine.pk}


def test_an_attorney_sees_colleagues_hearings_when_the_clinic_allows(as_user, attorney, clinic, three_hearings):
    mine, theirs, _foreign = three_hearings
    clinic.attorneys_read_all_cases = True
    clinic.save(update_fields=["attorneys_read_all_cases"])
    assert all_hearings(calendar(as_user(attorney), scope="clinic")) == {mine.pk, theirs.pk}
    assert all_hearings(calendar(as_user(attorney), scope="mine")) == {mine.pk}


@pytest.mark.parametrize("role", [Role.INTAKE, Role.SUPERVISOR])
def test_intake_and_supervisors_see_the_clinics_hearings(as_user, staff, three_hearings, role):
    mine, theirs, _foreign = three_hearings
    response = calendar(as_user(staff[role]))
    assert response.context["scope"] == "clinic"
    assert all_hearings(response) == {mine.pk, theirs.pk}
    assert all_hearings(calendar(as_user(staff[role]), scope="mine")) == set()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR])
def test_another_clinic_sees_only_its_own(as_user, outsiders, three_hearings, role):
    _mine, _theirs, foreign = three_hearings
    assert all_hearings(calendar(as_user(outsiders[role]), scope="clinic")) == {foreign.pk}


def test_clinic_admins_are_refused(as_user, clinic_admin, three_hearings):
    assert as_user(clinic_admin).get(URL).status_code == 403


def test_the_navigation_has_the_calendar_for_case_roles_only(as_user, staff):
    for role in (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR):
        page = as_user(staff[role]).get(URL).content.decode()
        assert re.search(r'class="nav-link text-nowrap active" href="/cases/calendar/" aria-current="page"', page)
    admin_page = as_user(staff[Role.CLINIC_ADMIN]).get(reverse("clinic:staff-list")).content.decode()
    assert 'href="/cases/calendar/"' not in admin_page


# Queries


def hearing_queries(client, **params) -> list[str]:
    """The queries of hearings a calendar page runs. What the middleware reads for every page (the
    session, the user, the membership...) is not the calendar's and is left out."""
    with CaptureQueriesContext(connection) as context:
        calendar(client, **params)
    return [query["sql"] for query in context.captured_queries if '"cases_hearing"' in query["sql"]]


def test_the_calendar_runs_a_fixed_number_of_queries(
    as_user, attorney, supervisor, intake_user, case, colleague_case, colleague
):
    client = as_user(supervisor)
    client.get(URL)  # the first request of a session records its activity (a session write)
    # A month: 1 each day's count and first three hearings' ids (none: no second query).
    assert len(hearing_queries(client)) == 1
    schedule(attorney, case, winter_day())
    # ...and 2 those hearings with their case, client and court, still in the visible cases.
    assert len(hearing_queries(client)) == 2
    with CaptureQueriesContext(connection) as one:
        calendar(client)
    for day in range(1, 28):
        lead, target = (attorney, case) if day % 2 else (colleague, colleague_case)
        for hour in range(8, 8 + day % 6):
            schedule(lead, target, winter_day().replace(day=day), time(hour, 15))
    saipan = open_case(attorney, intake_user, "Mateo", "SAI")
    schedule(attorney, saipan, winter_day(), time(7, 0), kind="custody")
    with CaptureQueriesContext(connection) as many:
        response = calendar(client)
    assert len(many) == len(one)
    assert response.context["page"].count == sum(day % 6 for day in range(1, 28)) + 2
    # A week: 1 every hearing of the week with its case, client and court.
    assert len(hearing_queries(client, view="week")) == 1
