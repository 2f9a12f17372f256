"""The supervisor dashboard: every figure checked against a count worked out here in Python over
the records the test created (never the dashboard's own SQL), tenancy, roles, filters, and a fixed
number of queries whatever the size of the clinic."""

import re
from datetime import date, datetime, time, timedelta
from html.parser import HTMLParser
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cases.deadline_rules import Trigger
from cases.models import (
    Case,
    CaseAssignment,
    Court,
    Deadline,
    DeadlineRuleVersion,
    Digest,
    Hearing,
    ReliefApplication,
    Reminder,
)
from clients.triage import one_year_deadline
from clinic import dashboard as dashboard_selectors
from clinic.dashboard import TABLE_KEYS, dashboard_tables, fiscal_year
from clinic.dashboard_counts import recount_dashboard
from clinic.models import Membership
from clinic.tables import Table
from tests.factories import ClientFactory, WalkInFactory, staff_member

Role = Membership.Role
SEQUENCE = count(1)

GRANTED = {"granted", "conditional"}
DENIED = {"denied"}
OTHER = {"withdrawn", "abandoned", "not_adjudicated", "other"}


def local_today(clinic) -> date:
    return timezone.localtime(timezone.now(), clinic.time_zone).date()


def at_noon(clinic, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)), clinic.time_zone)


def make_case(clinic, *, status="preparing", process=Case.Process.DEFENSIVE, court=None, team=(), **fields):
    """A case straight through the ORM; `team` is [(user, role)]."""
    sequence = next(SEQUENCE)
    client = fields.pop("client", None) or ClientFactory(
        clinic=clinic, last_entry_date=fields.pop("arrival", None), given_names=f"Client {sequence}"
    )
    case = Case.objects.create(
        clinic=clinic,
        number=f"T-{clinic.pk}-{sequence:05d}",
        year=2026,
        sequence=sequence,
        client=client,
        process=process,
        court=court,
        status=status,
        opened_on=date(2024, 1, 1),
        **fields,
    )
    for user, role in team:
        CaseAssignment.objects.create(case=case, user=user, role=role)
    return case


