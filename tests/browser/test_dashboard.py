"""The supervisor dashboard in a real browser, filled from the demo data: the figures, the charts,
a figure followed to its list, and no CSP complaint (no inline script or style)."""

import re

import pytest
from playwright.sync_api import expect

from clinic.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def demo(transactional_db):
    seed_demo()


def test_the_demo_supervisor_sees_the_dashboard_and_follows_a_figure(new_page, demo):
    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Supervisor dashboard")).to_be_visible()
    for heading in ("Caseload per attorney", "Walk-ins per week", "One-year filing deadline at risk"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_role("img", name="Walk-ins per week by outcome")).to_be_visible()
    path = screenshot(page, "dashboard")
    assert path.exists()

    # Filtering by a date range and by an attorney keeps the page whole.
    page.get_by_label("Attorney", exact=True).select_option(index=1)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Caseload per attorney")).to_be_visible()
    page.get_by_role("link", name="Reset").click()

    # The figure of deadlines due in the next 30 days leads to a list of as many deadlines.
    figure = page.locator('[data-figure="due-30"]')
    shown = int(re.match(r"\d+", figure.inner_text()).group())
    figure.click()
    expect(page.get_by_role("heading", name="Deadlines")).to_be_visible()
    if shown:
        expect(page.locator("tbody tr")).to_have_count(min(shown, 50))
    assert page.console_errors == []
