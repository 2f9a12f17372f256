"""The bell: each person sees and marks only their own notifications; the count in the navigation
costs one query at most, none for a visitor who is not signed in."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from clinic.context_processors import navigation
from clinic.models import Membership, Notification
from clinic.notifications import unread_count_subquery
from clinic.redirects import same_site_path as safe_target

Role = Membership.Role
LIST = reverse("notifications:list")
READ_ALL = reverse("notifications:read-all")


def notify(user, message="Deadline due in 7 days on LA-2026-0001", url="/cases/1/", read=False) -> Notification:
    return Notification.objects.create(
        user=user,
        clinic=user.membership.clinic,
        message=message,
        url=url,
        read_at=timezone.now() if read else None,
    )


def open_url(notification: Notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_notifications_and_no_one_elses(as_user, staff, outsiders, role):
    user = staff[role]
    mine = notify(user, message=f"Hearing tomorrow on LA-2026-00{len(role)} for {role}")
    colleague = next(other for other in staff.values() if other != user)
    theirs = notify(colleague, message="Colleague's reminder LA-2026-0999")
    outsider = notify(outsiders[role], message="Other clinic's reminder BR-2026-0001")

    response = as_user(user).get(LIST)

    assert response.status_code == 200
    assert mine.message in response.text
    assert theirs.message not in response.text
    assert outsider.message not in response.text
    assert list(response.context["page"].object_list) == [mine]


def test_another_users_notification_answers_404_and_stays_unread(as_user, attorney, supervisor, outsiders):
    colleague = notify(supervisor)
    outsider = notify(outsiders[Role.ATTORNEY])
    client = as_user(attorney)

    for notification in (colleague, outsider):
        assert client.post(open_url(notification)).status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None


def test_an_unknown_notification_answers_404(as_user, attorney):
    assert as_user(attorney).post(reverse("notifications:open", args=[999_999])).status_code == 404


def test_the_bell_shows_the_unread_count(as_user, attorney, supervisor):
    for _ in range(3):
        notify(attorney)
    notify(attorney, read=True)
    notify(supervisor)  # someone else's: not counted

    response = as_user(attorney).get(reverse("cases:my-work"))

    assert response.status_code == 200
    assert "3 unread notifications" in response.text
    assert f'href="{LIST}"' in response.text


def test_the_bell_says_one_notification_in_the_singular(as_user, intake_user):
    notify(intake_user)
    response = as_user(intake_user).get(LIST)
    assert "1 unread notification<" in response.text


def test_the_bell_without_unread_notifications_says_so(as_user, clinic_admin):
    notify(clinic_admin, read=True)
    response = as_user(clinic_admin).get(reverse("clinic:staff-list"))
    assert "No unread notifications" in response.text
    assert "unread notifications<" not in response.text.replace("No unread notifications<", "")


def test_no_bell_for_a_visitor_who_is_not_signed_in(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert LIST not in response.text


def test_opening_a_notification_marks_it_read_and_follows_its_link(as_user, attorney):
    notification = notify(attorney, url="/cases/42/hearings/")
    other = notify(attorney)

    response = as_user(attorney).post(open_url(notification))

    assert response.status_code == 302
    assert response.url == "/cases/42/hearings/"
    notification.refresh_from_db()
    other.refresh_from_db()
    assert notification.read_at is not None
    assert other.read_at is None


def test_opening_a_read_notification_keeps_its_first_read_time(as_user, attorney):
    notification = notify(attorney, read=True)
    first = notification.read_at
    as_user(attorney).post(open_url(notification))
    notification.refresh_from_db()
    assert notification.read_at == first


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/cases/1/",
        "//evil.example/cases/1/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "cases/1/",
        "",
    ],
)
def test_a_link_to_another_site_is_never_followed(as_user, attorney, url):
    notification = notify(attorney, url=url)
    response = as_user(attorney).post(open_url(notification))
    assert response.status_code == 302
    assert response.url == LIST


def test_safe_target_keeps_paths_with_queries():
    assert safe_target("/cases/1/?tab=deadlines#d-3") == "/cases/1/?tab=deadlines#d-3"
    assert safe_target(" /cases/1/ ") == "/cases/1/"


def test_opening_needs_a_post(as_user, attorney):
    notification = notify(attorney)
    assert as_user(attorney).get(open_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_the_users_own(as_user, attorney, supervisor):
    mine = [notify(attorney) for _ in range(3)]
    theirs = notify(supervisor)

    response = as_user(attorney).post(READ_ALL, follow=True)

    assert response.status_code == 200
    assert "3 notifications marked read." in response.text
    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "unread notifications<" not in response.text.replace("No unread notifications<", "")


def test_mark_all_read_with_nothing_unread(as_user, attorney):
    response = as_user(attorney).post(READ_ALL, follow=True)
    assert "There was nothing unread." in response.text


def test_mark_all_read_needs_a_post(as_user, attorney):
    notify(attorney)
    assert as_user(attorney).get(READ_ALL).status_code == 405
    assert Notification.objects.unread().count() == 1


def test_the_list_is_newest_first_paginated_and_highlights_unread(as_user, attorney):
    for number in range(30):
        notify(attorney, message=f"Reminder number {number:02d}", read=number % 2 == 0)
    client = as_user(attorney)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})
    nonsense = client.get(LIST, {"page": "x'); DROP"})

    assert [n.message for n in first.context["page"].object_list][:2] == ["Reminder number 29", "Reminder number 28"]
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert nonsense.status_code == 200
    assert "Unread:" in first.text
    assert "notification-unread" in first.text
    assert "Mark all read" in first.text


def test_an_empty_list_says_so(as_user, supervisor):
    response = as_user(supervisor).get(LIST)
    assert response.status_code == 200
    assert "No notifications yet." in response.text
    assert "Mark all read" not in response.text


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_account_without_a_clinic_gets_403(client, django_user_model):
    user = django_user_model.objects.create_user("loner", password="x")
    client.force_login(user)
    assert client.get(LIST).status_code == 403
    assert client.post(READ_ALL).status_code == 403


def _request(user, membership):
    request = RequestFactory().get("/")
    request.user = user
    request.membership = membership
    request.resolver_match = None
    return request


def test_the_context_processor_costs_one_query_at_most(attorney, django_assert_num_queries):
    """Without ClinicMiddleware's annotation (a bare request), one query, and only once."""
    notify(attorney)
    notify(attorney)
    membership = Membership.objects.select_related("clinic").get(user=attorney)
    attorney.membership = membership
    request = _request(attorney, membership)

    with django_assert_num_queries(1):
        context = navigation(request)
        assert context["unread_notifications"]() == 2
        assert context["unread_notifications"]() == 2  # asked again: no second query


