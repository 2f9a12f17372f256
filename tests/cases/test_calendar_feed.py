"""The iCalendar feed: per person, behind a secret token that can be replaced or revoked, with the
hearings and deadlines their role covers, and never a client's name, A-number or address."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cases import feed_services, services
from cases.models import CalendarFeed, Hearing
from clinic.models import AuditEvent, Membership
from tests.cases.hearing_data import schedule
from tests.factories import staff_member

Role = Membership.Role
PAGE = reverse("cases:feed")
ISSUE = reverse("cases:feed-issue")
REVOKE = reverse("cases:feed-revoke")


def feed_path(user) -> str:
    return reverse("cases:feed-ics", args=[CalendarFeed.objects.get(user=user).token])


def subscribe(user) -> str:
    feed_services.feed_issue(actor=user)
    return feed_path(user)


def events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def summaries(response) -> list[str]:
    return [str(event["SUMMARY"]) for event in events(response)]


@pytest.fixture
def dates(case, attorney):
    """A hearing in ten days (no end time), one in a month (9:00 to 12:00 in Dallas), an open
    deadline, a finished one, a cancelled hearing, and one outside the window."""
    today = timezone.localdate()
    master = schedule(attorney, case, today + timedelta(days=10), time(8, 30), time_zone="America/Chicago")
    individual = schedule(
        attorney,
        case,
        today + timedelta(days=31),
        time(9, 0),
        kind=Hearing.Kind.INDIVIDUAL,
        ends=time(12, 0),
        time_zone="America/Chicago",
    )
    cancelled = schedule(attorney, case, today + timedelta(days=12), time(10, 0))
    Hearing.objects.filter(pk=cancelled.pk).update(result=Hearing.Result.CANCELLED)
    far = schedule(attorney, case, today + timedelta(days=800), time(10, 0))
    due = services.deadline_add(actor=attorney, case=case, title="File evidence packet", due_on=today + timedelta(7))
    due.citation = "ICPM 3.1(b)(ii)(A)"
    due.save(update_fields=["citation"])
    done = services.deadline_add(actor=attorney, case=case, title="Send EOIR-28", due_on=today + timedelta(days=3))
    services.deadline_finish(actor=attorney, deadline=done, status="done")
    return {"master": master, "individual": individual, "cancelled": cancelled, "far": far, "due": due, "done": done}


def test_the_attorneys_feed_has_the_hearings_and_open_deadlines_of_their_cases(client, attorney, case, dates):
    response = client.get(subscribe(attorney))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"] == "private, no-store"
    by_summary = {str(event["SUMMARY"]): event for event in events(response)}
    assert {
        f"Master calendar hearing — {case.number}",
        f"Individual hearing — {case.number}",
        f"Due: File evidence packet — {case.number}",
    } <= set(by_summary)
    assert len([s for s in by_summary if not s.startswith("Due:")]) == 2  # not the cancelled or far one
    # Timed hearings in UTC with their length (one hour when no end time was given).
    master = by_summary[f"Master calendar hearing — {case.number}"]
    assert master["DTSTART"].dt == dates["master"].starts_at
    assert master["DTSTART"].dt.utcoffset() == timedelta(0)
    assert master["DTEND"].dt - master["DTSTART"].dt == timedelta(hours=1)
    assert b"DTSTART:" in response.content
    assert b"Z\r\n" in response.content
    individual = by_summary[f"Individual hearing — {case.number}"]
    assert individual["DTEND"].dt - individual["DTSTART"].dt == timedelta(hours=3)
    assert str(individual["LOCATION"]) == case.court.name
    # Open deadlines as all-day events with the rule's citation and a link to the case.
    deadline = by_summary[f"Due: File evidence packet — {case.number}"]
    assert deadline["DTSTART"].dt == dates["due"].due_on
    assert deadline["DTEND"].dt == dates["due"].due_on + timedelta(days=1)
    assert b"DTSTART;VALUE=DATE:" in response.content
    description = str(deadline["DESCRIPTION"])
    assert "ICPM 3.1(b)(ii)(A)" in description
    assert f"{settings.SITE_URL}/cases/{case.pk}/" in description
    assert f"{settings.SITE_URL}/cases/{case.pk}/" in str(master["DESCRIPTION"])


def test_cancelled_finished_and_far_away_dates_are_left_out(client, attorney, case, dates):
    body = client.get(subscribe(attorney)).content.decode()
    assert "Send EOIR-28" not in body
    assert f"-hearing-{dates['cancelled'].pk}@" not in body
    assert f"-hearing-{dates['far'].pk}@" not in body
    assert f"-hearing-{dates['master'].pk}@" in body


def test_uids_are_stable_between_fetches(client, attorney, dates):
    path = subscribe(attorney)
    first = [str(event["UID"]) for event in events(client.get(path))]
    second = [str(event["UID"]) for event in events(client.get(path))]
    assert first == second
    assert len(set(first)) == len(first)


def test_no_client_name_a_number_or_address_in_the_feed(client, attorney, case, principal, dates):
    principal.a_number = "201234567"
    principal.save(update_fields=["a_number"])
    for path in (subscribe(attorney),):
        body = client.get(path).content.decode()
        for secret in (
            principal.given_names,
            "Javier",
            principal.paternal_surname,
            "Castañeda",
            principal.maternal_surname,
            "Daniela",
            "Mateo",
            "201234567",
            "A-201-234-567",
            "201-234-567",
        ):
            assert secret not in body, secret
        assert case.number in body


def test_an_attorney_sees_only_the_cases_they_are_assigned_to(client, clinic, case, dates):
    colleague = staff_member(clinic, Role.ATTORNEY, username="la-attorney-2")
    clinic.attorneys_read_all_cases = True  # reading colleagues' cases does not fill the calendar
    clinic.save()
    response = client.get(subscribe(colleague))
    assert response.status_code == 200
    assert events(response) == []


def test_the_supervisor_sees_every_case_of_the_clinic(client, supervisor, case, dates):
    found = summaries(client.get(subscribe(supervisor)))
    assert f"Master calendar hearing — {case.number}" in found
    assert f"Due: File evidence packet — {case.number}" in found


def test_intake_staff_see_the_hearings_but_no_deadlines(client, intake_user, case, dates):
    found = summaries(client.get(subscribe(intake_user)))
    assert f"Master calendar hearing — {case.number}" in found
    assert f"Individual hearing — {case.number}" in found
    assert not [summary for summary in found if summary.startswith("Due:")]


def test_clinic_admins_have_no_feed(as_user, clinic_admin, case, dates):
    client = as_user(clinic_admin)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Your role has no hearings or deadlines" in page.text
    assert ISSUE not in page.text
    assert client.post(ISSUE).status_code == 403
    assert not CalendarFeed.objects.filter(user=clinic_admin).exists()
    # A feed left over from an earlier role shows nothing.
    CalendarFeed.objects.create(user=clinic_admin, token=feed_services.new_token())
    assert events(client.get(feed_path(clinic_admin))) == []


def test_another_clinics_data_never_appears(client, supervisor, attorney, outsiders, case, other_case, dates):
    # Both test clinics number their cases CL-...: tell them apart by the links and the UIDs.
    theirs = schedule(outsiders[Role.ATTORNEY], other_case, timezone.localdate() + timedelta(days=5))
    services.deadline_add(
        actor=outsiders[Role.ATTORNEY], case=other_case, title="Other clinic's filing", due_on=timezone.localdate()
    )
    for user in (supervisor, attorney):
        body = client.get(subscribe(user)).content.decode()
        assert f"/cases/{other_case.pk}/" not in body
        assert f"-hearing-{theirs.pk}@" not in body
        assert "Other clinic's filing" not in body
        assert f"-hearing-{dates['master'].pk}@" in body
    for role in (Role.SUPERVISOR, Role.ATTORNEY, Role.INTAKE):
        body = client.get(subscribe(outsiders[role])).content.decode()
        assert f"/cases/{case.pk}/" not in body
        assert f"-hearing-{dates['master'].pk}@" not in body
        assert "File evidence packet" not in body
        assert f"-hearing-{theirs.pk}@" in body


def test_the_feed_needs_no_sign_in_but_the_page_does(client, attorney, dates):
    path = subscribe(attorney)
    assert client.get(path).status_code == 200

    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.post(ISSUE).status_code == 302
    assert client.post(REVOKE).status_code == 302
    assert CalendarFeed.objects.filter(user=attorney).count() == 1


def test_create_replace_and_revoke_from_the_page(as_user, attorney, dates):
    client = as_user(attorney)
    page = client.get(PAGE)
    assert "Create my feed address" in page.text
    assert ".ics" not in page.text

    client.post(ISSUE)
    feed = CalendarFeed.objects.get(user=attorney)
    assert len(feed.token) >= 43
    page = client.get(PAGE)
    assert f"{settings.SITE_URL}/calendar/{feed.token}.ics" in page.text
    assert "Google Calendar" in page.text
    assert "Outlook" in page.text
    old = feed_path(attorney)
    assert client.get(old).status_code == 200

    # Replace: the old address stops working, the new one works.
    response = client.post(ISSUE, follow=True)
    assert "The old one no longer works" in response.text
    new = feed_path(attorney)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200

    # Revoke: the address answers 404.
    response = client.post(REVOKE, follow=True)
    assert "turned off" in response.text
    assert client.get(new).status_code == 404
    assert not CalendarFeed.objects.filter(user=attorney).exists()
    assert client.post(REVOKE, follow=True).status_code == 200  # nothing to revoke: no error

    actions = list(
        AuditEvent.objects.filter(actor=attorney, object_type="cases.calendarfeed")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE, AuditEvent.Action.DELETE]


def test_page_actions_need_a_post(as_user, attorney):
    client = as_user(attorney)
    assert client.get(ISSUE).status_code == 405
    assert client.get(REVOKE).status_code == 405
    assert not CalendarFeed.objects.filter(user=attorney).exists()


def test_a_deactivated_user_or_one_without_a_clinic_has_no_feed(client, attorney, dates):
    path = subscribe(attorney)
    attorney.is_active = False
    attorney.save()
    assert client.get(path).status_code == 404

    attorney.is_active = True
    attorney.save()
    assert client.get(path).status_code == 200
    Membership.objects.filter(user=attorney).delete()
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/short.ics",
        "/calendar/" + "a" * 43 + ".ics",
        "/calendar/" + "a" * 43,
        "/calendar/" + "a" * 43 + ".ics/",
        "/calendar/%00" + "a" * 43 + ".ics",
        "/calendar/" + "a" * 200 + ".ics",
    ],
)
def test_unknown_or_malformed_tokens_answer_404(client, attorney, path):
    subscribe(attorney)
    assert client.get(path).status_code == 404


def test_the_feed_only_answers_get(client, attorney):
    path = subscribe(attorney)
    assert client.post(path).status_code in (403, 405)  # CSRF or method: never data


def test_hearing_times_are_utc_in_the_feed(client, attorney, case):
    day = date(timezone.now().year + 1, 1, 15)
    if day > timezone.localdate() + timedelta(days=700):
        day = timezone.localdate() + timedelta(days=60)
    hearing = schedule(attorney, case, day, time(9, 0), time_zone="America/Chicago")
    event = events(client.get(subscribe(attorney)))[0]
    assert event["DTSTART"].dt == hearing.starts_at.astimezone(UTC)
    assert event["DTSTART"].dt == datetime.combine(day, time(15, 0), tzinfo=UTC)  # 9:00 CST
