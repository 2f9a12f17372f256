"""Hearings in a real browser: an attorney schedules a master calendar and an individual hearing on
a case, sees them on the case's Hearings tab and on the calendar's month view."""

from datetime import date, time

from django.utils import timezone
from playwright.sync_api import expect

from cases import hearing_times
from clinic.demo import DEMO_PASSWORD
from tests.browser.conftest import screenshot, sign_in

DALLAS = "America/Chicago"


def add_hearing(page, kind: str, day: date, starts: str, ends: str = "", judge: str = "") -> None:
    page.get_by_role("link", name="Add a hearing or interview").click()
    page.get_by_label("Type").select_option(label=kind)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Start time").fill(starts)
    if ends:
        page.get_by_label("End time").fill(ends)
    if judge:
        page.get_by_label("Immigration judge").fill(judge)
    page.get_by_label("Interpreter").select_option(label="Spanish")
    page.get_by_role("button", name="Add to the case").click()


def test_an_attorney_schedules_hearings_and_finds_them_on_the_calendar(new_page, case):
    # Next month, so both are upcoming whatever today is; the 10th and the 24th are never DST days.
    month = hearing_times.add_months(timezone.localdate(), 1)
    master_day, individual_day = month.replace(day=10), month.replace(day=24)
    page = new_page()
    sign_in(page, "attorney", DEMO_PASSWORD)
    page.goto(f"/cases/{case.pk}/hearings/")
    expect(page.get_by_text("No hearing or interview is scheduled.")).to_be_visible()

    add_hearing(page, "Master calendar hearing", master_day, "08:30")
    expect(page.get_by_text("The master calendar hearing was added.")).to_be_visible()
    add_hearing(page, "Individual (merits) hearing", individual_day, "09:00", "12:00", judge="Hon. R. Alvarado")
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Upcoming hearings and interviews"))
    expect(upcoming.locator(".hearing-item")).to_have_count(2)
    clock = hearing_times.format_clock(hearing_times.to_utc(master_day, time(8, 30), DALLAS), DALLAS)
    expect(upcoming.get_by_text(f"{hearing_times.format_day(master_day)}, {clock}")).to_be_visible()
    expect(upcoming.get_by_text("Hon. R. Alvarado")).to_be_visible()
    screenshot(page, "hearings-case-tab")

    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Calendar").click()
    page.get_by_role("link", name="Next month").click()
    master_cell = page.locator(f'td[data-day="{master_day.isoformat()}"]')
    individual_cell = page.locator(f'td[data-day="{individual_day.isoformat()}"]')
    # The demo data has hearings of its own: look at this case's entries only.
    master_entry = master_cell.locator("li, a, div").filter(has=page.get_by_role("link", name=case.number)).last
    expect(master_entry).to_contain_text(clock)
    expect(master_entry).to_contain_text("Master")
    expect(individual_cell.get_by_text("Individual").first).to_be_visible()
    expect(individual_cell.get_by_role("link", name=case.number)).to_be_visible()
    screenshot(page, "hearings-calendar-month")

    individual_cell.get_by_role("link", name=case.number).click()
    expect(page.get_by_role("heading", name="Upcoming hearings and interviews")).to_be_visible()
    assert page.console_errors == []