class World:
    """The known data set, and the expected figures worked out from it in plain Python."""

    def __init__(self, clinic, staff, other_clinic, outsiders):
        self.clinic = clinic
        self.today = today = local_today(clinic)
        self.attorney = staff[Role.ATTORNEY]
        self.supervisor = staff[Role.SUPERVISOR]
        self.attorney_b = staff_member(clinic, Role.ATTORNEY, username="la-attorney-b", last_name="Zamora")
        self.dallas = Court.objects.get(code="DAL")
        self.el_paso = Court.objects.get(code="ELP")
        lead, team = CaseAssignment.Role.LEAD, CaseAssignment.Role.TEAM
        a, b = self.attorney, self.attorney_b

        self.c1 = make_case(clinic, court=self.dallas, team=[(a, lead)], arrival=today - timedelta(days=300))
        self.c2 = make_case(
            clinic,
            status="filed",
            court=self.el_paso,
            team=[(a, lead), (b, team)],
            arrival=today - timedelta(days=340),
            i589_received_on=today - timedelta(days=20),
        )
        self.c3 = make_case(
            clinic,
            status="awaiting",
            process=Case.Process.AFFIRMATIVE,
            team=[(b, lead)],
            arrival=today - timedelta(days=100),
        )
        self.c4 = make_case(clinic, status="consultation", court=self.dallas)  # nobody on it
        self.c5 = make_case(
            clinic,
            status="closed",
            court=self.dallas,
            team=[(a, lead)],
            arrival=today - timedelta(days=360),
            outcome_on=date(2025, 3, 3),
        )
        # A closed case of c3's client with an I-589 filed: an I-589 on any case takes the client
        # off the one-year list.
        self.c6 = make_case(clinic, status="closed", client=self.c3.client, i589_received_on=today)
        self.cases = [self.c1, self.c2, self.c3, self.c4, self.c5, self.c6]

        # Hearings: (case, day offset, cancelled).
        self.hearing_specs = [
            (self.c1, 1, False),
            (self.c1, 6, False),
            (self.c1, 7, False),
            (self.c1, 29, False),
            (self.c1, 30, False),
            (self.c1, -1, False),
            (self.c2, 3, False),
            (self.c2, 3, True),
            (self.c4, 10, False),
            (self.c3, 40, False),
        ]
        for case, offset, cancelled in self.hearing_specs:
            Hearing.objects.create(
                case=case,
                kind=Hearing.Kind.MASTER,
                court=case.court,
                starts_at=at_noon(clinic, today + timedelta(days=offset)),
                result=Hearing.Result.CANCELLED if cancelled else "",
            )

        ead = DeadlineRuleVersion.objects.filter(rule__trigger=Trigger.I589_RECEIVED).first()
        assert ead is not None
        # Deadlines: (case, day offset, status, EAD earliest date).
        self.deadline_specs = [
            (self.c1, -5, "open", False),
            (self.c1, -2, "done", False),
            (self.c1, 0, "open", False),
            (self.c1, 6, "open", False),
            (self.c1, 7, "open", False),
            (self.c2, -1, "open", False),
            (self.c2, -10, "open", True),
            (self.c2, 3, "open", True),
            (self.c3, 20, "open", False),
            (self.c3, 45, "open", False),
            (self.c4, -3, "open", False),
            (self.c5, 2, "open", False),
            (self.c5, 1, "waived", False),
        ]
        self.deadlines = []
        for case, offset, status, earliest in self.deadline_specs:
            self.deadlines.append(
                Deadline.objects.create(
                    case=case,
                    title=f"Due {offset}",
                    due_on=today + timedelta(days=offset),
                    status=status,
                    rule_version=ead if earliest else None,
                    trigger_key=f"test:{offset}" if earliest else "",
                )
            )

        # Walk-ins over several weeks with every outcome: (weeks ago, weekday, status).
        this_monday = today - timedelta(days=today.weekday())
        self.walk_in_specs = [
            (0, 0, "waiting"),
            (0, 0, "accepted"),
            (1, 2, "referred"),
            (1, 3, "declined"),
            (1, 4, "no_show"),
            (3, 1, "accepted"),
            (3, 1, "accepted"),
            (11, 0, "declined"),
            (12, 3, "accepted"),  # before the 12 weeks: not shown
        ]
        self.walk_in_days = []
        for weeks_ago, weekday, status in self.walk_in_specs:
            day = this_monday - timedelta(weeks=weeks_ago) + timedelta(days=weekday)
            if day > today:
                day = today
            client = ClientFactory(clinic=clinic) if status == "accepted" else None
            WalkInFactory(clinic=clinic, arrived_at=at_noon(clinic, day), status=status, client=client)
            self.walk_in_days.append((day, status))

        # One-year risk among walk-ins (arrived today, so every chart week above still holds).
        self.risk_walk_ins = [
            WalkInFactory(
                clinic=clinic, given_names="Risk 0", status="waiting", last_arrival_date=today - timedelta(days=335)
            ),
            WalkInFactory(
                clinic=clinic, given_names="Risk 1", status="screened", last_arrival_date=today - timedelta(days=200)
            ),
            WalkInFactory(
                clinic=clinic, given_names="Risk 2", status="declined", last_arrival_date=today - timedelta(days=360)
            ),
            WalkInFactory(
                clinic=clinic,
                given_names="Risk 3",
                status="consultation",
                last_arrival_date=today - timedelta(days=500),
            ),
        ]
        for walk_in in self.risk_walk_ins:
            self.walk_in_days.append((today, walk_in.status))

        # Relief decisions across fiscal years, courts and relief types: (case, kind, decision, day).
        self.relief_specs = [
            (self.c1, "asylum", "granted", date(2025, 11, 15)),
            (self.c1, "withholding", "denied", date(2025, 9, 30)),
            (self.c2, "asylum", "denied", date(2026, 1, 10)),
            (self.c2, "cat", "conditional", date(2025, 10, 1)),
            (self.c3, "asylum", "withdrawn", date(2024, 12, 1)),
            (self.c5, "asylum", "granted", None),  # the case's outcome date: 3 Mar 2025
            (self.c4, "asylum", "reserved", date(2026, 2, 1)),
            (self.c4, "withholding", "", None),
        ]
        for case, kind, decision, day in self.relief_specs:
            ReliefApplication.objects.create(case=case, kind=kind, decision=decision, decided_on=day)

        # Deliveries: two failed reminders and a sent one; a failed digest today and one of last month.
        now = timezone.now()
        for deadline, status, lead in ((self.deadlines[0], "failed", 7), (self.deadlines[2], "failed", 1)):
            Reminder.objects.create(
                deadline=deadline, recipient=self.attorney, status=status, queued_at=now,
                due_on=deadline.due_on, lead_days=lead, remind_on=deadline.due_on,
            )  # fmt: skip
        Reminder.objects.create(
            deadline=self.deadlines[3], recipient=self.attorney, status="sent", queued_at=now,
            due_on=self.deadlines[3].due_on, lead_days=7, remind_on=today,
        )  # fmt: skip
        Digest.objects.create(recipient=self.attorney, clinic=clinic, status="failed", queued_at=now, local_date=today)
        Digest.objects.create(
            recipient=self.supervisor, clinic=clinic, status="failed", queued_at=now,
            local_date=today - timedelta(days=30),
        )  # fmt: skip

        self._other_clinic(other_clinic, outsiders)

    def _other_clinic(self, other_clinic, outsiders):
        """The same kinds of rows in the other clinic: never counted in the first."""
        today = self.today
        outsider = outsiders[Role.ATTORNEY]
        case = make_case(
            other_clinic,
            court=self.dallas,
            team=[(outsider, CaseAssignment.Role.LEAD)],
            arrival=today - timedelta(days=340),
        )
        Hearing.objects.create(case=case, kind="master", starts_at=at_noon(other_clinic, today + timedelta(days=2)))
        deadline = Deadline.objects.create(case=case, title="Other", due_on=today - timedelta(days=4))
        Deadline.objects.create(case=case, title="Other soon", due_on=today + timedelta(days=2))
        ReliefApplication.objects.create(case=case, kind="asylum", decision="granted", decided_on=date(2026, 1, 5))
        WalkInFactory(clinic=other_clinic, status="waiting", last_arrival_date=today - timedelta(days=340))
        WalkInFactory(clinic=other_clinic, status="declined", arrived_at=at_noon(other_clinic, today))
        Reminder.objects.create(
            deadline=deadline, recipient=outsider, status="failed", queued_at=timezone.now(),
            due_on=deadline.due_on, lead_days=1, remind_on=deadline.due_on,
        )  # fmt: skip

    # ---- the expected figures, in plain Python over the specs above ----------------------------

    def on_case(self, user, case) -> bool:
        return CaseAssignment.objects.filter(user=user, case=case).exists()

    def hearings(self, *, start_offset=0, end_offset, cases=None):
        return sum(
            1
            for case, offset, cancelled in self.hearing_specs
            if not cancelled and start_offset <= offset < end_offset and (cases is None or case in cases)
        )

    def deadlines_where(self, predicate, cases=None):
        return sum(
            1
            for case, offset, status, earliest in self.deadline_specs
            if status == "open" and (cases is None or case in cases) and predicate(offset, earliest)
        )

    @staticmethod
    def overdue(offset, earliest):
        return offset < 0 and not earliest

    @staticmethod
    def next_7(offset, earliest):
        return 0 <= offset < 7

    @staticmethod
    def next_30(offset, earliest):
        return 0 <= offset < 30

    def open_cases_of(self, user):
        cases = [case for case in self.cases if case.status != "closed"]
        if user is None:
            return [case for case in cases if not case.assignments.exists()]
        return [case for case in cases if self.on_case(user, case)]

    def cases_of(self, user):
        if user is None:
            return [case for case in self.cases if not case.assignments.exists()]
        return [case for case in self.cases if self.on_case(user, case)]

    def caseload_row(self, user):
        open_cases = self.open_cases_of(user)
        every = self.cases_of(user)
        statuses = [status for status in Case.Status.values if status != "closed"]
        return [
            len(open_cases),
            *[sum(1 for case in open_cases if case.status == status) for status in statuses],
            self.hearings(end_offset=30, cases=every),
            self.deadlines_where(self.next_30, every),
            self.deadlines_where(self.overdue, every),
        ]

    def risk_names(self):
        horizon = self.today + timedelta(days=90)
        names = set()
        for walk_in in self.risk_walk_ins:
            is_open = walk_in.status in ("waiting", "screened", "consultation")
            if is_open and one_year_deadline(walk_in.last_arrival_date) <= horizon:
                names.add(walk_in.full_name)
        for client in {case.client for case in self.cases}:
            cases = [case for case in self.cases if case.client == client]
            if not any(case.status != "closed" for case in cases) or any(case.i589_received_on for case in cases):
                continue
            arrival = max(
                (case.last_arrival_date for case in cases if case.status != "closed" and case.last_arrival_date),
                default=client.last_entry_date,
            )
            if arrival and one_year_deadline(arrival) <= horizon:
                names.add(client.full_name)
        return names

    def walk_in_weeks(self):
        this_monday = self.today - timedelta(days=self.today.weekday())
        weeks = [this_monday - timedelta(weeks=n) for n in range(11, -1, -1)]
        rows = []
        for week in weeks:
            in_week = [status for day, status in self.walk_in_days if week <= day < week + timedelta(days=7)]
            counts = [in_week.count(status) for status in ("accepted", "referred", "declined", "no_show")]
            still_open = sum(1 for status in in_week if status in ("waiting", "screened", "consultation"))
            rows.append([week, *counts, still_open, len(in_week)])
        return rows

    def outcomes(self):
        found = {}
        for case, kind, decision, day in self.relief_specs:
            if decision not in GRANTED | DENIED | OTHER:
                continue
            day = day or case.outcome_on
            court = f"{case.court.name} ({case.court.code})" if case.court else "Asylum office"
            key = (fiscal_year(day), kind, court)
            totals = found.setdefault(key, [0, 0, 0])
            totals[0] += decision in GRANTED
            totals[1] += decision in DENIED
            totals[2] += decision in OTHER
        return found


