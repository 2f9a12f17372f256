"""The bell and the calendar feed in a real browser: an attorney with reminders sees the count on the
bell, opens the notifications, follows one to its case, marks the rest read, then creates a calendar
feed address from the account menu and the feed answers without a session."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cases.models import CaseAssignment
from clinic.demo import DEMO_PASSWORD, seed_demo
from clinic.models import Notification
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def reminders(transactional_db):
    """Three notifications for the demo attorney about their own cases: two unread, one read."""
    seed_demo()
    attorney = get_user_model().objects.get(username="attorney")
    cases = [a.case for a in CaseAssignment.objects.filter(user=attorney).select_related("case").order_by("case_id")]
    first, second = cases[0], cases[-1]
    clinic = attorney.membership.clinic
    read = Notification.objects.create(
        user=attorney,
        clinic=clinic,
        message=f"Hearing on {second.number} tomorrow at 08:30",
        url=f"/cases/{second.pk}/",
    )
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    Notification.objects.create(
        user=attorney,
        clinic=clinic,
        message=f"Deadline in 7 days on {second.number}: file the evidence packet",
        url=f"/cases/{second.pk}/",
    )
    newest = Notification.objects.create(
        user=attorney,
        clinic=clinic,
        message=f"Deadline in 3 days on {first.number}: respond to the DHS brief",
        url=f"/cases/{first.pk}/",
    )
    return {"case": first, "newest": newest}


def test_an_attorney_reads_notifications_and_subscribes_to_the_calendar(new_page, reminders, live_server):
    case = reminders["case"]
    page = new_page()
    sign_in(page, "attorney", DEMO_PASSWORD)
    navigation = page.get_by_role("navigation", name="Main navigation")
    bell = navigation.get_by_role("link", name="2 unread notifications")
    expect(bell).to_be_visible()
    expect(bell).to_contain_text("2")
    screenshot(page, "notifications-bell")

    bell.click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    unread = page.locator(".notification-list li.notification-unread")
    expect(unread).to_have_count(2)
    expect(page.locator(".notification-list li")).to_have_count(3)
    screenshot(page, "notifications-list")

    page.get_by_role("button", name=reminders["newest"].message).click()
    expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")
    expect(navigation.get_by_role("link", name="1 unread notification")).to_be_visible()

    navigation.get_by_role("link", name="1 unread notification").click()
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("1 notification marked read.")).to_be_visible()
    expect(page.locator(".notification-list li.notification-unread")).to_have_count(0)
    expect(navigation.get_by_role("link", name="No unread notifications")).to_be_visible()

    navigation.locator("button.dropdown-toggle").click()
    page.get_by_role("link", name="Calendar feed").click()
    expect(page.get_by_role("heading", level=1, name="Calendar feed")).to_be_visible()
    page.get_by_role("button", name="Create my feed address").click()
    expect(page.get_by_text("Your calendar feed is ready.")).to_be_visible()
    address = page.get_by_label("Subscribe to this address")
    expect(address).to_have_value(re.compile(r"/calendar/[A-Za-z0-9_-]{43}\.ics$"))
    screenshot(page, "calendar-feed")

    path = "/calendar/" + address.input_value().rsplit("/calendar/", 1)[1]
    anonymous = new_page()
    feed = anonymous.request.get(path)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text()
    assert page.console_errors == []
