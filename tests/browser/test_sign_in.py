"""Each demo role signs in through the real login form and lands on its own start page."""

import pytest
from playwright.sync_api import expect

from clinic.demo import DEMO_PASSWORD, seed_demo
from tests.browser.conftest import screenshot, sign_in

START_PAGES = [
    ("intake", "/intake/", "Intake desk"),
    ("attorney", "/cases/my-work/", "My work"),
    ("supervisor", "/dashboard/", "Supervisor dashboard"),
    ("clinicadmin", "/staff/", "Staff"),
    ("attorney2", "/cases/my-work/", "My work"),
]


@pytest.fixture
def demo(transactional_db):
    seed_demo()


def test_each_demo_role_lands_on_its_start_page(new_page, demo, live_server):
    login_page = new_page()
    login_page.goto("/")
    expect(login_page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    screenshot(login_page, "login")

    for username, path, heading in START_PAGES:
        page = new_page()
        sign_in(page, username, DEMO_PASSWORD)
        expect(page).to_have_url(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        screenshot(page, f"start-{username}")
        # No Content-Security-Policy violation, no script error, no missing asset.
        assert page.console_errors == [], (username, page.console_errors)


def test_a_wrong_password_and_then_a_lockout_are_explained(new_page, demo, settings):
    page = new_page()
    sign_in(page, "attorney", "not-my-password")
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    screenshot(page, "login-wrong-password")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(page, "attorney", "not-my-password")
    expect(page.get_by_role("heading", name="Too many failed sign-in attempts")).to_be_visible()
    screenshot(page, "login-locked-out")


def test_the_account_menu_signs_out(new_page, demo, live_server):
    page = new_page()
    sign_in(page, "supervisor", DEMO_PASSWORD)
    page.get_by_role("button", name="Elena Ruiz").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    page.goto("/dashboard/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/dashboard/")