def test_the_context_processor_uses_the_count_loaded_with_the_membership(attorney, django_assert_num_queries):
    notify(attorney)
    notify(attorney, read=True)
    membership = (
        Membership.objects.select_related("clinic")
        .annotate(unread_notifications=unread_count_subquery())
        .get(user=attorney)
    )
    attorney.membership = membership
    with django_assert_num_queries(0):
        assert navigation(_request(attorney, membership))["unread_notifications"]() == 1


def test_the_context_processor_costs_nothing_for_visitors(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        context = navigation(_request(AnonymousUser(), None))
    assert "unread_notifications" not in context


def test_a_page_adds_no_query_for_the_bell(as_user, attorney, django_assert_num_queries):
    """The count comes with the user and membership loaded on every request (clinic.backends)."""
    notify(attorney)
    notify(attorney)
    client = as_user(attorney)
    client.get(reverse("notifications:list"))
    # user with membership, clinic and the unread count (the session comes from the cache); the
    # list: its count, its rows, whether any is unread (for "Mark all read"). Nothing for the bell.
    with django_assert_num_queries(4) as captured:
        response = client.get(LIST)
    assert "2 unread notifications" in response.text
    membership_sql = [q["sql"] for q in captured.captured_queries if "clinic_membership" in q["sql"]]
    assert len(membership_sql) == 1
    assert "clinic_notification" in membership_sql[0]
