"""A supervisor reads the record of who looked at what: the trail of a case reached from the case
itself, and one person's activity reached from a row of it."""

import pytest
from playwright.sync_api import expect

from cases.models import Case
from clinic.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def demo(transactional_db):
    seed_demo()


def test_the_supervisor_reads_a_cases_trail_and_a_persons_activity(new_page, demo):
    case = Case.objects.filter(clinic__slug="las-americas-demo").order_by("number").first()
    attorney = new_page()
    sign_in(attorney, "attorney", DEMO_PASSWORD)
    attorney.goto(f"/cases/{case.pk}/")  # a look at the case: on the record

    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("link", name="Trail of this case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Trail of {case.number}")
    rows = page.locator("tbody tr")
    expect(rows.filter(has_text="attorney").filter(has_text="Viewed").first).to_be_visible()
    screenshot(page, "activity-case-trail")

    rows.filter(has_text="attorney").first.get_by_role("link", name="attorney").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Activity of")
    expect(page.locator("tbody tr").filter(has_text=case.number).first).to_be_visible()
    assert page.console_errors == []