def board_of(as_user, user, **params):
    response = as_user(user).get(reverse("clinic:dashboard"), params)
    assert response.status_code == 200
    return response, response.context["board"]


def rows_by_first(table: Table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


def test_every_figure_matches_a_count_made_in_python(as_user, world):
    response, board = board_of(as_user, world.supervisor)
    tables = board.tables
    assert set(tables) == set(TABLE_KEYS)

    # Caseload per attorney (the supervisor can lead cases too: a row of zeros), and the unassigned.
    caseload = rows_by_first(tables["caseload"])
    name = lambda user: user.get_full_name() or user.username  # noqa: E731
    assert caseload[name(world.attorney)] == world.caseload_row(world.attorney)
    assert caseload[name(world.attorney_b)] == world.caseload_row(world.attorney_b)
    assert caseload[name(world.supervisor)] == world.caseload_row(world.supervisor)
    assert caseload["Unassigned"] == world.caseload_row(None)
    assert caseload["Unassigned"][0] == 1
    assert len(caseload) == 4  # no intake, no clinic admin, nobody of the other clinic

    # Hearings in the next 7 and 30 days.
    assert board.hearings["next_7"] == world.hearings(end_offset=7) == 3
    assert board.hearings["next_30"] == world.hearings(end_offset=30) == 6
    assert [row[-1] for row in tables["hearings"].rows] == [3, 6]

    # Deadlines: overdue (the EAD date ten days ago is not), due in 7 and 30 days.
    assert board.deadlines["overdue"] == world.deadlines_where(World.overdue) == 3
    assert board.deadlines["next_7"] == world.deadlines_where(World.next_7)
    assert board.deadlines["next_30"] == world.deadlines_where(World.next_30)
    assert [row[-1] for row in tables["deadlines"].rows] == [
        board.deadlines["overdue"],
        board.deadlines["next_7"],
        board.deadlines["next_30"],
    ]

    # One-year risk: two open walk-ins and c1's client.
    risk = {row[1] for row in tables["one_year_risk"].rows}
    assert risk == world.risk_names()
    assert len(risk) == 3
    assert world.c1.client.full_name in risk

    # Walk-ins per week, every one of the 12 weeks.
    assert [list(row) for row in tables["walk_ins"].rows] == world.walk_in_weeks()

    # Outcomes per fiscal year, relief and court.
    outcomes = {(row[0], row[1], row[2]): row[3:6] for row in tables["outcomes"].rows}
    kinds = dict(ReliefApplication.Kind.choices)
    expected = {(fy, str(kinds[kind]), court): totals for (fy, kind, court), totals in world.outcomes().items()}
    assert outcomes == expected
    for row in tables["outcomes"].rows:
        granted, denied, other, decided, rate = row[3:]
        assert decided == granted + denied + other
        assert rate == round(100 * granted / decided, 1)

    # Failed deliveries: two reminders, one digest this week; the other clinic's never.
    assert board.failed_reminders == 2
    assert board.failed_digests == 1

    # The page shows the figures and links each to its list.
    html = response.content.decode()
    pattern = r'href="([^"]+)" data-figure="([a-z0-9-]+)"><span class="stat-value d-block">(\d+)'
    figures = {name: (url.replace("&amp;", "&"), int(value)) for url, name, value in re.findall(pattern, html)}
    assert figures["hearings-7"][1] == 3
    assert "/cases/calendar/" in figures["hearings-7"][0]
    assert figures["hearings-30"][1] == 6
    assert figures["overdue"] == (reverse("cases:deadline-list") + "?which=overdue", 3)
    assert figures["due-7"][1] == board.deadlines["next_7"]
    assert figures["one-year"][1] == 3
    assert figures["failed-reminders"] == (reverse("cases:reminder-failures"), 2)
    assert 'role="img"' in html
    assert "<title>" in html
    assert "style=" not in html.split("<main", 1)[1]
    assert "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_the_links_behind_the_figures_list_the_same_rows(as_user, world):
    _response, board = board_of(as_user, world.supervisor)
    client = as_user(world.supervisor)
    for which, expected in (("overdue", "overdue"), ("next7", "next_7"), ("next30", "next_30")):
        page = client.get(reverse("cases:deadline-list"), {"which": which})
        assert page.status_code == 200
        assert page.context["page"].paginator.count == board.deadlines[expected]
    page = client.get(reverse("cases:deadline-list"), {"which": "overdue", "attorney": world.attorney_b.pk})
    assert page.context["page"].paginator.count == world.deadlines_where(
        World.overdue, world.cases_of(world.attorney_b)
    )
    titles = {deadline.title for deadline in page.context["page"].object_list}
    assert "Due -10" not in titles  # the EAD date
    # The case list behind an attorney's open cases.
    cases = client.get(reverse("cases:case-list"), {"attorney": world.attorney.pk})
    assert cases.context["page"].total == len(world.open_cases_of(world.attorney))


def test_filters_narrow_the_case_figures(as_user, world):
    response, board = board_of(as_user, world.supervisor, attorney=world.attorney_b.pk)
    # The form shows the choice: attorney B selected among everyone who can lead a case.
    html = response.content.decode()
    assert f'<option value="{world.attorney_b.pk}" selected>{world.attorney_b.get_full_name()}</option>' in html
    assert f'<option value="{world.attorney.pk}">{world.attorney.get_full_name()}</option>' in html
    assert '<option value="" selected>Any court</option>' in html
    cases_b = world.cases_of(world.attorney_b)
    assert board.hearings["next_30"] == world.hearings(end_offset=30, cases=cases_b)
    assert board.deadlines["overdue"] == world.deadlines_where(World.overdue, cases_b)
    assert [row[0] for row in board.tables["caseload"].rows] == [world.attorney_b.get_full_name()]
    # Open walk-ins belong to no attorney: only clients remain at risk, and attorney B's have none.
    assert list(board.tables["one_year_risk"].rows) == []

    _response, board = board_of(as_user, world.supervisor, court=world.dallas.pk)
    dallas = [case for case in world.cases if case.court == world.dallas]
    assert board.hearings["next_30"] == world.hearings(end_offset=30, cases=dallas)
    assert board.deadlines["next_30"] == world.deadlines_where(World.next_30, dallas)
    assert {row[2] for row in board.tables["outcomes"].rows} == {"Dallas (DAL)"}

    _response, board = board_of(as_user, world.supervisor, process="affirmative")
    assert board.hearings["next_30"] == 0
    assert [row[1] for row in board.tables["outcomes"].rows] == ["Asylum"]


def test_the_date_range_adds_rows_and_limits_outcomes(as_user, world):
    today = world.today
    start, end = today + timedelta(days=5), today + timedelta(days=50)
    _response, board = board_of(as_user, world.supervisor, date_from=start.isoformat(), date_to=end.isoformat())
    assert board.hearings["in_range"] == world.hearings(start_offset=5, end_offset=51)
    assert board.deadlines["in_range"] == sum(
        1 for _c, offset, status, _e in world.deadline_specs if status == "open" and 5 <= offset <= 50
    )
    assert len(board.tables["hearings"].rows) == 3
    # Decisions within the range only (none of them is in the future).
    assert list(board.tables["outcomes"].rows) == []

    _response, board = board_of(as_user, world.supervisor, date_from="2025-10-01", date_to="2026-09-30")
    assert {row[0] for row in board.tables["outcomes"].rows} == {2026}
    assert sum(row[6] for row in board.tables["outcomes"].rows) == sum(
        totals and sum(totals) for (fy, _k, _c), totals in world.outcomes().items() if fy == 2026
    )


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-45"},
        {"date_from": "2026-05-01", "date_to": "2026-04-01"},
        {"date_from": "0202-01-01"},
        {"attorney": "999999"},
        {"attorney": "abc"},
        {"court": "x"},
        {"process": "nonsense"},
        {"date_from": "2000-01-01", "date_to": "2099-01-01"},
    ],
)
def test_bad_filter_input_is_a_form_error_not_a_500(as_user, world, params):
    response = as_user(world.supervisor).get(reverse("clinic:dashboard"), params)
    assert response.status_code == 200
    assert response.context["form"].errors
    # The page still shows the whole clinic.
    assert response.context["board"].hearings["next_30"] == 6
    response = as_user(world.supervisor).get(reverse("cases:deadline-list"), params)
    assert response.status_code == 200


