"""The case list's outcome filters (relief, decision, fiscal year), the links of the dashboard's
outcome table: which cases each one lists, tenancy, bad values, paging, the notice above the list,
the export, a fixed number of queries, and that each link lists exactly the cases of its figure."""

import csv
import io
import re
from datetime import date
from html import unescape
from itertools import count
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cases.links import outcome_cases_url
from cases.models import Case, CaseAssignment, Court, ReliefApplication
from clinic import dashboard as dashboard_selectors
from clinic.dashboard_counts import recount_dashboard
from clinic.models import Membership
from tests.factories import ClientFactory

Role = Membership.Role
SEQUENCE = count(1)
LIST = reverse("cases:case-list")


def make_case(clinic, *, status="closed", process=Case.Process.DEFENSIVE, court=None, outcome_on=None, team=()):
    sequence = next(SEQUENCE)
    case = Case.objects.create(
        clinic=clinic,
        number=f"O-{clinic.pk}-{sequence:05d}",
        year=2026,
        sequence=sequence,
        client=ClientFactory(clinic=clinic, given_names=f"Client {sequence}"),
        process=process,
        court=court,
        status=status,
        opened_on=date(2024, 1, 1),
        outcome_on=outcome_on,
    )
    for user, role in team:
        CaseAssignment.objects.create(case=case, user=user, role=role)
    return case


def relief(case, kind="asylum", decision="granted", decided_on=None):
    return ReliefApplication.objects.create(case=case, kind=kind, decision=decision, decided_on=decided_on)


def listed(client, **params) -> set[int]:
    """Every case of the list with these filters, page after page, checking none comes twice."""
    seen, after = [], ""
    while True:
        page = client.get(LIST, {**params, "after": after} if after else params).context["page"]
        seen += [case.pk for case in page.cases]
        if not page.next_after:
            break
        after = page.next_after
    assert len(seen) == len(set(seen))
    return set(seen)


@pytest.fixture
def dallas(db):
    return Court.objects.get(code="DAL")


@pytest.fixture
def el_paso(db):
    return Court.objects.get(code="ELP")


@pytest.fixture
def world(clinic, dallas, el_paso):
    """Decisions around the turn of fiscal year 2026 (1 Oct 2025), before two courts and none."""
    w = {}
    w["asylum_granted_fy26"] = make_case(clinic, court=dallas)
    relief(w["asylum_granted_fy26"], "asylum", "granted", date(2025, 10, 1))
    w["asylum_denied_fy25"] = make_case(clinic, court=dallas)
    relief(w["asylum_denied_fy25"], "asylum", "denied", date(2025, 9, 30))
    # No decision date of its own: the case's outcome date counts, as on the dashboard.
    w["conditional_by_case_date"] = make_case(clinic, court=el_paso, outcome_on=date(2026, 9, 30))
    relief(w["conditional_by_case_date"], "asylum", "conditional", None)
    # Its own date wins over the case's.
    w["own_date_wins"] = make_case(clinic, court=el_paso, outcome_on=date(2026, 1, 1))
    relief(w["own_date_wins"], "asylum", "granted", date(2026, 10, 1))
    w["withholding_withdrawn"] = make_case(clinic, status="decided", court=dallas)
    relief(w["withholding_withdrawn"], "withholding", "withdrawn", date(2026, 3, 1))
    # Asylum denied and withholding granted on one case, both in FY 2026.
    w["two_reliefs"] = make_case(clinic, court=dallas)
    relief(w["two_reliefs"], "asylum", "denied", date(2026, 2, 1))
    relief(w["two_reliefs"], "withholding", "granted", date(2026, 2, 1))
    w["affirmative_granted"] = make_case(clinic, process=Case.Process.AFFIRMATIVE)
    relief(w["affirmative_granted"], "asylum", "granted", date(2026, 5, 5))
    w["no_court_granted"] = make_case(clinic)
    relief(w["no_court_granted"], "asylum", "granted", date(2026, 5, 5))
    w["reserved"] = make_case(clinic, court=dallas, status="awaiting")
    relief(w["reserved"], "asylum", "reserved", date(2026, 5, 5))
    w["pending"] = make_case(clinic, court=dallas, status="filed", outcome_on=date(2026, 5, 5))
    relief(w["pending"], "cat", "", None)
    w["no_relief"] = make_case(clinic, court=dallas)
    return w


