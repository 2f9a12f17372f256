"""Reassignment in a real browser: the demo supervisor opens the demo attorney's caseload (the
link the dashboard gives), ticks two cases and hands them to another attorney."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from cases.models import CaseAssignment
from clinic.demo import DEMO_PASSWORD
from clinic.models import Clinic, Membership
from tests.browser.conftest import screenshot, sign_in
from tests.factories import staff_member


def test_the_supervisor_reassigns_two_cases_from_the_case_list(new_page, case):
    clinic = Clinic.objects.get(slug="las-americas-demo")
    attorney = get_user_model().objects.get(username="attorney")
    newcomer = staff_member(clinic, Membership.Role.ATTORNEY, username="ibarra", first_name="Ana", last_name="Ibarra")
    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    page.goto(f"/cases/?attorney={attorney.pk}")
    rows = page.locator("tbody tr")
    expect(rows.first).to_be_visible()
    numbers = [rows.nth(i).locator("td").nth(1).inner_text().strip() for i in range(2)]
    for number in numbers:
        page.get_by_label(f"Select case {number}").check()
    expect(page.get_by_text("2 selected")).to_be_visible()

    # "Select all" ticks every row and unticking one leaves it half-ticked (the script's work).
    select_all = page.get_by_label("Select all cases on this page")
    select_all.check()
    assert rows.locator("input[name=cases]:checked").count() == rows.count()
    select_all.uncheck()
    for number in numbers:
        page.get_by_label(f"Select case {number}").check()

    page.get_by_label("New lead attorney").select_option(label="Ana Ibarra")
    page.get_by_label("Keep the previous lead on the team").check()
    screenshot(page, "reassign-selected")
    page.get_by_role("button", name="Reassign", exact=True).click()

    expect(page.get_by_text("2 cases reassigned to Ana Ibarra.")).to_be_visible()
    assert page.url.endswith(f"/cases/?attorney={attorney.pk}")
    for number in numbers:
        lead = CaseAssignment.objects.get(case__number=number, case__clinic=clinic, role=CaseAssignment.Role.LEAD)
        assert lead.user == newcomer
        assert CaseAssignment.objects.filter(case__number=number, user=attorney, role="team").exists()
    # The cases are still on the attorney's list (kept on the team), now led by Ana Ibarra.
    for number in numbers:
        expect(page.locator("tbody tr").filter(has_text=number)).to_contain_text("Ana Ibarra")
    screenshot(page, "reassign")

    # One case, from its page: the team card's "Reassign".
    page.get_by_role("link", name=numbers[0]).click()
    page.locator("#team").get_by_role("link", name="Reassign").click()
    page.get_by_label("New lead attorney").select_option(label="Marisol Vega")
    screenshot(page, "reassign-one")
    page.get_by_role("button", name="Reassign", exact=True).click()
    expect(page.get_by_text("1 case reassigned to Marisol Vega.")).to_be_visible()
    expect(page.locator("#team")).to_contain_text("Marisol Vega")
    assert page.console_errors == []
