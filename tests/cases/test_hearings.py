"""Hearings and interviews of a case: the services (time zones, DST, bad input, results, audit) and
the pages (who may see and change them, what they show)."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import hearing_services, services
from cases.models import Case, Hearing
from clinic.models import AuditEvent, Membership
from tests.cases.hearing_data import (
    court,
    fall_back,
    hearing_data,
    schedule,
    spring_forward,
    summer_day,
    winter_day,
)
from tests.factories import staff_member

Role = Membership.Role
CASE_ROLES = (Role.INTAKE, Role.ATTORNEY, Role.SUPERVISOR)


@pytest.fixture
def hearing(attorney, case):
    return schedule(attorney, case, winter_day(), time(8, 30), ends=time(11, 0), judge="Hon. R. Alvarado")


@pytest.fixture
def colleague(clinic):
    """An attorney of the clinic who is not on the case."""
    return staff_member(clinic, Role.ATTORNEY, username="la-attorney-colleague")


@pytest.fixture
def affirmative_case(attorney, principal):
    return services.case_open(
        actor=attorney,
        client=principal,
        data={"process": Case.Process.AFFIRMATIVE, "asylum_office": "Houston Asylum Office"},
        lead_attorney=attorney,
    )


def form(case, day: date, starts: str = "08:30", **overrides) -> dict:
    """What the browser posts to the add and edit pages."""
    data = {
        "kind": "master", "court": case.court_id or "", "time_zone": "America/Denver", "day": day.isoformat(),
        "starts": starts, "ends": "", "judge": "", "location": "", "medium": "in_person",
        "interpreter_language": "es", "notes": "",
    }  # fmt: skip
    return data | overrides


def errors_of(response) -> dict:
    return response.context["form"].errors


# Time zones, end to end


def test_it_stores_a_dallas_hearing_in_utc_and_shows_it_in_central_time_to_an_el_paso_user(
    as_user, attorney, intake_user, case, clinic
):
    assert str(clinic.time_zone) == "America/Denver"
    day = winter_day()
    response = as_user(attorney).post(reverse("cases:hearing-add", args=[case.pk]), form(case, day, "08:30"))
    hearing = case.hearings.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:hearings", args=[case.pk]) + f"#hearing-{hearing.pk}"
    assert hearing.starts_at == datetime(day.year, 2, 9, 14, 30, tzinfo=UTC)
    assert str(hearing.time_zone) == "America/Chicago"

    page = as_user(intake_user).get(reverse("cases:hearings", args=[case.pk])).content.decode()
    assert f"{day:%a} 9 Feb {day.year}, 08:30 CST" in page
    assert "07:30" not in page  # the same instant in El Paso: never shown


def test_it_uses_daylight_time_in_summer(attorney, case):
    hearing = schedule(attorney, case, summer_day(), time(8, 30))
    assert hearing.starts_at == datetime(summer_day().year, 7, 9, 13, 30, tzinfo=UTC)


def test_it_uses_the_court_zone_not_the_one_picked(attorney, case):
    hearing = schedule(attorney, case, winter_day(), time(8, 30), court=court("PHO"), time_zone="Pacific/Guam")
    assert str(hearing.time_zone) == "America/Phoenix"
    assert hearing.starts_at == datetime(winter_day().year, 2, 9, 15, 30, tzinfo=UTC)


def test_it_puts_an_interview_in_the_zone_picked(attorney, affirmative_case):
    hearing = schedule(
        attorney, affirmative_case, winter_day(), time(9, 0), kind=Hearing.Kind.INTERVIEW, court=None,
        time_zone="America/Chicago", location="Houston Asylum Office",
    )  # fmt: skip
    assert (hearing.court, str(hearing.time_zone)) == (None, "America/Chicago")
    assert hearing.starts_at == datetime(winter_day().year, 2, 9, 15, 0, tzinfo=UTC)


def test_it_offers_an_interview_at_the_asylum_office_in_the_clinic_zone(as_user, attorney, affirmative_case):
    response = as_user(attorney).get(reverse("cases:hearing-add", args=[affirmative_case.pk]))
    initial = {name: response.context["form"][name].value() for name in ("kind", "court", "time_zone", "location")}
    assert initial == {
        "kind": "interview", "court": None, "time_zone": "America/Denver", "location": "Houston Asylum Office",
    }  # fmt: skip


def test_it_offers_a_master_hearing_at_the_case_court(as_user, attorney, case):
    response = as_user(attorney).get(reverse("cases:hearing-add", args=[case.pk]))
    assert response.context["form"]["kind"].value() == "master"
    assert response.context["form"]["court"].value() == case.court_id


def test_it_shows_a_saipan_hearing_on_its_own_day(as_user, attorney, intake_user, case):
    day = winter_day()
    hearing = schedule(attorney, case, day, time(8, 0), court=court("SAI"))
    assert hearing.starts_at.date() == day - timedelta(days=1)
    page = as_user(intake_user).get(reverse("cases:hearings", args=[case.pk])).content.decode()
    assert f"{day:%a} 9 Feb {day.year}, 08:00 ChST" in page


# Daylight saving time


def test_it_refuses_a_time_the_clocks_skip(as_user, attorney, case):
    response = as_user(attorney).post(
        reverse("cases:hearing-add", args=[case.pk]), form(case, spring_forward(), "02:30")
    )
    assert response.status_code == 200
    assert "does not exist" in errors_of(response)["starts"][0]
    assert "America/Chicago" in errors_of(response)["starts"][0]
    assert not case.hearings.exists()


def test_it_refuses_an_end_the_clocks_skip(attorney, case):
    with pytest.raises(ValidationError) as error:
        schedule(attorney, case, spring_forward(), time(1, 0), ends=time(2, 15))
    assert set(error.value.message_dict) == {"ends"}


def test_it_takes_the_first_of_a_repeated_time_and_says_so(as_user, attorney, case):
    day = fall_back()
    response = as_user(attorney).post(
        reverse("cases:hearing-add", args=[case.pk]), form(case, day, "01:30"), follow=True
    )
    hearing = case.hearings.get()
    assert hearing.starts_at == datetime(day.year, 11, day.day, 6, 30, tzinfo=UTC)  # 01:30 CDT
    page = response.content.decode()
    assert "happens twice" in page
    assert "01:30 CDT" in page


# Bad input


def test_a_hearing_needs_a_court_on_a_defensive_case(as_user, attorney, case):
    response = as_user(attorney).post(reverse("cases:hearing-add", args=[case.pk]), form(case, winter_day(), court=""))
    assert response.status_code == 200
    assert errors_of(response)["court"] == ["Choose the immigration court of this hearing."]


def test_a_hearing_without_a_court_on_an_affirmative_case_is_in_the_zone_picked(attorney, affirmative_case):
    hearing = schedule(attorney, affirmative_case, winter_day(), court=None, time_zone="America/Phoenix")
    assert str(hearing.time_zone) == "America/Phoenix"


def test_an_interview_needs_no_court_and_takes_none(as_user, attorney, case):
    response = as_user(attorney).post(
        reverse("cases:hearing-add", args=[case.pk]), form(case, winter_day(), kind="interview", court="")
    )
    assert response.status_code == 302
    with pytest.raises(ValidationError) as error:
        schedule(attorney, case, winter_day(), kind=Hearing.Kind.INTERVIEW)
    assert "leave the court empty" in error.value.message_dict["court"][0]


@pytest.mark.parametrize("ends", ["08:30", "08:00"])
def test_the_end_must_be_after_the_start(as_user, attorney, case, ends):
    response = as_user(attorney).post(reverse("cases:hearing-add", args=[case.pk]), form(case, winter_day(), ends=ends))
    assert response.status_code == 200
    assert errors_of(response)["ends"] == ["The end must be after the start (08:30)."]
    assert not case.hearings.exists()


def test_a_past_hearing_can_be_recorded(attorney, case):
    hearing = schedule(attorney, case, timezone.localdate() - timedelta(days=300))
    assert hearing.starts_at < timezone.now()


def test_a_new_hearing_more_than_a_year_ago_is_refused(as_user, attorney, case):
    day = timezone.localdate() - timedelta(days=370)
    response = as_user(attorney).post(reverse("cases:hearing-add", args=[case.pk]), form(case, day))
    assert errors_of(response)["day"] == ["This date is more than a year ago: check the year."]


def test_a_hearing_more_than_ten_years_ahead_is_refused(attorney, case):
    with pytest.raises(ValidationError) as error:
        schedule(attorney, case, date(timezone.now().year + 11, 2, 9))
    assert "years ahead" in error.value.message_dict["day"][0]


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "trial"}, {"day": "31/02/2027"}, {"day": "9999-12-31"}, {"day": "0001-01-01"}, {"starts": "25:00"},
        {"starts": ""}, {"time_zone": "Mars/Olympus"}, {"court": "999999"}, {"medium": "fax"},
        {"interpreter_language": "xx"}, {"judge": "J" * 101},
    ],
)  # fmt: skip
def test_bad_input_gets_a_message_not_an_error_page(as_user, attorney, case, bad):
    response = as_user(attorney).post(reverse("cases:hearing-add", args=[case.pk]), form(case, winter_day()) | bad)
    assert response.status_code == 200
    assert errors_of(response)
    assert not case.hearings.exists()


# Changing, results, deleting


def test_it_moves_a_hearing_to_another_court_and_its_zone(as_user, attorney, case, hearing):
    data = form(case, winter_day(), "08:30", court=court("ELP").pk, ends="11:00", judge=hearing.judge)
    response = as_user(attorney).post(reverse("cases:hearing-edit", args=[case.pk, hearing.pk]), data)
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert str(hearing.time_zone) == "America/Denver"
    assert hearing.starts_at == datetime(winter_day().year, 2, 9, 15, 30, tzinfo=UTC)
    event = AuditEvent.objects.filter(action="update").latest()
    assert set(event.changes["fields"]) == {"court", "time_zone", "starts_at", "ends_at"}


def test_the_edit_page_shows_the_time_as_entered(as_user, attorney, case, hearing):
    response = as_user(attorney).get(reverse("cases:hearing-edit", args=[case.pk, hearing.pk]))
    bound = response.context["form"]
    assert (bound["day"].value(), bound["starts"].value(), bound["ends"].value()) == (
        winter_day(),
        time(8, 30),
        time(11, 0),
    )


def test_saving_an_unchanged_hearing_writes_no_audit(attorney, case, hearing):
    before = AuditEvent.objects.count()
    data = hearing_data(case, winter_day(), ends=time(11, 0), judge=hearing.judge)
    hearing_services.hearing_update(actor=attorney, hearing=hearing, data=data)
    assert AuditEvent.objects.count() == before


def test_an_old_hearing_can_be_edited_without_moving_it(attorney, case):
    old_day = timezone.localdate() - timedelta(days=500)
    old = Hearing.objects.create(
        case=case, kind="master", court=case.court, time_zone="America/Chicago",
        starts_at=datetime.combine(old_day, time(15, 0), tzinfo=UTC),
    )  # fmt: skip
    data = hearing_data(case, old_day, time(9, 0), judge="Hon. B. Ortiz")
    hearing_services.hearing_update(actor=attorney, hearing=old, data=data)
    assert Hearing.objects.get(pk=old.pk).judge == "Hon. B. Ortiz"
    with pytest.raises(ValidationError):
        hearing_services.hearing_update(actor=attorney, hearing=old, data=data | {"day": old_day - timedelta(days=1)})


def test_an_adjournment_needs_a_reason(as_user, attorney, case):
    past = schedule(attorney, case, timezone.localdate() - timedelta(days=3))
    url = reverse("cases:hearing-result", args=[case.pk, past.pk])
    response = as_user(attorney).post(url, {"result": "adjourned", "adjournment_reason": " "})
    assert errors_of(response)["adjournment_reason"] == ["Say why the hearing was adjourned."]
    response = as_user(attorney).post(
        url, {"result": "adjourned", "adjournment_reason": "Respondent to seek counsel", "notes": "Reset to March."}
    )
    assert response.status_code == 302
    past.refresh_from_db()
    assert (past.result, past.adjournment_reason, past.notes) == (
        "adjourned",
        "Respondent to seek counsel",
        "Reset to March.",
    )


def test_a_reason_is_kept_only_for_an_adjournment(attorney, case):
    past = schedule(attorney, case, timezone.localdate() - timedelta(days=3))
    hearing_services.hearing_record_result(
        actor=attorney, hearing=past, result="adjourned", adjournment_reason="IJ ill"
    )
    hearing_services.hearing_record_result(actor=attorney, hearing=past, result="held", adjournment_reason="IJ ill")
    past.refresh_from_db()
    assert (past.result, past.adjournment_reason) == ("held", "")


def test_a_future_hearing_can_only_be_cancelled(attorney, case, hearing):
    with pytest.raises(ValidationError) as error:
        hearing_services.hearing_record_result(actor=attorney, hearing=hearing, result="held")
    assert "only be cancelled" in error.value.message_dict["result"][0]
    hearing_services.hearing_record_result(actor=attorney, hearing=hearing, result="cancelled")
    hearing.refresh_from_db()
    assert hearing.result == "cancelled"


def test_it_deletes_after_confirmation(as_user, attorney, case, hearing):
    url = reverse("cases:hearing-delete", args=[case.pk, hearing.pk])
    page = as_user(attorney).get(url)
    assert "Delete this hearing?" in page.content.decode()
    assert Hearing.objects.filter(pk=hearing.pk).exists()
    response = as_user(attorney).post(url)
    assert response.url == reverse("cases:hearings", args=[case.pk])
    assert not Hearing.objects.filter(pk=hearing.pk).exists()


def test_every_write_is_audited_by_case_number(attorney, case, principal):
    day = timezone.localdate() - timedelta(days=2)
    hearing = schedule(attorney, case, day, ends=time(9, 30))
    hearing_services.hearing_update(actor=attorney, hearing=hearing, data=hearing_data(case, day, judge="Hon. X"))
    hearing_services.hearing_record_result(actor=attorney, hearing=hearing, result="held")
    pk = hearing.pk
    hearing_services.hearing_delete(actor=attorney, hearing=hearing)
    events = AuditEvent.objects.filter(object_type="cases.hearing", object_id=str(pk)).order_by("id")
    assert [event.action for event in events] == ["create", "update", "update", "delete"]
    for event in events:
        assert (event.actor, event.clinic, event.object_label) == (attorney, case.clinic, case.number)
        assert principal.paternal_surname not in event.summary


def test_services_refuse_who_may_not_change_the_case(intake_user, colleague, case, hearing):
    for actor in (intake_user, colleague):
        with pytest.raises(PermissionDenied):
            schedule(actor, case, winter_day())
        with pytest.raises(PermissionDenied):
            hearing_services.hearing_record_result(actor=actor, hearing=hearing, result="cancelled")
        with pytest.raises(PermissionDenied):
            hearing_services.hearing_delete(actor=actor, hearing=hearing)


# The list


def test_it_lists_upcoming_soonest_first_then_past_latest_first(as_user, attorney, case):
    today = timezone.localdate()
    far, soon = (
        schedule(attorney, case, today + timedelta(days=60)),
        schedule(attorney, case, today + timedelta(days=5)),
    )
    older, recent = (
        schedule(attorney, case, today - timedelta(days=90)),
        schedule(attorney, case, today - timedelta(days=2)),
    )
    response = as_user(attorney).get(reverse("cases:hearings", args=[case.pk]))
    assert [row.hearing for row in response.context["upcoming"]] == [soon, far]
    assert [row.hearing for row in response.context["past"]] == [recent, older]
    page = response.content.decode()
    assert page.index(f"hearing-{soon.pk}") < page.index(f"hearing-{far.pk}") < page.index(f"hearing-{recent.pk}")
    assert page.count("Result not recorded") == 2


def test_the_list_runs_a_fixed_number_of_queries(as_user, attorney, case, django_assert_num_queries):
    client, url = as_user(attorney), reverse("cases:hearings", args=[case.pk])
    client.get(url)  # the first request of a session records its activity (a session write)
    schedule(attorney, case, winter_day())
    # 1 the user with membership and clinic (the session comes from the cache), 2 the case with its
    # client and court, 3 the hearings with their court, 4 the team and 5 the lead's user (the
    # header), 6 whether the attorney is on the case (may they change it), 7-8 the audit event of
    # the look (its clinic, the insert).
    with django_assert_num_queries(8):
        client.get(url)
    for days in range(1, 12):
        schedule(attorney, case, winter_day() + timedelta(days=days), court=court("SAI" if days % 2 else "DAL"))
    with django_assert_num_queries(8):
        assert len(client.get(url).context["upcoming"]) == 12


def test_intake_staff_see_the_hearings_but_not_the_notes_or_the_buttons(as_user, attorney, intake_user, case):
    schedule(attorney, case, winter_day(), notes="IJ doubts the nexus; prepare the expert.")
    page = as_user(intake_user).get(reverse("cases:hearings", args=[case.pk])).content.decode()
    assert "Master calendar hearing" in page
    assert "IJ doubts the nexus" not in page
    assert "Record the result" not in page
    assert "Add a hearing or interview" not in page
    assert "IJ doubts the nexus" in as_user(attorney).get(reverse("cases:hearings", args=[case.pk])).content.decode()


def test_a_hearing_of_another_case_is_not_found_here(as_user, attorney, principal, case, hearing):
    other = services.case_open(
        actor=attorney,
        client=principal,
        data={"process": Case.Process.DEFENSIVE, "court": case.court},
        lead_attorney=attorney,
    )
    response = as_user(attorney).get(reverse("cases:hearing-edit", args=[other.pk, hearing.pk]))
    assert response.status_code == 404


# Who may do what: every view, every role


def hearing_urls(case, hearing):
    return {
        "list": ("get", reverse("cases:hearings", args=[case.pk])),
        "add": ("get", reverse("cases:hearing-add", args=[case.pk])),
        "add-post": ("post", reverse("cases:hearing-add", args=[case.pk])),
        "edit": ("get", reverse("cases:hearing-edit", args=[case.pk, hearing.pk])),
        "edit-post": ("post", reverse("cases:hearing-edit", args=[case.pk, hearing.pk])),
        "result": ("get", reverse("cases:hearing-result", args=[case.pk, hearing.pk])),
        "result-post": ("post", reverse("cases:hearing-result", args=[case.pk, hearing.pk])),
        "delete": ("get", reverse("cases:hearing-delete", args=[case.pk, hearing.pk])),
        "delete-post": ("post", reverse("cases:hearing-delete", args=[case.pk, hearing.pk])),
    }


CHANGE_VIEWS = ["add", "add-post", "edit", "edit-post", "result", "result-post", "delete", "delete-post"]


def statuses(client, case, hearing) -> dict:
    """Each view's status code; a POST carries data that would be valid, so only access decides."""
    data = {"result": "cancelled", **form(case, winter_day())}
    return {
        name: getattr(client, method)(url, data).status_code
        for name, (method, url) in hearing_urls(case, hearing).items()
    }