def test_another_clinics_supervisor_sees_only_their_own(as_user, world, outsiders):
    _response, board = board_of(as_user, outsiders[Role.SUPERVISOR])
    assert board.hearings == {"next_7": 1, "next_30": 1, "in_range": 0}
    assert (board.deadlines["overdue"], board.deadlines["next_7"]) == (1, 1)
    assert (board.failed_reminders, board.failed_digests) == (1, 0)
    assert len(board.tables["one_year_risk"].rows) == 2  # their open walk-in and their client
    assert [row[3] for row in board.tables["outcomes"].rows] == [1]
    assert sum(row[-1] for row in board.tables["walk_ins"].rows) == 2
    names = {row[0] for row in board.tables["caseload"].rows}
    assert world.attorney.get_full_name() not in names
    # And the first clinic's deadline list is not theirs.
    page = as_user(outsiders[Role.SUPERVISOR]).get(reverse("cases:deadline-list"))
    assert page.context["page"].paginator.count == 2


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ATTORNEY, Role.CLINIC_ADMIN])
def test_only_supervisors_open_the_dashboard_and_the_deadline_list(as_user, staff, role):
    assert as_user(staff[role]).get(reverse("clinic:dashboard")).status_code == 403
    assert as_user(staff[role]).get(reverse("cases:deadline-list")).status_code == 403
    with pytest.raises(PermissionDenied):
        dashboard_tables(actor=staff[role], filters={})


