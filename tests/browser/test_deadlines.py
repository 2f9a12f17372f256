"""Deadlines in a real browser: an attorney schedules a master calendar and an individual hearing,
sees the filing deadlines appear on the case with why each is due, records the judge's own date
for one and completes the other with a note."""

from datetime import timedelta

from playwright.sync_api import expect

from cases import dates, hearing_times
from cases.deadline_rules import show
from cases.models import Case
from clinic.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_hearings import add_hearing


def weekday(day):
    """Courts sit on weekdays: the day itself or the Monday after."""
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def deadline_item(page, title: str):
    return page.locator("#deadlines .deadline-row").filter(has_text=title)


def test_an_attorney_sees_why_each_deadline_is_due_and_works_them(new_page, case):
    from django.utils import timezone

    month = hearing_times.add_months(timezone.localdate(), 2)
    master_day, individual_day = weekday(month.replace(day=10)), weekday(month.replace(day=24))
    page = new_page()
    sign_in(page, "attorney", DEMO_PASSWORD)
    page.goto(f"/cases/{case.pk}/hearings/")
    add_hearing(page, "Master calendar hearing", master_day, "08:30")
    expect(page.get_by_text("The master calendar hearing was added.")).to_be_visible()
    add_hearing(page, "Individual (merits) hearing", individual_day, "09:00", "12:00", judge="Hon. R. Alvarado")

    page.get_by_role("link", name="Overview").click()
    master = deadline_item(page, "Filings before the master calendar hearing")
    merits = deadline_item(page, "Filings before the individual (merits) hearing")
    master_due = dates.roll_forward(master_day - timedelta(days=15))
    expect(master).to_contain_text(f"Due {show(master_due)}")
    expect(master).to_contain_text(f"15 days before the master calendar hearing on {show(master_day)}")
    expect(master).to_contain_text("ICPM 3.1(b)(1)")
    expect(merits).to_contain_text(f"30 days before the individual (merits) hearing on {show(individual_day)}")
    expect(merits.get_by_text("Computed", exact=True)).to_be_visible()
    screenshot(page, "deadlines-case-overview")

    merits.get_by_role("link", name="Judge's order").click()
    ordered = individual_day - timedelta(days=45)
    page.get_by_label("Date the judge set").fill(ordered.isoformat())
    screenshot(page, "deadlines-judge-order-form")
    page.get_by_role("button", name="Save the judge's date").click()
    expect(page.get_by_text("The date of the judge's order was saved.")).to_be_visible()
    merits = deadline_item(page, "Filings before the individual (merits) hearing")
    expect(merits).to_contain_text(f"Set by the judge's order: due {show(ordered)}")
    expect(merits).to_contain_text("The rule's date would be")

    master.get_by_label("Note (needed to waive)").fill("Witness list filed through ECAS.")
    master.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("The deadline was updated.")).to_be_visible()
    expect(deadline_item(page, "Filings before the master calendar hearing")).to_have_count(0)
    page.locator("#deadlines summary").click()
    expect(page.locator("#deadlines details")).to_contain_text("Witness list filed through ECAS.")
    screenshot(page, "deadlines-after-work")

    open_deadline_rules(page)
    expect(page.get_by_role("heading", name="Deadline rules", level=1)).to_be_visible()
    expect(page.get_by_text("ICPM 3.1(b)(2) (DM 22-04 rescinded, Feb 2025)").first).to_be_visible()
    screenshot(page, "deadlines-rules-attorney")
    assert page.console_errors == []


def open_deadline_rules(page) -> None:
    """From the user menu, where the reference pages live."""
    page.get_by_role("navigation", name="Main navigation").locator(".dropdown-toggle").click()
    page.get_by_role("link", name="Deadline rules").click()


def test_a_supervisor_changes_the_clinics_lead_times(new_page, case):
    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    open_deadline_rules(page)
    rule = page.locator("section", has=page.get_by_text("bia_appeal", exact=True))
    field = rule.get_by_label("Remind this many days before the due date")
    field.fill("28, 14, soon")
    rule.get_by_role("button", name="Save lead times").click()
    rule = page.locator("section", has=page.get_by_text("bia_appeal", exact=True))
    expect(rule).to_contain_text("Give whole numbers of days separated by commas")
    rule.get_by_label("Remind this many days before the due date").fill("7, 28, 14")
    rule.get_by_role("button", name="Save lead times").click()
    expect(page.get_by_text("The reminder lead times were saved.")).to_be_visible()
    rule = page.locator("section", has=page.get_by_text("bia_appeal", exact=True))
    expect(rule.get_by_label("Remind this many days before the due date")).to_have_value("28, 14, 7")
    expect(rule).to_contain_text("This clinic's own lead times.")
    screenshot(page, "deadlines-rules-supervisor")
    assert page.console_errors == []


def test_the_demo_cases_show_an_ead_clock_an_overdue_and_a_judges_deadline(new_page, transactional_db):
    seed_demo()
    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    filed = Case.objects.get(client__paternal_surname="Aguilar")
    page.goto(f"/cases/{filed.pk}/")
    clock = page.locator("#ead-clock")
    expect(clock).to_contain_text("of 180")
    expect(clock).to_contain_text("14 days stopped")
    expect(clock).to_contain_text("Running")
    expect(clock).to_contain_text("Continuance requested by the applicant")
    screenshot(page, "deadlines-demo-ead-clock")
    page.get_by_role("link", name="Record an event").click()
    page.get_by_label("What happened").select_option(label="Request for evidence or NOID received")
    page.get_by_label("Date").first.fill("2026-11-20")
    page.get_by_label("Response due on (from the notice)").fill("2026-11-02")
    page.get_by_role("button", name="Record the event").click()
    expect(page.get_by_text("The response date cannot be before the date of the notice.")).to_be_visible()
    screenshot(page, "deadlines-event-form-error")
    assert not filed.events.exists()
    showcase = Case.objects.get(client__paternal_surname="Castañeda", clinic__slug="las-americas-demo")
    page.goto(f"/cases/{showcase.pk}/")
    expect(page.locator("#deadlines .flag-danger").first).to_contain_text("overdue")
    expect(page.locator("#deadlines")).to_contain_text("Set by the judge's order")
    expect(page.locator("#events")).to_contain_text("Filing received from the other party")
    screenshot(page, "deadlines-demo-showcase")
    assert page.console_errors == []