def names(world, pks: set[int]) -> set[str]:
    return {name for name, case in world.items() if case.pk in pks}


@pytest.fixture
def boss(as_user, supervisor):
    return as_user(supervisor)


def test_each_outcome_filter_alone_and_together(boss, world):
    assert names(world, listed(boss, relief="cat")) == {"pending"}
    assert names(world, listed(boss, relief="withholding")) == {"withholding_withdrawn", "two_reliefs"}
    assert names(world, listed(boss, decision="granted")) == {
        "asylum_granted_fy26", "conditional_by_case_date", "own_date_wins", "two_reliefs", "affirmative_granted",
        "no_court_granted",
    }  # fmt: skip
    assert names(world, listed(boss, decision="other")) == {"withholding_withdrawn"}
    # Reserved and undecided reliefs are no decision, as on the dashboard.
    assert "reserved" not in names(world, listed(boss, decision="decided"))
    assert "pending" not in names(world, listed(boss, decision="decided"))
    # A fiscal year alone counts decisions only: the pending case's outcome date does not make it one.
    assert names(world, listed(boss, fiscal_year=2026)) == {
        "asylum_granted_fy26", "conditional_by_case_date", "withholding_withdrawn", "two_reliefs",
        "affirmative_granted", "no_court_granted",
    }  # fmt: skip
    both = listed(boss, relief="asylum", decision="granted", fiscal_year=2026, court=world["two_reliefs"].court_id)
    assert names(world, both) == {"asylum_granted_fy26"}


def test_the_conditions_hold_on_one_relief_together(boss, world):
    # two_reliefs has an asylum relief and a granted one, but no granted asylum.
    assert "two_reliefs" not in names(world, listed(boss, relief="asylum", decision="granted"))
    assert "two_reliefs" in names(world, listed(boss, relief="withholding", decision="granted"))


def test_the_fiscal_year_edges_and_the_decision_date(boss, world):
    fy25, fy26, fy27 = (names(world, listed(boss, fiscal_year=year, relief="asylum")) for year in (2025, 2026, 2027))
    assert "asylum_denied_fy25" in fy25 - fy26  # 30 Sep 2025: the last day of FY 2025
    assert "asylum_granted_fy26" in fy26 - fy25  # 1 Oct 2025: the first day of FY 2026
    assert "conditional_by_case_date" in fy26 - fy27  # no decision date: the case's, 30 Sep 2026
    assert "own_date_wins" in fy27 - fy26  # its own 1 Oct 2026, not the case's 1 Jan 2026


def test_two_matching_reliefs_list_the_case_once(boss, clinic, dallas):
    case = make_case(clinic, court=dallas)
    relief(case, "asylum", "granted", date(2026, 1, 5))
    relief(case, "withholding", "granted", date(2026, 1, 5))
    relief(case, "cat", "granted", date(2026, 1, 5))
    page = boss.get(LIST, {"decision": "granted", "fiscal_year": 2026}).context["page"]
    assert page.total == 1
    assert [c.pk for c in page.cases] == [case.pk]


def test_court_none_lists_the_cases_without_a_court(boss, world):
    assert names(world, listed(boss, court="none", status="all")) == {"affirmative_granted", "no_court_granted"}
    defensive = listed(boss, court="none", process="defensive", decision="granted", status="all")
    assert names(world, defensive) == {"no_court_granted"}
    select = next(s for s in boss.get(LIST, {"court": "none"}).context["selects"] if s["name"] == "court")
    assert ("none", "No court recorded", True) in select["options"]


def test_an_outcome_filter_lists_every_status(boss, world):
    response = boss.get(LIST, {"relief": "withholding"})
    assert {c.pk for c in response.context["page"].cases} == {
        world["withholding_withdrawn"].pk,
        world["two_reliefs"].pk,
    }
    status = next(s for s in response.context["selects"] if s["name"] == "status")
    assert ("all", "All cases", True) in status["options"]
    # A status chosen with it still narrows the list.
    assert names(world, listed(boss, relief="withholding", status="decided")) == {"withholding_withdrawn"}
    assert names(world, listed(boss, relief="withholding", status="all")) == {"withholding_withdrawn", "two_reliefs"}