def test_dashboard_tables_are_the_pages_data(as_user, world):
    _response, board = board_of(as_user, world.supervisor)
    tables = dashboard_tables(actor=world.supervisor, filters={})
    for key in TABLE_KEYS:
        assert tables[key].key == key
        assert tables[key].headers == board.tables[key].headers
        assert list(tables[key].rows) == list(board.tables[key].rows)


def test_the_dashboard_runs_a_fixed_number_of_queries(as_user, world, django_assert_num_queries):
    client = as_user(world.supervisor)
    params = {"attorney": world.attorney.pk, "date_from": "2025-01-01", "date_to": "2026-12-31"}
    client.get(reverse("clinic:dashboard"))  # warms the cache of courts in use

    def extra_cases(number):
        for index in range(number):
            case = make_case(
                world.clinic, court=world.dallas, team=[(world.attorney, CaseAssignment.Role.LEAD)],
                arrival=world.today - timedelta(days=330 + index),
            )  # fmt: skip
            Hearing.objects.create(case=case, kind="master", starts_at=at_noon(world.clinic, world.today))
            Deadline.objects.create(case=case, title="x", due_on=world.today - timedelta(days=1))
            ReliefApplication.objects.create(case=case, kind="asylum", decision="denied", decided_on=date(2026, 2, 1))
            WalkInFactory(clinic=world.clinic, status="waiting", last_arrival_date=world.today - timedelta(days=340))
        recount_dashboard(world.clinic)

    for number in (1, 30):
        extra_cases(number)
        # The recount summed the page without filters: its sums come from the cache.
        with django_assert_num_queries(QUERIES - SUMS):
            client.get(reverse("clinic:dashboard"))
        # With an attorney chosen the form looks them up, and no walk-in is at risk: the same
        # number; the first look since the recount sums, the next one reads the sums.
        with django_assert_num_queries(QUERIES):
            client.get(reverse("clinic:dashboard"), params)
        with django_assert_num_queries(QUERIES - SUMS):
            client.get(reverse("clinic:dashboard"), params)