def expect(list_status: int, change_status: int) -> dict:
    return {"list": list_status} | dict.fromkeys(CHANGE_VIEWS, change_status)


def test_the_lead_attorney_may_do_everything(as_user, attorney, case, hearing):
    got = statuses(as_user(attorney), case, hearing)
    assert got == {"list": 200, "add": 200, "add-post": 302, "edit": 200, "edit-post": 302, "result": 200,
                   "result-post": 302, "delete": 200, "delete-post": 302}  # fmt: skip


def test_a_supervisor_may_do_everything(as_user, supervisor, case, hearing):
    got = statuses(as_user(supervisor), case, hearing)
    assert {status for name, status in got.items() if name.endswith("post")} == {302}
    assert {status for name, status in got.items() if not name.endswith("post")} == {200}


def test_intake_staff_see_but_do_not_change(as_user, intake_user, case, hearing):
    assert statuses(as_user(intake_user), case, hearing) == expect(200, 403)
    assert Hearing.objects.get(pk=hearing.pk).result == ""


def test_an_attorney_not_on_the_case_finds_nothing(as_user, colleague, case, hearing):
    assert statuses(as_user(colleague), case, hearing) == expect(404, 404)


def test_an_attorney_not_on_the_case_reads_when_the_clinic_allows(as_user, colleague, clinic, case, hearing):
    clinic.attorneys_read_all_cases = True
    clinic.save(update_fields=["attorneys_read_all_cases"])
    assert statuses(as_user(colleague), case, hearing) == expect(200, 403)


def test_clinic_admins_are_refused(as_user, clinic_admin, case, hearing):
    assert statuses(as_user(clinic_admin), case, hearing) == expect(403, 403)


@pytest.mark.parametrize("role", CASE_ROLES)
def test_another_clinics_staff_find_nothing(as_user, outsiders, case, hearing, role):
    assert statuses(as_user(outsiders[role]), case, hearing) == expect(404, 404)
    assert Hearing.objects.filter(pk=hearing.pk, result="").exists()


def test_another_clinics_admin_is_refused(as_user, outsiders, case, hearing):
    assert statuses(as_user(outsiders[Role.CLINIC_ADMIN]), case, hearing) == expect(403, 403)


def test_a_signed_out_visitor_is_sent_to_sign_in(client, case, hearing):
    for method, url in hearing_urls(case, hearing).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert Hearing.objects.filter(pk=hearing.pk).exists()