def test_another_clinic_never_sees_these_cases(as_user, outsiders, world, dallas):
    for role in (Role.SUPERVISOR, Role.ATTORNEY):
        client = as_user(outsiders[role])
        for params in (
            {"decision": "decided", "status": "all"},
            {"relief": "asylum", "fiscal_year": 2026, "court": "none"},
            {"relief": "asylum", "decision": "granted", "fiscal_year": 2026, "court": dallas.pk, "status": "all"},
        ):
            assert client.get(LIST, params).context["page"].total == 0


@pytest.mark.parametrize(
    "params",
    [
        {"relief": "xyz"},
        {"decision": "maybe"},
        {"fiscal_year": "abc"},
        {"fiscal_year": "99999"},
        {"fiscal_year": "-5"},
        {"fiscal_year": "1"},
        {"relief": "asylum", "decision": "granted", "fiscal_year": "2026x"},
    ],
)
def test_bad_outcome_values_are_not_applied_and_the_page_says_so(boss, world, params):
    response = boss.get(LIST, {**params, "court": "none"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "The outcome filter in this link (relief, decision or fiscal year) was not understood" in html
    # The other filters still hold; the outcome ones are dropped together, never half applied.
    assert names(world, {c.pk for c in response.context["page"].cases}) == {"affirmative_granted", "no_court_granted"}
    assert response.context["outcome_params"] == {}
    assert 'type="hidden" name="relief"' not in html
    # The export answers too, with the same cases.
    export = boss.get(reverse("reports:case-export", args=["csv"]), {**params, "court": "none"})
    assert export.status_code == 200
    assert len(csv_rows(export)) == 3


def test_a_bad_value_beside_another_bad_filter_drops_every_filter_as_before(boss, world):
    response = boss.get(LIST, {"relief": "xyz", "attorney": "999999", "status": "all"})
    assert response.status_code == 200
    assert names(world, {c.pk for c in response.context["page"].cases}) == {
        "withholding_withdrawn",
        "reserved",
        "pending",
    }
    assert "was not understood" in response.content.decode()


def test_paging_and_the_filter_form_keep_the_outcome_filters(boss, clinic, dallas, monkeypatch):
    from cases import selectors

    monkeypatch.setattr(selectors, "CASES_PER_PAGE", 2)
    granted = {make_case(clinic, court=dallas).pk for _ in range(5)}
    for pk in granted:
        relief(Case.objects.get(pk=pk), "asylum", "granted", date(2026, 1, 1))
    relief(make_case(clinic, court=dallas), "asylum", "denied", date(2026, 1, 1))
    params = {"relief": "asylum", "decision": "granted", "fiscal_year": "2026"}
    seen, url = [], f"{LIST}?relief=asylum&decision=granted&fiscal_year=2026&status=all"
    while url:
        response = boss.get(url)
        html = response.content.decode()
        seen += [c.pk for c in response.context["page"].cases]
        for name, value in params.items():
            assert f'<input type="hidden" name="{name}" value="{value}">' in html
        export = reverse("reports:case-export", args=["csv"])
        assert re.search(rf'href="{export}\?[^"]*fiscal_year=2026', html)
        found = re.search(r'href="(\?[^"]*after=[^"]*)"', html)
        if found:
            query = parse_qs(urlsplit(unescape(found.group(1))).query)
            assert {name: query[name] for name in params} == {name: [value] for name, value in params.items()}
            url = LIST + unescape(found.group(1))
        else:
            url = None
    assert sorted(seen) == sorted(granted)


def test_the_notice_says_what_is_shown_and_links_to_all_cases(boss, world, dallas):
    params = {"relief": "asylum", "decision": "granted", "fiscal_year": 2026, "status": "all", "court": dallas.pk}
    response = boss.get(LIST, params)
    html = response.content.decode()
    assert (
        "Showing cases with a decision on Asylum: granted (or conditionally granted), "
        "fiscal year 2026 (1 Oct 2025 to 30 Sep 2026)."
    ) in html
    back = response.context["without_outcome_url"]
    assert back == f"{LIST}?status=all&court={dallas.pk}"
    assert f'<a class="alert-link" href="{back.replace("&", "&amp;")}">Show all cases</a>' in html
    assert "outcome-notice" not in boss.get(back).content.decode()


@pytest.mark.parametrize(
    ("params", "text"),
    [
        ({"relief": "cat"}, "Showing cases with an application for Convention Against Torture."),
        ({"decision": "denied"}, "Showing cases with a decision on any relief: denied."),
        (
            {"fiscal_year": "2025", "relief": "withholding"},
            "Showing cases with a decision on Withholding of removal (INA 241(b)(3)): any outcome, "
            "fiscal year 2025 (1 Oct 2024 to 30 Sep 2025).",
        ),
    ],
)
def test_the_notice_words_each_combination(boss, clinic, params, text):
    assert text in boss.get(LIST, params).context["outcome_notice"]


def test_no_notice_without_outcome_filters(boss, world):
    html = boss.get(LIST, {"status": "all"}).content.decode()
    assert "outcome-notice" not in html


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_export_has_the_cases_of_the_outcome_filters(boss, world):
    response = boss.get(
        reverse("reports:case-export", args=["csv"]), {"relief": "asylum", "decision": "granted", "fiscal_year": 2026}
    )
    numbers = {row[0] for row in csv_rows(response)[1:]}
    expected = {"asylum_granted_fy26", "conditional_by_case_date", "affirmative_granted", "no_court_granted"}
    assert numbers == {world[name].number for name in expected}


@pytest.mark.parametrize("matching", [3, 20])
def test_the_list_runs_fixed_queries_whatever_the_number_of_cases(
    boss, clinic, dallas, supervisor, matching, django_assert_num_queries
):
    for _ in range(matching):
        case = make_case(clinic, court=dallas, team=[(supervisor, CaseAssignment.Role.LEAD)])
        relief(case, "asylum", "granted", date(2026, 1, 1))
        relief(case, "withholding", "granted", date(2026, 1, 1))
    params = {"relief": "asylum", "decision": "granted", "fiscal_year": 2026, "status": "all", "court": dallas.pk}
    boss.get(LIST, params)  # the courts in use into the cache
    # user with membership (the session comes from the cache), two-factor device, the chosen court,
    # count, page, leads, the attorneys and courts of the filters
    with django_assert_num_queries(8):
        page = boss.get(LIST, params).context["page"]
    assert page.total == matching


def test_outcome_cases_url_builds_the_list_links():
    assert outcome_cases_url(fiscal_year=2026, relief="asylum", court_id=7) == (
        f"{LIST}?status=all&relief=asylum&decision=decided&fiscal_year=2026&court=7"
    )
    assert (
        outcome_cases_url(
            fiscal_year=2025, relief="cat", court_id=7, decision="denied", process="defensive", attorney_id=3
        )
        == f"{LIST}?status=all&relief=cat&decision=denied&fiscal_year=2025&court=7&process=defensive&attorney=3"
    )
    assert outcome_cases_url(fiscal_year=2026, relief="asylum", court_id=None, affirmative=True) == (
        f"{LIST}?status=all&relief=asylum&decision=decided&fiscal_year=2026&court=none&process=affirmative"
    )
    assert outcome_cases_url(fiscal_year=2026, relief="asylum", court_id=None, decision="granted") == (
        f"{LIST}?status=all&relief=asylum&decision=granted&fiscal_year=2026&court=none&process=defensive"
    )


def test_each_outcome_figure_links_to_exactly_its_cases(boss, supervisor, clinic, world):
    recount_dashboard(clinic)
    rows = dashboard_selectors.dashboard(actor=supervisor, filters={}).outcomes
    assert rows
    for row in rows:
        for decision in ("granted", "denied", "other", "decided"):
            url = outcome_cases_url(
                fiscal_year=row.fiscal_year,
                relief=row.kind,
                court_id=row.court_id,
                decision=decision,
                affirmative=row.court_label == "Asylum office",
            )
            assert boss.get(url).context["page"].total == getattr(row, decision), (row, decision)