# The user with their membership (clinic.backends.MemberBackend; the session comes from the
# cache) and the session's two-factor device (django-otp) (2), the filter form's attorneys and
# courts (2; which courts are in use comes from the cache), when the counts were made (1),
# caseload (2: its sums, the people), hearings and deadlines (1), one-year risk (3: clients,
# walk-ins, the names of the clients shown), walk-ins (1), outcomes (2: their sums, the courts'
# names), failed reminders and digests (2), role counts and recent activity (2).
QUERIES = 18
# The sums of the caseload, the hearings and deadlines, the walk-ins and the outcomes: once per
# recount (clinic.dashboard._recounted_sums).
SUMS = 4


def test_the_figures_change_with_a_recount_not_before(as_user, world):
    """The page shows the counts as of the last recount (and says when): a new hearing shows once
    counted again, whatever the page kept meanwhile."""
    params = {"attorney": world.attorney.pk}
    before = [board_of(as_user, world.supervisor, **chosen)[1].hearings["next_30"] for chosen in ({}, params)]
    Hearing.objects.create(case=world.c1, kind="master", starts_at=at_noon(world.clinic, world.today))
    assert [board_of(as_user, world.supervisor, **chosen)[1].hearings["next_30"] for chosen in ({}, params)] == before
    recount_dashboard(world.clinic)
    after = [board_of(as_user, world.supervisor, **chosen)[1].hearings["next_30"] for chosen in ({}, params)]
    assert after == [count + 1 for count in before]
    assert after[0] == world.hearings(end_offset=30) + 1


