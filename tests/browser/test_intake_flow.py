"""The intake flow in a real browser: log a walk-in, see it ranked by urgency, run the conflict
check, accept it as a client, add family; then an attorney finds the client with derivative flags."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clinic.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def demo(transactional_db):
    seed_demo()


def test_intake_logs_checks_and_accepts_a_walk_in(new_page, demo):
    page = new_page()
    sign_in(page, "intake", DEMO_PASSWORD)
    page.get_by_role("link", name="Log a walk-in").click()
    arrival = timezone.localdate() - timedelta(days=320)
    page.get_by_label("First name(s)").fill("Marisela")
    page.get_by_label("Paternal surname").fill("Quiroz")
    page.get_by_label("Maternal surname").fill("Batres")
    page.get_by_label("Country of nationality").select_option("GT")
    page.get_by_label("Date of last arrival in the US").fill(arrival.isoformat())
    page.get_by_label("Phone").fill("915 555 0168")
    screenshot(page, "intake-log-walk-in")
    page.get_by_role("button", name="Add to the queue").click()
    expect(page.get_by_text("Marisela Quiroz Batres was added to the queue.")).to_be_visible()

    page.get_by_role("link", name="Intake desk").first.click()
    row = page.get_by_role("row").filter(has_text="Marisela Quiroz Batres")
    expect(row.get_by_text("One-year deadline in")).to_be_visible()
    screenshot(page, "intake-queue")

    row.get_by_role("link", name="Marisela Quiroz Batres").click()
    page.get_by_role("button", name="Run the conflict check").click()
    expect(page.get_by_text("Nobody in this clinic's records resembles this person.")).to_be_visible()
    page.get_by_label("Cleared: no conflict").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("The decision was recorded.")).to_be_visible()
    page.get_by_role("button", name="Accept as client").click()
    # Accepting hands over to opening the case.
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a case for Marisela Quiroz Batres")
    expect(page.get_by_text("is now a client")).to_be_visible()
    page.get_by_label("Lead attorney").select_option(label="Marisol Vega")
    page.get_by_label("Process").select_option("defensive")
    page.get_by_label("Court").select_option(label="El Paso (ELP)")
    screenshot(page, "intake-open-case")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("was opened.")).to_be_visible()
    # Intake staff see the case overview but not the claim, evidence or notes.
    expect(page.get_by_role("link", name="Claim")).to_have_count(0)
    screenshot(page, "intake-case-overview")
    page.get_by_role("link", name="Marisela Quiroz Batres").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marisela Quiroz Batres")

    page.get_by_role("link", name="Add a family member").click()
    page.get_by_label("Relationship").select_option("child")
    page.get_by_label("Given names").fill("Kevin")
    page.get_by_label("Paternal surname").fill("Quiroz")
    page.get_by_label("Date of birth").fill("2016-02-10")
    page.get_by_role("button", name="Save").click()
    family = page.locator("#family")
    expect(family.get_by_text("Unmarried child under 21 in the US.")).to_be_visible()
    expect(family.get_by_text("Turns 21 on 10 Feb 2037")).to_be_visible()
    screenshot(page, "intake-new-client")
    assert page.console_errors == []

    attorney = new_page()
    sign_in(attorney, "attorney", DEMO_PASSWORD)
    attorney.get_by_label("Search clients by name or A-number").fill("quiroz")
    attorney.keyboard.press("Enter")
    attorney.get_by_role("link", name="Marisela Quiroz Batres").click()
    expect(attorney.locator("#family").get_by_text("Kevin Quiroz")).to_be_visible()
    expect(attorney.locator("#family").get_by_text("Yes")).to_be_visible()
    assert attorney.console_errors == []


def test_the_conflict_check_finds_a_misspelt_existing_client(new_page, demo):
    page = new_page()
    sign_in(page, "intake", DEMO_PASSWORD)
    page.get_by_role("link", name="Jose Luis Hernandes").click()
    page.get_by_role("button", name="Run the conflict check").click()
    results = page.locator("#conflict-check")
    # Found as the client and as the walk-in he once was.
    expect(results.get_by_role("cell", name="José Luis Hernández Cruz", exact=False).first).to_be_visible()
    screenshot(page, "intake-conflict-match")
    # A conflict means the walk-in cannot be accepted.
    page.get_by_label("Conflict: cannot take the case").check()
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("cannot become a client")).to_be_visible()
    expect(page.get_by_role("button", name="Accept as client")).to_have_count(0)