def test_fiscal_years_start_on_the_first_of_october():
    assert fiscal_year(date(2025, 9, 30)) == 2025
    assert fiscal_year(date(2025, 10, 1)) == 2026
    assert fiscal_year(date(2026, 1, 1)) == 2026


def test_the_selectors_module_is_scoped_by_role(staff):
    with pytest.raises(PermissionDenied):
        dashboard_selectors.dashboard(actor=staff[Role.ATTORNEY], filters={})


def test_a_long_one_year_list_shows_the_soonest_and_the_download_has_them_all(as_user, world, monkeypatch):
    from clinic import dashboard

    monkeypatch.setattr(dashboard, "RISK_SHOWN", 2)  # the world has three at risk
    response, board = board_of(as_user, world.supervisor)
    html = response.content.decode()
    assert "The 2 soonest of 3 are shown; 1 more are in the download." in html
    assert len(board.one_year_risk_shown) == 2
    # Still ahead first, soonest first (those can still be filed in time), then the passed ones.
    everyone = list(board.tables["one_year_risk"].rows)  # who, name, arrival, deadline, days left, detail
    assert board.one_year_risk_total == len(everyone) == 3
    ahead = sorted(row[3] for row in everyone if row[4] >= 0)
    assert [row.deadline for row in board.one_year_risk_shown] == ahead[:2]
    export = as_user(world.supervisor).get(reverse("reports:dashboard-export", args=["one_year_risk", "csv"]))
    lines = b"".join(export.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 3


def test_each_walk_in_and_outcome_figure_opens_the_list_behind_it(as_user, world):
    response, board = board_of(as_user, world.supervisor)
    client = as_user(world.supervisor)
    links = response.context["links"]
    followed = 0
    for row in links["walk_in_cells"]:
        for value, url in row[1:]:
            page = client.get(url)
            assert page.status_code == 200
            assert page.context["page"].paginator.count == value, url
            followed += value
    assert followed == 2 * sum(week.total for week in board.walk_ins)  # each status, then the total
    for row in links["outcome_cells"]:
        for value, url in row[3:7]:
            page = client.get(url)
            assert page.status_code == 200
            assert page.context["page"].total == value, url
    # The chart's parts link too.
    assert 'href="/intake/walk-ins/?' in str(response.context["charts"]["walk_ins"])


class _TableCells(HTMLParser):
    """The body cells of one <table data-table=...> of a page: per row, per cell (text, href)."""

    def __init__(self, key):
        super().__init__()
        self.key, self.inside, self.in_body, self.rows = key, False, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.inside = attrs.get("data-table") == self.key
        elif self.inside and tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag == "td":
            self.rows[-1].append(["", None])
        elif self.in_body and tag == "a" and self.rows and self.rows[-1]:
            self.rows[-1][-1][1] = attrs["href"]

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.inside = False

    def handle_data(self, data):
        if self.in_body and self.rows and self.rows[-1]:
            self.rows[-1][-1][0] += data


def table_cells(response, key) -> list[list[tuple]]:
    parser = _TableCells(key)
    parser.feed(response.content.decode())
    return [[(" ".join(text.split()), href) for text, href in row] for row in parser.rows]


def test_the_outcome_and_walk_in_tables_show_each_figure_with_its_link(as_user, world):
    response, board = board_of(as_user, world.supervisor)
    links = response.context["links"]
    outcomes = table_cells(response, "outcomes")
    assert len(outcomes) == len(board.outcomes) == len(world.outcomes())
    for shown, row, cells in zip(outcomes, board.tables["outcomes"].rows, links["outcome_cells"], strict=True):
        fy, relief, court, granted, denied, other, decided, rate = row
        assert [text for text, _href in shown] == [
            str(fy), relief, court, str(granted), str(denied), str(other), str(decided), str(rate)
        ]  # fmt: skip
        # The four counts link to their cases; nothing else links.
        assert [href for _text, href in shown] == [None, None, None, *[url for _v, url in cells[3:7]], None]
    walk_ins = table_cells(response, "walk_ins")
    assert [[text for text, _href in row] for row in walk_ins] == [
        [f"{week.day} {week:%b %Y}", *map(str, counts)] for week, *counts in world.walk_in_weeks()
    ]
    assert [[href for _text, href in row] for row in walk_ins] == [
        [None, *[url for _value, url in row[1:]]] for row in links["walk_in_cells"]
    ]


def test_the_outcome_table_writes_rates_in_the_readers_language(as_user, world):
    world.supervisor.language = "es"
    world.supervisor.save(update_fields=["language"])
    response, board = board_of(as_user, world.supervisor)
    rates = [row[-1][0] for row in table_cells(response, "outcomes")]
    assert rates == [str(row[-1]).replace(".", ",") for row in board.tables["outcomes"].rows]
    assert all("," in rate for rate in rates)


def test_the_one_year_list_links_each_person_and_says_how_long_is_left(as_user, world):
    response, board = board_of(as_user, world.supervisor)
    shown = table_cells(response, "one_year_risk")
    rows = board.one_year_risk_shown
    assert len(shown) == len(rows) == 3
    for (person, deadline, days_left), row in zip(shown, rows, strict=True):
        if row.kind == "walk_in":
            assert person[1] == reverse("clients:walk-in-detail", args=[row.pk])
            assert f"Walk-in · {row.detail} · arrived {row.last_arrival:%-d %b %Y}" in person[0]
        else:
            assert person[1] == reverse("clients:client-detail", args=[row.pk])
            assert f"Client · {row.detail} · arrived {row.last_arrival:%-d %b %Y}" in person[0]
        assert person[0].startswith(row.name)
        assert deadline[0] == f"{row.deadline:%-d %b %Y}"
        if row.days_left < 0:
            assert days_left[0] == f"passed {-row.days_left} days ago"
        else:
            assert days_left[0] == f"{row.days_left} days"
    # Still ahead within 30 days: a warning; passed: in red; the world has one of each.
    html = response.content.decode()
    assert html.count('class="badge text-bg-warning"') == sum(0 <= row.days_left <= 30 for row in rows) == 1
    assert html.count('class="badge text-bg-danger"') == sum(row.days_left < 0 for row in rows) == 1


def test_the_one_year_list_filtered_keeps_each_chosen_clients_own_arrival(as_user, world):
    """The filters choose the clients (one of their open cases matches); a client's latest arrival
    and highest case number still come from all their open cases."""
    client = ClientFactory(clinic=world.clinic, given_names="Two Cases")
    dallas_case = make_case(
        world.clinic, client=client, court=world.dallas, team=[(world.attorney_b, CaseAssignment.Role.LEAD)],
        last_arrival_date=world.today - timedelta(days=330),
    )  # fmt: skip
    el_paso_case = make_case(
        world.clinic, client=client, court=world.el_paso, last_arrival_date=world.today - timedelta(days=300)
    )
    # A client on one of attorney B's cases with an I-589 filed on another: never at risk.
    filed = ClientFactory(clinic=world.clinic, given_names="Filed Elsewhere")
    make_case(
        world.clinic, client=filed, court=world.dallas, team=[(world.attorney_b, CaseAssignment.Role.LEAD)],
        last_arrival_date=world.today - timedelta(days=330),
    )  # fmt: skip
    make_case(world.clinic, client=filed, status="closed", i589_received_on=world.today)
    number = max(dallas_case.number, el_paso_case.number)
    for params in ({"attorney": world.attorney_b.pk}, {"court": world.dallas.pk}):
        _response, board = board_of(as_user, world.supervisor, **params)
        risk = {row.name: row for row in board.one_year_risk_shown}
        assert client.full_name in risk, params
        assert filed.full_name not in risk, params
        assert risk[client.full_name].last_arrival == world.today - timedelta(days=300)
        assert risk[client.full_name].detail == number
    _response, board = board_of(as_user, world.supervisor, attorney=world.attorney_b.pk)
    assert {row.name for row in board.one_year_risk_shown} == {client.full_name}
    _response, board = board_of(as_user, world.supervisor, court=world.el_paso.pk)
    assert client.full_name in {row.name for row in board.one_year_risk_shown}
    assert world.c1.client.full_name not in {row.name for row in board.one_year_risk_shown}  # c1 is in Dallas
